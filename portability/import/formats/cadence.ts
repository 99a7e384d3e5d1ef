/**
 * Cadence's own one-row-per-set CSV (`cadenceCsvColumns` in `../model.ts`, written by the export):
 * values already in kg, m and s; `workout_start` ISO 8601 with its offset; `set_type` a
 * {@link SetType} name; `superset` a key shared by the exercises of one superset. The header must
 * be exactly Cadence's, so a file edited into another shape is refused rather than misread.
 *
 * The export escapes text a spreadsheet would run as a formula with a leading `'` (papaparse's
 * `escapeFormulae`: text starting with `=`, `+`, `-`, `@`, a tab or a carriage return); reading
 * undoes it in the text columns, so a note "-5 kg next time" comes back as written.
 */
import { setTypes, type SetType } from '@/domain/set-types'
import { cadenceCsvColumns } from '../model'
import {
  clip,
  Columns,
  compact,
  limits,
  missingColumns,
  optionalText,
  readExerciseName,
  readIsoLike,
  readMeasure,
  readNotes,
  readRpe,
  readWorkoutName,
  SkipRow,
  WorkoutCollector,
  workoutStart,
  type FormatDefinition,
} from './reading'

/** Characters after which the export's formula-escaping `'` is dropped again (papaparse's set). */
const escapedFormula = /^'[=+\-@\t\r]/

/** A text field as the user wrote it: one formula-escaping `'` removed. */
function unescapeFormula(text: string): string {
  return escapedFormula.test(text) ? text.slice(1) : text
}

export const cadence: FormatDefinition = {
  format: 'cadence',
  name: 'Cadence CSV',
  signature: cadenceCsvColumns,
  missing(columns) {
    const missing = missingColumns(columns, cadenceCsvColumns)
    if (missing.length > 0) return missing
    const exact =
      columns.names.length === cadenceCsvColumns.length && columns.names.every((n, i) => Columns.key(n) === cadenceCsvColumns[i])
    return exact ? [] : [`only Cadence's columns, in its order (${cadenceCsvColumns.join(',')})`]
  },
  create(_columns, context) {
    const collector = new WorkoutCollector()
    return {
      formatLabel: 'Cadence CSV',
      weightUnit: 'kg',
      needsUnits: false,
      read(row) {
        const text = (column: string) => unescapeFormula(row.text(column))
        const startText = row.trimmed('workout_start')
        const start = readIsoLike(startText, true)
        if (!start) {
          throw new SkipRow(
            startText === ''
              ? 'workout_start is empty'
              : `workout_start "${clip(startText)}" is not an ISO time with an offset like 2025-07-23T19:16:49+02:00`,
          )
        }
        const startedAt = workoutStart(start, startText)
        const name = readWorkoutName(text('workout_name'), 'Workout')
        const exerciseName = readExerciseName(text('exercise'))
        const typeText = row.trimmed('set_type')
        const setType = (typeText === '' ? 'normal' : typeText) as SetType
        if (!setTypes.includes(setType)) throw new SkipRow(`set_type "${clip(typeText)}" is not one of ${setTypes.join(', ')}`)
        const values = compact({
          weightKg: readMeasure(row.text('weight_kg'), 'weight_kg', limits.weightKg),
          reps: readMeasure(row.text('reps'), 'reps', limits.reps),
          distanceM: readMeasure(row.text('distance_m'), 'distance_m', limits.distanceM),
          seconds: readMeasure(row.text('seconds'), 'seconds', limits.seconds),
          rpe: readRpe(row.text('rpe')),
          restSeconds: readMeasure(row.text('rest_seconds'), 'rest_seconds', limits.seconds),
          notes: readNotes(text('set_notes'), 'The set note', row.number, context),
        })
        const durationSeconds = readMeasure(row.text('workout_duration_seconds'), 'workout_duration_seconds', limits.seconds)

        const workout = collector.workout(`cadence|${startText}|${name}`, () => ({
          name,
          startedAt,
          row: row.number,
          ...compact({ durationSeconds, notes: readNotes(text('workout_notes'), 'The workout note', row.number, context) }),
        }))
        const exercise = collector.exercise(workout, exerciseName, row.number, optionalText(text('superset').trim()))
        if (exercise.notes === undefined) {
          const exerciseNotes = readNotes(text('exercise_notes'), 'The exercise note', row.number, context)
          if (exerciseNotes !== undefined) exercise.notes = exerciseNotes
        }
        exercise.sets.push({ row: row.number, setType, ...values })
      },
      finish: () => collector.list(),
    }
  },
}
