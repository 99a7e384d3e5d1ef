import 'server-only'
import { sql } from 'drizzle-orm'
import { syncTables, type SyncTable } from '@/db/schema/synced'
import { rows } from '@/db/rows'
import type { Db, Tx } from '@/db/types'
import { PROTOCOL_VERSION, type SnapshotLine } from '../protocol'
import { scopeNames, scopesOf, type Scopes } from './scopes'
import { readSyncState } from './state'

export const SNAPSHOT_PAGE_ROWS = 1000

/**
 * Streams every row of the caller's scopes as of one repeatable-read snapshot, with the seq it
 * reflects (SPEC N1). Rows are read in keyset pages inside the transaction and handed to `emit`
 * one page at a time; `emit` may wait (backpressure), so memory stays at one page (N2).
 * `sinceMutationId` limits the device's own mutation results to those it still waits for.
 */
export async function streamSnapshot(
  db: Db,
  who: { userId: string; deviceId: string },
  emit: (line: SnapshotLine) => Promise<void>,
  { pageRows = SNAPSHOT_PAGE_ROWS, sinceMutationId = 0 } = {},
): Promise<void> {
  await db.transaction(
    async (tx) => {
      // The scopes come from the same snapshot as the rows and the offset (SPEC N1).
      const { head, horizon } = await readSyncState(tx)
      const scopes = await scopesOf(tx, who.userId, who.deviceId)
      const tables = syncTables
        .map((table) => ({
          table,
          ids: scopeIds(table, scopes),
          extra: table.table === 'mutation_results' ? sql`and mutation_id >= ${sinceMutationId}` : sql``,
        }))
        .filter((t) => t.ids.length > 0)
      let total = 0
      for (const { table, ids, extra } of tables) total += await countRows(tx, table, ids, extra)
      await emit({ type: 'snapshot-begin', protocolVersion: PROTOCOL_VERSION, offset: head, horizon, scopes: scopeNames(scopes), rows: total })
      let rowCount = 0
      for (const { table, ids, extra } of tables) {
        for await (const page of pages(tx, table, ids, extra, pageRows)) {
          rowCount += page.length
          await emit({ type: 'rows', table: table.table, rows: page })
        }
      }
      await emit({ type: 'snapshot-end', offset: head, rowCount })
    },
    { isolationLevel: 'repeatable read', accessMode: 'read only' },
  )
}

function scopeIds(table: SyncTable, scopes: Scopes): string[] {
  if (table.scope === 'user') return [scopes.userId]
  if (table.scope === 'device') return [scopes.deviceId]
  return scopes.libraryIds
}

// The column is compared as it is (every scope column is a uuid, the parameters take its type):
// a cast would hide it from the planner, and every keyset page would scan and sort the table.
const inScope = (table: SyncTable, ids: string[]) => sql`${sql.identifier(table.column)} in (${sql.join(ids.map((id) => sql`${id}`), sql`, `)})`

async function countRows(tx: Tx, table: SyncTable, ids: string[], extra: ReturnType<typeof sql>): Promise<number> {
  const [found] = await rows<{ n: string }>(tx, sql`select count(*) as n from ${sql.identifier(table.table)} where ${inScope(table, ids)} ${extra}`)
  return Number(found?.n ?? 0)
}

async function* pages(tx: Tx, table: SyncTable, ids: string[], extra: ReturnType<typeof sql>, pageRows: number) {
  const name = sql.identifier(table.table)
  const key = sql.join(table.key.map((k) => sql.identifier(k)), sql`, `)
  let after: unknown[] | undefined
  for (;;) {
    const keyset = after
      ? sql`and (${key}) > (${sql.join(after.map((v) => sql`${v}`), sql`, `)})`
      : sql``
    const page = await rows<{ row: Record<string, unknown> }>(
      tx,
      sql`select to_jsonb(t) as row from ${name} t
           where ${inScope(table, ids)} ${extra} ${keyset}
           order by ${key} limit ${pageRows}`,
    )
    if (page.length === 0) return
    yield page.map((p) => p.row)
    if (page.length < pageRows) return
    const last = page[page.length - 1]!.row
    after = table.key.map((k) => last[k])
  }
}
