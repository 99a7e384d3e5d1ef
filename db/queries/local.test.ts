/**
 * The device-side read queries the pages use (history, activity details, progress series), on
 * a device-schema PGlite filled through the shared mutations.
 */
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { testPglite } from '@/db/testing/pglite'
import { newId } from '@/domain/ids'
import { strengthActivity, strengthSequence, world, type World } from '@/domain/testing/world'
import { fieldText, parseField, valueText } from '@/components/value-text'
import { devices } from '@/db/schema'
import { defaultDisplayUnits } from '@/domain/units'
import { accountDevices, activityInfo, activityInfos, attributeSeries, history, lastEntry } from './local'

let w: World
let ann: { id: string; libraryId: string }
beforeEach(async () => {
  w = world({ ...(await testPglite('device')), runtime: 'device' })
  ann = await w.user('Ann')
})
afterEach(() => w.close())

const day = (d: number) => new Date(Date.UTC(2026, 0, d, 18)).toISOString()

describe('activityInfos', () => {
  test('reads many activities with their attributes in order, and leaves out ids not on the device', async () => {
    const squat = strengthActivity(ann.libraryId, 'Squat')
    const bench = strengthActivity(ann.libraryId, 'Bench')
    await w.ok(ann.id, 'createActivity', squat.args)
    await w.ok(ann.id, 'createActivity', bench.args)
    await w.ok(ann.id, 'retireAttribute', { attributeId: bench.ids.grip, retired: true })

    const infos = await activityInfos(w.db, [squat.ids.id, bench.ids.id, newId(), squat.ids.id])
    expect([...infos.keys()].sort()).toEqual([squat.ids.id, bench.ids.id].sort())
    expect(infos.get(squat.ids.id)!.attributes.map((a) => a.name)).toEqual(['Weight', 'Reps', 'Grip'])
    expect(infos.get(bench.ids.id)!.attributes.map((a) => [a.name, a.retired])).toEqual([
      ['Weight', false],
      ['Reps', false],
      ['Grip', true],
    ])
    expect(await activityInfos(w.db, [])).toEqual(new Map())
    expect(await activityInfo(w.db, newId())).toBeUndefined()
    expect((await activityInfo(w.db, squat.ids.id))?.name).toBe('Squat')
  })
})

describe('history', () => {
  test('roots newest first, each workout with its sets in order and every value', async () => {
    const { id: legs, child: squat } = await strengthSequence(w, ann, 'Legs', 3)
    const workout = newId()
    const sets = [newId(), newId(), newId()]
    await w.ok(ann.id, 'logEntry', {
      entry: {
        id: workout,
        activityId: legs,
        performedAt: day(2),
        children: sets.map((id, i) => ({
          id,
          activityId: squat.ids.id,
          values: { [squat.ids.weight]: 100 + i * 10, [squat.ids.reps]: 5 },
        })),
      },
    })
    const single = newId()
    await w.ok(ann.id, 'logEntry', {
      entry: { id: single, activityId: squat.ids.id, performedAt: day(3), values: { [squat.ids.reps]: 12 } },
    })
    const older = newId()
    await w.ok(ann.id, 'logEntry', { entry: { id: older, activityId: squat.ids.id, performedAt: day(1), values: { [squat.ids.reps]: 8 } } })

    const h = await history(w.db, ann.id)
    expect(h.roots.map((r) => [r.id, r.activityName])).toEqual([
      [single, 'Squat'],
      [workout, 'Legs'],
      [older, 'Squat'],
    ])
    expect(h.children.get(workout)!.map((c) => c.id)).toEqual(sets)
    expect(sets.map((id) => h.values.get(id)!.get(squat.ids.weight)!.num)).toEqual([100, 110, 120])
    expect(h.values.get(single)!.get(squat.ids.reps)!.num).toBe(12)

    const latest = await history(w.db, ann.id, { limit: 1 })
    expect(latest.roots.map((r) => r.id)).toEqual([single])
    expect(latest.children.size).toBe(0)
  })

  test('a choice value reads back as its option: history names the label, the field holds the option and saves it again', async () => {
    const squat = strengthActivity(ann.libraryId, 'Squat')
    await w.ok(ann.id, 'createActivity', squat.args)
    const entry = newId()
    await w.ok(ann.id, 'logEntry', {
      entry: {
        id: entry,
        activityId: squat.ids.id,
        performedAt: day(1),
        values: { [squat.ids.reps]: 5, [squat.ids.grip]: squat.ids.narrow },
      },
    })
    const grip = (await activityInfo(w.db, squat.ids.id))!.attributes.find((a) => a.id === squat.ids.grip)!
    expect(grip.options.map((o) => o.label)).toEqual(['Wide', 'Narrow'])

    const stored = (await history(w.db, ann.id)).values.get(entry)!.get(squat.ids.grip)!
    expect(stored.optionId).toBe(squat.ids.narrow)
    expect(valueText(grip, stored, defaultDisplayUnits)).toBe('Narrow')
    // The form field holds the option, and what it holds is a value logEntry takes.
    const text = fieldText(grip, stored, defaultDisplayUnits)
    expect(text).toBe(squat.ids.narrow)
    expect(parseField(grip, text, defaultDisplayUnits)).toBe(squat.ids.narrow)
    expect((await lastEntry(w.db, ann.id, squat.ids.id))!.values.get(squat.ids.grip)!.optionId).toBe(squat.ids.narrow)
  })

  test('an empty log has an empty history', async () => {
    const h = await history(w.db, ann.id)
    expect(h.roots).toEqual([])
  })
})

describe('attributeSeries', () => {
  test('follows an attribute over the activity and its copies, oldest first', async () => {
    const squat = strengthActivity(ann.libraryId, 'Squat')
    await w.ok(ann.id, 'createActivity', squat.args)
    const copy = newId()
    await w.ok(ann.id, 'addActivityToLibrary', { id: copy, sourceActivityId: squat.ids.id, libraryId: ann.libraryId })
    const copied = (await activityInfo(w.db, copy))!
    const reps = copied.attributes.find((a) => a.name === 'Reps')!
    await w.ok(ann.id, 'logEntry', {
      entry: { id: newId(), activityId: squat.ids.id, performedAt: day(2), values: { [squat.ids.reps]: 5 } },
    })
    await w.ok(ann.id, 'logEntry', { entry: { id: newId(), activityId: copy, performedAt: day(1), values: { [reps.id]: 3 } } })

    const series = await attributeSeries(w.db, ann.id, squat.ids.id, reps.ordinal)
    expect(series.map((p) => p.value)).toEqual([3, 5])
  })
})

describe('accountDevices', () => {
  test("lists the user's devices, most recently seen first, and nobody else's", async () => {
    const bob = await w.user('Bob')
    const [phone, laptop, bobs] = [newId(), newId(), newId()]
    await w.db.insert(devices).values([
      { id: phone, userId: ann.id, name: 'Phone', lastSeenAt: new Date(day(1)) },
      { id: laptop, userId: ann.id, name: 'Laptop', lastSeenAt: new Date(day(2)) },
      { id: bobs, userId: bob.id, name: 'Phone', lastSeenAt: new Date(day(3)) },
    ])
    expect((await accountDevices(w.db, ann.id)).map((d) => d.id)).toEqual([laptop, phone])
  })
})
