/**
 * The format parsers against the fixtures in `fixtures/` (written for these tests): every set each
 * file describes, in canonical units, with its type, rest, notes exactly as written, superset
 * grouping and the row numbers of the rows that could not be read. Times without a zone are read
 * in this machine's zone, so expectations are built with the same local-time construction rather
 * than written as strings, and the tests pass in any zone.
 */
import { readFileSync } from 'node:fs'
import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { KG_PER_LB, M_PER_MI } from '@/domain/units'
import { formatLocalIso, roundConverted } from './formats/reading'
import { cadenceCsvColumns, ImportFileError, type ImportedWorkout, type ParseOptions, type WeightUnit } from './model'
import { parseImport } from './parse'
import { fiveYearStrongHistory, generateWorkouts, hevyFile, strongFile } from './testing/generate'

function fixture(name: string): string {
  return readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8')
}

function parseFixture(name: string, options: ParseOptions = {}) {
  return parseImport(fixture(name), { fileName: name, ...options })
}

/** A wall-clock time in this machine's zone, as the parsers write it. */
function local(y: number, month: number, d: number, h = 0, mi = 0, s = 0): string {
  return formatLocalIso(new Date(y, month - 1, d, h, mi, s))
}

const lb = (n: number) => roundConverted(n * KG_PER_LB)

describe('formatLocalIso', () => {
  test('writes the instant with its local offset, and reads back as the same instant', () => {
    for (const date of [new Date(2025, 6, 23, 19, 16, 49), new Date(2025, 0, 1, 0, 0, 0), new Date(Date.UTC(2025, 2, 30, 1, 30, 0, 250))]) {
      const iso = formatLocalIso(date)
      expect(iso).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?[+-]\d{2}:\d{2}$/)
      expect(new Date(iso).getTime()).toBe(date.getTime())
    }
    expect(formatLocalIso(new Date(2025, 6, 23, 19, 16, 49)).slice(0, 19)).toBe('2025-07-23T19:16:49')
  })
})

describe('Strong, comma export', () => {
  test('reads every set: W/D/F, rest from the Rest Timer row, cardio and timed rows, notes with commas, quotes and a line break', () => {
    const parsed = parseFixture('strong-comma.csv')
    expect(parsed).toMatchObject({ format: 'strong', weightUnit: 'kg', needsUnits: true, rows: 15 })
    expect(parsed.formatLabel).toBe('Strong (comma, no unit: read as kg)')
    const [evening, push] = parsed.workouts
    expect(parsed.workouts).toHaveLength(2)
    expect(new Date(evening!.startedAt).getTime()).toBe(new Date(2025, 6, 23, 19, 16, 49).getTime())
    expect(evening).toEqual<ImportedWorkout>({
      key: 'strong|2025-07-23 19:16:49|Evening Workout',
      name: 'Evening Workout',
      startedAt: local(2025, 7, 23, 19, 16, 49),
      durationSeconds: 29 * 60,
      notes: 'Legs, then a short row',
      row: 2,
      exercises: [
        {
          name: 'Leg Press',
          row: 2,
          sets: [
            { row: 2, setType: 'warmup', weightKg: 20, reps: 12 },
            { row: 3, setType: 'normal', weightKg: 40, reps: 20, rpe: 8, notes: 'Seat at 4, feet high', restSeconds: 120 },
            { row: 5, setType: 'normal', weightKg: 40, reps: 18, rpe: 9, notes: 'Felt "heavy"\nsecond line' },
            { row: 6, setType: 'drop', weightKg: 25, reps: 15 },
            { row: 7, setType: 'failure', weightKg: 25, reps: 6, rpe: 10 },
          ],
        },
        { name: 'Rowing (Machine)', row: 8, sets: [{ row: 8, setType: 'normal', distanceM: 2500, seconds: 600 }] },
        { name: 'Plank', row: 9, sets: [{ row: 9, setType: 'normal', seconds: 60 }] },
      ],
    })
    expect(push).toEqual<ImportedWorkout>({
      key: 'strong|2025-07-25 07:05:00|Morning Push',
      name: 'Morning Push',
      startedAt: local(2025, 7, 25, 7, 5, 0),
      durationSeconds: 3900,
      row: 12,
      exercises: [
        { name: 'Bench Press (Barbell)', row: 12, sets: [{ row: 12, setType: 'normal', weightKg: 80, reps: 5 }] },
        { name: 'Pull Up', row: 15, sets: [{ row: 15, setType: 'normal', reps: 10 }] },
      ],
    })
  })

  test('skips unreadable rows by record number (the quoted line break is one record) and reads the rest', () => {
    expect(parseFixture('strong-comma.csv').problems).toEqual([
      { row: 10, message: 'Weight "abc" is not a number' },
      { row: 11, message: 'Weight "0x50" is not a number' },
      { row: 13, message: 'Weight 1500.0 is more than 1000 kg: a typo?' },
      { row: 14, message: 'The exercise name is empty' },
      { row: 16, message: 'RPE 11 is not between 1 and 10 in halves' },
    ])
  })

  test('with units lb, weights are pounds and Distance is miles', () => {
    const parsed = parseFixture('strong-comma.csv', { units: 'lb' })
    expect(parsed).toMatchObject({ weightUnit: 'lb', needsUnits: false, formatLabel: 'Strong (comma, read as lb)' })
    const [legPress, rowing] = parsed.workouts[0]!.exercises
    expect(legPress!.sets.map((s) => s.weightKg)).toEqual([lb(20), lb(40), lb(40), lb(25), lb(25)])
    expect(lb(20)).toBeCloseTo(9.071847, 6)
    expect(rowing!.sets[0]!.distanceM).toBeCloseTo(2.5 * M_PER_MI, 6)
    // 1500 lb is 680 kg: a heavy leg press, not a typo. Record 13 is read this time.
    expect(parsed.problems.map((p) => p.row)).toEqual([10, 11, 14, 16])
  })

  test('the shorter export without the notes columns', () => {
    const text =
      'Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps,Distance,Seconds\n2025-07-23 19:16:49,Legs,45s,Squat,1,100,5,0,0\n'
    const parsed = parseImport(text, { units: 'kg' })
    expect(parsed.workouts[0]).toMatchObject({ durationSeconds: 45, exercises: [{ name: 'Squat', sets: [{ weightKg: 100, reps: 5 }] }] })
    expect(parsed.workouts[0]!.notes).toBeUndefined()
  })
})

describe('Strong, semicolon export', () => {
  test('strips the BOM, reads pounds from the header, decimal commas, quoted semicolons and CRLF', () => {
    const text = fixture('strong-semicolon-bom.csv')
    expect(text.charCodeAt(0)).toBe(0xfeff)
    const parsed = parseImport(text)
    expect(parsed).toMatchObject({ format: 'strong', formatLabel: 'Strong (semicolon, lb)', weightUnit: 'lb', needsUnits: false, rows: 7 })
    expect(parsed.workouts).toEqual<ImportedWorkout[]>([
      {
        key: 'strong|2025-03-28 17:29:00|Pull Day',
        name: 'Pull Day',
        startedAt: local(2025, 3, 28, 17, 29, 0),
        durationSeconds: 3720,
        notes: 'Gym; crowded, hot',
        row: 2,
        exercises: [
          {
            name: 'Deadlift (Barbell)',
            row: 2,
            sets: [
              { row: 2, setType: 'warmup', weightKg: lb(135), reps: 5 },
              { row: 3, setType: 'normal', weightKg: lb(225), reps: 5, rpe: 7.5, notes: 'Belt; straps', restSeconds: 180 },
              { row: 5, setType: 'normal', weightKg: lb(225), reps: 5, rpe: 8 },
            ],
          },
          { name: 'Running', row: 6, sets: [{ row: 6, setType: 'normal', distanceM: 5000, seconds: 1500 }] },
        ],
      },
      {
        key: 'strong|2025-03-30 09:00:00|Leg Day',
        name: 'Leg Day',
        startedAt: local(2025, 3, 30, 9, 0, 0),
        durationSeconds: 1800,
        row: 7,
        exercises: [{ name: 'Squat (Barbell)', row: 7, sets: [{ row: 7, setType: 'normal', weightKg: lb(185.5), reps: 8 }] }],
      },
    ])
    expect(lb(135)).toBeCloseTo(61.23497, 5)
    expect(parsed.problems).toEqual([{ row: 8, message: 'Weight -5 is negative' }])
  })

  test('a Rest Timer row with no set before it is a problem, not a set', () => {
    const text =
      'Date;Workout Name;Duration (sec);Exercise Name;Set Order;Weight (kg);Reps;Seconds\n2025-01-01 10:00:00;A;60;Squat;Rest Timer;0;0;90\n2025-01-01 10:00:00;A;60;Squat;1;100;5;0\n'
    const parsed = parseImport(text)
    expect(parsed.problems).toEqual([{ row: 2, message: 'A Rest Timer row with no set before it in its workout' }])
    expect(parsed.workouts[0]!.exercises[0]!.sets).toEqual([{ row: 3, setType: 'normal', weightKg: 100, reps: 5 }])
  })
})

describe('Hevy', () => {
  test('metric: set types, exercise notes, workout length from start and end, km, ISO times in UTC', () => {
    const parsed = parseFixture('hevy-metric.csv')
    expect(parsed).toMatchObject({ format: 'hevy', formatLabel: 'Hevy (kg)', weightUnit: 'kg', needsUnits: false, rows: 8 })
    expect(parsed.workouts).toEqual<ImportedWorkout[]>([
      {
        key: 'hevy|28 Mar 2025, 17:29|Push A',
        name: 'Push A',
        startedAt: local(2025, 3, 28, 17, 29),
        durationSeconds: 62 * 60,
        notes: 'Felt strong, slept 8h',
        row: 2,
        exercises: [
          {
            name: 'Bench Press (Barbell)',
            row: 2,
            notes: 'Elbows "tucked"',
            sets: [
              { row: 2, setType: 'warmup', weightKg: 40, reps: 10 },
              { row: 3, setType: 'normal', weightKg: 80, reps: 5, rpe: 8 },
              { row: 4, setType: 'drop', weightKg: 60, reps: 8 },
              { row: 5, setType: 'failure', weightKg: 60, reps: 4, rpe: 10 },
            ],
          },
          { name: 'Treadmill', row: 6, sets: [{ row: 6, setType: 'normal', distanceM: 1100, seconds: 420 }] },
        ],
      },
      {
        key: 'hevy|2025-03-30T07:00:00Z|Cardio',
        name: 'Cardio',
        startedAt: formatLocalIso(new Date(Date.UTC(2025, 2, 30, 7, 0, 0))),
        durationSeconds: 45 * 60,
        row: 8,
        exercises: [{ name: 'Cycling', row: 8, sets: [{ row: 8, setType: 'normal', distanceM: 15500, seconds: 2700 }] }],
      },
    ])
    expect(parsed.problems).toEqual([
      { row: 7, message: 'Set type "superset" is not normal, warmup, dropset or failure' },
      { row: 9, message: 'Duration "abc" is not a number' },
    ])
  })

  test('imperial: pounds and miles, and a superset groups the exercises that share its id', () => {
    const parsed = parseFixture('hevy-imperial.csv')
    expect(parsed).toMatchObject({ formatLabel: 'Hevy (lb)', weightUnit: 'lb', rows: 6, problems: [] })
    expect(parsed.workouts).toEqual<ImportedWorkout[]>([
      {
        key: 'hevy|1 Apr 2025, 06:15|Arms',
        name: 'Arms',
        startedAt: local(2025, 4, 1, 6, 15),
        durationSeconds: 45 * 60,
        row: 2,
        exercises: [
          {
            name: 'Bicep Curl (Dumbbell)',
            row: 2,
            supersetKey: '0',
            sets: [
              { row: 2, setType: 'normal', weightKg: lb(30), reps: 12 },
              { row: 3, setType: 'normal', weightKg: lb(30), reps: 10 },
            ],
          },
          {
            name: 'Triceps Pushdown (Cable)',
            row: 4,
            supersetKey: '0',
            notes: 'Rope attachment',
            sets: [
              { row: 4, setType: 'normal', weightKg: lb(50), reps: 12 },
              { row: 5, setType: 'normal', weightKg: lb(50), reps: 10 },
            ],
          },
          {
            name: "Farmer's Walk",
            row: 6,
            sets: [{ row: 6, setType: 'normal', weightKg: lb(70), distanceM: roundConverted(0.05 * M_PER_MI), seconds: 60 }],
          },
          { name: 'Running', row: 7, sets: [{ row: 7, setType: 'normal', distanceM: roundConverted(3.1 * M_PER_MI), seconds: 1500 }] },
        ],
      },
    ])
    expect(parsed.workouts[0]!.exercises[2]!.sets[0]!.distanceM).toBeCloseTo(80.4672, 6)
  })
})

describe('FitNotes', () => {
  test('Android: one workout a day named by its categories, the unit on every row, distance units, h:mm:ss and mm:ss times', () => {
    const parsed = parseFixture('fitnotes-android.csv')
    expect(parsed).toMatchObject({ format: 'fitnotes', formatLabel: 'FitNotes (Android)', weightUnit: 'kg', needsUnits: false, rows: 9 })
    expect(parsed.workouts).toEqual<ImportedWorkout[]>([
      {
        key: 'fitnotes|2025-07-23|FitNotes workout',
        name: 'Chest, Back, Cardio',
        startedAt: local(2025, 7, 23),
        row: 2,
        exercises: [
          {
            name: 'Flat Barbell Bench Press',
            row: 2,
            sets: [
              { row: 2, setType: 'normal', weightKg: 80, reps: 5, notes: 'Paused, 1s' },
              { row: 3, setType: 'normal', weightKg: 80, reps: 5 },
            ],
          },
          { name: 'Chin Up', row: 4, sets: [{ row: 4, setType: 'normal', weightKg: 10, reps: 8 }] },
          { name: 'Running (Treadmill)', row: 5, sets: [{ row: 5, setType: 'normal', distanceM: 5000, seconds: 1530 }] },
        ],
      },
      {
        key: 'fitnotes|2025-07-24|FitNotes workout',
        name: 'Abs, Back',
        startedAt: local(2025, 7, 24),
        row: 6,
        exercises: [
          { name: 'Plank', row: 6, sets: [{ row: 6, setType: 'normal', seconds: 90 }] },
          { name: 'Cable Row', row: 7, sets: [{ row: 7, setType: 'normal', weightKg: lb(120), reps: 10 }] },
        ],
      },
      {
        key: 'fitnotes|2025-07-25|FitNotes workout',
        name: 'Back',
        startedAt: local(2025, 7, 25),
        row: 10,
        exercises: [{ name: 'Deadlift', row: 10, sets: [{ row: 10, setType: 'normal', weightKg: 140, reps: 5 }] }],
      },
    ])
    expect(parsed.problems).toEqual([
      { row: 8, message: 'Distance unit "parsecs" is not m, km, mi, ft or yd' },
      { row: 9, message: 'The date is empty' },
    ])
  })

  test('iOS: the unit in the header, a comment over two lines, and a day whose only row is refused has no workout', () => {
    const parsed = parseFixture('fitnotes-ios.csv')
    expect(parsed).toMatchObject({ formatLabel: 'FitNotes (iOS)', weightUnit: 'lb', rows: 4 })
    expect(parsed.workouts).toEqual<ImportedWorkout[]>([
      {
        key: 'fitnotes|2025-08-01|FitNotes workout',
        name: 'Legs, Cardio',
        startedAt: local(2025, 8, 1),
        row: 2,
        exercises: [
          {
            name: 'Squat',
            row: 2,
            sets: [
              { row: 2, setType: 'normal', weightKg: lb(225), reps: 5, notes: 'Low bar\nnew shoes' },
              { row: 3, setType: 'normal', weightKg: lb(225), reps: 5 },
            ],
          },
          { name: 'Walking', row: 4, sets: [{ row: 4, setType: 'normal', distanceM: roundConverted(1.5 * M_PER_MI), seconds: 1800 }] },
        ],
      },
    ])
    expect(parsed.problems).toEqual([{ row: 5, message: 'Weight 2250 (1020.6 kg) is more than 1000 kg: a typo?' }])
  })
})

describe('StrongLifts', () => {
  const fives = (weightKg: number, row: number, reps = [5, 5, 5, 5, 5]) =>
    reps.map((r) => ({ row, setType: 'normal' as const, weightKg, reps: r }))

  test('one row per exercise, set columns in pairs, unused slots left out, notes alike on every row are the workout notes', () => {
    const parsed = parseFixture('stronglifts.csv')
    expect(parsed).toMatchObject({ format: 'stronglifts', formatLabel: 'StrongLifts (kg)', weightUnit: 'kg', needsUnits: false, rows: 6 })
    expect(parsed.workouts).toEqual<ImportedWorkout[]>([
      {
        key: 'stronglifts|2025/07/21 18:05|Workout A',
        name: 'Workout A',
        startedAt: local(2025, 7, 21, 18, 5),
        durationSeconds: 45 * 60,
        notes: 'Good session, knees ok',
        row: 2,
        exercises: [
          { name: 'Squat', row: 2, sets: fives(100, 2) },
          { name: 'Bench Press', row: 3, sets: fives(60, 3, [5, 5, 5, 4, 4]) },
          { name: 'Barbell Row', row: 4, sets: fives(40, 4) },
        ],
      },
      {
        key: 'stronglifts|2025/07/23 23:40|Workout B',
        name: 'Workout B',
        startedAt: local(2025, 7, 23, 23, 40),
        // 23:40 to 0:10, past midnight.
        durationSeconds: 30 * 60,
        row: 5,
        exercises: [
          { name: 'Squat', row: 5, sets: fives(102.5, 5) },
          { name: 'Deadlift', row: 6, notes: 'Hook grip', sets: fives(120, 6, [5]) },
        ],
      },
    ])
    expect(parsed.problems).toEqual([{ row: 7, message: 'Set 2 weight "forty" is not a number' }])
  })

  test('the (LB) variant reads pounds', () => {
    const text =
      'Date (yyyy/mm/dd),Workout Name,Exercise,Start Time (h:mm),Set 1 (Reps),Set 1 (LB),Set 2 (Reps),Set 2 (LB)\n2025/01/02,Workout A,Squat,7:05 PM,5,135,0,0\n'
    const parsed = parseImport(text)
    expect(parsed).toMatchObject({ weightUnit: 'lb', formatLabel: 'StrongLifts (lb)' })
    expect(parsed.workouts[0]).toMatchObject({
      startedAt: local(2025, 1, 2, 19, 5),
      exercises: [{ sets: [{ row: 2, setType: 'normal', weightKg: lb(135), reps: 5 }] }],
    })
  })
})

describe('files that are no format', () => {
  test('a file with another header names what was expected and how it starts', () => {
    expect(() => parseFixture('not-an-export.csv')).toThrow(
      new ImportFileError(
        `"not-an-export.csv" is not an export Cadence can read: its first row should be the header of a Strong, Hevy, FitNotes or StrongLifts export, or of Cadence's own CSV (for example Strong's starts "Date,Workout Name,Duration,Exercise Name,…"). It starts: "Name,Email,Phone"`,
      ),
    )
  })

  test('a header close to a format names the missing columns', () => {
    expect(() => parseImport('Date,Workout Name,Duration,Exercise,Set Order,Weight,Reps\n2025-01-01,A,1m,B,1,1,1\n')).toThrow(
      /^The file looks like a Strong export, but its header lacks Exercise Name\. It starts: "Date,Workout Name/,
    )
  })

  test('empty, blank, binary and header-only files are refused with a reason', () => {
    expect(() => parseImport('', { fileName: 'a.csv' })).toThrow(new ImportFileError('"a.csv" is empty: there is nothing to import.'))
    expect(() => parseImport('\ufeff\n \n', { fileName: 'a.csv' })).toThrow(ImportFileError)
    expect(() => parseImport('PK\u0003\u0004\u0014\u0000\u0006\u0000\b\u0000xl/workbook.xml', { fileName: 'log.xlsx' })).toThrow(
      /^"log\.xlsx" is not a text file/,
    )
    const utf16 = new TextDecoder('utf-8').decode(Buffer.from('\ufeffDate,Exercise\n2025-01-01,Squat\n', 'utf16le'))
    expect(() => parseImport(utf16, { fileName: 'fitnotes.csv' })).toThrow(
      new ImportFileError('"fitnotes.csv" is saved as UTF-16 text: save it as CSV (UTF-8) and choose that file.'),
    )
    expect(() => parseImport(fixture('hevy-metric.csv').split('\n')[0]! + '\n', { fileName: 'h.csv' })).toThrow(
      new ImportFileError('"h.csv" has a Hevy header but no rows after it: there is nothing to import.'),
    )
  })
})

describe('rows papaparse cannot split cleanly', () => {
  test('an unclosed quote and a row with more fields than the header are problems at their record numbers', () => {
    const header = 'Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps,Distance,Seconds,Notes,Workout Notes,RPE'
    const ok = '2025-07-23 19:16:49,A,29m,Squat,1,100,5,0,0,,,'
    const text = [
      header,
      ok,
      '2025-07-23 19:16:49,A,29m,Squat,2,100,5,0,0,a, b,,8',
      ok,
      '2025-07-23 19:16:49,A,29m,Squat,3,100,5,0,0,"open,,',
      ok,
    ].join('\n')
    const parsed = parseImport(text, { units: 'kg' })
    expect(parsed.problems).toEqual([
      { row: 3, message: 'The row has 13 fields but the header has 12 (a "," in an unquoted note?)' },
      { row: 5, message: 'A quoted field here is never closed, so the rest of the file was read as one field' },
    ])
    expect(parsed.workouts[0]!.exercises[0]!.sets.map((s) => s.row)).toEqual([2, 4])
    expect(parsed.rows).toBe(4)
  })
})

describe('Cadence CSV', () => {
  test('reads its own columns in canonical units, set types by name and supersets', () => {
    const rows = [
      cadenceCsvColumns.join(','),
      '2025-07-23T19:16:49+02:00,Legs,1800,"Notes, ""quoted""",Squat,Low bar,,1,warmup,60,5,,,,90,',
      '2025-07-23T19:16:49+02:00,Legs,1800,"Notes, ""quoted""",Squat,,,2,normal,100,5,,,8.5,120,"Easy,\nfast"',
      '2025-07-23T19:16:49+02:00,Legs,1800,,Leg Curl,,a,1,drop,30,12,,,,,',
      '2025-07-23T19:16:49+02:00,Legs,1800,,Calf Raise,,a,1,failure,40,20,,,,,',
      '2025-07-23T19:16:49,Legs,1800,,Calf Raise,,a,2,failure,40,20,,,,,',
      '2025-07-23T19:16:49+02:00,Legs,1800,,Calf Raise,,a,2,heavy,40,20,,,,,',
    ]
    const parsed = parseImport(rows.join('\r\n'))
    expect(parsed).toMatchObject({ format: 'cadence', formatLabel: 'Cadence CSV', weightUnit: 'kg', needsUnits: false, rows: 6 })
    expect(parsed.workouts).toEqual<ImportedWorkout[]>([
      {
        key: 'cadence|2025-07-23T19:16:49+02:00|Legs',
        name: 'Legs',
        startedAt: formatLocalIso(new Date(Date.UTC(2025, 6, 23, 17, 16, 49))),
        durationSeconds: 1800,
        notes: 'Notes, "quoted"',
        row: 2,
        exercises: [
          {
            name: 'Squat',
            row: 2,
            notes: 'Low bar',
            sets: [
              { row: 2, setType: 'warmup', weightKg: 60, reps: 5, restSeconds: 90 },
              { row: 3, setType: 'normal', weightKg: 100, reps: 5, rpe: 8.5, restSeconds: 120, notes: 'Easy,\nfast' },
            ],
          },
          // The quoted line break above keeps the record numbers one behind the line numbers.
          { name: 'Leg Curl', row: 4, supersetKey: 'a', sets: [{ row: 4, setType: 'drop', weightKg: 30, reps: 12 }] },
          { name: 'Calf Raise', row: 5, supersetKey: 'a', sets: [{ row: 5, setType: 'failure', weightKg: 40, reps: 20 }] },
        ],
      },
    ])
    expect(parsed.problems).toEqual([
      { row: 6, message: 'workout_start "2025-07-23T19:16:49" is not an ISO time with an offset like 2025-07-23T19:16:49+02:00' },
      { row: 7, message: 'set_type "heavy" is not one of normal, warmup, drop, failure' },
    ])
  })

  test('a header with Cadence columns in another order is refused', () => {
    const shuffled = [...cadenceCsvColumns].reverse().join(',')
    expect(() => parseImport(`${shuffled}\n${cadenceCsvColumns.map(() => '').join(',')}x\n`)).toThrow(
      /looks like a Cadence CSV export, but its header lacks only Cadence's columns/,
    )
  })
})

describe('generated files', () => {
  const styles = ['strong-comma', 'strong-semicolon', 'hevy'] as const
  test('any generated Strong or Hevy file of valid rows imports to the sets it describes', () => {
    fc.assert(
      fc.property(
        fc.integer(),
        fc.constantFrom(...styles),
        fc.constantFrom<WeightUnit[]>('kg', 'lb'),
        fc.integer({ min: 1, max: 6 }),
        (seed, style, unit, count) => {
          const file =
            style === 'hevy'
              ? hevyFile(generateWorkouts(seed, count, 'hevy', unit), unit)
              : strongFile(generateWorkouts(seed, count, 'strong', unit), style === 'strong-comma' ? 'comma' : 'semicolon', unit)
          const parsed = parseImport(file.text, style === 'strong-comma' ? { units: unit } : {})
          expect(parsed.problems).toEqual([])
          expect(parsed.rows).toBe(file.rows)
          expect(parsed.weightUnit).toBe(unit)
          expect(parsed.workouts).toEqual(file.workouts)
        },
      ),
      { numRuns: 150 },
    )
  })

  test('a five-year Strong history of about 60,000 rows reads whole', () => {
    const file = fiveYearStrongHistory(7)
    expect(file.rows).toBeGreaterThan(54_000)
    expect(file.rows).toBeLessThan(66_000)
    const parsed = parseImport(file.text, { units: 'kg' })
    expect(parsed.problems).toEqual([])
    expect(parsed.rows).toBe(file.rows)
    expect(parsed.workouts).toEqual(file.workouts)
    expect(
      new Set(file.workouts.flatMap((w) => w.exercises.flatMap((e) => e.sets.map((s) => s.notes)))).has('Two lines\nsecond line'),
    ).toBe(true)
  })
})
