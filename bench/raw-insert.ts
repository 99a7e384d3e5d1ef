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

/** One CSV field: NULL unquoted and empty, every other value quoted (objects as JSON). */
function csvField(v: unknown): string {
  if (v === null || v === undefined) return ''
  const text = v instanceof Date ? v.toISOString() : typeof v === 'object' ? JSON.stringify(v) : String(v)
  return `"${text.replace(/"/g, '""')}"`
}

/**
 * The fastest way PGlite loads rows: per table one `COPY … FROM '/dev/blob'` of the rows as CSV,
 * all in one transaction (the floor issue 18 measures the apply path against).
 */
export async function rawCopy(pg: PGlite, rows: Map<string, Record<string, unknown>[]>) {
  await pg.transaction(async (tx) => {
    for (const [table, list] of rows) {
      const columns = Object.keys(list[0]!)
      const csv = list.map((row) => columns.map((c) => csvField(row[c])).join(',')).join('\n')
      await tx.query(`copy "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) from '/dev/blob' with (format csv)`, [], {
        blob: new Blob([csv]),
      })
    }
  })
}
