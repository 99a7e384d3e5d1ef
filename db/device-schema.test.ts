import { sql } from 'drizzle-orm'
import { expect, test } from 'vitest'
import { getTableConfig } from 'drizzle-orm/pg-core'
import * as deviceSchema from './schema/device'
import * as serverSchema from './schema'
import { replicaTables, tablesIn } from './schema/registry'
import { migrate, SchemaTooNewError } from './migrate'
import { deviceMigrations } from './device/migrations.generated'
import { pgliteRunner } from './pglite'
import { rows } from './rows'
import { testPglite } from './testing/pglite'

const tableNames = (schema: Record<string, unknown>) =>
  tablesIn(schema)
    .map((t) => getTableConfig(t).name)
    .sort()

const serverOnly = [
  'accounts',
  'sessions',
  'verifications',
  'rate_limits',
  'media_blobs',
  'media_holders',
  'change_log',
  'mutation_results',
  'sync_state',
  'change_transactions',
]

test('the device schema is the synced tables plus local bookkeeping, and nothing server-only', async () => {
  const { db, close } = await testPglite('device')
  try {
    const tables = await rows<{ table_name: string }>(
      db,
      sql`select table_name from information_schema.tables where table_schema = 'public' order by table_name`,
    )
    const names = tables.map((t) => t.table_name)
    expect(names).toEqual(tableNames(deviceSchema))
    for (const table of serverOnly) expect(names).not.toContain(table)
    expect(names).toEqual(expect.arrayContaining(['local_outbox', 'local_rejections', 'local_sync_state']))
  } finally {
    await close()
  }
})

test('every synced table has a sync scope, and every server table is either synced or server-only', () => {
  const synced = replicaTables.map((t) => t.table).sort()
  const device = tableNames(deviceSchema).filter((n) => !n.startsWith('local_'))
  expect(synced).toEqual(device)
  expect(tableNames(serverSchema)).toEqual([...synced, ...serverOnly].sort())
})

test('the bundled device migrations apply to a new PGlite once, and refuse a newer database', async () => {
  const { pg, close } = await testPglite('device')
  try {
    expect(await migrate(pgliteRunner(pg), deviceMigrations)).toEqual([])
    await pg.exec(`insert into cadence_meta.migrations (tag, hash) values ('9999_next', 'x')`)
    await expect(migrate(pgliteRunner(pg), deviceMigrations)).rejects.toBeInstanceOf(SchemaTooNewError)
  } finally {
    await close()
  }
})

test('[D1] the device schema keeps keys and checks but no foreign keys: a device holds a partial replica', async () => {
  const { db, close } = await testPglite('device')
  try {
    const constraints = await rows<{ constraint_type: string; n: number }>(
      db,
      sql`select constraint_type, count(*)::int as n from information_schema.table_constraints
          where table_schema = 'public' group by constraint_type order by constraint_type`,
    )
    const byType = Object.fromEntries(constraints.map((c) => [c.constraint_type, c.n]))
    expect(byType['FOREIGN KEY']).toBeUndefined()
    expect(byType['PRIMARY KEY']).toBe(tableNames(deviceSchema).length)
    expect(byType['CHECK']).toBeGreaterThan(20)
  } finally {
    await close()
  }
})
