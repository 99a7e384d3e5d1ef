/**
 * The history page's reads (db/queries/history.ts) on the device's schema, where the page reads
 * them: a day's entries with the activities they use and the user's units, the days of a range
 * with training, and a re-dated workout read on its new day with its sets. Entries are logged
 * through the mutations, as the app logs them.
 */
import { afterEach, beforeEach, expect, test } from 'vitest'
import { testPglite } from '@/db/testing/pglite'
import { newId } from '@/domain/ids'
import { strengthSequence, world, type World } from '@/domain/testing/world'
import { historyWithActivities, trainingDays } from './history'

let w: World
let ann: { id: string; libraryId: string }
let workout: string
let squat: Awaited<ReturnType<typeof strengthSequence>>['child']
beforeEach(async () => {
  w = world({ ...(await testPglite('device')), runtime: 'device' })
  ann = await w.user('Ann')
  const legs = await strengthSequence(w, ann, 'Leg day', 2)
  squat = legs.child
  workout = newId()
  await w.ok(ann.id, 'logEntry', {
    entry: {
      id: workout,
      activityId: legs.id,
      performedAt: '2026-12-03T07:00:00.000Z',
      children: [100, 105].map((weight) => ({
        id: newId(),
        activityId: squat.ids.id,
        values: { [squat.ids.weight]: weight, [squat.ids.reps]: 5 },
      })),
    },
  })
  for (const performedAt of ['2026-12-03T18:00:00.000Z', '2026-12-09T18:00:00.000Z', '2026-11-30T18:00:00.000Z']) {
    await w.ok(ann.id, 'logEntry', { entry: { id: newId(), activityId: squat.ids.id, performedAt, values: { [squat.ids.reps]: 3 } } })
  }
})
afterEach(() => w.close())

const december = [new Date('2026-12-01T00:00:00Z'), new Date('2027-01-01T00:00:00Z')] as const

test('trainingDays: the roots of a range, oldest first, each a workout or a set on its own', async () => {
  expect(await trainingDays(w.db, ann.id, ...december)).toEqual([
    { performedAt: new Date('2026-12-03T07:00:00.000Z'), isWorkout: true },
    { performedAt: new Date('2026-12-03T18:00:00.000Z'), isWorkout: false },
    { performedAt: new Date('2026-12-09T18:00:00.000Z'), isWorkout: false },
  ])
  const bob = await w.user('Bob')
  expect(await trainingDays(w.db, bob.id, ...december)).toEqual([])
})

test('historyWithActivities: one day’s roots with their sets, every activity they use, the units', async () => {
  const day = await historyWithActivities(w.db, ann.id, { from: new Date('2026-12-03T00:00:00Z'), to: new Date('2026-12-04T00:00:00Z') })
  expect(day.roots.map((r) => r.activityName)).toEqual(['Squat', 'Leg day'])
  expect(day.children.get(workout)?.map((c) => day.values.get(c.id)?.get(squat.ids.weight)?.num)).toEqual([100, 105])
  expect([...day.activities.values()].map((a) => a.name).sort()).toEqual(['Leg day', 'Squat'])
  expect(day.units).toEqual({ massUnit: 'kg', distanceUnit: 'km' })
  expect((await historyWithActivities(w.db, ann.id)).roots).toHaveLength(4)
})

test('a re-dated workout is read on its new day, its sets with it, and no longer on the old one', async () => {
  await w.ok(ann.id, 'editEntry', { entryId: workout, performedAt: '2026-12-10T06:30:00.000Z' })
  expect((await trainingDays(w.db, ann.id, ...december)).map((d) => [d.performedAt.toISOString(), d.isWorkout])).toEqual([
    ['2026-12-03T18:00:00.000Z', false],
    ['2026-12-09T18:00:00.000Z', false],
    ['2026-12-10T06:30:00.000Z', true],
  ])
  const day = await historyWithActivities(w.db, ann.id, { from: new Date('2026-12-10T00:00:00Z'), to: new Date('2026-12-11T00:00:00Z') })
  expect(day.roots.map((r) => r.id)).toEqual([workout])
  expect(day.children.get(workout)?.map((c) => c.performedAt.toISOString())).toEqual([
    '2026-12-10T06:30:00.000Z',
    '2026-12-10T06:30:00.000Z',
  ])
})
