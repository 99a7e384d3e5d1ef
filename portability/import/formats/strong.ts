/**
 * Strong's CSV export, one row per set, in both layouts it has written:
 *
 * - comma: `Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps,Distance,Seconds,Notes,Workout Notes,RPE`
 *   (older files lack the notes columns). No unit anywhere: weights are in the unit the user
 *   chose (`options.units`), and `Distance` in the matching distance unit, km with kg and miles
 *   with lb, as Strong pairs them; the file cannot tell, so the preview asks.
 * - semicolon, every field quoted, often with a BOM: `"Workout #";"Date";…;"Weight (kg)"` (or
 *   `Weight (lbs)`), `Duration (sec)`, `Distance (meters)`. Its numbers may use a decimal comma.
 *
 * `Set Order` is the set's number, or W (warm-up), D (drop set), F (failure); a `Rest Timer` row
 * carries in `Seconds` the rest after the set before it and is not a set. A workout is the rows
 * with the same `Date` and `Workout Name`. Zeros are "not used" (a cardio row writes weight 0,
 * reps 0).
 */
import type { SetType } from '@/domain/set-types'
import {
  clip,
  compact,
  formatLocalIso,
  kgPer,
  limits,
  metresPerUnit,
  missingColumns,
  optionalText,
  readIsoLike,
  readMeasure,
  readNumber,
  readRpe,
  SkipRow,
  WorkoutCollector,
  type FormatDefinition,
  type Row,
} from './reading'

const setOrderTypes: Readonly<Record<string, SetType>> = { w: 'warmup', d: 'drop', f: 'failure' }

/** `29m`, `1h 5m`, `45s`, `1h 5m 3s` → seconds; undefined when empty or unreadable. */
export function readStrongDuration(text: string): number | undefined {
  const m = /^(?:(\d+)\s*h)?\s*(?:(\d+)\s*m(?:in)?)?\s*(?:(\d+)\s*s)?$/i.exec(text.trim())
  if (!m || text.trim() === '') return undefined
  const [, h, mi, s] = m
  return Number(h ?? 0) * 3600 + Number(mi ?? 0) * 60 + Number(s ?? 0)
}

export const strong: FormatDefinition = {
  format: 'strong',
  name: 'Strong',
  signature: [
    'Workout #',
    'Date',
    'Workout Name',
    'Duration',
    'Duration (sec)',
    'Exercise Name',
    'Set Order',
    'Weight (kg)',
    'Weight (lbs)',
  ],
  missing: (columns) =>
    missingColumns(columns, ['Date', 'Workout Name', 'Exercise Name', 'Set Order', ['Weight', 'Weight (kg)', 'Weight (lbs)'], 'Reps']),
  create(columns, context) {
    const weightColumn = columns.first('Weight (kg)', 'Weight (lbs)', 'Weight')
    const fileUnit = weightColumn === 'Weight (kg)' ? 'kg' : weightColumn === 'Weight (lbs)' ? 'lb' : undefined
    const weightUnit = fileUnit ?? context.options.units ?? 'kg'
    const needsUnits = fileUnit === undefined && context.options.units === undefined
    const distanceColumn = columns.first('Distance (meters)', 'Distance (m)', 'Distance (km)', 'Distance (miles)', 'Distance')
    // `Distance` alone is in the user's distance unit, which Strong ties to the weight unit.
    const metresPerDistance =
      distanceColumn === 'Distance'
        ? weightUnit === 'lb'
          ? metresPerUnit('mi')!
          : 1000
        : metresPerUnit(/\((.*)\)/.exec(distanceColumn ?? '(m)')?.[1] ?? 'm')!
    const durationColumn = columns.first('Duration (sec)', 'Duration')
    const decimalComma = context.delimiter === ';'
    const layout = context.delimiter === ';' ? 'semicolon' : 'comma'
    const collector = new WorkoutCollector()
    const durationRead = new Set<string>()

    function duration(row: Row, key: string): number | undefined {
      if (durationRead.has(key)) return undefined
      durationRead.add(key)
      const text = row.trimmed(durationColumn)
      if (text === '') return undefined
      const seconds = durationColumn === 'Duration (sec)' ? readNumber(text, 'Duration', decimalComma) : readStrongDuration(text)
      if (seconds === undefined || seconds < 0 || seconds > limits.seconds.max) {
        context.problem(row.number, `Duration "${clip(text)}" is not a duration like 1h 5m: the workout has none`)
        return undefined
      }
      return seconds === 0 ? undefined : Math.round(seconds)
    }

    return {
      formatLabel: `Strong (${layout}, ${fileUnit ?? (needsUnits ? 'no unit: read as kg' : `read as ${weightUnit}`)})`,
      weightUnit,
      needsUnits,
      read(row) {
        const dateText = row.trimmed('Date')
        const date = readIsoLike(dateText)
        if (!date)
          throw new SkipRow(dateText === '' ? 'The date is empty' : `Date "${clip(dateText)}" is not a date like 2025-07-23 19:16:49`)
        const name = row.trimmed('Workout Name') || 'Workout'
        const key = `strong|${dateText}|${name}`
        const setOrder = row.trimmed('Set Order')

        if (setOrder.toLowerCase() === 'rest timer') {
          const rest = readMeasure(row.text('Seconds'), 'Rest', limits.seconds, 1, decimalComma)
          const workout = collector.find(key)
          const last = workout && collector.lastSet(workout)
          if (!last) throw new SkipRow('A Rest Timer row with no set before it in its workout')
          if (rest !== undefined) last.restSeconds = Math.round(rest)
          return
        }

        const exerciseName = row.trimmed('Exercise Name')
        if (exerciseName === '') throw new SkipRow('The exercise name is empty')
        const setType: SetType | undefined = /^\d+$/.test(setOrder) ? 'normal' : setOrderTypes[setOrder.toLowerCase()]
        if (!setType) throw new SkipRow(`Set Order "${clip(setOrder)}" is not a set number, W, D, F or Rest Timer`)
        const values = compact({
          weightKg: readMeasure(row.text(weightColumn), 'Weight', limits.weightKg, kgPer[weightUnit], decimalComma),
          reps: readMeasure(row.text('Reps'), 'Reps', limits.reps, 1, decimalComma),
          distanceM: readMeasure(row.text(distanceColumn), 'Distance', limits.distanceM, metresPerDistance, decimalComma),
          seconds: readMeasure(row.text('Seconds'), 'Seconds', limits.seconds, 1, decimalComma),
          rpe: readRpe(row.text('RPE'), decimalComma),
          notes: optionalText(row.text('Notes')),
        })

        const workout = collector.workout(key, () => ({ name, startedAt: formatLocalIso(date), row: row.number }))
        const seconds = duration(row, key)
        if (seconds !== undefined) workout.durationSeconds = seconds
        const workoutNotes = optionalText(row.text('Workout Notes'))
        if (workout.notes === undefined && workoutNotes !== undefined) workout.notes = workoutNotes
        collector.exercise(workout, exerciseName, row.number).sets.push({ row: row.number, setType, ...values })
      },
      finish: () => collector.list(),
    }
  },
}
