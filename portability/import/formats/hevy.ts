/**
 * Hevy's CSV export, one row per set:
 * `title,start_time,end_time,description,exercise_title,superset_id,exercise_notes,set_index,set_type,weight_kg,reps,distance_km,duration_seconds,rpe`
 * (imperial files: `weight_lbs`, `distance_miles`). Times are `28 Mar 2025, 17:29` in the
 * device's zone, or ISO. A workout is the rows with the same `title` and `start_time`; its length
 * is `end_time` − `start_time`. A non-empty `superset_id` groups the exercises that share it.
 * `set_index` (0-based) only restates the file's order, which is kept.
 */
import type { SetType } from '@/domain/set-types'
import {
  clip,
  compact,
  kgPer,
  limits,
  localDate,
  metresPerUnit,
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

const hevySetTypes: Readonly<Record<string, SetType>> = { normal: 'normal', warmup: 'warmup', dropset: 'drop', failure: 'failure' }

const months = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec']

/** `28 Mar 2025, 17:29` (seconds optional; month names in English, short or long) or ISO; undefined when neither. */
export function readHevyTime(text: string): Date | undefined {
  const m = /^(\d{1,2}) ([a-z]+)\.? (\d{4}),? (\d{1,2}):(\d{2})(?::(\d{2}))?$/i.exec(text.trim())
  if (!m) return readIsoLike(text)
  const [, d, monthName, y, h, mi, s] = m
  const month = months.indexOf(monthName!.slice(0, 3).toLowerCase()) + 1
  if (month === 0) return undefined
  return localDate(Number(y), month, Number(d), Number(h), Number(mi), Number(s ?? 0))
}

export const hevy: FormatDefinition = {
  format: 'hevy',
  name: 'Hevy',
  signature: ['title', 'start_time', 'end_time', 'exercise_title', 'superset_id', 'set_index', 'set_type', 'weight_kg', 'weight_lbs'],
  missing: (columns) => missingColumns(columns, ['title', 'start_time', 'exercise_title', 'set_type', ['weight_kg', 'weight_lbs'], 'reps']),
  create(columns, context) {
    const weightUnit = columns.has('weight_kg') ? 'kg' : 'lb'
    const weightColumn = weightUnit === 'kg' ? 'weight_kg' : 'weight_lbs'
    const distanceColumn = columns.first('distance_km', 'distance_miles', 'distance_meters')
    const metresPerDistance = metresPerUnit(distanceColumn?.replace('distance_', '') ?? 'km')!
    const collector = new WorkoutCollector()

    return {
      formatLabel: `Hevy (${weightUnit})`,
      weightUnit,
      needsUnits: false,
      read(row) {
        const startText = row.trimmed('start_time')
        const start = readHevyTime(startText)
        if (!start)
          throw new SkipRow(
            startText === '' ? 'The start time is empty' : `Start time "${clip(startText)}" is not a time like 28 Mar 2025, 17:29`,
          )
        const startedAt = workoutStart(start, startText)
        const name = readWorkoutName(row.text('title'), 'Workout')
        const exerciseName = readExerciseName(row.text('exercise_title'))
        const typeText = row.trimmed('set_type').toLowerCase()
        const setType = typeText === '' ? 'normal' : hevySetTypes[typeText]
        if (!setType) throw new SkipRow(`Set type "${clip(typeText)}" is not normal, warmup, dropset or failure`)
        const values = compact({
          weightKg: readMeasure(row.text(weightColumn), 'Weight', limits.weightKg, kgPer[weightUnit]),
          reps: readMeasure(row.text('reps'), 'Reps', limits.reps),
          distanceM: readMeasure(row.text(distanceColumn), 'Distance', limits.distanceM, metresPerDistance),
          seconds: readMeasure(row.text('duration_seconds'), 'Duration', limits.seconds),
          rpe: readRpe(row.text('rpe')),
        })

        const workout = collector.workout(`hevy|${startText}|${name}`, () => {
          const endText = row.trimmed('end_time')
          const end = endText === '' ? undefined : readHevyTime(endText)
          if (endText !== '' && !end) context.problem(row.number, `End time "${clip(endText)}" is not a time: the workout has no duration`)
          const seconds = end && Math.round((end.getTime() - start.getTime()) / 1000)
          if (seconds !== undefined && seconds < 0) context.problem(row.number, 'The workout ends before it starts: it has no duration')
          return {
            name,
            startedAt,
            row: row.number,
            ...compact({
              durationSeconds: seconds !== undefined && seconds > 0 ? seconds : undefined,
              notes: readNotes(row.text('description'), 'The workout note', row.number, context),
            }),
          }
        })
        const supersetKey = optionalText(row.trimmed('superset_id'))
        const exercise = collector.exercise(workout, exerciseName, row.number, supersetKey)
        if (exercise.notes === undefined) {
          const exerciseNotes = readNotes(row.text('exercise_notes'), 'The exercise note', row.number, context)
          if (exerciseNotes !== undefined) exercise.notes = exerciseNotes
        }
        exercise.sets.push({ row: row.number, setType, ...values })
      },
      finish: () => collector.list(),
    }
  },
}
