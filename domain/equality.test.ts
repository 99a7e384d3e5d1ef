/** Equality over entries in the database: "last time" lookups by qualitative and structural equality. */
import { afterEach, beforeEach, expect, test } from 'vitest'
import { loadEntryTree, previousQualitativelyEqualEntry, previousStructurallyEqualEntry, templateTree } from '@/db/queries/entries'
import { testPglite } from '@/db/testing/pglite'
import { qualitativelyEqual, structurallyEqual } from './equality'
import { newId } from './ids'
import { createActivity, strengthActivity, world, type World } from './testing/world'

let w: World
beforeEach(async () => {
  w = world({ ...(await testPglite('server')), runtime: 'server' })
})
afterEach(async () => {
  await w.close()
})

test('a copy is qualitatively equal to its original; "last time" finds entries of either', async () => {
  const ann = await w.user('Ann')
  const { ids, args } = strengthActivity(ann.libraryId)
  await w.ok(ann.id, 'createActivity', args)
  const copy = newId()
  await w.ok(ann.id, 'addActivityToLibrary', { id: copy, sourceActivityId: ids.id, libraryId: ann.libraryId })
  const first = newId()
  await w.ok(ann.id, 'logEntry', {
    entry: { id: first, activityId: ids.id, performedAt: '2026-11-01T08:00:00Z', values: { [ids.reps]: 5 } },
  })
  const found = await previousQualitativelyEqualEntry(w.db, ann.id, copy, new Date('2026-11-10T00:00:00Z'))
  expect(found?.id).toBe(first)
  expect(await previousQualitativelyEqualEntry(w.db, ann.id, copy, new Date('2026-10-01T00:00:00Z'))).toBeUndefined()
})

test('after a template edit, new workouts stay qualitatively equal but diverge structurally', async () => {
  const ann = await w.user('Ann')
  const squat = strengthActivity(ann.libraryId, 'Squat')
  const bench = strengthActivity(ann.libraryId, 'Bench')
  await w.ok(ann.id, 'createActivity', squat.args)
  await w.ok(ann.id, 'createActivity', bench.args)
  const day = await createActivity(w, ann, {
    name: 'Day',
    kind: 'sequence',
    items: [{ id: newId(), childId: squat.ids.id, repeat: 2 }],
  })
  const sets = (id: string, reps: string, n: number) =>
    Array.from({ length: n }, () => ({ id: newId(), activityId: id, values: { [reps]: 5 } }))

  const v1 = newId()
  await w.ok(ann.id, 'logEntry', {
    entry: { id: v1, activityId: day, performedAt: '2026-11-01T08:00:00Z', children: sets(squat.ids.id, squat.ids.reps, 2) },
  })
  const shapeV1 = (await templateTree(w.db, day))!
  expect(structurallyEqual((await loadEntryTree(w.db, v1))!, shapeV1)).toBe(true)

  await w.ok(ann.id, 'addTemplateItem', { activityId: day, item: { id: newId(), childId: bench.ids.id, repeat: 1 } })
  const v2 = newId()
  await w.ok(ann.id, 'logEntry', {
    entry: {
      id: v2,
      activityId: day,
      performedAt: '2026-11-08T08:00:00Z',
      children: [...sets(squat.ids.id, squat.ids.reps, 2), ...sets(bench.ids.id, bench.ids.reps, 1)],
    },
  })
  const [t1, t2] = [(await loadEntryTree(w.db, v1))!, (await loadEntryTree(w.db, v2))!]
  expect(qualitativelyEqual(t1, t2)).toBe(true)
  expect(structurallyEqual(t1, t2)).toBe(false)
  expect((await w.db.query.entries.findFirst({ where: (e, { eq }) => eq(e.id, v2) }))?.templateVersion).toBe(2)

  const later = new Date('2026-11-20T00:00:00Z')
  const shapeV2 = (await templateTree(w.db, day))!
  expect((await previousStructurallyEqualEntry(w.db, ann.id, shapeV2, later))?.id).toBe(v2)
  expect((await previousStructurallyEqualEntry(w.db, ann.id, shapeV1, later))?.id).toBe(v1)
  expect((await previousQualitativelyEqualEntry(w.db, ann.id, day, later))?.id).toBe(v2)
  // Before v2 existed, the new template has no structurally equal predecessor.
  expect(await previousStructurallyEqualEntry(w.db, ann.id, shapeV2, new Date('2026-11-05T00:00:00Z'))).toBeUndefined()
})
