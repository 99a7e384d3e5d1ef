/**
 * FitNotes' spreadsheet export, one row per set. Android writes
 * `Date,Exercise,Category,Weight,Weight Unit,Reps,Distance,Distance Unit,Time,Comment`, with the
 * unit on every row (`kgs`/`lbs`; distance `m`, `km`, `mi`, `ft`, `yd`; one file can hold both
 * weight units, as the unit belongs to the exercise) and `Time` as `h:mm:ss` or `mm:ss`. Older
 * Android versions, and the iOS app, name the unit in the header instead (`Weight (kgs)`,
 * `Weight (kg)`, `Weight (lbs)`); a header with a bare `Weight` and no unit anywhere is read in
 * the unit the user says, as Strong's comma export is.
 *
 * `Date` is `2025-07-23`, or the phone's own short date: `23/12/2025`, `12/23/2025`, `23.12.2025`.
 * Whether a slashed date is day or month first is decided for the whole file once every row is
 * read: a first number over 12 means day first, a second over 12 month first; a file that never
 * says is read day first, as most of the world writes it.
 *
 * FitNotes has no workouts, only days: all the sets of one calendar day are one workout, starting
 * at that day's local midnight, named after the day's categories ("Chest, Triceps"). Its key uses
 * the fixed name "FitNotes workout", so that a set of a new category added to a past day does not
 * make the day a new workout on the next import. `Comment` is the set's note.
 */
import type { ImportedWorkout, WeightUnit } from '../model'
import {
  clip,
  compact,
  kgPer,
  limits,
  localDate,
  metresPerUnit,
  missingColumns,
  readClockDuration,
  readExerciseName,
  readNotes,
  readNumber,
  readMeasure,
  SkipRow,
  WorkoutCollector,
  workoutStart,
  weightUnitNames,
  type FormatDefinition,
} from './reading'

/** Weight columns that carry their unit in the header. */
const headerWeightColumns: readonly [string, WeightUnit][] = [
  ['Weight (kgs)', 'kg'],
  ['Weight (kg)', 'kg'],
  ['Weight (lbs)', 'lb'],
  ['Weight (lb)', 'lb'],
]

/** A FitNotes day: ISO, or the parts of a localized short date whose order is settled at the end. */
type DayText = { iso: Date } | { first: number; second: number; year: number }

/** `2025-07-23`, `23/12/2025`, `12/23/2025`, `23.12.2025` (a time after it is ignored); undefined when none or out of range. */
export function readFitNotesDay(text: string): DayText | undefined {
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?$/.exec(text)
  if (iso) {
    const day = localDate(Number(iso[1]), Number(iso[2]), Number(iso[3]))
    return day && { iso: day }
  }
  const dotted = /^(\d{1,2})\.(\d{1,2})\.(\d{4})(?: .*)?$/.exec(text)
  if (dotted) {
    // Dotted dates are day first wherever they are written.
    const day = localDate(Number(dotted[3]), Number(dotted[2]), Number(dotted[1]))
    return day && { iso: day }
  }
  const slashed = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?: .*)?$/.exec(text)
  if (!slashed) return undefined
  const [first, second, year] = [Number(slashed[1]), Number(slashed[2]), Number(slashed[3])]
  // Refused now only when neither order makes a date.
  if (!localDate(year, second, first) && !localDate(year, first, second)) return undefined
  return { first, second, year }
}

export const fitnotes: FormatDefinition = {
  format: 'fitnotes',
  name: 'FitNotes',
  signature: ['Date', 'Exercise', 'Category', 'Weight', 'Weight Unit', 'Weight (kg)', 'Weight (lbs)', 'Distance Unit', 'Comment'],
  missing: (columns) =>
    missingColumns(columns, [
      'Date',
      'Exercise',
      'Category',
      ['Weight Unit', 'Weight', ...headerWeightColumns.map(([name]) => name)],
      'Reps',
    ]),
  create(columns, context) {
    const header = headerWeightColumns.find(([name]) => columns.has(name))
    const headerUnit: WeightUnit | undefined = header?.[1]
    const unitColumn = header === undefined && columns.has('Weight Unit') ? 'Weight Unit' : undefined
    const weightColumn = header?.[0] ?? 'Weight'
    const needsUnits = header === undefined && unitColumn === undefined && context.options.units === undefined
    const askedUnit: WeightUnit = context.options.units ?? 'kg'
    const distanceColumn = columns.first('Distance', 'Distance (m)', 'Distance (km)', 'Distance (mi)', 'Distance (miles)')
    const headerDistanceUnit = /\((.*)\)/.exec(distanceColumn ?? '')?.[1]
    const collector = new WorkoutCollector()
    const categories = new Map<ImportedWorkout, string[]>()
    // Workouts of slashed dates, whose start waits for the file to say which number is the day.
    const pending: { workout: ImportedWorkout; first: number; second: number; year: number; text: string }[] = []
    let dayFirst = 0
    let monthFirst = 0
    // The unit the file's weights are in, for the preview: the header's, else the first row's.
    let weightUnit: WeightUnit | undefined = headerUnit ?? (unitColumn ? undefined : askedUnit)

    return {
      formatLabel: `FitNotes (${header === undefined ? (unitColumn ? 'Android' : needsUnits ? 'no unit: read as kg' : `read as ${askedUnit}`) : header[0] === 'Weight (kgs)' ? 'Android, older' : 'iOS'})`,
      get weightUnit() {
        return weightUnit ?? 'kg'
      },
      needsUnits,
      read(row) {
        const dateText = row.trimmed('Date')
        const day = readFitNotesDay(dateText)
        if (!day)
          throw new SkipRow(dateText === '' ? 'The date is empty' : `Date "${clip(dateText)}" is not a date like 2025-07-23 or 23/07/2025`)
        // A slashed date is checked for its year now, the rest at the end.
        const startedAt = 'iso' in day ? workoutStart(day.iso, dateText) : workoutStart(new Date(day.year, 0, 1), dateText)
        const exerciseName = readExerciseName(row.text('Exercise'))

        const unitText = row.trimmed(unitColumn)
        const rowUnit =
          unitColumn === undefined
            ? (headerUnit ?? askedUnit)
            : unitText === ''
              ? (weightUnit ?? askedUnit)
              : weightUnitNames[unitText.toLowerCase()]
        if (!rowUnit) throw new SkipRow(`Weight unit "${clip(unitText)}" is not kgs or lbs`)
        // A distance with no unit anywhere (an iOS `Distance` column) is in the distance unit that
        // goes with the weight unit, as in Strong: km with kg, miles with lb.
        const distanceUnit = headerDistanceUnit ?? (row.trimmed('Distance Unit') || (rowUnit === 'lb' ? 'mi' : 'km'))
        const metres = metresPerUnit(distanceUnit)
        const distanceText = row.text(distanceColumn)
        if (metres === undefined && (readNumber(distanceText, 'Distance') ?? 0) !== 0) {
          throw new SkipRow(`Distance unit "${clip(distanceUnit)}" is not m, km, mi, ft or yd`)
        }
        const values = compact({
          weightKg: readMeasure(row.text(weightColumn), 'Weight', limits.weightKg, kgPer[rowUnit]),
          reps: readMeasure(row.text('Reps'), 'Reps', limits.reps),
          distanceM: readMeasure(distanceText, 'Distance', limits.distanceM, metres ?? 1),
          seconds: readClockDuration(row.text('Time'), 'Time') || undefined,
          notes: readNotes(row.text('Comment'), 'The comment', row.number, context),
        })
        if (values.seconds !== undefined && values.seconds > limits.seconds.max)
          throw new SkipRow(`Time ${clip(row.trimmed('Time'))} is longer than a day`)
        if (values.weightKg !== undefined) weightUnit ??= rowUnit

        const dayKey = dateText.split(/[T ]/)[0]!
        const key = `fitnotes|${dayKey}|FitNotes workout`
        const known = collector.find(key)
        const workout = collector.workout(key, () => ({ name: '', startedAt, row: row.number }))
        if (!known && !('iso' in day)) {
          pending.push({ workout, ...day, text: dateText })
          if (day.first > 12) dayFirst++
          if (day.second > 12) monthFirst++
        }
        const category = row.trimmed('Category')
        const seen = categories.get(workout) ?? []
        if (category !== '' && !seen.includes(category)) seen.push(category)
        categories.set(workout, seen)
        collector.exercise(workout, exerciseName, row.number).sets.push({ row: row.number, setType: 'normal', ...values })
      },
      finish() {
        const readDayFirst = dayFirst >= monthFirst
        for (const p of pending) {
          const [month, day] = readDayFirst ? [p.second, p.first] : [p.first, p.second]
          // One order is a date (checked at read); a date the file's order cannot read is read the other way.
          const date = localDate(p.year, month, day) ?? localDate(p.year, day, month)!
          p.workout.startedAt = workoutStart(date, p.text)
        }
        const workouts = collector.list()
        for (const w of workouts) w.name = categories.get(w)?.join(', ') || 'FitNotes workout'
        return workouts
      },
    }
  },
}
