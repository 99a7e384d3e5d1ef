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
 * - semicolon with the units on every row, as older apps wrote it (and as Hevy's "import from
 *   Strong" reads it): `Date;Workout Name;Exercise Name;Set Order;Weight;Weight Unit;Reps;RPE;Distance;Distance Unit;Seconds;Notes;Workout Notes;Workout Duration`.
 *   Each row's weight is in its own `Weight Unit` (`kg`, `lbs`), its distance in its `Distance Unit`.
 *
 * `Date` is `2025-07-23 19:16:49`; a phone set to a 12-hour clock writes `2025-07-23 7:16:49 PM`
 * (often with a narrow no-break space before the `PM`, sometimes lower case).
 *
 * `Set Order` is the set's number, or W (warm-up), D (drop set), F (failure); a `Rest Timer` row
 * carries in `Seconds` the rest after the set before it and is not a set. A workout is the rows
 * with the same `Date` and `Workout Name`. Zeros are "not used" (a cardio row writes weight 0,
 * reps 0).
 */
import type { SetType } from '@/domain/set-types'
import type { WeightUnit } from '../model'
import {
  clip,
  compact,
  kgPer,
  limits,
  localDate,
  metresPerUnit,
  missingColumns,
  readExerciseName,
  readIsoLike,
  readMeasure,
  readNotes,
  readNumber,
  readRpe,
  readWorkoutName,
  SkipRow,
  WorkoutCollector,
  weightUnitNames,
  workoutStart,
  type FormatDefinition,
  type Row,
} from './reading'

const setOrderTypes: Readonly<Record<string, SetType>> = { w: 'warmup', d: 'drop', f: 'failure' }

/** `29m`, `1h 5m`, `1h`, `45s`, `1h 5m 3s`, `45.5m` → seconds; undefined when empty or unreadable. */
export function readStrongDuration(text: string): number | undefined {
  const t = text.trim()
  const m = /^(?:(\d+(?:\.\d+)?)\s*h)?\s*(?:(\d+(?:\.\d+)?)\s*m(?:in)?)?\s*(?:(\d+(?:\.\d+)?)\s*s)?$/i.exec(t)
  if (!m || t === '') return undefined
  const [, h, mi, s] = m
  return Number(h ?? 0) * 3600 + Number(mi ?? 0) * 60 + Number(s ?? 0)
}

/** `2025-07-23 19:16:49` (any form {@link readIsoLike} reads) or `2025-07-23 7:16:49 PM`; undefined when neither. */
export function readStrongDate(text: string): Date | undefined {
  const m = /^(\d{4})-(\d{1,2})-(\d{1,2})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?[\s\u00a0\u202f]*([ap])\.?\s?m\.?$/i.exec(text.trim())
  if (!m) return readIsoLike(text)
  const [, y, mo, d, h, mi, s, half] = m
  const hour12 = Number(h)
  if (hour12 < 1 || hour12 > 12) return undefined
  const hour = (hour12 % 12) + (half!.toLowerCase() === 'p' ? 12 : 0)
  return localDate(Number(y), Number(mo), Number(d), hour, Number(mi), Number(s ?? 0))
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
    const headerUnit: WeightUnit | undefined = weightColumn === 'Weight (kg)' ? 'kg' : weightColumn === 'Weight (lbs)' ? 'lb' : undefined
    // Older layouts name the unit on every row instead.
    const unitColumn = headerUnit === undefined && columns.has('Weight Unit') ? 'Weight Unit' : undefined
    const fileUnit = headerUnit ?? (unitColumn ? 'units on each row' : undefined)
    const askedUnit = context.options.units ?? 'kg'
    // The unit the preview shows: the header's, the first row's, or the one asked for.
    let weightUnit: WeightUnit | undefined = headerUnit
    const needsUnits = fileUnit === undefined && context.options.units === undefined
    const distanceColumn = columns.first('Distance (meters)', 'Distance (m)', 'Distance (km)', 'Distance (miles)', 'Distance')
    const distanceUnitColumn = distanceColumn === 'Distance' && columns.has('Distance Unit') ? 'Distance Unit' : undefined
    // `Distance` alone is in the user's distance unit, which Strong ties to the weight unit.
    const headerMetres = distanceColumn === 'Distance' ? undefined : metresPerUnit(/\((.*)\)/.exec(distanceColumn ?? '(m)')?.[1] ?? 'm')!
    const durationColumn = columns.first('Duration (sec)', 'Duration', 'Workout Duration')
    const decimalComma = context.delimiter === ';'
    const layout = context.delimiter === ';' ? 'semicolon' : context.delimiter === '\t' ? 'tab' : 'comma'
    const collector = new WorkoutCollector()
    const durationRead = new Set<string>()

    function duration(row: Row, key: string): number | undefined {
      if (durationRead.has(key)) return undefined
      durationRead.add(key)
      const text = row.trimmed(durationColumn)
      if (text === '') return undefined
      let seconds: number | undefined
      try {
        seconds = durationColumn === 'Duration (sec)' ? readNumber(text, 'Duration', decimalComma) : readStrongDuration(text)
      } catch {
        seconds = undefined
      }
      if (seconds === undefined || seconds < 0 || seconds > limits.seconds.max) {
        context.problem(row.number, `Duration "${clip(text)}" is not a duration like 1h 5m: the workout has none`)
        return undefined
      }
      return seconds === 0 ? undefined : Math.round(seconds)
    }

    function rowUnit(row: Row): WeightUnit {
      if (headerUnit) return headerUnit
      if (!unitColumn) return askedUnit
      const text = row.trimmed(unitColumn)
      // A row without a weight (cardio) may leave the unit empty.
      if (text === '') return weightUnit ?? askedUnit
      const unit = weightUnitNames[text.toLowerCase()]
      if (!unit) throw new SkipRow(`Weight unit "${clip(text)}" is not kg or lbs`)
      return unit
    }

    function metresPerDistance(row: Row, unit: WeightUnit): number {
      if (headerMetres !== undefined) return headerMetres
      const text = row.trimmed(distanceUnitColumn)
      if (text === '') return unit === 'lb' ? metresPerUnit('mi')! : 1000
      const metres = metresPerUnit(text)
      if (metres === undefined && (readNumber(row.text(distanceColumn), 'Distance', decimalComma) ?? 0) !== 0) {
        throw new SkipRow(`Distance unit "${clip(text)}" is not m, km, mi, ft or yd`)
      }
      return metres ?? 1
    }

    return {
      formatLabel: `Strong (${layout}, ${fileUnit ?? (needsUnits ? 'no unit: read as kg' : `read as ${askedUnit}`)})`,
      get weightUnit() {
        return weightUnit ?? askedUnit
      },
      needsUnits,
      read(row) {
        const dateText = row.trimmed('Date')
        const date = readStrongDate(dateText)
        if (!date)
          throw new SkipRow(dateText === '' ? 'The date is empty' : `Date "${clip(dateText)}" is not a date like 2025-07-23 19:16:49`)
        const startedAt = workoutStart(date, dateText)
        const name = readWorkoutName(row.text('Workout Name'), 'Workout')
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

        const exerciseName = readExerciseName(row.text('Exercise Name'))
        const setType: SetType | undefined = /^\d+$/.test(setOrder) ? 'normal' : setOrderTypes[setOrder.toLowerCase()]
        if (!setType) throw new SkipRow(`Set Order "${clip(setOrder)}" is not a set number, W, D, F or Rest Timer`)
        const unit = rowUnit(row)
        const values = compact({
          weightKg: readMeasure(row.text(weightColumn), 'Weight', limits.weightKg, kgPer[unit], decimalComma),
          reps: readMeasure(row.text('Reps'), 'Reps', limits.reps, 1, decimalComma),
          distanceM: readMeasure(row.text(distanceColumn), 'Distance', limits.distanceM, metresPerDistance(row, unit), decimalComma),
          seconds: readMeasure(row.text('Seconds'), 'Seconds', limits.seconds, 1, decimalComma),
          rpe: readRpe(row.text('RPE'), decimalComma),
          notes: readNotes(row.text('Notes'), 'The note', row.number, context),
        })
        if (unitColumn && values.weightKg !== undefined) weightUnit ??= unit

        const workout = collector.workout(key, () => ({ name, startedAt, row: row.number }))
        const seconds = duration(row, key)
        if (seconds !== undefined) workout.durationSeconds = seconds
        if (workout.notes === undefined) {
          const workoutNotes = readNotes(row.text('Workout Notes'), 'The workout note', row.number, context)
          if (workoutNotes !== undefined) workout.notes = workoutNotes
        }
        collector.exercise(workout, exerciseName, row.number).sets.push({ row: row.number, setType, ...values })
      },
      finish: () => collector.list(),
    }
  },
}
