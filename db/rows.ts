import type { SQL } from 'drizzle-orm'
import type { Queryable } from './types'

/**
 * Rows of a raw SQL query on any driver: postgres.js returns an array, PGlite an object with
 * `rows`. Query code uses this instead of `db.execute` directly.
 */
export async function rows<Row>(db: Queryable, query: SQL): Promise<Row[]> {
  const result = (await db.execute(query)) as unknown
  return (Array.isArray(result) ? result : (result as { rows: Row[] }).rows) as Row[]
}
