/**
 * Sync servers on the real PostgreSQL at TEST_DATABASE_URL (`*.pg.test.ts`). `postgresServer`
 * makes a fresh database and a server process over it; `anotherInstance` adds a second server
 * process on the same database, with its own connection pool and its own LISTEN connection, the
 * way two app servers behind a load balancer share one PostgreSQL.
 */
import { connectPostgres, drizzlePostgres, type PostgresClient } from '@/db/postgres'
import { testPostgres, type TestPostgres } from '@/db/testing/postgres'
import type { Listen } from '../live'
import { testServer, type TestServer } from './harness'

/** LISTEN through postgres.js, as `server/database.ts` does it for the app. */
export function postgresListen(client: PostgresClient): Listen {
  return async (channel, onNotify) => {
    const { unlisten } = await client.listen(channel, () => onNotify())
    return unlisten
  }
}

/** A sync server on a new database (dropped on close); `database` is that database's own client. */
export async function postgresServer({ max = 10 } = {}): Promise<{ server: TestServer; database: TestPostgres }> {
  const database = await testPostgres({ max })
  const server = await testServer({ db: database.db, listen: postgresListen(database.client), close: database.close })
  return { server, database }
}

/**
 * Another server process on `url`: a new pool, a new LISTEN, a new notifier. It never creates or
 * drops the database; close it before the instance that owns the database. Sessions live in the
 * shared database in the app; here the harness's tokens live in `primary`, so this instance asks
 * it who a token belongs to.
 */
export async function anotherInstance(primary: TestServer, url: string, { max = 10 } = {}): Promise<TestServer> {
  const client = connectPostgres(url, { max })
  const instance = await testServer({
    db: drizzlePostgres(client),
    listen: postgresListen(client),
    close: () => client.end({ timeout: 5 }),
  })
  instance.service.authenticate = primary.service.authenticate
  return instance
}
