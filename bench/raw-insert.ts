/**
 * The raw baseline on a device: rows written with nothing of the sync client around them. It has
 * no Node imports, so the browser floor page of M5 bundles the very same function.
 */
import type { PGlite } from '@electric-sql/pglite'

/**
 * Multi-row INSERTs (1,000 rows a statement, plain VALUES lists with parameters) of `rows`, all
 * in one transaction.
 */
export async function rawInsert(pg: PGlite, rows: Map<string, Record<string, unknown>[]>) {
  await pg.transaction(async (tx) => {
    for (const [table, list] of rows) {
      const columns = Object.keys(list[0]!)
      for (let i = 0; i < list.length; i += 1000) {
        const chunk = list.slice(i, i + 1000)
        const params: unknown[] = []
        const tuples = chunk.map(
          (row) =>
            `(${columns
              .map((c) => {
                const v = row[c]
                params.push(v !== null && typeof v === 'object' ? JSON.stringify(v) : v)
                return `$${params.length}`
              })
              .join(', ')})`,
        )
        await tx.query(`insert into "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) values ${tuples.join(', ')}`, params)
      }
    }
  })
}
