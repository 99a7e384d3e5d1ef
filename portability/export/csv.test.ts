/**
 * CSV exports on a device-schema PGlite holding the sample history: each file's header and rows
 * as written, and each file read back by the importer (`parseImport`) giving the same workouts,
 * exercises and sets (weights, reps, distances, seconds, RPE, set types, supersets) as the
 * history itself, written out by hand below. Times are written in the device's zone, so the
 * tests run in one with an offset (New York) and check the instants survive.
 */
import Papa from 'papaparse'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest'
import { testPglite } from '@/db/testing/pglite'
import { newId } from '@/domain/ids'
import { world, type World } from '@/domain/testing/world'
import { cadenceCsvColumns, type ParsedImport } from '@/portability/import/model'
import { parseImport } from '@/portability/import/parse'
import { cadenceCsv, hevyCsv, strongCsv } from './csv'
import { awkwardNotes, sampleHistory, type SampleHistory } from './sample-history'

const zone = process.env.TZ
beforeAll(() => {
  process.env.TZ = 'America/New_York'
})
afterAll(() => {
  process.env.TZ = zone
})

let w: World
let ann: { id: string; libraryId: string }
let h: SampleHistory
beforeEach(async () => {
  w = world({ ...(await testPglite('device')), runtime: 'device' })
  ann = await w.user('Ann')
  h = await sampleHistory(w, ann)
})
afterEach(() => w.close())

type Set = [type: string, kg?: number, reps?: number, metres?: number, seconds?: number, rpe?: number]
type Exercise = [name: string, superset: boolean, sets: Set[]]
type Workout = [name: string, startedAt: string, exercises: Exercise[]]

/** The sample history as one row per set should say it (times UTC). */
const expected: Workout[] = [
  [
    'Push day',
    '2025-12-20T10:30:00Z',
    [
      [
        'Bench press',
        false,
        [
          ['normal', 55, 9],
          ['normal', 57.5, 7],
        ],
      ],
    ],
  ],
  [
    'Push day',
    '2026-01-05T18:30:00Z',
    [
      [
        'Bench press',
        false,
        [
          ['warmup', 20, 10],
          ['normal', 60, 8, undefined, undefined, 7.5],
          ['normal', 60, 8, undefined, undefined, 8],
        ],
      ],
    ],
  ],
  ['Old press', '2026-01-06T18:30:00Z', [['Old press', false, [['normal', 40, 12]]]]],
  [
    'Push day',
    '2026-01-08T18:30:00Z',
    [
      [
        'Squat',
        false,
        [
          ['warmup', 60, 5],
          ['normal', 102.5, 5, undefined, undefined, 8],
          ['failure', 102.5, 4, undefined, undefined, 10],
        ],
      ],
      [
        'Bench press',
        false,
        [
          ['normal', 70, 6],
          ['drop', 50, 10],
        ],
      ],
      [
        'Curl',
        true,
        [
          ['normal', 12.5, 12],
          ['failure', 12.5, 10],
        ],
      ],
      [
        'Pushdown',
        true,
        [
          ['normal', 25, 15],
          ['normal', 25, 12],
        ],
      ],
    ],
  ],
  ['Body weight', '2026-01-09T06:30:00Z', [['Body weight', false, [['normal', 81.3]]]]],
  ['Run', '2026-01-09T07:30:00Z', [['Run', false, [['normal', undefined, undefined, 5012.5, 1530]]]]],
]

/** Kilograms to the gram and metres to the centimetre: what survives a conversion to lb or miles and back. */
const round = (n: number | undefined, per = 1000) => (n === undefined ? undefined : Math.round(n * per) / per)

/** What the importer read, in the shape of {@link expected}; `supersets` false where the format has none. */
function summary(parsed: ParsedImport, { supersets = true } = {}): Workout[] {
  expect(parsed.problems).toEqual([])
  return parsed.workouts.map((wk) => [
    wk.name,
    new Date(wk.startedAt).toISOString().replace('.000Z', 'Z'),
    wk.exercises.map((e) => [
      e.name,
      supersets && e.supersetKey !== undefined,
      e.sets.map((s) => {
        const set: Set = [s.setType, round(s.weightKg), s.reps, round(s.distanceM, 100), s.seconds, s.rpe]
        while (set.length > 1 && set.at(-1) === undefined) set.pop()
        return set
      }),
    ]),
  ])
}
const withoutSupersets = (list: Workout[]) =>
  list.map(([n, t, exercises]) => [n, t, exercises.map(([e, , sets]) => [e, false, sets])] as Workout)
const rows = (csv: string) => Papa.parse<string[]>(csv.trim()).data

describe('strongCsv', () => {
  test("Strong's comma layout, weights in the unit asked for, set order W/D/F, local times", async () => {
    const csv = await strongCsv(w.db, ann.id, { units: 'kg' })
    const [header, ...data] = rows(csv)
    expect(header).toEqual([
      'Date',
      'Workout Name',
      'Duration',
      'Exercise Name',
      'Set Order',
      'Weight',
      'Reps',
      'Distance',
      'Seconds',
      'Notes',
      'Workout Notes',
      'RPE',
    ])
    expect(data).toHaveLength(17)
    // 18:30 UTC is 13:30 in New York in January.
    expect(data[2]).toEqual(['2026-01-05 13:30:00', 'Push day', '0m', 'Bench press', 'W', '20', '10', '0', '0', '', 'First one', ''])
    expect(data.filter((r) => r[1] === 'Push day' && r[0]!.startsWith('2026-01-08')).map((r) => [r[3], r[4]])).toEqual([
      ['Squat', 'W'],
      ['Squat', '1'],
      ['Squat', 'F'],
      ['Bench press', '1'],
      ['Bench press', 'D'],
      ['Curl', '1'],
      ['Curl', 'F'],
      ['Pushdown', '1'],
      ['Pushdown', '2'],
    ])
    const belt = data.find((r) => r[9] === 'Belt, wraps')!
    expect(belt).toEqual(['2026-01-08 13:30:00', 'Push day', '0m', 'Squat', '1', '102.5', '5', '0', '0', 'Belt, wraps', awkwardNotes, '8'])
    expect(data.find((r) => r[1] === 'Run')).toEqual([
      '2026-01-09 02:30:00',
      'Run',
      '0m',
      'Run',
      '1',
      '0',
      '0',
      '5.0125',
      '1530',
      'Hilly',
      '',
      '',
    ])
    expect(data.find((r) => r[1] === 'Body weight')!.slice(3, 7)).toEqual(['Body weight', '1', '81.3', '0'])
    const lb = rows(await strongCsv(w.db, ann.id, { units: 'lb' }))
    expect(lb.find((r) => r[9] === 'Belt, wraps')!.slice(5, 7)).toEqual(['225.973819', '5'])
    expect(lb.find((r) => r[1] === 'Run')![7]).toBe('3.114623')
  })

  test.each(['kg', 'lb'] as const)('read back by the importer (%s): the same sets', async (units) => {
    const parsed = parseImport(await strongCsv(w.db, ann.id, { units }), { units })
    expect(parsed.format).toBe('strong')
    expect(summary(parsed, { supersets: false })).toEqual(withoutSupersets(expected))
    expect(parsed.workouts[3]!.notes).toBe(awkwardNotes)
  })
})

describe('hevyCsv', () => {
  test("Hevy's layout, imperial column names for lb, supersets by id, 0-based set index", async () => {
    const [header, ...data] = rows(await hevyCsv(w.db, ann.id, { units: 'kg' }))
    expect(header).toEqual([
      'title',
      'start_time',
      'end_time',
      'description',
      'exercise_title',
      'superset_id',
      'exercise_notes',
      'set_index',
      'set_type',
      'weight_kg',
      'reps',
      'distance_km',
      'duration_seconds',
      'rpe',
    ])
    expect(data[2]).toEqual([
      'Push day',
      '05 Jan 2026, 13:30',
      '05 Jan 2026, 13:30',
      'First one',
      'Bench press',
      '',
      '',
      '0',
      'warmup',
      '20',
      '10',
      '',
      '',
      '',
    ])
    const curls = data.filter((r) => r[4] === 'Curl')
    expect(curls.map((r) => [r[5], r[6], r[7], r[8]])).toEqual([
      ['0', 'No rest, between', '0', 'normal'],
      ['0', 'No rest, between', '1', 'failure'],
    ])
    expect(data.find((r) => r[4] === 'Bench press' && r[8] === 'dropset')![6]).toBe('said "ouch"')
    const [imperial] = rows(await hevyCsv(w.db, ann.id, { units: 'lb' }))
    expect(imperial!.slice(9, 12)).toEqual(['weight_lbs', 'reps', 'distance_miles'])
  })

  test.each(['kg', 'lb'] as const)('read back by the importer (%s): the same sets and supersets', async (units) => {
    const parsed = parseImport(await hevyCsv(w.db, ann.id, { units }))
    expect(parsed).toMatchObject({ format: 'hevy', weightUnit: units })
    expect(summary(parsed)).toEqual(expected)
  })
})

describe('cadenceCsv', () => {
  test('exactly cadenceCsvColumns, one row per set, canonical units, ISO start with its offset', async () => {
    const [header, ...data] = rows(await cadenceCsv(w.db, ann.id))
    expect(header).toEqual([...cadenceCsvColumns])
    expect(data).toHaveLength(17)
    const col = (name: (typeof cadenceCsvColumns)[number]) => cadenceCsvColumns.indexOf(name)
    const belt = data.find((r) => r[col('set_notes')] === 'Belt, wraps')!
    expect(belt[col('workout_start')]).toBe('2026-01-08T13:30:00-05:00')
    expect(belt[col('workout_notes')]).toBe(awkwardNotes)
    expect([belt[col('exercise')], belt[col('set_number')], belt[col('set_type')], belt[col('weight_kg')], belt[col('rpe')]]).toEqual([
      'Squat',
      '2',
      'normal',
      '102.5',
      '8',
    ])
    const pushdown = data.filter((r) => r[col('exercise')] === 'Pushdown')
    expect(pushdown.map((r) => [r[col('superset')], r[col('exercise_notes')]])).toEqual([
      ['1', 'No rest, between'],
      ['1', 'No rest, between'],
    ])
    const run = data.find((r) => r[col('exercise')] === 'Run')!
    expect([run[col('distance_m')], run[col('seconds')], run[col('weight_kg')]]).toEqual(['5012.5', '1530', ''])
  })

  test('read back by the importer: the same sets and supersets; text a spreadsheet would run is quoted off', async () => {
    const parsed = parseImport(await cadenceCsv(w.db, ann.id))
    expect(parsed).toMatchObject({ format: 'cadence', needsUnits: false })
    expect(summary(parsed)).toEqual(expected)
    expect(parsed.workouts[3]!.exercises[0]!.sets[1]!.notes).toBe('Belt, wraps')

    await w.ok(ann.id, 'logEntry', {
      entry: {
        id: newId(),
        activityId: h.bodyWeight.id,
        performedAt: '2026-02-01T08:00:00Z',
        values: { [h.bodyWeight.weight]: 80 },
        notes: '=1+1',
      },
    })
    const last = rows(await cadenceCsv(w.db, ann.id)).at(-1)!
    expect(last.at(-1)).toBe("'=1+1")
  })
})
