import 'server-only'
import { sql } from 'drizzle-orm'
import { rows } from '@/db/rows'
import type { Db, Queryable } from '@/db/types'
import { windowedTables } from '@/db/schema/registry'
import {
  PROTOCOL_VERSION,
  WINDOW_PROTOCOL,
  scopeName,
  type Change,
  type MustRefetch,
  type PullResponse,
  type Scope,
  type WindowInForce,
} from '../protocol'
import { scopeNames, scopesOf, scopesOfMany } from './scopes'
import { readSyncState } from './state'
import { cutOf, keptRoots, rootTimes, windowedAmong, windowInForce } from './window'

type Row = {
  seq: string
  op: number
  scope: Scope
  table_name: string
  kind: Change['kind']
  key: Record<string, unknown>
  row: Record<string, unknown> | null
}

/** `v`: the protocol the device speaks; a storage window applies from 5 on (SPEC W2). */
export type PullQuery = { offset: number; limit: number; v?: number }
type Who = { userId: string; deviceId: string }

/**
 * Changes in the device's scopes after `offset`, whole transactions only (SPEC R1-R3), read in
 * one repeatable-read transaction so the head, the scopes and the changes agree (L4): a grant
 * or revocation is either wholly before the read or wholly after it.
 */
export async function pull(db: Db, who: Who, { offset, limit, v = PROTOCOL_VERSION }: PullQuery): Promise<PullResponse | MustRefetch> {
  return db.transaction(
    async (tx) => {
      const { head, horizon } = await readSyncState(tx)
      const scopes = await scopesOf(tx, who.userId, who.deviceId)
      const stale = staleOffset(offset, head, horizon)
      if (stale) return stale
      const window = await windowInForce(tx, who, v)
      const names = scopeNames(scopes)
      let changes = await changesIn(tx, names, offset, head, limit + 1)
      const first = changes[0]?.seq
      if (first !== undefined && changes.length > limit && changes[limit]!.seq === first) {
        // One transaction larger than the limit: read it whole, to be sent alone.
        changes = await changesIn(tx, names, first - 1, first)
      }
      const answer = cut(changes, limit, head, horizon)
      if (v < WINDOW_PROTOCOL) return answer
      return { ...answer, changes: await withinWindow(tx, who.userId, window, answer.changes), window }
    },
    { isolationLevel: 'repeatable read', accessMode: 'read only' },
  )
}

/**
 * Many devices' pulls answered from one read (SPEC R6): one repeatable-read transaction reads
 * the head, every caller's scopes, and the changes after the lowest offset in the union of their
 * scopes; each answer is then cut from those rows exactly as `pull` would cut it from the same
 * snapshot. When the shared read would exceed `cap` changes (a device far behind) it gives up and
 * each caller pulls on its own. Answers come back in the callers' order.
 */
export async function pullMany(
  db: Db,
  callers: { who: Who; query: PullQuery }[],
  { cap = 5000 } = {},
): Promise<(PullResponse | MustRefetch)[]> {
  const shared = await db.transaction(
    async (tx) => {
      const { head, horizon } = await readSyncState(tx)
      const scopes = await scopesOfMany(
        tx,
        callers.map((c) => c.who),
      )
      // A device with a storage window pulls on its own (W2): its cut is its own.
      const windowed = await windowedAmong(
        tx,
        callers.filter((c) => (c.query.v ?? PROTOCOL_VERSION) >= WINDOW_PROTOCOL).map((c) => c.who),
      )
      const live = callers.filter((c) => c.query.offset >= horizon && c.query.offset <= head && !windowed.has(key(c.who)))
      if (live.length === 0) return { head, horizon, scopes, windowed, found: [] as Change[], complete: true }
      const from = Math.min(...live.map((c) => c.query.offset))
      const names = [...new Set(live.flatMap((c) => scopeNames(scopes.get(key(c.who))!)))]
      const found = await changesIn(tx, names, from, head, cap + 1)
      return { head, horizon, scopes, windowed, found, complete: found.length <= cap }
    },
    { isolationLevel: 'repeatable read', accessMode: 'read only' },
  )
  const { head, horizon, found: changes } = shared
  return Promise.all(
    callers.map(async ({ who, query }) => {
      const stale = staleOffset(query.offset, head, horizon)
      if (stale) return stale
      if (!shared.complete || shared.windowed.has(key(who))) return pull(db, who, query)
      const mine = new Set(scopeNames(shared.scopes.get(key(who))!))
      const answer = cut(
        changes.filter((c) => c.seq > query.offset && mine.has(c.scope)),
        query.limit,
        head,
        horizon,
      )
      return (query.v ?? PROTOCOL_VERSION) < WINDOW_PROTOCOL ? answer : { ...answer, window: { kind: 'all' as const } }
    }),
  )
}

const key = (who: Who) => `${who.userId}/${who.deviceId}`

const windowed = new Map(windowedTables.map((t) => [t.table, t.window!]))

/**
 * The changes a device with this window is sent (W2, W4): every delete, every change of a
 * workout's root entry (so a workout re-dated out of the window leaves the device, and one
 * re-dated into it is noticed and fetched), and the rest of an entry's history only while its
 * workout is in the window or kept, as it is now, or when its entry is gone (its delete follows).
 */
async function withinWindow(tx: Queryable, userId: string, window: WindowInForce, changes: Change[]): Promise<Change[]> {
  const from = cutOf(window)
  if (from === null) return changes
  const user = scopeName('user', userId)
  const judged = (c: Change) =>
    c.scope === user &&
    windowed.has(c.table) &&
    (c.kind === 'insert' || c.kind === 'update') &&
    !(c.table === 'entries' && c.row?.parent_id === null)
  const entryOf = (c: Change) => String(c.row![windowed.get(c.table)!])
  const ids = [...new Set(changes.filter(judged).map(entryOf))]
  if (ids.length === 0) return changes
  const roots = await rootTimes(tx, ids)
  let kept: Set<string> | undefined
  if ([...roots.values()].some((r) => r.performedAt < from)) kept = new Set((await keptRoots(tx, userId, from)).map((r) => r.id))
  return changes.filter((c) => {
    if (!judged(c)) return true
    const root = roots.get(entryOf(c))
    return !root || root.performedAt >= from || kept!.has(root.root)
  })
}

/**
 * A response from every change of a device's scopes after its offset up to `head` (R2, R3):
 * whole transactions, at most `limit` changes unless the first transaction alone is larger.
 */
function cut(changes: Change[], limit: number, head: number, horizon: number): PullResponse {
  if (changes.length <= limit) return { type: 'changes', changes, offset: head, head, upToDate: true, horizon }
  const first = changes[0]!.seq
  const boundary = changes[limit]!.seq
  const taken = boundary === first ? changes.filter((c) => c.seq === first) : changes.filter((c) => c.seq < boundary)
  const offset = taken[taken.length - 1]!.seq
  return { type: 'changes', changes: taken, offset, head, upToDate: offset === head, horizon }
}

/** The changes in these scopes of the transactions after `after` up to `upTo`, in (seq, op) order. */
async function changesIn(tx: Queryable, names: string[], after: number, upTo: number, limit?: number): Promise<Change[]> {
  const found = await rows<Row>(
    tx,
    sql`select t.seq::text as seq, l.op, l.scope, l.table_name, l.kind, l.key, l.row
          from change_transactions t join change_log l on l.tx = t.tx
         where t.seq > ${after} and t.seq <= ${upTo}
           and l.scope in (${sql.join(
             names.map((n) => sql`${n}`),
             sql`, `,
           )})
         order by t.seq, l.op
         ${limit === undefined ? sql`` : sql`limit ${limit}`}`,
  )
  return found.map(toChange)
}

function toChange(r: Row): Change {
  return { seq: Number(r.seq), op: r.op, scope: r.scope, table: r.table_name, kind: r.kind, key: r.key, row: r.row }
}

/** Must-refetch for an offset the log cannot serve: compacted away (C2), or ahead of the head. */
function staleOffset(offset: number, head: number, horizon: number): MustRefetch | undefined {
  if (offset < horizon) return mustRefetch(offset, horizon, `Changes up to ${horizon} have been compacted away.`)
  if (offset > head) {
    return mustRefetch(
      offset,
      horizon,
      `This device is ahead of the server (offset ${offset}, head ${head}); the server's data was restored from an earlier point.`,
    )
  }
  return undefined
}

function mustRefetch(offset: number, horizon: number, why: string): MustRefetch {
  return {
    type: 'must-refetch',
    offset,
    horizon,
    message: `${why} Fetch a snapshot, keep your pending writes and rebase them on it, then pull from the snapshot's offset.`,
  }
}

type Waiting = { who: Who; query: PullQuery; resolve(answer: PullResponse | MustRefetch): void; reject(error: unknown): void }

/**
 * Gathers the pulls that arrive in the same turn of the event loop (the live waiters one commit
 * wakes, SPEC R6) and answers them with one `pullMany`, up to `max` at a time.
 */
export class PullBatcher {
  private waiting: Waiting[] = []
  private scheduled = false

  constructor(
    private readonly db: Db,
    private readonly max = 1000,
  ) {}

  pull(who: Who, query: PullQuery): Promise<PullResponse | MustRefetch> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ who, query, resolve, reject })
      if (this.scheduled) return
      this.scheduled = true
      setImmediate(() => this.flush())
    })
  }

  private flush() {
    this.scheduled = false
    while (this.waiting.length > 0) {
      const batch = this.waiting.splice(0, this.max)
      pullMany(this.db, batch).then(
        (answers) => batch.forEach((w, i) => w.resolve(answers[i]!)),
        (error: unknown) => batch.forEach((w) => w.reject(error)),
      )
    }
  }
}
