/**
 * The schema contract: what every server database Cadence runs on must do, whatever the
 * driver. `db/schema.test.ts` runs it on PGlite and `db/schema.pg.test.ts` on PostgreSQL, so the
 * embedded default and production cannot drift apart.
 */
import { eq, inArray, sql } from 'drizzle-orm'
import { getTableConfig } from 'drizzle-orm/pg-core'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { MigrationEditedError, SchemaTooNewError, migrate, type SqlRunner } from '../migrate'
import { serverMigrations } from '../migrations.generated'
import { insertRows, rows } from '../rows'
import * as s from '../schema'
import { tablesIn } from '../schema/registry'
import type { Db } from '../types'
import { newId } from '@/domain/ids'

export type ContractDb = { db: Db; runner: SqlRunner; close(): Promise<void> }

/** Every table of the server schema, by SQL name: what the migrations must create. */
export const domainTables = tablesIn(s).map((table) => getTableConfig(table).name)

/** Resolves when `promise` fails because of the named constraint. */
export async function expectViolation(promise: Promise<unknown>, constraint: string) {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error, `expected a violation of ${constraint}`).toBeDefined()
  const text = [error, (error as { cause?: unknown }).cause].map((e) => (e instanceof Error ? e.message : String(e))).join(' | ')
  expect(text).toContain(constraint)
}

export function schemaContract(name: string, open: () => Promise<ContractDb>) {
  describe(`schema contract on ${name}`, () => {
    let h: ContractDb
    let db: Db
    beforeEach(async () => {
      h = await open()
      db = h.db
    })
    afterEach(async () => {
      await h.close()
    })

    async function user(label = 'ann') {
      const id = newId()
      await db.insert(s.users).values({ id, name: label, email: `${label}-${id}@example.com` })
      return id
    }
    async function library(ownerId: string, isDefault = false) {
      const id = newId()
      await db.insert(s.libraries).values({ id, ownerId, name: 'Lib', isDefault })
      return id
    }
    async function activity(libraryId: string, kind: 'scalar' | 'sequence' = 'scalar') {
      const id = newId()
      await db.insert(s.activities).values({ id, libraryId, name: 'Squat', kind, originId: id })
      return id
    }
    async function libraryOf(activityId: string) {
      const [row] = await db.select({ libraryId: s.activities.libraryId }).from(s.activities).where(eq(s.activities.id, activityId))
      return row!.libraryId
    }

    test('has every table of the domain, at least 20', async () => {
      const tables = await rows<{ table_name: string }>(
        db,
        sql`select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`,
      )
      const names = tables.map((r) => r.table_name).sort()
      expect(names).toEqual([...domainTables].sort())
      expect(names.length).toBeGreaterThanOrEqual(20)
    })

    test('migrating an up-to-date database applies nothing', async () => {
      expect(await migrate(h.runner, serverMigrations)).toEqual([])
    })

    test('refuses a database written by a newer Cadence and leaves it untouched', async () => {
      await db.execute(sql`insert into cadence_meta.migrations (tag, hash) values ('9999_from_the_future', 'x')`)
      const error = await migrate(h.runner, serverMigrations).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(SchemaTooNewError)
      expect((error as Error).message).toMatch(/newer version of Cadence.*9999_from_the_future/)
      const count = await rows<{ n: number }>(db, sql`select count(*)::int as n from cadence_meta.migrations`)
      expect(count[0]?.n).toBe(serverMigrations.length + 1)
    })

    test('refuses a database whose applied migration was edited since', async () => {
      const first = serverMigrations[0]!
      await db.execute(sql`update cadence_meta.migrations set hash = 'edited' where tag = ${first.tag}`)
      await expect(migrate(h.runner, serverMigrations)).rejects.toBeInstanceOf(MigrationEditedError)
    })

    test('a user has at most one default library', async () => {
      const ann = await user()
      await library(ann, true)
      await library(ann, false)
      await expectViolation(library(ann, true), 'libraries_one_default_per_owner')
    })

    test('names may not be blank and kinds, roles and types are closed sets', async () => {
      const ann = await user()
      const lib = await library(ann)
      await expectViolation(db.insert(s.libraries).values({ id: newId(), ownerId: ann, name: '  ' }), 'libraries_name_not_blank')
      const id = newId()
      await expectViolation(
        db.execute(sql`insert into activities (id, library_id, name, kind, origin_id) values (${id}, ${lib}, 'Run', 'loop', ${id})`),
        'activities_kind_valid',
      )
      const bob = await user('bob')
      await expectViolation(
        db.execute(sql`insert into library_members (library_id, user_id, role) values (${lib}, ${bob}, 'admin')`),
        'library_members_role_valid',
      )
    })

    test('an attribute stores its canonical unit and keeps its ordinal unique', async () => {
      const lib = await library(await user())
      const act = await activity(lib)
      await db
        .insert(s.attributes)
        .values({ id: newId(), activityId: act, libraryId: lib, name: 'Weight', type: 'mass', unit: 'kg', ordinal: 0 })
      await expectViolation(
        db
          .insert(s.attributes)
          .values({ id: newId(), activityId: act, libraryId: lib, name: 'Load', type: 'mass', unit: 'lb', ordinal: 1 }),
        'attributes_unit_matches_type',
      )
      await expectViolation(
        db.insert(s.attributes).values({ id: newId(), activityId: act, libraryId: lib, name: 'Reps', type: 'integer', ordinal: 0 }),
        'attributes_activity_ordinal_unique',
      )
    })

    test('an entry value holds exactly one value', async () => {
      const ann = await user()
      const act = await activity(await library(ann))
      const attr = newId()
      await db
        .insert(s.attributes)
        .values({ id: attr, activityId: act, libraryId: await libraryOf(act), name: 'Reps', type: 'integer', ordinal: 0 })
      const entry = newId()
      await db.insert(s.entries).values({ id: entry, userId: ann, activityId: act, performedAt: new Date() })
      const value = { entryId: entry, attributeId: attr, userId: ann }
      await expectViolation(db.insert(s.entryValues).values({ ...value, num: 5, text: 'five' }), 'entry_values_exactly_one_value')
      await expectViolation(db.insert(s.entryValues).values(value), 'entry_values_exactly_one_value')
      await db.insert(s.entryValues).values({ ...value, num: 5 })
    })

    test('the database refuses to re-type, re-order or remove an attribute that has values', async () => {
      const ann = await user()
      const lib = await library(ann)
      const act = await activity(lib)
      const weight = newId()
      const note = newId()
      await db.insert(s.attributes).values([
        { id: weight, activityId: act, libraryId: lib, name: 'Weight', type: 'mass', unit: 'kg', ordinal: 0 },
        { id: note, activityId: act, libraryId: lib, name: 'Note', type: 'text', ordinal: 1 },
      ])
      const entry = newId()
      await db.insert(s.entries).values({ id: entry, userId: ann, activityId: act, performedAt: new Date() })
      await db.insert(s.entryValues).values({ entryId: entry, attributeId: weight, userId: ann, num: 100 })

      await expectViolation(
        db.update(s.attributes).set({ type: 'number', unit: null }).where(eq(s.attributes.id, weight)),
        'attribute "Weight" cannot change type from mass to number',
      )
      await expectViolation(
        db.update(s.attributes).set({ ordinal: 5 }).where(eq(s.attributes.id, weight)),
        'attribute "Weight" cannot move from position 0 to 5',
      )
      await expectViolation(
        db.delete(s.attributes).where(eq(s.attributes.id, weight)),
        'attribute "Weight" cannot be removed: entries hold values for it; retire it instead',
      )
      // Renaming and retiring are allowed, and so is removing an attribute nobody has used.
      await db.update(s.attributes).set({ name: 'Load', retiredAt: new Date() }).where(eq(s.attributes.id, weight))
      await db.delete(s.attributes).where(eq(s.attributes.id, note))
    })

    test('deleting a parent entry deletes its whole subtree', async () => {
      const ann = await user()
      const lib = await library(ann)
      const workout = await activity(lib, 'sequence')
      const squat = await activity(lib)
      const root = newId()
      const exercise = newId()
      const set = newId()
      const performedAt = new Date()
      await db.insert(s.entries).values([
        { id: root, userId: ann, activityId: workout, performedAt },
        { id: exercise, userId: ann, activityId: squat, parentId: root, performedAt },
        { id: set, userId: ann, activityId: squat, parentId: exercise, ordinal: 0, performedAt },
      ])
      await db.delete(s.entries).where(eq(s.entries.id, root))
      expect(await db.select().from(s.entries)).toEqual([])
    })

    test('an activity in use by an entry cannot be hard-deleted', async () => {
      const ann = await user()
      const act = await activity(await library(ann))
      await db.insert(s.entries).values({ id: newId(), userId: ann, activityId: act, performedAt: new Date() })
      await expectViolation(db.delete(s.activities).where(eq(s.activities.id, act)), 'entries_activity_id_activities_id_fk')
    })

    test('a copy records its provenance completely or not at all', async () => {
      const lib = await library(await user())
      const id = newId()
      await expectViolation(
        db.insert(s.activities).values({ id, libraryId: lib, name: 'Copy', kind: 'scalar', originId: id, copiedFromId: newId() }),
        'activities_copy_provenance_complete',
      )
    })

    test('the change log stamps the writing transaction id, ordered within the transaction by op', async () => {
      const written = await db.transaction(async (tx) => {
        await tx.insert(s.changeLog).values([
          { op: 0, scope: 'user:x', tableName: 'entries', kind: 'insert', key: { id: 'a' }, row: { id: 'a' } },
          { op: 1, scope: 'user:x', tableName: 'entries', kind: 'delete', key: { id: 'a' } },
        ])
        const current = await rows<{ tx: string }>(tx, sql`select pg_current_xact_id()::text as tx`)
        return { current: current[0]?.tx, log: await tx.select().from(s.changeLog) }
      })
      expect(written.log.map((r) => [r.tx, r.op])).toEqual([
        [written.current, 0],
        [written.current, 1],
      ])
    })

    test('insertRows writes what insert().values() writes: defaults, times, nulls, numbers, text, JSON', async () => {
      const ann = await user()
      const lib = await library(ann, true)
      const act = await activity(lib)
      const [weight, done] = [newId(), newId()]
      await db.insert(s.attributes).values([
        { id: weight, activityId: act, libraryId: lib, name: 'Weight', type: 'number', ordinal: 0 },
        { id: done, activityId: act, libraryId: lib, name: 'Done', type: 'boolean', ordinal: 1 },
      ])
      const at = new Date('2026-03-04T05:06:07.089Z')
      // A root that leaves its defaults out, then a child of another shape that names its parent:
      // two statements, in order (the child's foreign key needs the root first).
      const tree = (root: string, child: string) => ({
        entries: [
          { id: root, userId: ann, activityId: act, performedAt: at },
          {
            id: child,
            userId: ann,
            activityId: act,
            parentId: root,
            ordinal: 3,
            performedAt: at,
            notes: `it's "heavy" — 雪 \\ {"a":1}`,
            setType: null,
            importRow: undefined,
          },
        ],
        values: [
          { entryId: child, attributeId: weight, userId: ann, num: 0.1 + 0.2 },
          { entryId: root, attributeId: weight, userId: ann, num: -1e-300 },
          { entryId: root, attributeId: done, userId: ann, bool: false },
        ],
      })
      const [drizzleTree, jsonTree] = [tree(newId(), newId()), tree(newId(), newId())]
      await db.transaction(async (tx) => {
        await tx.insert(s.entries).values(drizzleTree.entries[0]!)
        await tx.insert(s.entries).values(drizzleTree.entries[1]!)
        await tx.insert(s.entryValues).values(drizzleTree.values)
        await insertRows(tx, s.entries, jsonTree.entries)
        await insertRows(tx, s.entryValues, jsonTree.values)
      })
      const read = async (t: ReturnType<typeof tree>) => {
        const ids = t.entries.map((e) => e.id)
        const es = await db.select().from(s.entries).where(inArray(s.entries.id, ids))
        const vs = await db.select().from(s.entryValues).where(inArray(s.entryValues.entryId, ids))
        const local = (id: string | null) => (id === null ? null : ids.indexOf(id))
        return {
          entries: es.map((e) => ({ ...e, id: local(e.id), parentId: local(e.parentId) })).sort((a, b) => a.id! - b.id!),
          values: vs
            .map((v) => ({ ...v, entryId: local(v.entryId) }))
            .sort((a, b) => a.entryId! - b.entryId! || a.attributeId.localeCompare(b.attributeId)),
        }
      }
      const [byDrizzle, byJson] = [await read(drizzleTree), await read(jsonTree)]
      expect(byJson).toEqual(byDrizzle)
      expect(byJson.entries[0]).toMatchObject({ ordinal: 0, notes: '', templateVersion: 1, performedAt: at, importRow: null })
      expect(byJson.values.map((v) => v.num ?? v.bool)).toEqual(expect.arrayContaining([0.1 + 0.2, -1e-300, false]))

      // A JSON column keeps the value as JSON, a string that looks like JSON included.
      const image = { id: 'x', n: 1.5, s: '{"not":"parsed"}', nested: [null, true, { deep: 'é' }] }
      await insertRows(db, s.changeLog, [{ op: 0, scope: 'user:x', tableName: 'entries', kind: 'insert', key: { id: 'x' }, row: image }])
      const [logged] = await db.select().from(s.changeLog).where(eq(s.changeLog.scope, 'user:x'))
      expect(logged).toMatchObject({ key: { id: 'x' }, row: image })
    })

    test('insertRows writes a run longer than one statement takes (5,000 rows)', async () => {
      const ann = await user()
      const many = Array.from({ length: 5001 }, (_, i) => ({ id: newId(), userId: ann, name: `tag ${i}` }))
      await insertRows(db, s.tags, many)
      const [counted] = await rows<{ n: number }>(db, sql`select count(*)::int as n from tags where user_id = ${ann}`)
      expect(counted?.n).toBe(5001)
    })

    test('insertRows refuses a column the table does not have, and writes nothing for no rows', async () => {
      await insertRows(db, s.users, [])
      await expect(insertRows(db, s.users, [{ id: newId(), name: 'x', email: 'x@example.com', shoeSize: 9 } as never])).rejects.toThrow(
        /users has no column shoeSize/,
      )
      expect(await db.select().from(s.users)).toEqual([])
    })

    test('deleting a user removes everything they own', async () => {
      const ann = await user()
      const act = await activity(await library(ann, true))
      await db.insert(s.entries).values({ id: newId(), userId: ann, activityId: act, performedAt: new Date() })
      await db.insert(s.userSettings).values({ userId: ann })
      await db.delete(s.users).where(eq(s.users.id, ann))
      for (const table of [s.libraries, s.activities, s.entries, s.userSettings]) {
        expect(await db.select().from(table)).toEqual([])
      }
    })
  })
}
