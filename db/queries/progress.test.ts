/**
 * The progress page's reads on a device-schema PGlite filled through the shared mutations: the
 * chartable activities of every library, and an activity's entries with their workout (session).
 */
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { testPglite } from '@/db/testing/pglite'
import { newId } from '@/domain/ids'
import { createActivity, strengthActivity, world, type World } from '@/domain/testing/world'
import { activityInfo } from './local'
import { progressChoices, progressEntries } from './progress'

let w: World
let ann: { id: string; libraryId: string }
beforeEach(async () => {
  w = world({ ...(await testPglite('device')), runtime: 'device' })
  ann = await w.user('Ann')
})
afterEach(() => w.close())

const day = (d: number, hour = 18) => new Date(Date.UTC(2026, 0, d, hour)).toISOString()

describe('progressChoices', () => {
  test('exercises of every library on the device, the default library first; no workouts, nothing deleted', async () => {
    const club = newId()
    await w.ok(ann.id, 'createLibrary', { id: club, name: 'Club' })
    const squat = strengthActivity(ann.libraryId, 'Squat')
    const row = strengthActivity(club, 'Row')
    const gone = strengthActivity(ann.libraryId, 'Gone')
    for (const a of [squat, row, gone]) await w.ok(ann.id, 'createActivity', a.args)
    await w.ok(ann.id, 'deleteActivity', { activityId: gone.ids.id })
    await createActivity(w, ann, {
      name: 'Day A',
      kind: 'sequence',
      attributes: [],
      items: [{ id: newId(), childId: squat.ids.id, repeat: 3 }],
    })

    expect((await progressChoices(w.db, ann.id)).map((c) => [c.name, c.libraryName])).toEqual([
      ['Squat', "Ann's library"],
      ['Row', 'Club'],
    ])
  })
})

describe('progressEntries', () => {
  test('each entry of the activity and its copies, with its workout’s root entry (through a superset block) or none when logged alone', async () => {
    const squat = strengthActivity(ann.libraryId, 'Squat')
    await w.ok(ann.id, 'createActivity', squat.args)
    const copy = newId()
    await w.ok(ann.id, 'addActivityToLibrary', { id: copy, sourceActivityId: squat.ids.id, libraryId: ann.libraryId })
    const copied = (await activityInfo(w.db, copy))!
    const superset = await createActivity(w, ann, {
      name: 'Squat superset',
      kind: 'sequence',
      attributes: [],
      items: [{ id: newId(), childId: squat.ids.id, repeat: 2 }],
    })
    const legs = await createActivity(w, ann, {
      name: 'Legs',
      kind: 'sequence',
      attributes: [],
      items: [{ id: newId(), childId: superset, repeat: 1 }],
    })
    const [workout, block, warm, work, alone, other] = [newId(), newId(), newId(), newId(), newId(), newId()]
    await w.ok(ann.id, 'logEntry', {
      entry: {
        id: workout,
        activityId: legs,
        performedAt: day(2),
        children: [
          {
            id: block,
            activityId: superset,
            children: [
              { id: warm, activityId: squat.ids.id, setType: 'warmup', values: { [squat.ids.weight]: 60, [squat.ids.reps]: 5 } },
              { id: work, activityId: squat.ids.id, values: { [squat.ids.weight]: 100, [squat.ids.reps]: 5 } },
            ],
          },
        ],
      },
    })
    const weightOfCopy = copied.attributes.find((a) => a.name === 'Weight')!.id
    await w.ok(ann.id, 'logEntry', {
      entry: {
        id: alone,
        activityId: copy,
        performedAt: day(1),
        values: { [weightOfCopy]: 90, [copied.attributes.find((a) => a.name === 'Reps')!.id]: 3 },
      },
    })
    const bob = await w.user('Bob')
    const bobs = strengthActivity(bob.libraryId, 'Squat')
    await w.ok(bob.id, 'createActivity', bobs.args)
    await w.ok(bob.id, 'logEntry', {
      entry: { id: other, activityId: bobs.ids.id, performedAt: day(1), values: { [bobs.ids.weight]: 200, [bobs.ids.reps]: 1 } },
    })

    const found = await progressEntries(w.db, ann.id, squat.ids.id)
    expect(found.map((e) => [e.entryId, e.sessionId, e.setType, Object.fromEntries(e.values)])).toEqual([
      // The copy's value comes keyed by the original's attribute id.
      [alone, null, 'normal', { [squat.ids.weight]: 90, [squat.ids.reps]: 3 }],
      ...[
        [warm, workout, 'warmup', { [squat.ids.weight]: 60, [squat.ids.reps]: 5 }],
        [work, workout, 'normal', { [squat.ids.weight]: 100, [squat.ids.reps]: 5 }],
      ].sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    ])
  })
})
