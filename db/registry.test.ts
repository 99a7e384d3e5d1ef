/**
 * The sync registry (SPEC L6): a synced table is one `syncScope` declaration beside its Drizzle
 * table, and every trigger, list and delete order that must agree with it is derived. The
 * fixture test declares a table that exists nowhere else, renders its migration with drizzle-kit
 * (what `npm run db:generate` runs) and the registry's triggers, and checks on a server and a
 * device database that it is captured, copied on a grant, recorded for undo and notified, with
 * no other edit anywhere.
 */
import { readFileSync } from 'node:fs'
import { generateDrizzleJson, generateMigration } from 'drizzle-kit/api'
import { getTableConfig, pgTable, text, uuid } from 'drizzle-orm/pg-core'
import { describe, expect, test } from 'vitest'
import { newId } from '@/domain/ids'
import * as syncedSchema from './schema/synced'
import { libraries } from './schema/libraries'
import { mutationResults } from './schema/sync'
import { libraryDeletionOf, localTables, registerSyncTables, registry, replicaTables, tablesIn } from './schema/registry'
import { syncScope } from './schema/sync-scope'
import { migrationText, renderDeviceSyncTriggers, renderServerSyncTriggers } from './sync-triggers'
import { testPglite } from './testing/pglite'

const fixtureNotes = pgTable('fixture_notes', {
  id: uuid().primaryKey(),
  libraryId: uuid()
    .notNull()
    .references(() => libraries.id, { onDelete: 'cascade' }),
  body: text().notNull(),
})
syncScope(fixtureNotes, 'library', fixtureNotes.libraryId)

const withFixture = registerSyncTables([...tablesIn(syncedSchema), mutationResults, fixtureNotes])

/** The fixture table's CREATE statements, as drizzle-kit writes them into a migration. */
async function fixtureMigration(device: boolean): Promise<string[]> {
  const statements = await generateMigration(
    generateDrizzleJson({}),
    generateDrizzleJson({ fixtureNotes }, undefined, undefined, 'snake_case'),
  )
  // The device keeps no foreign keys (D1; scripts/bundle-migrations.mjs drops them the same way).
  return device ? statements.filter((s) => !/FOREIGN KEY/.test(s)) : statements
}

describe('the registry', () => {
  test('[L6] names, keys and scope columns come from the Drizzle tables', () => {
    const entryValues = registry.find((t) => t.table === 'entry_values')
    expect(entryValues).toMatchObject({ scope: 'user', column: 'user_id', key: ['entry_id', 'attribute_id'] })
    expect(registry.find((t) => t.table === 'mutation_results')).toMatchObject({ scope: 'device', column: 'device_id' })
    expect(replicaTables.map((t) => t.table)).not.toContain('mutation_results')
    expect(registry.map((t) => t.table).sort()).toEqual(
      [...tablesIn(syncedSchema).map((t) => getTableConfig(t).name), 'mutation_results'].sort(),
    )
  })

  test('[L6] tables come parents first, so a copy or an apply never meets a child before its parent', () => {
    const position = new Map(registry.map((t, i) => [t.table, i]))
    for (const table of registry) {
      for (const parent of table.parents) {
        if (position.has(parent)) expect(position.get(parent)!, `${parent} before ${table.table}`).toBeLessThan(position.get(table.table)!)
      }
    }
  })

  test('[L6] a synced table without a scope declaration is refused', () => {
    const undeclared = pgTable('undeclared', { id: uuid().primaryKey() })
    expect(() => registerSyncTables([undeclared])).toThrow(/declares no scope/)
  })

  test('[L6] the device clear lists hold every local table, and the tabs hear the ones the status reads', () => {
    expect(localTables.map((t) => t.table)).toEqual([
      'local_edit_claims',
      'local_media_cache',
      'local_media_settings',
      'local_outbox',
      'local_rejections',
      'local_replaced_edits',
      'local_sync_state',
      'local_undo',
      'local_uploads',
      'local_write_tokens',
    ])
    expect(localTables.filter((t) => t.notify).map((t) => t.table)).toEqual([
      'local_outbox',
      'local_rejections',
      'local_sync_state',
      'local_uploads',
    ])
  })

  test('[S1] deleting a library deletes the rows that cascade from it first, then its tables children first, the library last', () => {
    const steps = libraryDeletionOf(registry).map(
      (s) => `${getTableConfig(s.table).name}${s.via ? ` via ${getTableConfig(s.via.table).name}` : ''}`,
    )
    expect(steps.slice(0, 3).sort()).toEqual(['activity_records via activities', 'goals via activities', 'goals via attributes'])
    expect(steps.at(-1)).toBe('libraries')
    expect(steps.indexOf('attribute_options')).toBeLessThan(steps.indexOf('attributes'))
    expect(steps.indexOf('attributes')).toBeLessThan(steps.indexOf('activities'))
  })
})

test('[L6] the committed trigger migrations are the rendering of the registry (npm run db:generate writes them)', () => {
  const lastTriggers = (folder: string) => {
    const journal = JSON.parse(readFileSync(`${folder}/meta/_journal.json`, 'utf8')) as { entries: { tag: string }[] }
    const tag = journal.entries.findLast((e) => e.tag.endsWith('_sync_triggers'))?.tag
    return tag ? readFileSync(`${folder}/${tag}.sql`, 'utf8') : null
  }
  expect(lastTriggers('db/migrations')).toBe(migrationText(renderServerSyncTriggers(registry)))
  expect(lastTriggers('db/device/migrations')).toBe(migrationText(renderDeviceSyncTriggers(replicaTables, localTables)))
})

describe('[L6] adding a synced table is one declaration plus db:generate', () => {
  test('the server captures its rows in their scope and copies them to a new member', async () => {
    const { pg, close } = await testPglite('server')
    try {
      for (const statement of [...(await fixtureMigration(false)), ...renderServerSyncTriggers(withFixture)]) await pg.exec(statement)
      const [ann, bob, library, note] = [newId(), newId(), newId(), newId()]
      await pg.query(`insert into users (id, name, email) values ($1, 'Ann', 'ann@example.com'), ($2, 'Bob', 'bob@example.com')`, [
        ann,
        bob,
      ])
      await pg.query(`insert into libraries (id, owner_id, name) values ($1, $2, 'Shared')`, [library, ann])
      await pg.query(`insert into fixture_notes (id, library_id, body) values ($1, $2, 'hello')`, [note, library])
      const captured = await pg.query<{ scope: string; kind: string; key: unknown; row: { body: string } }>(
        `select scope, kind, key, row from change_log where table_name = 'fixture_notes'`,
      )
      expect(captured.rows).toEqual([
        { scope: `library:${library}`, kind: 'insert', key: { id: note }, row: expect.objectContaining({ body: 'hello' }) },
      ])

      await pg.query(`insert into library_members (library_id, user_id, role) values ($1, $2, 'viewer')`, [library, bob])
      const copied = await pg.query<{ key: unknown }>(`select key from change_log where table_name = 'fixture_notes' and scope = $1`, [
        `user:${bob}`,
      ])
      expect(copied.rows).toEqual([{ key: { id: note } }])

      const steps = libraryDeletionOf(withFixture).map((s) => getTableConfig(s.table).name)
      expect(steps.indexOf('fixture_notes')).toBeLessThan(steps.indexOf('libraries'))
    } finally {
      await close()
    }
  })

  test('the device records its before-images for undo, notifies the tabs', async () => {
    const { pg, close } = await testPglite('device')
    try {
      const replica = withFixture.filter((t) => t.scope !== 'device')
      expect(replica.map((t) => t.table)).toContain('fixture_notes')
      for (const statement of [...(await fixtureMigration(true)), ...renderDeviceSyncTriggers(replica, localTables)])
        await pg.exec(statement)
      const heard: string[] = []
      await pg.listen('cadence_local', (table) => heard.push(table))
      const note = newId()
      await pg.transaction(async (tx) => {
        await tx.query(`select set_config('cadence.recording', 'on', true)`)
        await tx.query(`insert into fixture_notes (id, library_id, body) values ($1, $2, 'offline')`, [note, newId()])
      })
      const undo = await pg.query<{ table_name: string; key: unknown; before: unknown }>(`select table_name, key, before from local_undo`)
      expect(undo.rows).toEqual([{ table_name: 'fixture_notes', key: { id: note }, before: null }])
      await expect.poll(() => heard).toContain('fixture_notes')
    } finally {
      await close()
    }
  })
})
