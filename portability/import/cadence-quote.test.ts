/**
 * Cadence's spreadsheet CSV escapes text a spreadsheet would run as a formula with a leading `'`
 * (`escapeFormulae` in `portability/export/csv.ts`); reading the file back must give the text as
 * the user wrote it. The round trip goes through the export's own rows and papaparse's escaping,
 * so a change of either shows here.
 */
import Papa from 'papaparse'
import { describe, expect, test } from 'vitest'
import { cadenceRows, type CsvWorkout } from '@/portability/export/csv'
import { cadenceCsvColumns } from './model'
import { parseImport } from './parse'

describe('Cadence CSV: formula escaping', () => {
  test('names and notes starting with = + - @ come back without the export’s quote', () => {
    const workout: CsvWorkout = {
      name: '=Push',
      startedAt: new Date(Date.UTC(2025, 6, 21, 16, 0, 0)),
      notes: '+1 set next time',
      exercises: [
        {
          name: '@Home press',
          superset: null,
          blockNotes: '-5 kg: shoulder',
          sets: [{ setType: 'normal', weightKg: 40, reps: 10, notes: '=SUM(A1:A2)' }],
        },
      ],
    }
    const csv = Papa.unparse(cadenceRows([workout]), { escapeFormulae: true })
    // The file holds the escaped text, as a spreadsheet shows it.
    expect(csv).toContain(`'=Push`)
    expect(csv).toContain(`'=SUM(A1:A2)`)

    const parsed = parseImport(csv)
    expect(parsed.problems).toEqual([])
    const [read] = parsed.workouts
    expect(read).toMatchObject({ name: '=Push', notes: '+1 set next time' })
    expect(read!.exercises).toMatchObject([
      { name: '@Home press', notes: '-5 kg: shoulder', sets: [{ weightKg: 40, reps: 10, notes: '=SUM(A1:A2)' }] },
    ])
  })

  test('only a quote before a formula character is removed', () => {
    const row = (workoutName: string, setNotes: string) =>
      ['2025-07-23T19:16:49+02:00', workoutName, '', '', 'Squat', '', '', '1', 'normal', '100', '5', '', '', '', '', setNotes].join(',')
    const parsed = parseImport([cadenceCsvColumns.join(','), row(`''=Twice`, `'quoted by me`), row(`'-Legs`, `'@`)].join('\n'))
    expect(parsed.problems).toEqual([])
    expect(parsed.workouts.map((w) => w.name).sort()).toEqual([`''=Twice`, '-Legs'].sort())
    const notes = parsed.workouts.flatMap((w) => w.exercises.flatMap((e) => e.sets.map((s) => s.notes)))
    expect(notes.sort()).toEqual([`'quoted by me`, '@'].sort())
  })
})
