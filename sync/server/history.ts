import 'server-only'
import { sql, type SQL } from 'drizzle-orm'
import { windowedTables } from '@/db/schema/registry'
import { rows } from '@/db/rows'
import type { Db, Queryable } from '@/db/types'
import type { HistoryRequest, HistoryResponse, WindowInForce } from '../protocol'
import { readSyncState } from './state'
import { cutOf, entriesInWindow, keptRoots, windowInForce } from './window'

type Who = { userId: string; deviceId: string }
type Root = { id: string; performedAt: string }

/**
 * Whole workouts of the caller's own history, read-only (sync/SPEC.md W5): the ones named, the
 * ids of those a window keeps for the last entry of each activity, or a page of those performed
 * before a time, newest first. One repeatable-read transaction, so the rows agree with `head`:
 * the log after it brings every later change to them. An answer holds at most
 * {@link HISTORY_PAGE_ENTRIES} entries' history (or one workout); `next` then says to ask again.
 */
export async function historyPage(
  db: Db,
  who: Who,
  request: HistoryRequest,
  { pageEntries = HISTORY_PAGE_ENTRIES } = {},
): Promise<HistoryResponse> {
  return db.transaction(
    async (tx) => {
      const { head } = await readSyncState(tx)
      const window = await windowInForce(tx, who, request.v)
      if (request.count) {
        return { type: 'history', head, window, roots: [], tables: {}, next: null, rows: await rowsInWindow(tx, who.userId, window) }
      }
      if (request.kept) {
        const from = cutOf(window)
        const roots = from === null ? [] : await keptRoots(tx, who.userId, from)
        return { type: 'history', head, window, roots, tables: {}, next: null }
      }
      const found = request.roots ? await named(tx, who.userId, request.roots) : await page(tx, who.userId, request)
      const roots = await withinBudget(tx, found, pageEntries)
      // More to ask for: a full page, or workouts left out for the budget (named ones: ask again).
      const more = roots.length < found.length || (!request.roots && found.length === request.limit)
      const next = more ? cursorOf(roots[roots.length - 1]!) : null
      return { type: 'history', head, window, roots, tables: await rowsOf(tx, who.userId, roots), next }
    },
    { isolationLevel: 'repeatable read', accessMode: 'read only' },
  )
}

/** Most entries one answer carries (their values, tags and photos besides): a page stops before. */
export const HISTORY_PAGE_ENTRIES = 2000

/**
 * The first of `roots` whose workouts together hold at most {@link HISTORY_PAGE_ENTRIES}
 * entries, and always the first (one workout holds at most `MAX_ENTRY_NODES`): an answer's size
 * is bounded whatever the workouts hold.
 */
async function withinBudget(tx: Queryable, roots: Root[], budget: number): Promise<Root[]> {
  if (roots.length <= 1) return roots
  const sizes = await rows<{ root: string; n: number }>(
    tx,
    sql`with recursive tree(id, root) as (
          select id, id from entries where id in ${idList(roots.map((r) => r.id))}
          union all
          select e.id, t.root from entries e join tree t on e.parent_id = t.id
        ) select root::text as root, count(*)::int as n from tree group by root`,
  )
  const size = new Map(sizes.map((s) => [s.root, s.n]))
  const taken: Root[] = []
  let entries = 0
  for (const root of roots) {
    entries += size.get(root.id) ?? 1
    if (taken.length > 0 && entries > budget) break
    taken.push(root)
  }
  return taken
}

const cursorOf = (root: Root) => `${root.performedAt}|${root.id}`

const idList = (ids: string[]) => sql`(select value::uuid from jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb))`

async function rootsWhere(tx: Queryable, where: SQL, limit?: number): Promise<Root[]> {
  const found = await rows<{ id: string; performed_at: Date | string }>(
    tx,
    sql`select id::text as id, performed_at from entries e where e.parent_id is null and ${where}
         order by performed_at desc, id desc ${limit === undefined ? sql`` : sql`limit ${limit}`}`,
  )
  return found.map((r) => ({ id: r.id, performedAt: new Date(r.performed_at).toISOString() }))
}

/** The named workouts that are the user's (a stranger's, or a child entry, is simply absent). */
const named = (tx: Queryable, userId: string, ids: string[]) => rootsWhere(tx, sql`e.user_id = ${userId} and e.id in ${idList(ids)}`)

function page(tx: Queryable, userId: string, { before, from, cursor, limit }: HistoryRequest): Promise<Root[]> {
  const conditions = [sql`e.user_id = ${userId}`, sql`e.performed_at < ${before!}`]
  if (from) conditions.push(sql`e.performed_at >= ${from}`)
  if (cursor) {
    const [at, id] = cursor.split('|') as [string, string]
    conditions.push(sql`(e.performed_at, e.id) < (${new Date(at).toISOString()}::timestamptz, ${id}::uuid)`)
  }
  return rootsWhere(tx, sql.join(conditions, sql` and `), limit)
}

/** Every row of the workouts' history, by table, parents first. */
async function rowsOf(tx: Queryable, userId: string, found: Root[]): Promise<Record<string, Record<string, unknown>[]>> {
  if (found.length === 0) return {}
  const tree = sql`(with recursive tree(id) as (
      select id from entries where user_id = ${userId} and id in ${idList(found.map((r) => r.id))}
      union all
      select e.id from entries e join tree t on e.parent_id = t.id
    ) select id from tree)`
  const tables: Record<string, Record<string, unknown>[]> = {}
  for (const table of windowedTables) {
    const read = await rows<{ row: Record<string, unknown> }>(
      tx,
      sql`select to_jsonb(t) as row from ${sql.identifier(table.table)} t
           where t.${sql.identifier(table.column)} = ${userId} and t.${sql.identifier(table.window!)} in ${tree}`,
    )
    if (read.length > 0) tables[table.table] = read.map((r) => r.row)
  }
  return tables
}

/** How many history rows the window holds for the user on the server (W6): what the device should hold. */
async function rowsInWindow(tx: Queryable, userId: string, window: WindowInForce): Promise<number> {
  const from = cutOf(window)
  const inWindow =
    from === null
      ? null
      : entriesInWindow(
          userId,
          from,
          (await keptRoots(tx, userId, from)).map((r) => r.id),
        )
  let total = 0
  for (const table of windowedTables) {
    const [found] = await rows<{ n: number }>(
      tx,
      sql`select count(*)::int as n from ${sql.identifier(table.table)} t
           where t.${sql.identifier(table.column)} = ${userId}${inWindow ? sql` and t.${sql.identifier(table.window!)} in ${inWindow}` : sql``}`,
    )
    total += found?.n ?? 0
  }
  return total
}
