/** PostgreSQL through postgres.js, for the server when `DATABASE_URL` is set. */
import postgres from 'postgres'
import { drizzle } from 'drizzle-orm/postgres-js'
import * as schema from './schema'
import type { SqlRunner } from './migrate'
import type { Db } from './types'

export type PostgresClient = postgres.Sql

/**
 * What bounds every transaction on a server connection (SPEC A9): no statement runs longer
 * than `statementMs`, and a session that sits inside an open transaction for `idleInTransactionMs`
 * is ended by PostgreSQL, which rolls the transaction back and frees its connection and locks.
 * The server never waits on a client inside a transaction (a snapshot reads each page in its
 * own, SPEC N2), so an idle transaction is a fault; before these, one left open by a request
 * whose client went away held its connection for good.
 */
export const POSTGRES_TIMEOUTS = { statementMs: 60_000, idleInTransactionMs: 10_000 }

export type ConnectOptions = { max?: number } & Partial<typeof POSTGRES_TIMEOUTS>

/**
 * A pool on `url` whose every connection starts with the timeouts of {@link POSTGRES_TIMEOUTS}
 * (sent as startup parameters, so no query or transaction runs without them).
 */
export function connectPostgres(url: string, options: ConnectOptions = {}): PostgresClient {
  const { statementMs, idleInTransactionMs } = { ...POSTGRES_TIMEOUTS, ...options }
  return postgres(url, {
    max: options.max ?? 10,
    onnotice: () => {},
    connect_timeout: 10,
    connection: {
      statement_timeout: statementMs,
      idle_in_transaction_session_timeout: idleInTransactionMs,
    },
  })
}

export function drizzlePostgres(client: PostgresClient): Db {
  return drizzle({ client, schema, casing: 'snake_case' }) as unknown as Db
}

/**
 * Adapts postgres.js to the migrator's transaction interface. A migration may rewrite a large
 * table, and waits for another instance's migrations on their lock: its transaction alone runs
 * without the statement limit.
 */
export function postgresRunner(client: PostgresClient): SqlRunner {
  return {
    transaction: async (fn) => {
      const result = await client.begin(async (tx) => {
        await tx.unsafe('set local statement_timeout = 0')
        return fn({
          // `.simple()` sends the text as is, so one call may hold several statements.
          exec: async (sql) => {
            await tx.unsafe(sql).simple()
          },
          query: async <Row>(sql: string) => (await tx.unsafe(sql)) as unknown as Row[],
        })
      })
      return result as Awaited<ReturnType<typeof fn>>
    },
  }
}
