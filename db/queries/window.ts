import { sql } from 'drizzle-orm'
import { windowedTables } from '@/db/schema/registry'
import { rows } from '@/db/rows'
import type { Queryable } from '@/db/types'

/**
 * The history rows this device holds (SPEC W6): entries and their values, tags and photos, the
 * rows a storage window cuts; and every synced row in all.
 */
export async function heldRows(db: Queryable): Promise<{ history: number; total: number }> {
  const counts = await Promise.all(
    windowedTables.map(async (t) => (await rows<{ n: number }>(db, sql`select count(*)::int as n from ${sql.identifier(t.table)}`))[0]!.n),
  )
  const history = counts.reduce((a, b) => a + b, 0)
  const [other] = await rows<{ n: number }>(
    db,
    sql`select (select count(*) from activities) + (select count(*) from attributes) + (select count(*) from libraries) as n`,
  )
  return { history, total: history + Number(other?.n ?? 0) }
}
