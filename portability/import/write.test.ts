/**
 * Writing an import (SPEC I1-I3): a parsed file mapped onto the user's library and written as
 * ordinary mutations on the device database; re-importing skips what is there; undo deletes the
 * import's entries and nothing else.
 */
import { and, eq, isNull } from 'drizzle-orm'
import { afterEach, beforeEach, expect, test } from 'vitest'
import { importedKeys, importTargets, importWorkoutCount, userImports } from '@/db/queries/imports'
import { activities, attributes, entries, entryValues, imports } from '@/db/schema'
import { testPglite } from '@/db/testing/pglite'
import { newId } from '@/domain/ids'
import { UNDO_BATCH_WORKOUTS } from '@/domain/mutators/imports'
import { strengthActivity, world, type World } from '@/domain/testing/world'
import type { ImportedWorkout, ParsedImport } from './model'
import { buildImport, mappingProblem, proposeMapping, type ExerciseMapping } from './plan'
import { runImport } from './run'

let w: World
beforeEach(async () => {
  w = world({ ...(await testPglite('device')), runtime: 'device' })
})
afterEach(() => w.close())

const at = (day: number) => new Date(Date.UTC(2025, 6, day, 18, 0, 0)).toISOString()

function file(workouts: ImportedWorkout[]): ParsedImport {
  return { format: 'hevy', formatLabel: 'Hevy (kg)', weightUnit: 'kg', needsUnits: false, rows: 12, workouts, problems: [] }
}

const push: ImportedWorkout = {
  key: 'hevy|1 Jul 2025, 18:00|Push',
  name: 'Push',
  startedAt: at(1),
  notes: 'Felt good, "strong" day',
  row: 2,
  exercises: [
    {
      name: 'Bench Press (Barbell)',
      row: 2,
      notes: 'elbows in',
      sets: [
        { row: 2, setType: 'warmup', weightKg: 40, reps: 10 },
        { row: 3, setType: 'normal', weightKg: 80, reps: 5, rpe: 8, restSeconds: 120 },
        { row: 4, setType: 'failure', weightKg: 80, reps: 4, notes: 'last rep, ground out' },
      ],
    },
    { name: 'Pull Up', row: 5, supersetKey: '0', sets: [{ row: 5, setType: 'normal', reps: 8 }] },
    { name: 'Plank', row: 6, supersetKey: '0', sets: [{ row: 6, setType: 'normal', seconds: 60 }] },
  ],
}
const run: ImportedWorkout = {
  key: 'hevy|3 Jul 2025, 18:00|Run',
  name: 'Run',
  startedAt: at(3),
  row: 7,
  exercises: [{ name: 'Running', row: 7, sets: [{ row: 7, setType: 'normal', distanceM: 5000, seconds: 1500 }] }],
}

async function importAs(userId: string, parsed: ParsedImport, edit?: (m: ExerciseMapping[]) => ExerciseMapping[]) {
  const targets = await importTargets(w.db, userId)
  const mapping = (edit ?? ((m) => m))(proposeMapping(parsed, targets.activities))
  const built = buildImport({
    parsed,
    fileName: 'hevy.csv',
    mapping,
    own: targets.activities,
    defaultLibraryId: targets.defaultLibraryId!,
    imported: await importedKeys(
      w.db,
      userId,
      parsed.workouts.map((x) => x.key),
    ),
    newId,
  })
  await runImport(built.steps, (step) => w.ok(userId, step.name, step.args as never))
  return built
}

const roots = (userId: string) =>
  w.db
    .select()
    .from(entries)
    .where(and(eq(entries.userId, userId), isNull(entries.parentId)))

test('[I1] an import writes each workout as one entry tree with its provenance, onto new activities with the attributes the file carries', async () => {
  const ann = await w.user('Ann')
  const built = await importAs(ann.id, file([push, run]))
  expect(built).toMatchObject({ workouts: 2, sets: 6, skippedWorkouts: 0 })

  const all = await w.db.select().from(entries).where(eq(entries.userId, ann.id))
  expect(all).toHaveLength(2 + 6 + 1) // two workouts, six sets, one superset block
  expect(all.every((e) => e.importId === built.importId)).toBe(true)
  expect(all.filter((e) => e.importKey !== null).map((e) => e.importKey)).toEqual(expect.arrayContaining([push.key, run.key]))
  const sets = all.filter((e) => e.parentId !== null && e.importKey === null)
  // Three bench sets, the superset block (its first row) and its two sets, the run.
  expect(sets.map((s) => s.importRow).sort((a, b) => a! - b!)).toEqual([2, 3, 4, 5, 5, 6, 7])

  const bench = (await w.db.select().from(activities).where(eq(activities.name, 'Bench Press (Barbell)')))[0]!
  const benchAttributes = await w.db.select().from(attributes).where(eq(attributes.activityId, bench.id))
  expect(benchAttributes.map((a) => [a.name, a.type]).sort()).toEqual([
    ['RPE', 'number'],
    ['Reps', 'integer'],
    ['Weight', 'mass'],
  ])
  expect(bench.restSeconds).toBe(120)
  const benchSets = all.filter((e) => e.activityId === bench.id).sort((a, b) => a.ordinal - b.ordinal)
  expect(benchSets.map((s) => s.setType)).toEqual(['warmup', null, 'failure'])
  expect(benchSets[0]!.notes).toBe('elbows in')
  expect(benchSets[2]!.notes).toBe('last rep, ground out')
  const values = await w.db.select().from(entryValues).where(eq(entryValues.entryId, benchSets[1]!.id))
  expect(values.map((v) => v.num).sort((a, b) => a! - b!)).toEqual([5, 8, 80])

  const workout = all.find((e) => e.importKey === push.key)!
  expect(workout.notes).toBe('Felt good, "strong" day')
  expect(workout.performedAt.toISOString()).toBe(push.startedAt)
  const block = all.find((e) => e.parentId === workout.id && all.some((c) => c.parentId === e.id))!
  const [blockActivity] = await w.db.select().from(activities).where(eq(activities.id, block.activityId))
  expect(blockActivity).toMatchObject({ kind: 'sequence', name: 'Superset: Pull Up + Plank' })
  expect((await userImports(w.db, ann.id))[0]).toMatchObject({ id: built.importId, source: 'hevy', fileName: 'hevy.csv', workouts: 2 })
})

test('[I2] re-importing the same file writes nothing new, whether the device skips it or the mutation does', async () => {
  const ann = await w.user('Ann')
  await importAs(ann.id, file([push]))
  const again = await importAs(ann.id, file([push, run]))
  expect(again).toMatchObject({ workouts: 1, skippedWorkouts: 1 })
  expect(await roots(ann.id)).toHaveLength(2)

  // Another device that had not seen the first import sends the same workouts: the mutation skips them.
  const targets = await importTargets(w.db, ann.id)
  const built = buildImport({
    parsed: file([push, run]),
    fileName: 'hevy.csv',
    mapping: proposeMapping(file([push, run]), targets.activities),
    own: targets.activities,
    defaultLibraryId: targets.defaultLibraryId!,
    imported: new Set(),
    newId,
  })
  await runImport(built.steps, (step) => w.ok(ann.id, step.name, step.args as never))
  expect(await roots(ann.id)).toHaveLength(2)
})

test('[I3] undo deletes the entries of that import and nothing else; the file can then be imported again', async () => {
  const ann = await w.user('Ann')
  const squat = strengthActivity(ann.libraryId, 'Squat')
  await w.ok(ann.id, 'createActivity', squat.args)
  const logged = newId()
  await w.ok(ann.id, 'logEntry', {
    entry: { id: logged, activityId: squat.ids.id, performedAt: at(2), values: { [squat.ids.weight]: 100, [squat.ids.reps]: 5 } },
  })
  const first = await importAs(ann.id, file([push]))
  const second = await importAs(ann.id, file([run]))
  const activityCount = (await w.db.select().from(activities)).length

  await w.ok(ann.id, 'undoImport', { importId: first.importId })
  const left = await w.db.select().from(entries).where(eq(entries.userId, ann.id))
  expect(left.some((e) => e.importId === first.importId)).toBe(false)
  expect(left.some((e) => e.id === logged)).toBe(true)
  expect(left.filter((e) => e.importId === second.importId)).toHaveLength(2)
  expect(await w.db.select().from(activities)).toHaveLength(activityCount)
  const [undone] = await w.db.select().from(imports).where(eq(imports.id, first.importId))
  expect(undone!.undoneAt).not.toBeNull()
  const refused = await w.run(ann.id, 'importWorkouts', {
    importId: first.importId,
    workouts: first.steps.flatMap((s) => (s.name === 'importWorkouts' ? s.args.workouts : [])),
  })
  expect(refused).toMatchObject({ status: 'rejected', code: 'conflict' })

  const again = await importAs(ann.id, file([push]))
  expect(again).toMatchObject({ workouts: 1, skippedWorkouts: 0 })
})

test('[I1] a file exercise mapped onto an existing activity gains only the attributes it lacks; a workout is not a target', async () => {
  const ann = await w.user('Ann')
  const bench = strengthActivity(ann.libraryId, 'bench press (barbell)')
  await w.ok(ann.id, 'createActivity', bench.args)
  const targets = await importTargets(w.db, ann.id)
  const mapping = proposeMapping(file([push]), targets.activities)
  expect(mapping.find((m) => m.name === 'Bench Press (Barbell)')).toMatchObject({ target: { kind: 'existing', activityId: bench.ids.id } })

  const wrong = {
    ...mapping[0]!,
    target: { kind: 'existing' as const, activityId: targets.activities.find((a) => a.kind === 'sequence')?.id ?? 'x' },
  }
  expect(mappingProblem(wrong, targets.activities)).toMatch(/gone|not an exercise/)

  await importAs(ann.id, file([push]))
  const names = (await w.db.select().from(attributes).where(eq(attributes.activityId, bench.ids.id))).map((a) => a.name)
  expect(names).toEqual(expect.arrayContaining(['Weight', 'Reps', 'Grip', 'RPE']))
  expect(names).toHaveLength(4)
})

test('[I3] undo runs in batches of workouts until none is left; the import is marked undone at the first', async () => {
  const ann = await w.user('Ann')
  const many: ImportedWorkout[] = Array.from({ length: UNDO_BATCH_WORKOUTS * 2 + 5 }, (_, i) => ({
    ...run,
    key: `run${i}`,
    startedAt: at(1 + (i % 28)),
  }))
  const built = await importAs(ann.id, file(many))
  expect(await importWorkoutCount(w.db, built.importId)).toBe(many.length)
  await w.ok(ann.id, 'undoImport', { importId: built.importId })
  expect(await importWorkoutCount(w.db, built.importId)).toBe(many.length - UNDO_BATCH_WORKOUTS)
  expect((await userImports(w.db, ann.id))[0]!.undoneAt).not.toBeNull()
  let calls = 1
  while ((await importWorkoutCount(w.db, built.importId)) > 0) {
    await w.ok(ann.id, 'undoImport', { importId: built.importId })
    calls += 1
  }
  expect(calls).toBe(3)
  expect(await w.db.select().from(entries).where(eq(entries.userId, ann.id))).toHaveLength(0)
  // Once nothing is left, another call does nothing (a device that queued it twice).
  await w.ok(ann.id, 'undoImport', { importId: built.importId })
})

test('[I1] batches stay within the bounds of one mutation, and a skipped exercise leaves its sets out', async () => {
  const ann = await w.user('Ann')
  const many: ImportedWorkout[] = Array.from({ length: 30 }, (_, i) => ({ ...push, key: `k${i}`, startedAt: at(1 + (i % 28)) }))
  const targets = await importTargets(w.db, ann.id)
  const parsed = file(many)
  const mapping = proposeMapping(parsed, targets.activities).map((m) =>
    m.name === 'Plank' ? { ...m, target: { kind: 'skip' as const } } : m,
  )
  const built = buildImport({
    parsed,
    fileName: 'f.csv',
    mapping,
    own: targets.activities,
    defaultLibraryId: targets.defaultLibraryId!,
    imported: new Set(),
    newId,
    batch: { workouts: 7 },
  })
  expect(built.steps.filter((s) => s.name === 'importWorkouts').map((s) => s.args.workouts.length)).toEqual([7, 7, 7, 7, 2])
  await runImport(built.steps, (step) => w.ok(ann.id, step.name, step.args as never))
  expect(await roots(ann.id)).toHaveLength(30)
  expect(await w.db.select().from(activities).where(eq(activities.name, 'Plank'))).toHaveLength(0)
})
