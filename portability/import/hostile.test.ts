/**
 * Files made to break the importer. Each must end either in a parse with row problems or in an
 * ImportFileError whose message says what is wrong — never another error, never a hang (each
 * case is timed), and never a value the writing mutations would refuse: every name, note, key,
 * number and start in the output is checked against the bounds of `importWorkouts` and
 * `createActivity` by {@link expectStorable}. The last cases run `npm run import:preview` on such
 * files as a user would (a few spawns: tsx starts slowly).
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, test } from 'vitest'
import { boundedKey, formatLocalIso, limits, MAX_KEY_LENGTH, textLimits, workoutYears } from './formats/reading'
import { cadenceCsvColumns, ImportFileError, type ParsedImport } from './model'
import { parseImport } from './parse'

const strongHeader = 'Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps,Distance,Seconds,Notes,Workout Notes,RPE'
type RowParts = { date?: string; workout?: string; exercise?: string; weight?: string; notes?: string; workoutNotes?: string }
const row = (p: RowParts = {}) =>
  [
    p.date ?? '2025-01-01 10:00:00',
    p.workout ?? 'A',
    '1h',
    p.exercise ?? 'Squat',
    '1',
    p.weight ?? '100',
    '5',
    '0',
    '0',
    p.notes ?? '',
    p.workoutNotes ?? '',
    '',
  ].join(',')
const strong = (...rows: string[]) => [strongHeader, ...rows].join('\n')

const iso = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?[+-]\d{2}:\d{2}$/
const storableText = (t: string) => !t.includes('\u0000') && t.isWellFormed()

/** Everything in the parse is within what the import mutations accept. */
function expectStorable(parsed: ParsedImport) {
  for (const w of parsed.workouts) {
    expect(w.key.length).toBeLessThanOrEqual(MAX_KEY_LENGTH)
    expect(storableText(w.key)).toBe(true)
    expect(w.name.length).toBeLessThanOrEqual(textLimits.name)
    expect(storableText(w.name)).toBe(true)
    expect(w.startedAt).toMatch(iso)
    const year = new Date(w.startedAt).getFullYear()
    expect(year >= workoutYears.first - 1 && year <= workoutYears.last + 1).toBe(true)
    if (w.notes !== undefined) expect(w.notes.length <= textLimits.notes && storableText(w.notes)).toBe(true)
    if (w.durationSeconds !== undefined) expect(w.durationSeconds > 0 && w.durationSeconds <= limits.seconds.max).toBe(true)
    for (const e of w.exercises) {
      expect(e.name.trim().length).toBeGreaterThan(0)
      expect(e.name.length).toBeLessThanOrEqual(textLimits.name)
      expect(storableText(e.name)).toBe(true)
      if (e.notes !== undefined) expect(e.notes.length <= textLimits.notes && storableText(e.notes)).toBe(true)
      for (const s of e.sets) {
        for (const [value, max] of [
          [s.weightKg, limits.weightKg.max],
          [s.reps, limits.reps.max],
          [s.distanceM, limits.distanceM.max],
          [s.seconds, limits.seconds.max],
          [s.restSeconds, limits.seconds.max],
          [s.rpe, 10],
        ] as const) {
          if (value !== undefined) expect(Number.isFinite(value) && value > 0 && value <= max).toBe(true)
        }
        if (s.notes !== undefined) expect(s.notes.length <= textLimits.notes && storableText(s.notes)).toBe(true)
      }
    }
  }
}

/** Parses within `ms`; returns the parse (checked storable) or the ImportFileError. Any other error fails the test. */
function attempt(text: string, ms = 5000): ParsedImport | ImportFileError {
  const started = performance.now()
  let result: ParsedImport | ImportFileError
  try {
    result = parseImport(text, { fileName: 'hostile.csv', units: 'kg' })
    expectStorable(result)
  } catch (error) {
    if (!(error instanceof ImportFileError)) throw error
    expect(error.message).toMatch(/^"hostile\.csv" /)
    result = error
  }
  expect(performance.now() - started).toBeLessThan(ms)
  return result
}

function parsed(text: string): ParsedImport {
  const result = attempt(text)
  if (result instanceof ImportFileError) throw new Error(`expected a parse, got: ${result.message}`)
  return result
}

function refused(text: string): string {
  const result = attempt(text)
  if (!(result instanceof ImportFileError)) throw new Error('expected an ImportFileError')
  return result.message
}

describe('files that are not exports at all', { timeout: 30_000 }, () => {
  test('a 50 MB line without a newline is refused quickly, quoting only its start', () => {
    const message = refused('x'.repeat(50 * 1024 * 1024))
    expect(message).toMatch(/is not an export Cadence can read: .*It starts: "x{79}…"$/)
  })

  test('a million commas, a header only, blank lines only', () => {
    expect(refused(','.repeat(1_000_000))).toMatch(/is empty/)
    expect(refused(strongHeader)).toBe('"hostile.csv" has a Strong header but no rows after it: there is nothing to import.')
    expect(refused(`${strongHeader}\n\n,,,,\r\n`)).toMatch(/no rows after it/)
  })

  test('NUL bytes at the start are refused as a file that is not text', () => {
    expect(refused(`${strongHeader}\u0000\u0000\n${row()}`)).toMatch(/is not a text file/)
  })

  test('a header and then garbage: every garbage row is a problem and nothing is imported', () => {
    const result = parsed(`${strongHeader}\n\u00ff\u00fe garbage !!! ;;;\n@@@@\n\u0007\u0007`)
    expect(result.workouts).toEqual([])
    expect(result.problems.map((p) => p.row)).toEqual([2, 3, 4])
  })
})

describe('fields made to break the reader', { timeout: 30_000 }, () => {
  test('NUL characters past the sniffed start and lone surrogates are dropped or replaced, not stored', () => {
    const filler = Array.from({ length: 3000 }, () => row()).join('\n')
    const result = parsed(
      strong(filler, row({ exercise: 'Sq\u0000uat', notes: 'a\u0000b' }), row({ exercise: 'Press\ud800', notes: 'x\udc00y' })),
    )
    const names = result.workouts[0]!.exercises.map((e) => e.name)
    expect(names).toEqual(['Squat', 'Press\ufffd'])
    expect(result.workouts[0]!.exercises[0]!.sets.at(-1)!.notes).toBe('ab')
    expect(result.workouts[0]!.exercises[1]!.sets[0]!.notes).toBe('x\ufffdy')
  })

  test('a field of 200,000 doubled quotes, and a quote never closed', () => {
    const deep = parsed(strong(row({ notes: `"${'""'.repeat(100_000)}"` })))
    expect(deep.workouts[0]!.exercises[0]!.sets[0]!.notes).toBe('"'.repeat(textLimits.notes))
    expect(deep.problems).toEqual([{ row: 2, message: 'The note is 100,000 characters long: only the first 10,000 are kept' }])
    const open = parsed(strong(row(), row({ notes: '"never closed' }), row()))
    expect(open.problems).toEqual([
      { row: 3, message: 'A quoted field here is never closed, so the rest of the file was read as one field' },
    ])
    expect(open.workouts[0]!.exercises[0]!.sets.map((s) => s.row)).toEqual([2])
  })

  test('numbers that Number() would read: exponents, Infinity, NaN, hex, negatives, full-width digits, a decimal comma in a comma file', () => {
    const weights = ['1e12', 'Infinity', 'NaN', '0x50', '-5', '1,5', '１００', '1000.5', '+5', '.5']
    const result = parsed(strong(...weights.map((weight) => row({ weight }))))
    expect(result.problems).toEqual([
      { row: 2, message: 'Weight "1e12" is not a number' },
      { row: 3, message: 'Weight "Infinity" is not a number' },
      { row: 4, message: 'Weight "NaN" is not a number' },
      { row: 5, message: 'Weight "0x50" is not a number' },
      { row: 6, message: 'Weight -5 is negative' },
      { row: 7, message: 'The row has 13 fields but the header has 12 (a "," in an unquoted note?)' },
      { row: 8, message: 'Weight "１００" is not a number' },
      { row: 9, message: 'Weight 1000.5 is more than 1000 kg: a typo?' },
    ])
    expect(result.workouts[0]!.exercises[0]!.sets.map((s) => s.weightKg)).toEqual([5, 0.5])
  })

  test('dates that do not exist or are placeholders', () => {
    const dates = [
      '2025-02-30 10:00:00',
      '9999-12-31 23:59:59',
      '0000-01-01 00:00:00',
      '2025-13-01 00:00:00',
      '2025-01-01 24:00:00',
      '2024-02-29 10:00:00',
    ]
    const result = parsed(strong(...dates.map((date) => row({ date }))))
    expect(result.problems).toEqual([
      { row: 2, message: 'Date "2025-02-30 10:00:00" is not a date like 2025-07-23 19:16:49' },
      { row: 3, message: 'Date "9999-12-31 23:59:59" is not between the years 1900 and 2100: a typo?' },
      { row: 4, message: 'Date "0000-01-01 00:00:00" is not between the years 1900 and 2100: a typo?' },
      { row: 5, message: 'Date "2025-13-01 00:00:00" is not a date like 2025-07-23 19:16:49' },
      { row: 6, message: 'Date "2025-01-01 24:00:00" is not a date like 2025-07-23 19:16:49' },
    ])
    expect(result.workouts).toHaveLength(1)
  })

  test('notes over 10,000 characters are cut with a problem; the set is kept', () => {
    const result = parsed(strong(row({ notes: 'n'.repeat(20_000), workoutNotes: `${'w'.repeat(9_999)}😀tail` })))
    const workout = result.workouts[0]!
    expect(workout.exercises[0]!.sets[0]!.notes).toBe('n'.repeat(10_000))
    // Cut through the emoji: its first half becomes U+FFFD rather than a lone surrogate.
    expect(workout.notes).toBe(`${'w'.repeat(9_999)}\ufffd`)
    expect(result.problems).toEqual([
      { row: 2, message: 'The note is 20,000 characters long: only the first 10,000 are kept' },
      { row: 2, message: 'The workout note is 10,005 characters long: only the first 10,000 are kept' },
    ])
  })

  test('an exercise name over 200 characters is refused; a long workout name is cut, and its key stays within bounds', () => {
    const result = parsed(
      strong(row({ exercise: 'E'.repeat(201) }), row({ workout: 'W'.repeat(1000) }), row({ workout: `${'W'.repeat(1000)}2` })),
    )
    expect(result.problems).toEqual([{ row: 2, message: `The exercise name is 201 characters long, more than 200: "${'E'.repeat(39)}…"` }])
    // Two names that differ only past the cut are one workout, as the app could not tell them apart either.
    expect(result.workouts.map((w) => [w.name, w.key])).toEqual([['W'.repeat(200), `strong|2025-01-01 10:00:00|${'W'.repeat(200)}`]])
  })

  test('an empty or blank workout name gets a default; an empty exercise name is a problem', () => {
    const result = parsed(strong(row({ workout: '' }), row({ workout: '   ' }), row({ exercise: '  ' })))
    expect(result.workouts.map((w) => w.name)).toEqual(['Workout'])
    expect(result.problems).toEqual([{ row: 4, message: 'The exercise name is empty' }])
  })

  test("the same limits in Cadence's own CSV", () => {
    const line = (name: string, exercise: string, notes: string) =>
      ['2025-07-23T19:16:49+02:00', name, '', '', exercise, '', '', '1', 'normal', '60', '5', '', '', '', '', notes].join(',')
    const result = parsed(
      [cadenceCsvColumns.join(','), line('X'.repeat(600), 'Squat', 'n'.repeat(10_001)), line('A', 'S'.repeat(300), '')].join('\n'),
    )
    expect(result.workouts[0]).toMatchObject({ name: 'X'.repeat(200) })
    expect(result.problems.map((p) => p.row)).toEqual([2, 3])
  })
})

describe('boundedKey and formatLocalIso', () => {
  test('a key within bounds is unchanged; a longer one is cut with a hash of the whole', () => {
    expect(boundedKey('strong|2025|A')).toBe('strong|2025|A')
    const a = boundedKey(`k${'x'.repeat(600)}a`)
    const b = boundedKey(`k${'x'.repeat(600)}b`)
    expect([a.length, b.length]).toEqual([499, 499])
    expect(a).not.toBe(b)
    expect(boundedKey(`k${'x'.repeat(600)}a`)).toBe(a)
  })

  test('a zone whose offset had seconds (Amsterdam, +00:17:30 before 1892) still gets a valid ISO time naming the same instant', () => {
    const zone = process.env.TZ
    process.env.TZ = 'Europe/Amsterdam'
    try {
      const date = new Date(1850, 0, 1, 10, 0, 0)
      const text = formatLocalIso(date)
      expect(text).toMatch(iso)
      expect(new Date(text).getTime()).toBe(date.getTime())
    } finally {
      if (zone === undefined) delete process.env.TZ
      else process.env.TZ = zone
    }
  })
})

describe('npm run import:preview on hostile files', { timeout: 90_000 }, () => {
  const root = fileURLToPath(new URL('../../', import.meta.url))
  const tsx = fileURLToPath(new URL('../../node_modules/tsx/dist/cli.mjs', import.meta.url))
  const dir = mkdtempSync(join(tmpdir(), 'cadence-hostile-'))
  const preview = (file: string) => {
    const result = spawnSync(process.execPath, [tsx, 'scripts/import-preview.ts', file, '--units', 'kg'], { cwd: root, encoding: 'utf8' })
    return { code: result.status, stdout: result.stdout, stderr: result.stderr }
  }
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  test('a file of broken rows previews with its problems (exit 0); a Windows-1252 file keeps its accents', () => {
    const file = join(dir, 'broken.csv')
    writeFileSync(
      file,
      Buffer.from(
        strong(
          row({ exercise: 'D\xe9velopp\xe9', notes: 'n'.repeat(12_000) }),
          row({ weight: 'NaN' }),
          row({ date: '9999-12-31 00:00:00' }),
        ),
        'latin1',
      ),
    )
    const { code, stdout, stderr } = preview(file)
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' })
    const summary = JSON.parse(stdout)
    expect(summary).toMatchObject({
      format: 'strong',
      rows: 3,
      workouts: 1,
      sets: 1,
      exerciseNames: [{ name: 'Développé', sets: 1, workouts: 1 }],
    })
    expect(summary.problems.map((p: { row: number }) => p.row)).toEqual([2, 3, 4])
  })

  test('a 50 MB line and a binary file: exit 1 with one line why', () => {
    const long = join(dir, 'long.csv')
    writeFileSync(long, 'x'.repeat(50 * 1024 * 1024))
    const one = preview(long)
    expect(one.code).toBe(1)
    expect(one.stdout).toBe('')
    expect(one.stderr).toMatch(/^"long\.csv" is not an export Cadence can read: .*It starts: "x+…"\n$/)
    const binary = join(dir, 'log.xlsx')
    writeFileSync(binary, Buffer.from([0x50, 0x4b, 3, 4, 0x14, 0, 6, 0, 8, 0, 0, 0, 0x21, 0, 0xff, 0xfe, 0, 0, 0x80, 0x81]))
    const two = preview(binary)
    expect(two).toEqual({ code: 1, stdout: '', stderr: expect.stringMatching(/^"log\.xlsx" is not a text file/) })
  })
})
