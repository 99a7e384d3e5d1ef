/**
 * A user's history for the export tests, written through the shared mutations: two libraries,
 * a workout template edited twice, a superset, sets of every type, notes with commas, quotes and
 * newlines, a choice attribute, a required one, a retired attribute and a retired choice, tags,
 * settings, rest between sets, a deleted activity, a cardio entry, a body weight logged alone, an
 * import that stands and one undone.
 */
import { newId } from '@/domain/ids'
import type { World } from '@/domain/testing/world'

export const awkwardNotes = 'Felt good, "easy"\nnext time: +2.5, maybe'

export type SampleHistory = Awaited<ReturnType<typeof sampleHistory>>

export async function sampleHistory(w: World, user: { id: string; libraryId: string }) {
  const ok = w.ok.bind(w)
  const uid = user.id
  const travel = newId()
  await ok(uid, 'createLibrary', { id: travel, name: 'Travel', description: 'Hotel gyms' })
  await ok(uid, 'updateSettings', {
    massUnit: 'lb',
    weekStartsOn: 0,
    equipment: { bars: [{ name: 'Hotel bar', weight: 15, unit: 'kg' }], plates: [{ weight: 10, unit: 'lb', pairs: 3 }] },
  })

  const ids = () => ({ id: newId(), weight: newId(), reps: newId(), rpe: newId() })
  const strength = async (name: string, extra: { libraryId?: string } = {}) => {
    const a = ids()
    await ok(uid, 'createActivity', {
      id: a.id,
      libraryId: extra.libraryId ?? user.libraryId,
      name,
      kind: 'scalar',
      attributes: [
        { id: a.weight, name: 'Weight', type: 'mass' },
        { id: a.reps, name: 'Reps', type: 'integer' },
        { id: a.rpe, name: 'RPE', type: 'number' },
      ],
    })
    return a
  }
  const squat = { ...(await strength('Squat')), grip: newId(), wide: newId(), narrow: newId() }
  await ok(uid, 'appendAttribute', {
    activityId: squat.id,
    attribute: {
      id: squat.grip,
      name: 'Grip',
      type: 'choice',
      options: [
        { id: squat.wide, label: 'Wide' },
        { id: squat.narrow, label: 'Narrow' },
      ],
    },
  })
  await ok(uid, 'setActivityRest', { activityId: squat.id, restSeconds: 150 })
  const bench = { ...(await strength('Bench press')), tempo: newId() }
  await ok(uid, 'appendAttribute', { activityId: bench.id, attribute: { id: bench.tempo, name: 'Tempo', type: 'text' } })
  const curl = await strength('Curl')
  const pushdown = await strength('Pushdown')
  const old = await strength('Old press')
  const run = { id: newId(), distance: newId(), time: newId() }
  await ok(uid, 'createActivity', {
    id: run.id,
    libraryId: travel,
    name: 'Run',
    kind: 'scalar',
    attributes: [
      { id: run.distance, name: 'Distance', type: 'distance' },
      { id: run.time, name: 'Time', type: 'duration' },
    ],
  })
  const bodyWeight = { id: newId(), weight: newId() }
  await ok(uid, 'createActivity', {
    id: bodyWeight.id,
    libraryId: user.libraryId,
    name: 'Body weight',
    kind: 'scalar',
    attributes: [{ id: bodyWeight.weight, name: 'Weight', type: 'mass' }],
  })
  const superset = newId()
  await ok(uid, 'createActivity', {
    id: superset,
    libraryId: user.libraryId,
    name: 'Arm superset',
    kind: 'sequence',
    items: [
      { id: newId(), childId: curl.id, repeat: 1 },
      { id: newId(), childId: pushdown.id, repeat: 1 },
    ],
  })
  const push = newId()
  await ok(uid, 'createActivity', {
    id: push,
    libraryId: user.libraryId,
    name: 'Push day',
    kind: 'sequence',
    items: [{ id: newId(), childId: bench.id, repeat: 3 }],
  })

  const at = (day: number, hour = 18) => new Date(Date.UTC(2026, 0, day, hour, 30)).toISOString()
  const set = (
    a: { id: string; weight: string; reps: string; rpe: string },
    weight: number,
    reps: number,
    more: { setType?: 'warmup' | 'drop' | 'failure'; rpe?: number; notes?: string; values?: Record<string, string | number> } = {},
  ) => ({
    id: newId(),
    activityId: a.id,
    values: { [a.weight]: weight, [a.reps]: reps, ...(more.rpe === undefined ? {} : { [a.rpe]: more.rpe }), ...more.values },
    ...(more.setType ? { setType: more.setType } : {}),
    ...(more.notes ? { notes: more.notes } : {}),
  })

  // Version 1 of Push day: three sets of bench, one with a tempo (an attribute retired later).
  const first = newId()
  await ok(uid, 'logEntry', {
    entry: {
      id: first,
      activityId: push,
      performedAt: at(5),
      notes: 'First one',
      children: [
        set(bench, 20, 10, { setType: 'warmup' }),
        set(bench, 60, 8, { rpe: 7.5, values: { [bench.tempo]: '3-1-1' } }),
        set(bench, 60, 8, { rpe: 8 }),
      ],
    },
  })
  await ok(uid, 'logEntry', {
    entry: { id: newId(), activityId: old.id, performedAt: at(6), values: { [old.weight]: 40, [old.reps]: 12 } },
  })
  await ok(uid, 'deleteActivity', { activityId: old.id })

  // The template, edited twice.
  await ok(uid, 'setTemplate', {
    activityId: push,
    items: [
      { id: newId(), childId: bench.id, repeat: 3 },
      { id: newId(), childId: squat.id, repeat: 2 },
    ],
  })
  await ok(uid, 'setTemplate', {
    activityId: push,
    items: [
      { id: newId(), childId: squat.id, repeat: 3 },
      { id: newId(), childId: bench.id, repeat: 2 },
      { id: newId(), childId: superset, repeat: 2 },
    ],
  })

  const second = newId()
  const block = newId()
  await ok(uid, 'logEntry', {
    entry: {
      id: second,
      activityId: push,
      performedAt: at(8),
      notes: awkwardNotes,
      children: [
        set(squat, 60, 5, { setType: 'warmup', values: { [squat.grip]: squat.narrow } }),
        set(squat, 102.5, 5, { rpe: 8, notes: 'Belt, wraps', values: { [squat.grip]: squat.wide } }),
        set(squat, 102.5, 4, { setType: 'failure', rpe: 10 }),
        set(bench, 70, 6),
        set(bench, 50, 10, { setType: 'drop', notes: 'said "ouch"' }),
        {
          id: block,
          activityId: superset,
          notes: 'No rest, between',
          children: [set(curl, 12.5, 12), set(pushdown, 25, 15), set(curl, 12.5, 10, { setType: 'failure' }), set(pushdown, 25, 12)],
        },
      ],
    },
  })
  const runEntry = newId()
  await ok(uid, 'logEntry', {
    entry: {
      id: runEntry,
      activityId: run.id,
      performedAt: at(9, 7),
      values: { [run.distance]: 5012.5, [run.time]: 1530 },
      notes: 'Hilly',
    },
  })
  await ok(uid, 'logEntry', {
    entry: { id: newId(), activityId: bodyWeight.id, performedAt: at(9, 6), values: { [bodyWeight.weight]: 81.3 } },
  })

  const heavy = newId()
  const outdoors = newId()
  await ok(uid, 'createTag', { id: heavy, name: 'heavy', color: '#ff3366' })
  await ok(uid, 'createTag', { id: outdoors, name: 'outdoors' })
  await ok(uid, 'tagEntry', { entryId: second, tagId: heavy })
  await ok(uid, 'tagEntry', { entryId: block, tagId: heavy })
  await ok(uid, 'tagEntry', { entryId: runEntry, tagId: outdoors })

  // An import from Strong that stands (its workout keeps its file rows and key), and one undone.
  const strongImport = newId()
  await ok(uid, 'startImport', { id: strongImport, source: 'strong', fileName: 'strong, "old".csv', fileRows: 3 })
  await ok(uid, 'importWorkouts', {
    importId: strongImport,
    workouts: [
      {
        key: 'strong|2025-12-20 10:00:00|Imported day',
        entry: {
          id: newId(),
          activityId: push,
          performedAt: at(-11, 10),
          templateVersion: 1,
          children: [set(bench, 55, 9), set(bench, 57.5, 7)],
        },
        rows: [2, 2, 3],
      },
    ],
  })
  const undone = newId()
  await ok(uid, 'startImport', { id: undone, source: 'hevy', fileName: 'hevy.csv', fileRows: 1 })
  await ok(uid, 'importWorkouts', {
    importId: undone,
    workouts: [
      {
        key: 'hevy|x|y',
        entry: { id: newId(), activityId: bodyWeight.id, performedAt: at(1), values: { [bodyWeight.weight]: 90 } },
        rows: [2],
      },
    ],
  })
  await ok(uid, 'undoImport', { importId: undone })

  // Retired after use: the tempo attribute and the narrow grip; reps made required.
  await ok(uid, 'retireAttribute', { attributeId: bench.tempo })
  await ok(uid, 'setAttributes', {
    activityId: squat.id,
    attributes: [
      { id: squat.weight, name: 'Weight', type: 'mass' },
      { id: squat.reps, name: 'Reps', type: 'integer', required: true },
      { id: squat.rpe, name: 'RPE', type: 'number' },
      {
        id: squat.grip,
        name: 'Grip',
        type: 'choice',
        options: [
          { id: squat.wide, label: 'Wide' },
          { id: squat.narrow, label: 'Narrow', retired: true },
        ],
      },
    ],
  })
  return {
    strongImport,
    travel,
    squat,
    bench,
    curl,
    pushdown,
    old,
    run,
    bodyWeight,
    superset,
    push,
    first,
    second,
    block,
    runEntry,
    heavy,
    outdoors,
  }
}
