import { describe, expect, test } from 'vitest'
import type { ImportedWorkout, ParsedImport } from './model'
import { summarize } from './summary'

function workout(startedAt: string, exercises: [string, number][]): ImportedWorkout {
  return {
    key: startedAt,
    name: 'W',
    startedAt,
    row: 2,
    exercises: exercises.map(([name, sets]) => ({
      name,
      row: 2,
      sets: Array.from({ length: sets }, () => ({ row: 2, setType: 'normal' as const })),
    })),
  }
}

const base: Omit<ParsedImport, 'workouts'> = {
  format: 'hevy',
  formatLabel: 'Hevy (kg)',
  weightUnit: 'kg',
  needsUnits: false,
  rows: 9,
  problems: [{ row: 4, message: 'x' }],
}

describe('summarize', () => {
  test('counts sets, distinct exercises and the workouts each is in; names sorted; first and last by instant, not file order', () => {
    const summary = summarize({
      ...base,
      workouts: [
        workout('2025-03-02T10:00:00+02:00', [
          ['Squat', 3],
          ['Bench', 2],
          ['Squat', 1],
        ]),
        workout('2025-03-01T23:30:00-05:00', [['Bench', 2]]),
        workout('2025-03-02T09:00:00+00:00', [['Row', 1]]),
      ],
    })
    expect(summary).toEqual({
      ...base,
      workouts: 3,
      exercises: 3,
      sets: 9,
      // 2025-03-02T08:00Z, then 04:30Z (first) and 09:00Z (last).
      firstDate: '2025-03-01T23:30:00-05:00',
      lastDate: '2025-03-02T09:00:00+00:00',
      exerciseNames: [
        { name: 'Bench', sets: 4, workouts: 2 },
        { name: 'Row', sets: 1, workouts: 1 },
        { name: 'Squat', sets: 4, workouts: 1 },
      ],
    })
  })

  test('no workouts: no dates', () => {
    expect(summarize({ ...base, workouts: [] })).toMatchObject({
      workouts: 0,
      sets: 0,
      exercises: 0,
      firstDate: null,
      lastDate: null,
      exerciseNames: [],
    })
  })
})
