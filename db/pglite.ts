/**
 * PGlite for both runtimes: the server's embedded default (file-backed, Node) and the device
 * (browser). Nothing here imports Node modules.
 */
import type { PGlite, Transaction } from '@electric-sql/pglite'
import { drizzle } from 'drizzle-orm/pglite'
import * as schema from './schema'
import type { SqlRunner } from './migrate'
import type { Db } from './types'

/** Drizzle over a PGlite instance, with the project's naming (camelCase in TS, snake_case in SQL). */
export function drizzlePglite(pg: PGlite): Db {
  return drizzle({ client: pg, schema, casing: 'snake_case' }) as unknown as Db
}

/** Adapts PGlite to the migrator's transaction interface. */
export function pgliteRunner(pg: PGlite): SqlRunner {
  return {
    transaction: (fn) =>
      pg.transaction((tx: Transaction) =>
        fn({
          exec: async (sql) => {
            await tx.exec(sql)
          },
          query: async <Row>(sql: string) => (await tx.query<Row>(sql)).rows,
        }),
      ),
  }
}
