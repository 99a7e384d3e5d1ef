import 'server-only'
import { sql, type SQL } from 'drizzle-orm'
import { syncTables, type SyncTable } from '@/db/schema/registry'
import { rows } from '@/db/rows'
import type { Db, Tx } from '@/db/types'
import { PROTOCOL_VERSION, WINDOW_PROTOCOL, type SnapshotLine } from '../protocol'
import { scopeNames, scopesOf, type Scopes } from './scopes'
import { readSyncState } from './state'
import { cutOf, entriesInWindow, keptRoots, windowInForce } from './window'

export const SNAPSHOT_PAGE_ROWS = 1000

export type SnapshotOptions = {
  pageRows?: number
  /** Leaves out the device's own mutation results below this id (it no longer waits for them). */
  sinceMutationId?: number
  /** The version the device asked in (SPEC V1). */
  protocolVersion?: number
  /** Ends the snapshot before its next page (the client hung up). */
  signal?: AbortSignal
}

type Who = { userId: string; deviceId: string }

/** One page to read: a table and the primary keys of its rows, as the JSON array PostgreSQL made. */
type Page = { table: SyncTable; keys: string }

const shortRead = { isolationLevel: 'repeatable read', accessMode: 'read only' } as const

/**
 * The lines of a snapshot of the caller's scopes (SPEC N1, N2), one short read per step: the
 * first step reads, in one repeatable-read transaction, the head seq, the scopes and the primary
 * keys of every row in them, a page's worth to a string; each later step reads one page by its
 * keys in a transaction of its own. Nothing is held between steps, so a consumer may take as
 * long as it likes over a line (SPEC A8) and other work runs between pages.
 *
 * A page reads its rows as they are then: changed since the head, or gone. The offset is the
 * head of the first step, and the log from it brings every such change again, which the device
 * applies by key (N1). A page of a library the user has lost since is not read (A2).
 */
export async function* snapshotLines(
  db: Db,
  who: Who,
  { pageRows = SNAPSHOT_PAGE_ROWS, sinceMutationId = 0, protocolVersion = PROTOCOL_VERSION, signal }: SnapshotOptions = {},
): AsyncGenerator<SnapshotLine, void, undefined> {
  const start = await db.transaction(async (tx) => {
    const { head, horizon } = await readSyncState(tx)
    const scopes = await scopesOf(tx, who.userId, who.deviceId)
    // W1: a device's storage window cuts an entry's history by its workout's time.
    const window = await windowInForce(tx, who, protocolVersion)
    const from = cutOf(window)
    const inWindow =
      from === null
        ? null
        : entriesInWindow(
            who.userId,
            from,
            (await keptRoots(tx, who.userId, from)).map((r) => r.id),
          )
    const pages: Page[] = []
    let total = 0
    for (const table of syncTables) {
      const ids = scopeIds(table, scopes)
      if (ids.length === 0) continue
      const extra =
        table.table === 'mutation_results'
          ? sql`and mutation_id >= ${sinceMutationId}`
          : inWindow && table.window
            ? sql`and ${column(table.window)} in ${inWindow}`
            : sql``
      for (const page of await keyPages(tx, table, ids, extra, pageRows)) {
        pages.push({ table, keys: page.keys })
        total += page.n
      }
    }
    return { head, horizon, scopes, pages, total, window }
  }, shortRead)
  yield {
    type: 'snapshot-begin',
    protocolVersion,
    offset: start.head,
    horizon: start.horizon,
    scopes: scopeNames(start.scopes),
    rows: start.total,
    ...(protocolVersion >= WINDOW_PROTOCOL ? { window: start.window } : {}),
  }
  let rowCount = 0
  // Shifted off as read, so the keys of pages sent are let go.
  for (let page = start.pages.shift(); page; page = start.pages.shift()) {
    signal?.throwIfAborted()
    const found = await readPage(db, who, start.scopes, page)
    if (found.length === 0) continue
    rowCount += found.length
    yield { type: 'rows', table: page.table.table, rows: found }
  }
  yield { type: 'snapshot-end', offset: start.head, rowCount }
}

/**
 * Streams a snapshot to `emit`, awaiting it for each line (SPEC N1, N2): {@link snapshotLines}
 * for callers that consume in process (tests, the server's own checks).
 */
export async function streamSnapshot(db: Db, who: Who, emit: (line: SnapshotLine) => Promise<void>, options: SnapshotOptions = {}) {
  for await (const line of snapshotLines(db, who, options)) await emit(line)
}

function scopeIds(table: SyncTable, scopes: Scopes): string[] {
  if (table.scope === 'user') return [scopes.userId]
  if (table.scope === 'device') return [scopes.deviceId]
  return scopes.libraryIds
}

const column = (name: string) => sql`t.${sql.identifier(name)}`

// The column is compared as it is (every scope column is a uuid, the parameters take its type):
// a cast would hide it from the planner and its index.
const inScope = (table: SyncTable, ids: string[]) =>
  sql`${column(table.column)} in (${sql.join(
    ids.map((id) => sql`${id}`),
    sql`, `,
  )})`

const keyOrder = (table: SyncTable) =>
  sql.join(
    table.key.map((k) => column(k)),
    sql`, `,
  )

/**
 * The primary keys of a table's rows in the scopes, `pageRows` to a page, each page a JSON
 * array of key objects, with how many keys it holds: one scan and one sort of the scope's rows,
 * like the count it replaces (SPEC N3).
 */
async function keyPages(tx: Tx, table: SyncTable, ids: string[], extra: SQL, pageRows: number) {
  const key = sql.join(
    table.key.map((k) => sql`${k}::text, ${column(k)}`),
    sql`, `,
  )
  return rows<{ keys: string; n: number }>(
    tx,
    sql`select jsonb_agg(k order by rn)::text as keys, count(*)::int as n
        from (select jsonb_build_object(${key}) as k, row_number() over (order by ${keyOrder(table)}) as rn
              from ${sql.identifier(table.table)} t where ${inScope(table, ids)} ${extra}) s
        group by (rn - 1) / ${sql.raw(String(Math.max(1, Math.floor(pageRows))))}
        order by min(rn)`,
  )
}

/**
 * A page's rows by their keys, one primary-key look-up each, forced: the lateral subquery is
 * fenced (`offset 0`) so the planner cannot turn it into a join that reads the whole scope
 * through its index, as it does when a bulk write has left the statistics behind (a page then
 * cost a scan of every row of the user: 46 ms a page at 50,000 rows, quadratic in all; keyset
 * pages by key alone cost a scan and a sort each, bench M5). The keys take their types from the
 * table's own row type, and come out in the order they went in.
 *
 * A library-scoped page reads, in the same transaction, which of its libraries are still in the
 * user's scopes, and only those: one revoked since the snapshot began shows nothing written
 * after (A2), and the log's `scope_removed` drops what was sent before. Other pages are one
 * statement: their scope (the user, the device) cannot be lost.
 */
async function readPage(db: Db, who: Who, scopes: Scopes, page: Page): Promise<Record<string, unknown>[]> {
  const { table } = page
  const name = sql.identifier(table.table)
  const matches = sql.join(
    table.key.map((k) => sql`${column(k)} = k.${sql.identifier(k)}`),
    sql` and `,
  )
  const read = async (q: Db | Tx, ids: string[]) =>
    (
      await rows<{ row: Record<string, unknown> }>(
        q,
        sql`select to_jsonb(t) as row
            from jsonb_populate_recordset(null::${name}, ${page.keys}::jsonb) k
            cross join lateral (select * from ${name} t where ${matches} offset 0) t
            where ${inScope(table, ids)}`,
      )
    ).map((found) => found.row)
  if (table.scope !== 'library') return read(db, scopeIds(table, scopes))
  return db.transaction(async (tx) => {
    const now = new Set((await scopesOf(tx, who.userId, who.deviceId)).libraryIds)
    const ids = scopes.libraryIds.filter((id) => now.has(id))
    return ids.length === 0 ? [] : read(tx, ids)
  }, shortRead)
}

export type SnapshotStreamOptions = {
  /** The request's signal: the client hanging up ends the stream at once. */
  signal: AbortSignal
  /** Ends the stream when its reader has taken nothing for this long (SPEC A8). */
  stallMs: number
  /** Ends the stream this long after it began, however it goes (SPEC A8). */
  deadlineMs: number
  /** Called once, however the stream ends. */
  onEnd: () => void
}

/**
 * `lines` as an NDJSON body, `first` (already read) first. The next line is read only when the
 * reader has taken the one before (a pull stream, one line ahead), so a reader that stops holds
 * nothing but this object; one that takes nothing for `stallMs`, or is still reading after
 * `deadlineMs`, gets a cut stream (a device retries), as does one whose request is aborted.
 */
export function snapshotStream(lines: AsyncGenerator<SnapshotLine, void, undefined>, first: SnapshotLine, options: SnapshotStreamOptions) {
  const { signal, stallMs, deadlineMs, onEnd } = options
  const encoder = new TextEncoder()
  const encode = (line: SnapshotLine) => encoder.encode(`${JSON.stringify(line)}\n`)
  let controller: ReadableStreamDefaultController<Uint8Array> | undefined
  let stall: ReturnType<typeof setTimeout> | undefined
  let deadline: ReturnType<typeof setTimeout> | undefined
  let ended = false
  const end = (error?: unknown) => {
    if (ended) return
    ended = true
    clearTimeout(stall)
    clearTimeout(deadline)
    signal.removeEventListener('abort', aborted)
    if (error !== undefined) controller?.error(error)
    // Queued behind a page being read, if any; it holds no transaction.
    void lines.return(undefined).catch(() => undefined)
    onEnd()
  }
  const aborted = () => end(signal.reason ?? new DOMException('The client went away.', 'AbortError'))
  const waitForReader = () => {
    stall = setTimeout(() => end(new Error(`The snapshot's reader took nothing for ${stallMs} ms; the snapshot was ended.`)), stallMs)
  }
  return new ReadableStream<Uint8Array>(
    {
      start(c) {
        controller = c
        if (signal.aborted) return aborted()
        signal.addEventListener('abort', aborted, { once: true })
        deadline = setTimeout(() => end(new Error(`The snapshot was still streaming after ${deadlineMs} ms; it was ended.`)), deadlineMs)
        c.enqueue(encode(first))
        waitForReader()
      },
      async pull(c) {
        clearTimeout(stall)
        try {
          const next = await lines.next()
          if (ended) return
          if (next.done) {
            c.close()
            return end()
          }
          c.enqueue(encode(next.value))
          waitForReader()
        } catch (error) {
          end(error)
        }
      },
      cancel() {
        end()
      },
    },
    { highWaterMark: 1 },
  )
}
