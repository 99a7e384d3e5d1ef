/**
 * History's grouping and one-line sets: workouts (a sequence entry, or a day's sets logged on
 * their own), exercises in the order first done, equal sets folded ("3 × 5 @ 82.5 kg"), warm-ups
 * counted apart and out of the volume, and each kind of exercise (weight × reps, reps, time,
 * distance and time) on one line in the user's units. Times are built in the local zone, as the
 * page reads them.
 */
import { expect, test } from 'vitest'
import type { ActivityInfo, AttributeInfo, HistoryEntry, StoredValues } from '@/db/queries/local'
import type { AttributeType } from '@/db/schema'
import { defaultDisplayUnits } from '@/domain/units'
import { durationText, groupWorkouts, localDay, monthWeeks, volumeText, workoutsPerDay, type HistoryData } from './group'

const kg = defaultDisplayUnits
const lb = { massUnit: 'lb', distanceUnit: 'mi' } as const

function activity(id: string, name: string, types: AttributeType[], kind: 'scalar' | 'sequence' = 'scalar'): ActivityInfo {
  const attributes: AttributeInfo[] = types.map((type, i) => ({
    id: `${id}-${i}`,
    name: { mass: 'Weight', integer: 'Reps', distance: 'Distance', duration: 'Time', number: 'RPE' }[type as string] ?? type,
    type,
    ordinal: i,
    retired: false,
    options: [],
  }))
  return { id, name, kind, originId: id, libraryId: 'l', templateVersion: 1, restSeconds: null, attributes }
}

const bench = activity('bench', 'Bench press', ['mass', 'integer', 'number'])
const pullup = activity('pullup', 'Pull-up', ['integer'])
const plank = activity('plank', 'Plank', ['duration'])
const run = activity('run', 'Run', ['distance', 'duration'])
const push = activity('push', 'Push day', [], 'sequence')
const block = activity('block', 'Bench + Pull-up', [], 'sequence')

/** A small history: entries with their values by attribute type, in tree order. */
function history(
  nodes: { id: string; parent?: string; a: ActivityInfo; at: Date; v?: Partial<Record<AttributeType, number>>; type?: string }[],
): HistoryData {
  const entries: HistoryEntry[] = nodes.map((n, i) => ({
    id: n.id,
    parentId: n.parent ?? null,
    activityId: n.a.id,
    activityName: n.a.name,
    performedAt: n.at,
    notes: '',
    ordinal: i,
    setType: n.type ?? null,
  }))
  const children = new Map<string, HistoryEntry[]>()
  for (const e of entries) if (e.parentId) children.set(e.parentId, [...(children.get(e.parentId) ?? []), e])
  const values = new Map<string, StoredValues>()
  for (const n of nodes) {
    const stored: StoredValues = new Map()
    for (const [type, num] of Object.entries(n.v ?? {})) {
      const a = n.a.attributes.find((x) => x.type === type)!
      stored.set(a.id, { num, text: null, bool: null, optionId: null, ordinal: a.ordinal })
    }
    values.set(n.id, stored)
  }
  return {
    roots: entries.filter((e) => !e.parentId),
    children,
    values,
    activities: new Map([bench, pullup, plank, run, push, block].map((a) => [a.id, a])),
  }
}

const at = (day: number, h: number, m = 0) => new Date(2026, 11, day, h, m)

test('a workout: exercises in the order first done, equal sets folded, warm-ups counted apart, volume of the working sets, duration to the last set', () => {
  const data = history([
    { id: 'w', a: push, at: at(3, 7) },
    { id: 's1', parent: 'w', a: bench, at: at(3, 7, 5), v: { mass: 40, integer: 10 }, type: 'warmup' },
    { id: 's2', parent: 'w', a: bench, at: at(3, 7, 10), v: { mass: 82.5, integer: 5 } },
    { id: 's3', parent: 'w', a: pullup, at: at(3, 7, 15), v: { integer: 8 } },
    { id: 's4', parent: 'w', a: bench, at: at(3, 7, 20), v: { mass: 82.5, integer: 5 } },
    { id: 's5', parent: 'w', a: bench, at: at(3, 7, 52), v: { mass: 82.5, integer: 5, number: 9 } },
  ])
  const [workout, ...rest] = groupWorkouts(data, kg)
  expect(rest).toEqual([])
  expect(workout).toMatchObject({ key: 'w', name: 'Push day', day: '2026-12-03', durationS: 52 * 60, volumeKg: 3 * 82.5 * 5 })
  const lines = workout!.items.map((i) => (i.kind === 'exercise' ? [i.name, i.summary] : i.kind))
  expect(lines).toEqual([
    ['Bench press', '3 × 5 @ 82.5 kg · 1 warm-up'],
    ['Pull-up', '8 reps'],
  ])
  const sets = workout!.items[0]!.kind === 'exercise' ? workout!.items[0]!.sets : []
  expect(sets.map((s) => [s.label, s.text, s.extra])).toEqual([
    ['W', '40 kg × 10', ''],
    ['1', '82.5 kg × 5', ''],
    ['2', '82.5 kg × 5', ''],
    ['3', '82.5 kg × 5', 'RPE 9'],
  ])
  expect(durationText(workout!.durationS)).toBe('52 min')
  expect(volumeText(workout!.volumeKg, kg)).toBe('1,238 kg')
})

test('different sets are listed; reps only, time and distance with time each read on one line; pounds and miles', () => {
  const data = history([
    { id: 'w', a: push, at: at(4, 18) },
    { id: 'b1', parent: 'w', a: bench, at: at(4, 18), v: { mass: 82.5, integer: 5 } },
    { id: 'b2', parent: 'w', a: bench, at: at(4, 18), v: { mass: 85, integer: 3 } },
    { id: 'b3', parent: 'w', a: bench, at: at(4, 18), v: { mass: 85, integer: 3 }, type: 'failure' },
    { id: 'p1', parent: 'w', a: pullup, at: at(4, 18), v: { integer: 8 } },
    { id: 'p2', parent: 'w', a: pullup, at: at(4, 18), v: { integer: 6 } },
    { id: 'k1', parent: 'w', a: plank, at: at(4, 18), v: { duration: 90 } },
    { id: 'k2', parent: 'w', a: plank, at: at(4, 18), v: { duration: 90 } },
    { id: 'r1', parent: 'w', a: run, at: at(4, 18), v: { distance: 5000, duration: 1500 } },
  ])
  const summaries = (units: typeof kg | typeof lb) =>
    groupWorkouts(data, units)[0]!.items.map((i) => (i.kind === 'exercise' ? `${i.name} ${i.summary}` : ''))
  expect(summaries(kg)).toEqual(['Bench press 82.5 kg × 5, 85 kg × 3, 3', 'Pull-up 8, 6 reps', 'Plank 2 × 1:30', 'Run 5 km in 25:00'])
  expect(summaries(lb)).toEqual([
    'Bench press 181.88 lb × 5, 187.39 lb × 3, 3',
    'Pull-up 8, 6 reps',
    'Plank 2 × 1:30',
    'Run 3.11 mi in 25:00',
  ])
  // No later time than the start in the data: no duration to tell.
  expect(groupWorkouts(data, kg)[0]!.durationS).toBe(0)
  expect(durationText(0)).toBe('')
})

test('a superset keeps its block, its exercises gathered inside it', () => {
  const data = history([
    { id: 'w', a: push, at: at(5, 7) },
    { id: 'x', parent: 'w', a: bench, at: at(5, 7), v: { mass: 60, integer: 10 } },
    { id: 'blk', parent: 'w', a: block, at: at(5, 7) },
    { id: 'c1', parent: 'blk', a: bench, at: at(5, 7), v: { mass: 80, integer: 7 } },
    { id: 'c2', parent: 'blk', a: pullup, at: at(5, 7), v: { integer: 8 } },
    { id: 'c3', parent: 'blk', a: bench, at: at(5, 7), v: { mass: 80, integer: 7 } },
    { id: 'c4', parent: 'blk', a: pullup, at: at(5, 7), v: { integer: 8 }, type: 'drop' },
  ])
  const [workout] = groupWorkouts(data, kg)
  expect(workout!.items.map((i) => i.kind)).toEqual(['exercise', 'superset'])
  const superset = workout!.items[1]!
  expect(superset.kind === 'superset' && superset.exercises.map((e) => `${e.name} ${e.summary}`)).toEqual([
    'Bench press 2 × 7 @ 80 kg',
    'Pull-up 2 × 8',
  ])
  expect(workout!.volumeKg).toBe(600 + 2 * 560)
})

test('sets logged on their own make one workout per local day, from the first set to the last; workouts come newest first', () => {
  const data = history([
    { id: 'late', a: bench, at: at(6, 19, 30), v: { mass: 100, integer: 3 } },
    { id: 'w', a: push, at: at(6, 12) },
    { id: 'ws', parent: 'w', a: pullup, at: at(6, 12), v: { integer: 5 } },
    { id: 'early', a: bench, at: at(6, 18, 45), v: { mass: 100, integer: 5 } },
    { id: 'other', a: plank, at: at(2, 9), v: { duration: 60 } },
  ])
  const workouts = groupWorkouts(data, kg)
  expect(workouts.map((w) => [w.key, w.root?.id ?? null, w.day])).toEqual([
    ['day:2026-12-06', null, '2026-12-06'],
    ['w', 'w', '2026-12-06'],
    ['day:2026-12-02', null, '2026-12-02'],
  ])
  expect(workouts[0]).toMatchObject({ durationS: 45 * 60, volumeKg: 800 })
  expect(workouts[0]!.items.map((i) => i.kind === 'exercise' && [i.summary, i.sets.map((s) => s.entry.id)])).toEqual([
    ['100 kg × 5, 3', ['early', 'late']],
  ])
  expect(durationText(45 * 60)).toBe('45 min')
  expect(durationText(65 * 60)).toBe('1 h 5 min')
})

test('the calendar: workouts per local day, and a month in weeks from Monday', () => {
  const counts = workoutsPerDay([
    { performedAt: at(3, 7), isWorkout: true },
    { performedAt: at(3, 18), isWorkout: true },
    { performedAt: at(3, 20), isWorkout: false },
    { performedAt: at(3, 21), isWorkout: false },
    { performedAt: at(9, 6), isWorkout: false },
  ])
  expect(Object.fromEntries(counts)).toEqual({ '2026-12-03': 3, '2026-12-09': 1 })
  // December 2026 begins on a Tuesday and has 31 days: five weeks.
  const weeks = monthWeeks(2026, 11)
  expect(weeks).toHaveLength(5)
  expect(weeks[0]![0]).toBeNull()
  expect(localDay(weeks[0]![1]!)).toBe('2026-12-01')
  expect(weeks.flat().filter(Boolean)).toHaveLength(31)
  expect(localDay(weeks[4]![3]!)).toBe('2026-12-31')
  expect(weeks[4]![4]).toBeNull()
  // February 2027 begins on a Monday: four full weeks.
  expect(monthWeeks(2027, 1).map((w) => w.filter(Boolean).length)).toEqual([7, 7, 7, 7])
})
