import { getTableColumns, getTableName, sql, type SQL } from 'drizzle-orm'
import { CasingCache } from 'drizzle-orm/casing'
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core'
import type { Queryable } from './types'

/**
 * Rows of a raw SQL query on any driver: postgres.js returns an array, PGlite an object with
 * `rows`. Query code uses this instead of `db.execute` directly.
 */
export async function rows<Row>(db: Queryable, query: SQL): Promise<Row[]> {
  const result = (await db.execute(query)) as unknown
  return (Array.isArray(result) ? result : (result as { rows: Row[] }).rows) as Row[]
}

/**
 * Inserts rows of one table in one statement with one parameter, the rows as a JSON array read
 * through the table's own row type (`jsonb_populate_recordset`). For the hot paths that write
 * many rows at once: a workout of a hundred sets is one small parameter to send and parse, where
 * a multi-row `insert … values` binds (and Drizzle builds) one parameter per cell. Rows name
 * columns by their TypeScript keys, as for `insert(table).values(rows)`; a column a row leaves
 * out (or undefined) takes its default. A run of rows of one shape is one statement, of at most
 * 5,000 rows.
 */
export async function insertRows<T extends PgTable>(db: Queryable, table: T, values: T['$inferInsert'][]): Promise<void> {
  const columns = getTableColumns(table) as Record<string, PgColumn>
  // Consecutive rows of one shape share a statement; the rows keep their order.
  const runs: { shape: string; list: Record<string, unknown>[] }[] = []
  for (const value of values) {
    const row = value as Record<string, unknown>
    const shape = Object.keys(row)
      .filter((k) => row[k] !== undefined)
      .join(',')
    const last = runs.at(-1)
    if (last?.shape === shape && last.list.length < ROWS_PER_STATEMENT) last.list.push(row)
    else runs.push({ shape, list: [row] })
  }
  for (const { shape, list } of runs) {
    const keys = shape.split(',')
    const unknown = keys.find((k) => !columns[k])
    if (unknown) throw new Error(`insertRows: ${getTableName(table)} has no column ${unknown}`)
    const names = keys.map((k) => casing.getColumnCasing(columns[k]!))
    const json = list.map((row) => Object.fromEntries(keys.map((k, i) => [names[i]!, jsonValue(columns[k]!, row[k])])))
    const columnList = sql.join(
      names.map((n) => sql.identifier(n)),
      sql`, `,
    )
    await db.execute(
      sql`insert into ${table} (${columnList}) select ${columnList} from jsonb_populate_recordset(null::${table}, ${JSON.stringify(json)}::jsonb)`,
    )
  }
}

/** Bounds one statement's JSON (an import batch of hundreds of workouts is tens of thousands of rows). */
const ROWS_PER_STATEMENT = 5000

/** Column names as the databases are opened with them (db/postgres.ts, db/pglite.ts). */
const casing = new CasingCache('snake_case')

/** A value as JSON that the column's type reads back as the same value. */
function jsonValue(column: PgColumn, value: unknown): unknown {
  if (value === null || column.columnType === 'PgJson' || column.columnType === 'PgJsonb') return value
  return value instanceof Date ? value.toISOString() : value
}
