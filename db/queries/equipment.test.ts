/** The equipment a page reads: the defaults until the user stores some, for their mass unit. */
import { afterEach, beforeEach, expect, test } from 'vitest'
import { testPglite } from '@/db/testing/pglite'
import { defaultKgEquipment, defaultLbEquipment } from '@/domain/equipment'
import { world, type World } from '@/domain/testing/world'
import { equipmentOf } from './equipment'

let w: World
beforeEach(async () => {
  w = world({ ...(await testPglite('device')), runtime: 'device' })
})
afterEach(() => w.close())

test('the defaults for the mass unit until equipment is stored; null goes back to them', async () => {
  const ann = await w.user('Ann')
  expect(await equipmentOf(w.db, ann.id)).toEqual(defaultKgEquipment)
  await w.ok(ann.id, 'updateSettings', { massUnit: 'lb' })
  expect(await equipmentOf(w.db, ann.id)).toEqual(defaultLbEquipment)
  const home = { bars: [{ name: 'Home bar', weight: 15, unit: 'kg' as const }], plates: [{ weight: 10, unit: 'kg' as const, pairs: 2 }] }
  await w.ok(ann.id, 'updateSettings', { equipment: home })
  expect(await equipmentOf(w.db, ann.id)).toEqual(home)
  await w.ok(ann.id, 'updateSettings', { equipment: null })
  expect(await equipmentOf(w.db, ann.id)).toEqual(defaultLbEquipment)
})
