/**
 * Set types as data: the letters and numbers of a set table, the one way a normal set is stored,
 * and rows from before set types (and equipment) existed, as a device receives them from the
 * change log or plays them back from its undo log: images without the new keys.
 */
import { eq, sql } from 'drizzle-orm'
import { describe, expect, test } from 'vitest'
import * as s from '@/db/schema'
import { replicaTables } from '@/db/schema/registry'
import { testPglite } from '@/db/testing/pglite'
import { putRow } from '@/sync/client/replica'
import { defaultKgEquipment, defaultLbEquipment, equipmentOrDefault } from './equipment'
import { newId } from './ids'
import { readSetType, setColumnLabels, setTypeLetters, setTypes, storedSetType } from './set-types'
import { strengthActivity, world } from './testing/world'

describe('set types', () => {
  test('four types; warm-up, drop and failure show a letter, a normal set its number among the normal ones', () => {
    expect(setTypes).toEqual(['normal', 'warmup', 'drop', 'failure'])
    expect(setTypeLetters).toEqual({ normal: null, warmup: 'W', drop: 'D', failure: 'F' })
    expect(setColumnLabels(['warmup', 'warmup', 'normal', 'normal', 'failure', 'normal', 'drop'])).toEqual([
      'W',
      'W',
      '1',
      '2',
      'F',
      '3',
      'D',
    ])
    expect(setColumnLabels([])).toEqual([])
  })

  test('a normal set is stored as null, and null (or a type this version does not know) reads as normal', () => {
    expect(storedSetType('normal')).toBeNull()
    expect(storedSetType(undefined)).toBeNull()
    expect(storedSetType('warmup')).toBe('warmup')
    expect(readSetType(null)).toBe('normal')
    expect(readSetType(undefined)).toBe('normal')
    expect(readSetType('drop')).toBe('drop')
    expect(readSetType('cluster')).toBe('normal')
  })

  test('the database keeps one spelling of each type: "normal" and unknown names are refused', async () => {
    const w = world({ ...(await testPglite('server')), runtime: 'server' })
    try {
      const ann = await w.user('Ann')
      const squat = strengthActivity(ann.libraryId)
      await w.ok(ann.id, 'createActivity', squat.args)
      const insert = (setType: string | null) =>
        w.db.execute(
          sql`insert into entries (id, user_id, activity_id, performed_at, set_type) values (${newId()}, ${ann.id}, ${squat.ids.id}, now(), ${setType})`,
        )
      await insert(null)
      await insert('warmup')
      await expect(insert('normal')).rejects.toThrow()
      await expect(insert('cooldown')).rejects.toThrow()
    } finally {
      await w.close()
    }
  })
})

describe('rows from before the columns existed', () => {
  const table = (name: string) => replicaTables.find((t) => t.table === name)!

  test('[D2] an entry image without set_type applies on a device and is a normal set', async () => {
    const device = await testPglite('device')
    try {
      const id = newId()
      const image = {
        id,
        user_id: newId(),
        activity_id: newId(),
        parent_id: null,
        ordinal: 0,
        template_version: 1,
        performed_at: '2026-01-01T08:00:00+00:00',
        notes: '',
        created_at: '2026-01-01T08:00:00+00:00',
        updated_at: '2026-01-01T08:00:00+00:00',
      }
      await device.db.transaction((tx) => putRow(tx, table('entries'), image))
      const [row] = await device.db.select().from(s.entries).where(eq(s.entries.id, id))
      expect(row?.setType).toBeNull()
      expect(readSetType(row?.setType)).toBe('normal')
    } finally {
      await device.close()
    }
  })

  test('[D2] a settings image without equipment applies on a device and means the defaults for its mass unit', async () => {
    const device = await testPglite('device')
    try {
      const userId = newId()
      const image = {
        user_id: userId,
        mass_unit: 'lb',
        distance_unit: 'mi',
        week_starts_on: 1,
        storage_window_days: null,
        updated_at: '2026-01-01T08:00:00+00:00',
      }
      await device.db.transaction((tx) => putRow(tx, table('user_settings'), image))
      const [row] = await device.db.select().from(s.userSettings).where(eq(s.userSettings.userId, userId))
      expect(row?.equipment).toBeNull()
      expect(equipmentOrDefault(row?.equipment, row!.massUnit)).toEqual(defaultLbEquipment)
      expect(equipmentOrDefault(null, 'kg')).toEqual(defaultKgEquipment)
    } finally {
      await device.close()
    }
  })
})
