/**
 * The mutations refuse what the forms refuse (domain/bounds.ts), on both runtimes: a value past
 * its plausible bound, and an entry with nothing filled in (logEntry, editEntry). Each case runs
 * on a PGlite with the server's schema and one with the device's; the last test pushes, as an
 * older device would, a queued mutation that is now out of bounds, and reads the server's reason.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { testPglite } from '@/db/testing/pglite'
import { pgliteServer } from '@/sync/server/testing/pglite'
import { newId } from './ids'
import { strengthActivity, world, type World } from './testing/world'

for (const runtime of ['server', 'device'] as const) {
  describe(`PGlite (${runtime} schema)`, () => {
    let w: World
    let ann: { id: string; libraryId: string }
    let squat: ReturnType<typeof strengthActivity>
    let workoutId: string
    const rpeId = newId()
    beforeAll(async () => {
      w = world({ ...(await testPglite(runtime)), runtime })
      ann = await w.user('Ann')
      squat = strengthActivity(ann.libraryId, 'Squat')
      squat.args.attributes.push({ id: rpeId, name: 'RPE', type: 'number' })
      await w.ok(ann.id, 'createActivity', squat.args)
      workoutId = newId()
      await w.ok(ann.id, 'createActivity', {
        id: workoutId,
        libraryId: ann.libraryId,
        name: 'Leg day',
        kind: 'sequence',
        items: [{ id: newId(), childId: squat.ids.id, repeat: 3 }],
      })
    }, 60_000)
    afterAll(() => w.close())

    const log = (values: Record<string, number | string | boolean>, extra: object = {}) =>
      w.run(ann.id, 'logEntry', {
        entry: { id: newId(), activityId: squat.ids.id, performedAt: new Date().toISOString(), values, ...extra },
      })

    test('a value past its bound is refused with the bound in words; one at the bound is stored', async () => {
      const reps = squat.ids.reps
      expect(await log({ [squat.ids.weight]: 1e12, [reps]: 5 })).toMatchObject({
        status: 'rejected',
        code: 'invalid_args',
        message: 'Weight must be at most 1,000 kg; got 1000000000000.',
      })
      expect(await log({ [reps]: 1e9 })).toMatchObject({ status: 'rejected', message: 'Reps must be at most 1,000; got 1000000000.' })
      expect(await log({ [reps]: 5, [rpeId]: 15 })).toMatchObject({
        status: 'rejected',
        message: 'RPE must be from 1 to 10, in halves (such as 7.5); got 15.',
      })
      expect(await log({ [reps]: 5, [rpeId]: 7.3 })).toMatchObject({ status: 'rejected' })
      expect(await log({ [squat.ids.weight]: -20, [reps]: 5 })).toMatchObject({
        status: 'rejected',
        message: 'Weight must be zero or more; got -20.',
      })
      expect(await log({ [squat.ids.weight]: 1000, [reps]: 1000, [rpeId]: 9.5 })).toEqual({ status: 'applied' })
    })

    test('an entry with nothing filled in is refused; a note alone is something', async () => {
      const reps = squat.ids.reps
      // Reps is required on this activity; an activity without required fields shows the rule itself.
      const plank = newId()
      const seconds = newId()
      await w.ok(ann.id, 'createActivity', {
        id: plank,
        libraryId: ann.libraryId,
        name: 'Plank',
        kind: 'scalar',
        attributes: [{ id: seconds, name: 'Time', type: 'duration' }],
      })
      const at = new Date().toISOString()
      expect(await w.run(ann.id, 'logEntry', { entry: { id: newId(), activityId: plank, performedAt: at, values: {} } })).toMatchObject({
        status: 'rejected',
        code: 'invalid_args',
        message: '"Plank" has nothing filled in: a set needs at least one value, or a note.',
      })
      expect(
        await w.run(ann.id, 'logEntry', { entry: { id: newId(), activityId: plank, performedAt: at, notes: 'Skipped: sore' } }),
      ).toEqual({
        status: 'applied',
      })

      // A workout with no sets is empty; one with a set is not, though the workout itself has no values.
      expect(
        await w.run(ann.id, 'logEntry', { entry: { id: newId(), activityId: workoutId, performedAt: at, children: [] } }),
      ).toMatchObject({
        status: 'rejected',
        message: '"Leg day" has nothing logged: it needs at least one set, or a note.',
      })
      const set = { id: newId(), activityId: squat.ids.id, values: { [reps]: 5 } }
      expect(await w.run(ann.id, 'logEntry', { entry: { id: newId(), activityId: workoutId, performedAt: at, children: [set] } })).toEqual({
        status: 'applied',
      })

      // An edit that clears the last value is refused and changes nothing; with a note left, it applies.
      const entryId = newId()
      await w.ok(ann.id, 'logEntry', { entry: { id: entryId, activityId: plank, performedAt: at, values: { [seconds]: 60 } } })
      expect(await w.run(ann.id, 'editEntry', { entryId, values: { [seconds]: null } })).toMatchObject({
        status: 'rejected',
        message: '"Plank" has nothing filled in: a set needs at least one value, or a note.',
      })
      expect(await w.run(ann.id, 'editEntry', { entryId, values: { [seconds]: 3600 * 25 } })).toMatchObject({
        status: 'rejected',
        message: 'Time must be at most 24:00:00 (a day); got 90000.',
      })
      expect(await w.run(ann.id, 'editEntry', { entryId, notes: 'Felt long', values: { [seconds]: null } })).toEqual({ status: 'applied' })
      expect(await w.run(ann.id, 'editEntry', { entryId, notes: '' })).toMatchObject({ status: 'rejected' })
    })

    test('a workout with an empty set (as an earlier version logged a ticked empty one) applies whole; an empty entry from before can still be re-dated', async () => {
      const at = '2026-11-30T18:00:00.000Z'
      const plank = newId()
      await w.ok(ann.id, 'createActivity', {
        id: plank,
        libraryId: ann.libraryId,
        name: 'Plank',
        kind: 'scalar',
        attributes: [{ id: newId(), name: 'Time', type: 'duration' }],
      })
      const emptySet = { id: newId(), activityId: plank, values: {} }
      const filled = { id: newId(), activityId: squat.ids.id, values: { [squat.ids.reps]: 5 } }
      const root = newId()
      expect(
        await w.run(ann.id, 'logEntry', { entry: { id: root, activityId: workoutId, performedAt: at, children: [filled, emptySet] } }),
      ).toEqual({
        status: 'applied',
      })
      // Re-dating or retyping takes nothing away: it applies to the empty set; clearing its note would not.
      expect(await w.run(ann.id, 'editEntry', { entryId: emptySet.id, performedAt: '2026-11-29T18:00:00.000Z' })).toEqual({
        status: 'applied',
      })
      expect(await w.run(ann.id, 'editEntry', { entryId: emptySet.id, setType: 'warmup' })).toEqual({ status: 'applied' })
      expect(await w.run(ann.id, 'editEntry', { entryId: emptySet.id, notes: '' })).toMatchObject({ status: 'rejected' })
    })
  })
}

test('[M4] a queued mutation from an older device, now out of bounds, is rejected by the server with the reason', async () => {
  const server = await pgliteServer()
  try {
    const ann = await server.user('Ann')
    const phone = ann.device()
    const squat = strengthActivity(ann.libraryId, 'Squat')
    // The older device had queued both before these bounds: the first is refused, the second applies.
    const response = await phone.push([
      phone.mutation('createActivity', squat.args),
      phone.mutation('logEntry', {
        entry: { id: newId(), activityId: squat.ids.id, performedAt: new Date().toISOString(), values: { [squat.ids.reps]: 1e9 } },
      }),
      phone.mutation('logEntry', {
        entry: { id: newId(), activityId: squat.ids.id, performedAt: new Date().toISOString(), values: { [squat.ids.reps]: 5 } },
      }),
    ])
    expect(response.results.map((r) => r.status)).toEqual(['applied', 'rejected', 'applied'])
    expect(response.results[1]).toMatchObject({ code: 'invalid_args', message: 'Reps must be at most 1,000; got 1000000000.' })
  } finally {
    await server.close()
  }
})
