/**
 * Test databases on the real PostgreSQL at TEST_DATABASE_URL. Each call creates its own
 * database (the server keeps data between runs) and drops it on close.
 */
import postgres from 'postgres'
import { migrate } from '../migrate'
import { serverMigrations } from '../migrations.generated'
import { connectPostgres, drizzlePostgres, postgresRunner, type PostgresClient } from '../postgres'
import type { Db } from '../types'

export function testDatabaseUrl(): string {
  const url = process.env.TEST_DATABASE_URL
  if (!url) throw new Error('TEST_DATABASE_URL is not set; *.pg.test.ts need PostgreSQL')
  return url
}

export type TestPostgres = { url: string; client: PostgresClient; db: Db; close(): Promise<void> }

/** A new empty database on the test server; `migrated: false` leaves it without tables. */
export async function testPostgres({
  migrated = true,
  max = 10,
  baseUrl = testDatabaseUrl(),
  prefix = 'cadence_test',
} = {}): Promise<TestPostgres> {
  const admin = postgres(baseUrl, { max: 1, onnotice: () => {} })
  const name = `${prefix}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`
  await admin.unsafe(`create database ${name}`)
  const url = new URL(baseUrl)
  url.pathname = `/${name}`
  const client = connectPostgres(url.toString(), { max })
  if (migrated) await migrate(postgresRunner(client), serverMigrations)
  return {
    url: url.toString(),
    client,
    db: drizzlePostgres(client),
    close: async () => {
      await client.end({ timeout: 5 })
      await admin.unsafe(`drop database if exists ${name} with (force)`)
      await admin.end({ timeout: 5 })
    },
  }
}
