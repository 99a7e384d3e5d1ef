import 'server-only'
import { sql } from 'drizzle-orm'
import { syncTables, type SyncTable } from '@/db/schema/registry'
import { rows } from '@/db/rows'
import type { Db, Tx } from '@/db/types'
import { PROTOCOL_VERSION, type SnapshotLine } from '../protocol'
import { scopeNames, scopesOf, type Scopes } from './scopes'
import { readSyncState } from './state'

export const SNAPSHOT_PAGE_ROWS = 1000

/**
 * Streams every row of the caller's scopes as of one repeatable-read snapshot, with the seq it
 * reflects (SPEC N1). Rows are read in pages from a cursor inside the transaction and handed to
 * `emit` one page at a time; `emit` may wait (backpressure), so memory stays at one page (N2).
 * `sinceMutationId` limits the device's own mutation results to those it still waits for;
 * `protocolVersion` is the one the device asked in (SPEC V1).
 */
export async function streamSnapshot(
  db: Db,
  who: { userId: string; deviceId: string },
  emit: (line: SnapshotLine) => Promise<void>,
  { pageRows = SNAPSHOT_PAGE_ROWS, sinceMutationId = 0, protocolVersion = PROTOCOL_VERSION } = {},
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
      await emit({
        type: 'snapshot-begin',
        protocolVersion,
        offset: head,
        horizon,
        scopes: scopeNames(scopes),
        rows: total,
      })
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
// a cast would hide it from the planner and its index.
const inScope = (table: SyncTable, ids: string[]) =>
  sql`${sql.identifier(table.column)} in (${sql.join(
    ids.map((id) => sql`${id}`),
    sql`, `,
  )})`

async function countRows(tx: Tx, table: SyncTable, ids: string[], extra: ReturnType<typeof sql>): Promise<number> {
  const [found] = await rows<{ n: string }>(
    tx,
    sql`select count(*) as n from ${sql.identifier(table.table)} where ${inScope(table, ids)} ${extra}`,
  )
  return Number(found?.n ?? 0)
}

/**
 * A table's rows in the scopes, `pageRows` at a time, through a cursor of the snapshot's
 * transaction: one scan of the table whatever its size. (Keyset pages cost a scan and a sort of
 * the scope's rows each, quadratic in the rows of one user: 47 s for 225,000 rows, bench M5.)
 */
async function* pages(tx: Tx, table: SyncTable, ids: string[], extra: ReturnType<typeof sql>, pageRows: number) {
  const cursor = sql.identifier(`snapshot_${table.table}`)
  await tx.execute(sql`declare ${cursor} no scroll cursor for
    select to_jsonb(t) as row from ${sql.identifier(table.table)} t where ${inScope(table, ids)} ${extra}`)
  try {
    for (;;) {
      const page = await rows<{ row: Record<string, unknown> }>(
        tx,
        sql`fetch forward ${sql.raw(String(Math.floor(pageRows)))} from ${cursor}`,
      )
      if (page.length > 0) yield page.map((p) => p.row)
      if (page.length < pageRows) return
    }
  } finally {
    // After a failed FETCH the transaction is aborted and takes the cursor with it; closing
    // would fail too and hide the first error.
    await tx.execute(sql`close ${cursor}`).catch(() => undefined)
  }
}
