/**
 * Planning an import (SPEC I1, B5): how a file's exercise and workout names become targets, and
 * how the workouts become batches a push can carry. Each case builds the steps with
 * `buildImport` and runs them on a device-schema PGlite as the user would, then asserts on what
 * the user's library and history hold: a plan the mutations refuse stops the import half-way.
 */
import { and, eq, inArray, isNull } from 'drizzle-orm'
import { afterEach, beforeEach, expect, test } from 'vitest'
import { importedKeys, importTargets, templateChildIds, userImports } from '@/db/queries/imports'
import { activities, attributes, entries, entryValues, sequenceItems } from '@/db/schema'
import { testPglite } from '@/db/testing/pglite'
import { newId } from '@/domain/ids'
import { MAX_ENTRY_NODES, type EntryInput } from '@/domain/mutators/entries'
import { createActivity, strengthActivity, world, type World } from '@/domain/testing/world'
import { catalogueMatcher } from './catalogue'
import type { ImportedExercise, ImportedSet, ImportedWorkout, ParsedImport } from './model'
import { buildImport, nameKey, proposeMapping, type BuildInput, type CatalogueMatcher, type ExerciseMapping } from './plan'
import { runImport } from './run'

let w: World
beforeEach(async () => {
  w = world({ ...(await testPglite('device')), runtime: 'device' })
})
afterEach(() => w.close())

const at = (day: number) => new Date(Date.UTC(2025, 6, day, 18, 0, 0)).toISOString()
const utf8 = (value: unknown) => new TextEncoder().encode(JSON.stringify(value)).length

function file(workouts: ImportedWorkout[]): ParsedImport {
  return { format: 'hevy', formatLabel: 'Hevy (kg)', weightUnit: 'kg', needsUnits: false, rows: 100, workouts, problems: [] }
}

let row = 2
/** An exercise of `n` sets of 5 reps at `kg` (rows numbered as they are made). */
function exercise(name: string, n: number, extra: Partial<ImportedExercise> & { kg?: number; set?: Partial<ImportedSet> } = {}) {
  const { kg = 100, set, ...rest } = extra
  const first = row
  const sets: ImportedSet[] = Array.from({ length: n }, () => ({ row: row++, setType: 'normal', weightKg: kg, reps: 5, ...set }))
  return { name, row: first, sets, ...rest }
}

function workout(name: string, day: number, exercises: ImportedExercise[], extra: Partial<ImportedWorkout> = {}): ImportedWorkout {
  return { key: `hevy|${day}|${name}`, name, startedAt: at(day), row: exercises[0]?.row ?? row++, exercises, ...extra }
}

type Options = {
  catalogue?: CatalogueMatcher
  edit?: (m: ExerciseMapping[]) => ExerciseMapping[]
} & Partial<Pick<BuildInput, 'fileName' | 'imported' | 'nested' | 'batch'>>

async function plan(userId: string, parsed: ParsedImport, options: Options = {}) {
  const targets = await importTargets(w.db, userId)
  const mapping = (options.edit ?? ((m) => m))(proposeMapping(parsed, targets.activities, options.catalogue))
  const built = buildImport({
    parsed,
    fileName: options.fileName ?? 'hevy.csv',
    mapping,
    own: targets.activities,
    defaultLibraryId: targets.defaultLibraryId!,
    imported:
      options.imported ??
      (await importedKeys(
        w.db,
        userId,
        parsed.workouts.map((x) => x.key),
      )),
    newId,
    ...(options.nested ? { nested: options.nested } : {}),
    ...(options.batch ? { batch: options.batch } : {}),
  })
  return { mapping, built }
}

async function importAs(userId: string, parsed: ParsedImport, options: Options = {}) {
  const planned = await plan(userId, parsed, options)
  await runImport(planned.built.steps, (step) => w.ok(userId, step.name, step.args as never))
  return planned
}

const named = (name: string) => w.db.select().from(activities).where(eq(activities.name, name))
const one = async (name: string) => {
  const found = await named(name)
  expect(found, `one activity named "${name}"`).toHaveLength(1)
  return found[0]!
}
const roots = (userId: string) =>
  w.db
    .select()
    .from(entries)
    .where(and(eq(entries.userId, userId), isNull(entries.parentId)))
const attributesOf = (activityId: string) => w.db.select().from(attributes).where(eq(attributes.activityId, activityId))

test('[I1] names in other scripts are names: "Присед" is not "Жим лёжа", "День ног" and "День рук" are two workouts', async () => {
  const ann = await w.user('Ann')
  const bench = strengthActivity(ann.libraryId, 'Жим лёжа')
  await w.ok(ann.id, 'createActivity', bench.args)
  const dash = await createActivity(w, ann, { name: '—', kind: 'scalar', attributes: [{ id: newId(), name: 'Reps', type: 'integer' }] })
  expect(nameKey('Присед')).not.toBe('')
  expect(nameKey('Жим Лёжа')).toBe(nameKey('жим  лёжа'))

  const legs = workout('День ног', 1, [exercise('Присед', 3), exercise('?', 1)])
  const arms = workout('День рук', 2, [exercise('Жим лёжа', 2)])
  const { mapping } = await importAs(ann.id, file([legs, arms]))
  expect(mapping.find((m) => m.name === 'Присед')!.target).toEqual({ kind: 'new', name: 'Присед' })
  expect(mapping.find((m) => m.name === 'Жим лёжа')!.target).toEqual({ kind: 'existing', activityId: bench.ids.id })
  // Two names with nothing to compare are not the same name.
  expect(mapping.find((m) => m.name === '?')!.target).toEqual({ kind: 'new', name: '?' })

  const day1 = await one('День ног')
  const day2 = await one('День рук')
  const written = await roots(ann.id)
  expect(written.map((r) => r.activityId).sort()).toEqual([day1.id, day2.id].sort())
  const squat = await one('Присед')
  expect(squat.id).not.toBe(bench.ids.id)
  expect(await w.db.select().from(entries).where(eq(entries.activityId, bench.ids.id))).toHaveLength(2)
  expect(await w.db.select().from(entries).where(eq(entries.activityId, dash))).toHaveLength(0)
})

test('[I1] a name in another script is no catalogue exercise, even beside a word the catalogue knows', () => {
  const match = catalogueMatcher('strong')
  expect(match('Squat (Barbell)')).not.toBeNull()
  expect(match('Присед')).toBeNull()
  expect(match('Squat (Штанга)')).toBeNull()
  expect(match('Фронтальный squat')).toBeNull()
  expect(match('深蹲 squat')).toBeNull()
})

test("[I1] an exercise of another of the user's libraries is a target; new workouts hold only what their library has", async () => {
  const ann = await w.user('Ann')
  const second = newId()
  await w.ok(ann.id, 'createLibrary', { id: second, name: 'Old programme' })
  const squat = strengthActivity(second, 'Squat')
  await w.ok(ann.id, 'createActivity', squat.args)

  const legs = workout('Legs', 1, [
    exercise('Squat', 3),
    exercise('Squat', 2, { supersetKey: '1' }),
    exercise('Plank', 2, { supersetKey: '1' }),
  ])
  const { mapping } = await importAs(ann.id, file([legs]))
  expect(mapping.find((m) => m.name === 'Squat')!.target).toEqual({ kind: 'existing', activityId: squat.ids.id })

  expect(await w.db.select().from(entries).where(eq(entries.activityId, squat.ids.id))).toHaveLength(5)
  const sequences = [await one('Legs'), await one('Superset: Squat + Plank')]
  expect(sequences.every((s) => s.libraryId === ann.libraryId)).toBe(true)
  const items = await w.db
    .select()
    .from(sequenceItems)
    .where(
      inArray(
        sequenceItems.parentId,
        sequences.map((s) => s.id),
      ),
    )
  const children = await w.db
    .select()
    .from(activities)
    .where(
      inArray(
        activities.id,
        items.map((i) => i.childId),
      ),
    )
  expect(children.map((c) => c.name).sort()).toEqual(['Plank', 'Superset: Squat + Plank'])
  expect(children.every((c) => c.libraryId === ann.libraryId)).toBe(true)
})

test('[I1] two names of the file for one target make or extend that target once', async () => {
  const ann = await w.user('Ann')
  const squat = newId()
  const reps = newId()
  await w.ok(ann.id, 'createActivity', {
    id: squat,
    libraryId: ann.libraryId,
    name: 'Squat',
    kind: 'scalar',
    attributes: [{ id: reps, name: 'Reps', type: 'integer' }],
  })
  const parsed = file([
    workout('Legs', 1, [exercise('Squat', 2, { kg: 100 }), exercise('squat', 1, { kg: 60 })]),
    workout('Push', 2, [exercise('Bench Press (Barbell)', 2), exercise('Barbell Bench Press', 1)]),
  ])
  const { mapping, built } = await importAs(ann.id, parsed, { catalogue: catalogueMatcher('hevy') })
  const slugs = mapping
    .filter((m) => m.name.includes('Bench'))
    .map((m) => (m.target.kind === 'new' ? m.target.catalogue?.slug : m.target.kind))
  expect(slugs[0]).toBeDefined()
  expect(slugs[1]).toBe(slugs[0])
  expect(built.steps.filter((s) => s.name === 'appendAttribute')).toHaveLength(1)

  const squatAttributes = await attributesOf(squat)
  expect(squatAttributes.map((a) => a.name).sort()).toEqual(['Reps', 'Weight'])
  const weight = squatAttributes.find((a) => a.name === 'Weight')!
  const squatSets = await w.db.select().from(entries).where(eq(entries.activityId, squat))
  expect(squatSets).toHaveLength(3)
  const weights = await w.db
    .select()
    .from(entryValues)
    .where(
      inArray(
        entryValues.entryId,
        squatSets.map((s) => s.id),
      ),
    )
  expect(
    weights
      .filter((v) => v.attributeId === weight.id)
      .map((v) => v.num)
      .sort(),
  ).toEqual([100, 100, 60].sort())

  const benchName = (mapping.find((m) => m.name === 'Barbell Bench Press')!.target as { name: string }).name
  const bench = await one(benchName)
  expect(await w.db.select().from(entries).where(eq(entries.activityId, bench.id))).toHaveLength(3)
})

test('[I1] an activity whose Weight was retired takes the imported weights on that attribute, not a second Weight', async () => {
  const ann = await w.user('Ann')
  const squat = strengthActivity(ann.libraryId, 'Squat')
  await w.ok(ann.id, 'createActivity', squat.args)
  await w.ok(ann.id, 'retireAttribute', { attributeId: squat.ids.weight })

  const { built } = await importAs(ann.id, file([workout('Legs', 1, [exercise('Squat', 2, { kg: 120 })])]))
  expect(built.steps.filter((s) => s.name === 'appendAttribute')).toHaveLength(0)
  expect((await attributesOf(squat.ids.id)).filter((a) => a.name === 'Weight')).toHaveLength(1)
  const values = await w.db.select().from(entryValues).where(eq(entryValues.attributeId, squat.ids.weight))
  expect(values.map((v) => v.num)).toEqual([120, 120])
})

test('[I1] a workout of the file is never written onto a sequence that is part of a template (a superset block)', async () => {
  const ann = await w.user('Ann')
  const plank = await createActivity(w, ann, {
    name: 'Plank',
    kind: 'scalar',
    attributes: [{ id: newId(), name: 'Time', type: 'duration' }],
  })
  const block = await createActivity(w, ann, { name: 'Push', kind: 'sequence', attributes: [], items: [{ id: newId(), childId: plank }] })
  await createActivity(w, ann, { name: 'Week', kind: 'sequence', attributes: [], items: [{ id: newId(), childId: block }] })
  const parsed = file([workout('Push', 1, [exercise('Bench Press', 2)])])

  // Without the list the caller may know no better than the name.
  const plain = await plan(ann.id, parsed)
  const rootOf = (b: typeof plain.built) =>
    (b.steps.flatMap((s) => (s.name === 'importWorkouts' ? s.args.workouts : []))[0]!.entry as EntryInput).activityId
  expect(rootOf(plain.built)).toBe(block)

  await importAs(ann.id, parsed, { nested: await templateChildIds(w.db, ann.id) })
  const [root] = await roots(ann.id)
  expect(root!.activityId).not.toBe(block)
  expect(await named('Push')).toHaveLength(2)
  expect(await w.db.select().from(sequenceItems).where(eq(sequenceItems.parentId, block))).toHaveLength(1)
})

test('[B5] batches are measured in UTF-8 bytes and carry only what the mutation reads', async () => {
  const ann = await w.user('Ann')
  const note = 'Тяжело, но держал технику. '.repeat(80) // about 2,160 characters, twice as many bytes
  const parsed = file(Array.from({ length: 8 }, (_, i) => workout(`День ${i}`, i + 1, [exercise('Присед', 3, { set: { notes: note } })])))
  const limit = 20_000
  const { built } = await importAs(ann.id, parsed, { batch: { bytes: limit } })
  const batches = built.steps.flatMap((s) => (s.name === 'importWorkouts' ? [s.args] : []))
  expect(batches.length).toBeGreaterThan(1)
  for (const args of batches) {
    // A batch of one is whatever size its workout is; a batch of several stays within the limit.
    if (args.workouts.length > 1) expect(utf8(args.workouts)).toBeLessThanOrEqual(limit)
    for (const workout of args.workouts) expect(Object.keys(workout).sort()).toEqual(['entry', 'key', 'rows'])
  }
  expect(batches.reduce((n, b) => n + b.workouts.length, 0)).toBe(8)
  expect(await roots(ann.id)).toHaveLength(8)
})

test('[I1] a workout too large for one mutation is left out and reported; the rest imports', async () => {
  const ann = await w.user('Ann')
  const huge = workout('Skipping', 1, [exercise('Jump Rope', MAX_ENTRY_NODES + 100)])
  const wordy = workout('Essay day', 2, [exercise('Essay Curl', 100, { set: { notes: 'ж'.repeat(5_000) } })])
  const fine = workout('Legs', 3, [exercise('Squat', 3)])
  const { built } = await importAs(ann.id, file([huge, wordy, fine]))
  expect(built.leftOut).toEqual([
    { row: huge.row, name: 'Skipping', reason: expect.stringMatching(/entries/) },
    { row: wordy.row, name: 'Essay day', reason: expect.stringMatching(/bytes|large/) },
  ])
  expect(built).toMatchObject({ workouts: 1, sets: 3 })
  expect(await roots(ann.id)).toHaveLength(1)
  expect(await named('Jump Rope')).toHaveLength(0)
  expect(await named('Essay Curl')).toHaveLength(0)
  expect(await named('Skipping')).toHaveLength(0)
})

test('[I1] only exercises and workouts the import writes become activities; an exercise without sets does not break its superset', async () => {
  const ann = await w.user('Ann')
  const old = workout('Old', 1, [exercise('Curl', 2)])
  const core = workout('Core', 2, [exercise('Plank', 2, { set: { weightKg: undefined, reps: undefined, seconds: 60 } })])
  const legs = workout('Legs', 3, [
    exercise('Squat', 3, { supersetKey: '1' }),
    exercise('Lunge', 0, { supersetKey: '1' }),
    exercise('Calf Raise', 2, { supersetKey: '1' }),
  ])
  const { built } = await importAs(ann.id, file([old, core, legs]), {
    imported: new Set([old.key]),
    edit: (m) => m.map((x) => (x.name === 'Plank' ? { ...x, target: { kind: 'skip' as const } } : x)),
  })
  expect(built).toMatchObject({ workouts: 1, sets: 5, skippedWorkouts: 1 })
  for (const name of ['Old', 'Curl', 'Core', 'Plank', 'Lunge']) expect(await named(name), name).toHaveLength(0)
  const block = await one('Superset: Squat + Calf Raise')
  const [root] = await roots(ann.id)
  const blockEntries = await w.db
    .select()
    .from(entries)
    .where(and(eq(entries.parentId, root!.id), eq(entries.activityId, block.id)))
  expect(blockEntries).toHaveLength(1)
  expect(await w.db.select().from(entries).where(eq(entries.parentId, blockEntries[0]!.id))).toHaveLength(5)
})

test('[I1] names are cut to what a name may hold without splitting a character; the file name is trimmed first', async () => {
  const ann = await w.user('Ann')
  const long = 'A'.repeat(150)
  const tail = `${'b'.repeat(36)}😀` // "Superset: " + 150 + " + " + 36 puts the emoji across the 200th character
  const emoji = `${'x'.repeat(199)}😀`
  const parsed = file([
    workout('Mix', 1, [exercise(long, 1, { supersetKey: '1' }), exercise(tail, 1, { supersetKey: '1' }), exercise(emoji, 1)]),
  ])
  await importAs(ann.id, parsed, { fileName: `${' '.repeat(300)}strong.csv ` })
  const block = await one(`Superset: ${long} + ${'b'.repeat(36)}`)
  expect(block.name).toHaveLength(199)
  expect((await one('x'.repeat(199))).kind).toBe('scalar')

  await importAs(ann.id, file([workout('Other', 2, [exercise('Squat', 1)])]), { fileName: '   ' })
  expect((await userImports(w.db, ann.id)).map((i) => i.fileName).sort()).toEqual(['import', 'strong.csv'])
})
