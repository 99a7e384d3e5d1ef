/**
 * StrongLifts' CSV export, one row per exercise of a workout:
 * `Date (yyyy/mm/dd),Workout,Workout Name,Program Name,Body Weight (KG),Exercise,…,Start Time (h:mm),End Time (h:mm),Notes,Set 1 (Reps),Set 1 (KG),Set 2 (Reps),Set 2 (KG),…`
 * (`(LB)` in imperial files). Each `Set N` pair is a set; a slot with 0 or no reps was not used.
 * The summary columns (Sets×Reps, Top Set, e1RM, volumes) restate the sets and are not read.
 * Body weight is not a set and Cadence's import has no place for it, so it is ignored.
 * Timed exercises (`Sets×Time`) keep their times outside the set columns; their rows give no sets.
 *
 * A workout is the rows with the same date, start time and name. `Notes` written alike on every
 * row of a workout are the workout's notes; otherwise each row's are its exercise's.
 */
import type { WeightUnit } from '../model'
import {
  clip,
  compact,
  kgPer,
  limits,
  localDate,
  missingColumns,
  readExerciseName,
  readNotes,
  readNumber,
  readMeasure,
  readWorkoutName,
  SkipRow,
  WorkoutCollector,
  workoutStart,
  type FormatDefinition,
} from './reading'

/** `19:05`, `7:05 PM` → [hours, minutes]; undefined when unreadable. */
export function readClockTime(text: string): [number, number] | undefined {
  const m = /^(\d{1,2}):(\d{2})(?::\d{2})?\s*([ap]\.?m\.?)?$/i.exec(text.trim())
  if (!m) return undefined
  let h = Number(m[1])
  const mi = Number(m[2])
  if (m[3]) {
    if (h < 1 || h > 12) return undefined
    h = (h % 12) + (m[3].toLowerCase().startsWith('p') ? 12 : 0)
  }
  return h > 23 || mi > 59 ? undefined : [h, mi]
}

export const stronglifts: FormatDefinition = {
  format: 'stronglifts',
  name: 'StrongLifts',
  signature: [
    'Date (yyyy/mm/dd)',
    'Workout Name',
    'Program Name',
    'Body Weight (KG)',
    'Body Weight (LB)',
    'Set 1 (Reps)',
    'Set 1 (KG)',
    'Set 1 (LB)',
  ],
  missing: (columns) => missingColumns(columns, ['Date (yyyy/mm/dd)', 'Exercise', 'Set 1 (Reps)', ['Set 1 (KG)', 'Set 1 (LB)']]),
  create(columns, context) {
    const weightUnit: WeightUnit = columns.has('Set 1 (KG)') ? 'kg' : 'lb'
    const weightSuffix = weightUnit === 'kg' ? 'KG' : 'LB'
    const slots: number[] = []
    for (let n = 1; columns.has(`Set ${n} (Reps)`); n++) slots.push(n)
    const collector = new WorkoutCollector()

    return {
      formatLabel: `StrongLifts (${weightUnit})`,
      weightUnit,
      needsUnits: false,
      read(row) {
        const dateText = row.trimmed('Date (yyyy/mm/dd)')
        const m = /^(\d{4})[/-](\d{1,2})[/-](\d{1,2})$/.exec(dateText)
        if (!m) throw new SkipRow(dateText === '' ? 'The date is empty' : `Date "${clip(dateText)}" is not a date like 2025/07/23`)
        const startText = row.trimmed('Start Time (h:mm)')
        const clock: [number, number] | undefined = startText === '' ? [0, 0] : readClockTime(startText)
        if (!clock) throw new SkipRow(`Start time "${clip(startText)}" is not a time like 18:05`)
        const start = localDate(Number(m[1]), Number(m[2]), Number(m[3]), clock[0], clock[1])
        if (!start) throw new SkipRow(`Date "${clip(dateText)}" is not a date like 2025/07/23`)
        const startedAt = workoutStart(start, dateText)
        const exerciseName = readExerciseName(row.text('Exercise'))
        const name = readWorkoutName(row.text('Workout Name'), readWorkoutName(row.text('Workout'), 'StrongLifts workout'))

        const sets = slots.flatMap((n) => {
          const reps = readMeasure(row.text(`Set ${n} (Reps)`), `Set ${n} reps`, limits.reps)
          if (reps === undefined) return []
          const weightKg = readMeasure(row.text(`Set ${n} (${weightSuffix})`), `Set ${n} weight`, limits.weightKg, kgPer[weightUnit])
          return [{ row: row.number, setType: 'normal' as const, ...compact({ weightKg, reps }) }]
        })
        if (sets.length === 0) throw new SkipRow(`${exerciseName} has no set with reps`)

        const workout = collector.workout(`stronglifts|${dateText} ${startText}|${name}`, () => {
          const end = readClockTime(row.trimmed('End Time (h:mm)'))
          let seconds: number | undefined
          if (startText !== '' && end) {
            // A workout past midnight ends "before" it starts.
            seconds = ((((end[0] * 60 + end[1] - (clock[0] * 60 + clock[1])) % 1440) + 1440) % 1440) * 60
          } else {
            const hours = row.trimmed('Duration (hours)')
            try {
              const h = readNumber(hours, 'Duration')
              seconds = h === undefined ? undefined : Math.round(h * 3600)
            } catch {
              context.problem(row.number, `Duration "${clip(hours)}" is not a number of hours: the workout has none`)
            }
          }
          return { name, startedAt, row: row.number, ...compact({ durationSeconds: seconds || undefined }) }
        })
        const exercise = collector.exercise(workout, exerciseName, row.number)
        if (exercise.notes === undefined) {
          const notes = readNotes(row.text('Notes'), 'The note', row.number, context)
          if (notes !== undefined) exercise.notes = notes
        }
        exercise.sets.push(...sets)
      },
      finish() {
        const workouts = collector.list()
        for (const w of workouts) {
          const notes = new Set(w.exercises.map((e) => e.notes))
          const [only] = notes
          if (notes.size === 1 && only !== undefined) {
            w.notes = only
            for (const e of w.exercises) delete e.notes
          }
        }
        return workouts
      },
    }
  },
}
