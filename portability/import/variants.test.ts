/**
 * Layouts the importer meets in real exports, beyond the fixtures of `parse.test.ts`: each case
 * is a variant seen in public importers, sample files and bug reports (Strong's 12-hour dates
 * and per-row units, FitNotes' older `Weight (kgs)` header and localized dates, Hevy's fully
 * quoted header…), and the shapes any spreadsheet gives a file (CRLF, a BOM, blank lines at the
 * end, a delimiter after the last column, columns moved, renamed in case or padded). The files
 * are written here by hand. Times without a zone are read in this machine's zone, so expected
 * starts are built the same way.
 */
import { describe, expect, test } from 'vitest'
import { KG_PER_LB, M_PER_MI } from '@/domain/units'
import { formatLocalIso, roundConverted } from './formats/reading'
import { readStrongDuration } from './formats/strong'
import { ImportFileError } from './model'
import { decodeImportFile, parseImport } from './parse'

const local = (y: number, month: number, d: number, h = 0, mi = 0, s = 0) => formatLocalIso(new Date(y, month - 1, d, h, mi, s))
const lb = (n: number) => roundConverted(n * KG_PER_LB)
const sets = (text: string, units?: 'kg' | 'lb') =>
  parseImport(text, units ? { units } : {}).workouts.flatMap((w) => w.exercises.flatMap((e) => e.sets))

const strongHeader = 'Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps,Distance,Seconds,Notes,Workout Notes,RPE'

describe('Strong variants', () => {
  test('a phone on a 12-hour clock writes "7:16:49 PM", with a narrow no-break space and in either case', () => {
    const text = [
      strongHeader,
      '2024-03-05 6:04:22\u202fpm,"A",1h,"Squat",1,100,5,0,0,"","",',
      '2024-03-06 12:04:22 AM,"B",45m,"Squat",1,100,5,0,0,"","",',
      '2024-03-07 12:30:00 p.m.,"C",45m,"Squat",1,100,5,0,0,"","",',
      '2024-03-08 13:30:00 PM,"D",45m,"Squat",1,100,5,0,0,"","",',
    ].join('\n')
    const parsed = parseImport(text, { units: 'kg' })
    expect(parsed.workouts.map((w) => w.startedAt)).toEqual([
      local(2024, 3, 5, 18, 4, 22),
      local(2024, 3, 6, 0, 4, 22),
      local(2024, 3, 7, 12, 30),
    ])
    expect(parsed.problems).toEqual([{ row: 5, message: 'Date "2024-03-08 13:30:00 PM" is not a date like 2025-07-23 19:16:49' }])
  })

  test.each([
    ['29m', 1740],
    ['1h 5m', 3900],
    ['1h', 3600],
    ['30s', 30],
    ['2h 0m 3s', 7203],
    ['45.5m', 2730],
    ['1 h 5 min', 3900],
    ['0m', 0],
  ])('Duration %s is %i seconds', (text, seconds) => {
    expect(readStrongDuration(text)).toBe(seconds)
  })

  test('a zero or unreadable Duration leaves the workout without a length and says so only when unreadable', () => {
    const parsed = parseImport(
      [strongHeader, '2024-03-05 18:00:00,A,0m,Squat,1,100,5,0,0,,,', '2024-03-06 18:00:00,B,about an hour,Squat,1,100,5,0,0,,,'].join(
        '\n',
      ),
      { units: 'kg' },
    )
    expect(parsed.workouts.map((w) => w.durationSeconds)).toEqual([undefined, undefined])
    expect(parsed.problems).toEqual([{ row: 3, message: 'Duration "about an hour" is not a duration like 1h 5m: the workout has none' }])
  })

  test('the 10-column export (no notes columns) and a comma file that names its unit in the header', () => {
    const ten =
      'Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps,Distance,Seconds,RPE\n2024-11-28 17:36:08,"B",35m,"Bent Over Row (Barbell)",1,10.0,13.0,0,0.0,\n'
    expect(parseImport(ten, { units: 'kg' }).workouts[0]).toMatchObject({
      durationSeconds: 2100,
      exercises: [{ sets: [{ weightKg: 10, reps: 13 }] }],
    })
    const pounds = parseImport(
      'Date,Workout Name,Duration,Exercise Name,Set Order,Weight (lbs),Reps,Distance,Seconds,RPE\n2024-11-28 17:36:08,B,35m,Bench Press,1,225,5,0,0,\n',
    )
    expect(pounds).toMatchObject({ weightUnit: 'lb', needsUnits: false })
    expect(pounds.workouts[0]!.exercises[0]!.sets[0]!.weightKg).toBe(lb(225))
  })

  test('the layout with Weight Unit and Distance Unit on every row: each row in its own unit, Workout Duration read', () => {
    const text = [
      'Date;Workout Name;Exercise Name;Set Order;Weight;Weight Unit;Reps;RPE;Distance;Distance Unit;Seconds;Notes;Workout Notes;Workout Duration',
      '2019-01-11 12:31:54;"Leg";"Deadlift (Barbell)";1;20;kg;5;;;;0;"";"";1h 2m',
      '2019-01-11 12:31:54;"Leg";"Deadlift (Barbell)";2;22,5;kg;5;8;;;0;"";"";1h 2m',
      '2019-01-11 12:31:54;"Leg";"Running";1;;;;;3,1;mi;1500;"";"";1h 2m',
      '2019-01-12 12:31:54;"Arms";"Curl";1;45;lbs;5;;;;0;"";"";30m',
      '2019-01-12 12:31:54;"Arms";"Curl";2;45;stone;5;;;;0;"";"";30m',
    ].join('\n')
    const parsed = parseImport(text)
    expect(parsed).toMatchObject({ needsUnits: false, weightUnit: 'kg', formatLabel: 'Strong (semicolon, units on each row)' })
    expect(parsed.workouts.map((w) => [w.name, w.durationSeconds])).toEqual([
      ['Leg', 3720],
      ['Arms', 1800],
    ])
    expect(sets(text).map((s) => [s.weightKg, s.reps, s.distanceM, s.seconds, s.rpe])).toEqual([
      [20, 5, undefined, undefined, undefined],
      [22.5, 5, undefined, undefined, 8],
      [undefined, undefined, roundConverted(3.1 * M_PER_MI), 1500, undefined],
      [lb(45), 5, undefined, undefined, undefined],
    ])
    expect(parsed.problems).toEqual([{ row: 6, message: 'Weight unit "stone" is not kg or lbs' }])
  })
})

describe('Hevy variants', () => {
  test('a fully quoted header, CRLF, blank lines at the end, empty rpe, superset_id and duration_seconds', () => {
    const text =
      '"title","start_time","end_time","description","exercise_title","superset_id","exercise_notes","set_index","set_type","weight_kg","reps","distance_km","duration_seconds","rpe"\r\n' +
      '"Morning","15 Sep 2025, 07:48","15 Sep 2025, 08:40","","Bench Press (Barbell)","","",0,"normal",60,5,,,7\r\n' +
      '"Morning","15 Sep 2025, 07:48","15 Sep 2025, 08:40","","Bench Press (Barbell)","","",1,"normal",60,5,"","",""\r\n\r\n\r\n'
    const parsed = parseImport(text)
    expect(parsed).toMatchObject({ rows: 2, problems: [] })
    expect(parsed.workouts).toEqual([
      {
        key: 'hevy|15 Sep 2025, 07:48|Morning',
        name: 'Morning',
        startedAt: local(2025, 9, 15, 7, 48),
        durationSeconds: 52 * 60,
        row: 2,
        exercises: [
          {
            name: 'Bench Press (Barbell)',
            row: 2,
            sets: [
              { row: 2, setType: 'normal', weightKg: 60, reps: 5, rpe: 7 },
              { row: 3, setType: 'normal', weightKg: 60, reps: 5 },
            ],
          },
        ],
      },
    ])
  })

  test('columns in another order, in another case, padded with spaces, with columns Hevy never wrote; times with seconds or ISO', () => {
    const text = [
      ' Exercise_Title ,TITLE, set_type,reps,Weight_LBS,start_time,end_time,app_version',
      '"Curl","Arms",warmup,12,30,"1 April 2025, 06:15:30","1 Apr 2025, 07:00",2.1',
      '"Curl","Arms",normal,10,30,"1 April 2025, 06:15:30","1 Apr 2025, 07:00",2.1',
      '"Curl","Late",normal,10,30,"2025-04-02T21:15:00+02:00",,2.1',
    ].join('\n')
    const parsed = parseImport(text)
    expect(parsed).toMatchObject({ format: 'hevy', weightUnit: 'lb', problems: [] })
    expect(parsed.workouts.map((w) => [w.name, w.startedAt, w.durationSeconds])).toEqual([
      ['Arms', local(2025, 4, 1, 6, 15, 30), 44 * 60 + 30],
      ['Late', formatLocalIso(new Date(Date.UTC(2025, 3, 2, 19, 15))), undefined],
    ])
    expect(parsed.workouts[0]!.exercises[0]!.sets.map((s) => [s.setType, s.weightKg])).toEqual([
      ['warmup', lb(30)],
      ['normal', lb(30)],
    ])
  })

  test('a tab-separated file is read like a comma one', () => {
    const text = 'title\tstart_time\texercise_title\tset_type\tweight_kg\treps\nPush\t28 Mar 2025, 17:29\tBench Press\tnormal\t80\t5\n'
    expect(sets(text)).toEqual([{ row: 2, setType: 'normal', weightKg: 80, reps: 5 }])
  })
})

describe('FitNotes variants', () => {
  test('the older header with the unit in it, "Weight (kgs)", and Time as h:mm:ss, mm:ss or seconds', () => {
    const text = [
      'Date,Exercise,Category,Weight (kgs),Reps,Distance,Distance Unit,Time,Comment',
      '2018-01-14,Bench Press,Chest,100,5,,,,"good"',
      '2018-01-14,Rowing Machine,Cardio,,,200.0,m,0:01:48,""',
      '2018-01-14,Plank,Abs,0.0,0,,,45:00,',
      '2018-01-14,Wall Sit,Legs,0.0,0,,,90,',
    ].join('\n')
    const parsed = parseImport(text)
    expect(parsed).toMatchObject({ weightUnit: 'kg', needsUnits: false, problems: [] })
    expect(sets(text).map((s) => [s.weightKg, s.reps, s.distanceM, s.seconds, s.notes])).toEqual([
      [100, 5, undefined, undefined, 'good'],
      [undefined, undefined, 200, 108, undefined],
      [undefined, undefined, undefined, 2700, undefined],
      [undefined, undefined, undefined, 90, undefined],
    ])
  })

  test('kgs and lbs rows in one file, each in its own unit', () => {
    const text =
      'Date,Exercise,Category,Weight,Weight Unit,Reps,Distance,Distance Unit,Time\n2025-12-23,Bench Press,Chest,80,kgs,5,,,\n2025-12-23,Curl,Arms,30,lbs,10,,,\n'
    expect(sets(text).map((s) => s.weightKg)).toEqual([80, lb(30)])
  })

  test('dates in the phone locale: day first, month first, dotted; the file decides for its ambiguous rows', () => {
    const header = 'Date,Exercise,Category,Weight,Weight Unit,Reps,Distance,Distance Unit,Time'
    const starts = (...dates: string[]) =>
      parseImport([header, ...dates.map((d) => `${d},Squat,Legs,100,kgs,3,,,`)].join('\n')).workouts.map((w) => w.startedAt)
    expect(starts('23/12/2025', '05/01/2026')).toEqual([local(2025, 12, 23), local(2026, 1, 5)])
    expect(starts('12/31/2025', '01/05/2026')).toEqual([local(2025, 12, 31), local(2026, 1, 5)])
    expect(starts('23.12.2025', '5.1.2026')).toEqual([local(2025, 12, 23), local(2026, 1, 5)])
    // Nothing says which: day first.
    expect(starts('04/05/2026')).toEqual([local(2026, 5, 4)])
    const bad = parseImport([header, '31/31/2025,Squat,Legs,100,kgs,3,,,', '01/02/2025,Squat,Legs,100,kgs,3,,,'].join('\n'))
    expect(bad.problems).toEqual([{ row: 2, message: 'Date "31/31/2025" is not a date like 2025-07-23 or 23/07/2025' }])
  })

  test('a bare Weight column with no unit anywhere asks for the unit, like Strong', () => {
    const text = 'Date,Exercise,Category,Weight,Reps\n2026-01-05,Bench Press,Chest,60,8\n'
    expect(parseImport(text)).toMatchObject({ format: 'fitnotes', needsUnits: true, weightUnit: 'kg' })
    expect(parseImport(text, { units: 'lb' })).toMatchObject({ needsUnits: false, weightUnit: 'lb' })
    expect(sets(text, 'lb')[0]!.weightKg).toBe(lb(60))
  })
})

describe('StrongLifts variants', () => {
  test('slots with 0 reps are unused, and a row of only unused slots is a problem, not an empty exercise', () => {
    const text =
      'Date (yyyy/mm/dd),Workout Name,Exercise,Start Time (h:mm),End Time (h:mm),Set 1 (Reps),Set 1 (LB),Set 2 (Reps),Set 2 (LB),Set 3 (Reps),Set 3 (LB)\r\n' +
      '2025/01/02,Workout A,Squat,7:05 PM,7:50 PM,5,135,0,135,5,135\r\n' +
      '2025/01/02,Workout A,Bench Press,7:05 PM,7:50 PM,0,0,0,0,0,0\r\n'
    const parsed = parseImport(text)
    expect(parsed.workouts).toHaveLength(1)
    expect(parsed.workouts[0]).toMatchObject({ startedAt: local(2025, 1, 2, 19, 5), durationSeconds: 45 * 60 })
    expect(sets(text).map((s) => [s.reps, s.weightKg])).toEqual([
      [5, lb(135)],
      [5, lb(135)],
    ])
    expect(parsed.problems).toEqual([{ row: 3, message: 'Bench Press has no set with reps' }])
  })
})

describe('what every spreadsheet does to a file', () => {
  const row = '2024-11-28 17:36:08,B,35m,Bench,1,100,5,0,0,,,'

  test('a BOM on a comma file, CRLF and a delimiter after the last column of every line', () => {
    const text = `\ufeff${strongHeader},\r\n${row},\r\n${row},\r\n`
    const parsed = parseImport(text, { units: 'kg' })
    expect(parsed).toMatchObject({ format: 'strong', rows: 2, problems: [] })
    expect(sets(text, 'kg')).toHaveLength(2)
  })

  test('a delimiter after the last column of the data rows only is read; a row longer still is refused', () => {
    const text = [strongHeader, `${row},`, `${row},`, '2024-11-28 17:36:08,B,35m,Bench,1,1,5,5,0,0,,,,'].join('\n')
    const parsed = parseImport(text, { units: 'kg' })
    expect(sets(text, 'kg').map((s) => s.row)).toEqual([2, 3])
    expect(parsed.problems).toEqual([{ row: 4, message: 'The row has 14 fields but the header has 12 (a "," in an unquoted note?)' }])
  })

  test('a decimal comma in a comma file shifts the row: it is refused, not read as other columns', () => {
    const parsed = parseImport([strongHeader, '2024-11-28 17:36:08,B,35m,Bench,1,82,5,5,0,0,,,'].join('\n') + '\n' + row, { units: 'kg' })
    expect(parsed.problems).toEqual([{ row: 2, message: 'The row has 13 fields but the header has 12 (a "," in an unquoted note?)' }])
    expect(parsed.workouts[0]!.exercises[0]!.sets).toEqual([{ row: 3, setType: 'normal', weightKg: 100, reps: 5 }])
  })

  test('two exports joined: the second header is a problem, the rows after it are read', () => {
    const parsed = parseImport([strongHeader, row, strongHeader, row.replace('Bench', 'Squat')].join('\n'), { units: 'kg' })
    expect(parsed.problems).toEqual([{ row: 3, message: 'The header again: two exports joined into one file? The row is not a set' }])
    expect(parsed.workouts[0]!.exercises.map((e) => e.name)).toEqual(['Bench', 'Squat'])
  })

  test('a CSV of something else is still refused with the clear message', () => {
    for (const text of [
      'Date,Amount,Payee\n2025-01-01,5,Shop\n',
      'Date,Exercise,Reps\n2025-01-01,Squat,5\n',
      'title,start_time,reps\nA,2025-01-01,5\n',
    ]) {
      expect(() => parseImport(text)).toThrow(ImportFileError)
      expect(() => parseImport(text)).toThrow(/is not an export Cadence can read|looks like a/)
    }
  })
})

describe('decodeImportFile', () => {
  test('Windows-1252 (a spreadsheet saved as CSV on Windows) keeps its accents; UTF-8 and UTF-16 with a BOM are read as such', () => {
    const latin = Buffer.from('Date,Exercise,Category,Weight (kgs),Reps\n2025-01-01,D\xe9velopp\xe9 couch\xe9,Pecs,80,5\n', 'latin1')
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(latin)).toThrow()
    expect(parseImport(decodeImportFile(latin)).workouts[0]!.exercises[0]!.name).toBe('Développé couché')
    const utf8 = 'Date,Exercise,Category,Weight (kgs),Reps\n2025-01-01,Приседания 💪,Ноги,80,5\n'
    expect(decodeImportFile(Buffer.from(utf8))).toBe(utf8)
    expect(decodeImportFile(Buffer.from(`\ufeff${utf8}`, 'utf16le'))).toBe(utf8)
    expect(decodeImportFile(Buffer.from(`\ufeff${utf8}`))).toBe(utf8)
    expect(parseImport(decodeImportFile(Buffer.from(`\ufeff${utf8}`, 'utf16le'))).workouts[0]!.exercises[0]!.name).toBe('Приседания 💪')
  })
})
