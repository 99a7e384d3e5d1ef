/** PostgreSQL through postgres.js, for the server when `DATABASE_URL` is set. */
import postgres from 'postgres'
import { drizzle } from 'drizzle-orm/postgres-js'
import * as schema from './schema'
import type { SqlRunner } from './migrate'
import type { Db } from './types'

export type PostgresClient = postgres.Sql

export function connectPostgres(url: string, options: { max?: number } = {}): PostgresClient {
  return postgres(url, {
    max: options.max ?? 10,
    onnotice: () => {},
    connect_timeout: 10,
  })
}

export function drizzlePostgres(client: PostgresClient): Db {
  return drizzle({ client, schema, casing: 'snake_case' }) as unknown as Db
}

/** Adapts postgres.js to the migrator's transaction interface. */
export function postgresRunner(client: PostgresClient): SqlRunner {
  return {
    transaction: async (fn) => {
      const result = await client.begin((tx) =>
        fn({
          // `.simple()` sends the text as is, so one call may hold several statements.
          exec: async (sql) => {
            await tx.unsafe(sql).simple()
          },
          query: async <Row>(sql: string) => (await tx.unsafe(sql)) as unknown as Row[],
        }),
      )
      return result as Awaited<ReturnType<typeof fn>>
    },
  }
}
