/**
 * moveActivity on PGlite, with the server schema and the device schema (the mutator runs on
 * both): the copy lands in the target, the original is hidden, entries logged before the move
 * stay in history and progress carries on through the shared origin; every refusal leaves both
 * libraries as they were.
 */
import { and, eq, isNull } from 'drizzle-orm'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { attributeSeries, history, libraryActivities, templateChildren } from '@/db/queries/local'
import * as s from '@/db/schema'
import { testPglite } from '@/db/testing/pglite'
import { newId } from '../ids'
import { strengthActivity, world, type World } from '../testing/world'

describe.each(['server', 'device'] as const)('moveActivity on PGlite (%s schema)', (kind) => {
  let w: World
  let ann: { id: string; libraryId: string }
  let climbing: string
  let squat: ReturnType<typeof strengthActivity>
  beforeEach(async () => {
    w = world({ ...(await testPglite(kind)), runtime: kind })
    ann = await w.user('Ann')
    climbing = newId()
    await w.ok(ann.id, 'createLibrary', { id: climbing, name: 'Climbing' })
    squat = strengthActivity(ann.libraryId, 'Squat')
    await w.ok(ann.id, 'createActivity', squat.args)
  })
  afterEach(() => w.close())

  const names = async (libraryId: string) => (await libraryActivities(w.db, libraryId)).map((a) => a.name)

  test('[M3] the activity leaves its library for the target; what was logged stays in history and progress continues', async () => {
    await w.ok(ann.id, 'logEntry', {
      entry: {
        id: newId(),
        activityId: squat.ids.id,
        performedAt: '2026-11-01T08:00:00Z',
        values: { [squat.ids.weight]: 100, [squat.ids.reps]: 5 },
      },
    })
    const moved = newId()
    await w.ok(ann.id, 'moveActivity', { id: moved, activityId: squat.ids.id, libraryId: climbing })

    expect(await names(ann.libraryId)).toEqual([])
    expect(await names(climbing)).toEqual(['Squat'])
    const [copy] = await w.db.select().from(s.activities).where(eq(s.activities.id, moved))
    expect(copy).toMatchObject({ libraryId: climbing, originId: squat.ids.id, copiedFromId: squat.ids.id })
    const attrs = await w.db.select().from(s.attributes).where(eq(s.attributes.activityId, moved))
    expect(attrs.map((a) => a.name).sort()).toEqual(['Grip', 'Reps', 'Weight'])

    expect((await history(w.db, ann.id)).roots.map((e) => e.activityName)).toEqual(['Squat'])
    const weight = attrs.find((a) => a.name === 'Weight')!
    await w.ok(ann.id, 'logEntry', {
      entry: {
        id: newId(),
        activityId: moved,
        performedAt: '2026-11-08T08:00:00Z',
        values: { [weight.id]: 105, [attrs.find((a) => a.name === 'Reps')!.id]: 5 },
      },
    })
    expect((await attributeSeries(w.db, ann.id, moved, weight.ordinal)).map((p) => p.value)).toEqual([100, 105])
  })

  test('a workout moves with its template: the target gets copies of its exercises', async () => {
    const day = newId()
    await w.ok(ann.id, 'createActivity', {
      id: day,
      libraryId: ann.libraryId,
      name: 'Leg day',
      kind: 'sequence',
      items: [{ id: newId(), childId: squat.ids.id, repeat: 3 }],
    })
    const moved = newId()
    await w.ok(ann.id, 'moveActivity', { id: moved, activityId: day, libraryId: climbing })
    expect(await names(climbing)).toEqual(['Leg day', 'Squat'])
    // The exercise itself stays where it was: only the workout was moved.
    expect(await names(ann.libraryId)).toEqual(['Squat'])
    const [child] = await templateChildren(w.db, moved)
    const [childRow] = await w.db.select().from(s.activities).where(eq(s.activities.id, child!.childId))
    expect(childRow).toMatchObject({ libraryId: climbing, originId: squat.ids.id })
  })

  test('refusals change nothing: an exercise of a live template, the library it is in, a library the caller does not own', async () => {
    await w.ok(ann.id, 'createActivity', {
      id: newId(),
      libraryId: ann.libraryId,
      name: 'Leg day',
      kind: 'sequence',
      items: [{ id: newId(), childId: squat.ids.id, repeat: 3 }],
    })
    expect(await w.run(ann.id, 'moveActivity', { id: newId(), activityId: squat.ids.id, libraryId: climbing })).toMatchObject({
      status: 'rejected',
      code: 'in_use',
      message: `"Squat" is part of "Leg day"; remove it from that template first.`,
    })
    expect(await w.run(ann.id, 'moveActivity', { id: newId(), activityId: squat.ids.id, libraryId: ann.libraryId })).toMatchObject({
      status: 'rejected',
      code: 'invalid_args',
      message: expect.stringContaining('"Squat" is in that library already.'),
    })
    const bob = await w.user('Bob')
    expect(await w.run(ann.id, 'moveActivity', { id: newId(), activityId: squat.ids.id, libraryId: bob.libraryId })).toMatchObject({
      status: 'rejected',
      code: 'not_found',
    })
    expect(await names(ann.libraryId)).toEqual(['Leg day', 'Squat'])
    expect(await names(climbing)).toEqual([])
    const live = await w.db
      .select()
      .from(s.activities)
      .where(and(eq(s.activities.originId, squat.ids.id), isNull(s.activities.deletedAt)))
    expect(live).toHaveLength(1)
  })
})
