/**
 * FitNotes' spreadsheet export, one row per set. Android writes
 * `Date,Exercise,Category,Weight,Weight Unit,Reps,Distance,Distance Unit,Time,Comment`, with the
 * unit on every row (`kgs`/`lbs`; distance `m`, `km`, `mi`, `ft`, `yd`) and `Time` as `h:mm:ss`
 * or `mm:ss`; the iOS app names the unit in the header instead (`Weight (kg)` / `Weight (lbs)`).
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
  formatLocalIso,
  kgPer,
  limits,
  localDate,
  metresPerUnit,
  missingColumns,
  optionalText,
  readClockDuration,
  readNumber,
  readMeasure,
  SkipRow,
  WorkoutCollector,
  type FormatDefinition,
} from './reading'

const weightUnits: Readonly<Record<string, WeightUnit>> = { kg: 'kg', kgs: 'kg', lb: 'lb', lbs: 'lb' }

export const fitnotes: FormatDefinition = {
  format: 'fitnotes',
  name: 'FitNotes',
  signature: ['Date', 'Exercise', 'Category', 'Weight', 'Weight Unit', 'Weight (kg)', 'Weight (lbs)', 'Distance Unit', 'Comment'],
  missing: (columns) => missingColumns(columns, ['Date', 'Exercise', 'Category', ['Weight Unit', 'Weight (kg)', 'Weight (lbs)'], 'Reps']),
  create(columns) {
    const headerUnit: WeightUnit | undefined = columns.has('Weight (kg)') ? 'kg' : columns.has('Weight (lbs)') ? 'lb' : undefined
    const weightColumn = headerUnit === undefined ? 'Weight' : headerUnit === 'kg' ? 'Weight (kg)' : 'Weight (lbs)'
    const distanceColumn = columns.first('Distance', 'Distance (m)', 'Distance (km)', 'Distance (mi)', 'Distance (miles)')
    const headerDistanceUnit = /\((.*)\)/.exec(distanceColumn ?? '')?.[1]
    const collector = new WorkoutCollector()
    const categories = new Map<ImportedWorkout, string[]>()
    // The unit the file's weights are in, for the preview: the header's, else the first row's.
    let weightUnit: WeightUnit | undefined = headerUnit

    return {
      formatLabel: `FitNotes (${headerUnit === undefined ? 'Android' : 'iOS'})`,
      get weightUnit() {
        return weightUnit ?? 'kg'
      },
      needsUnits: false,
      read(row) {
        const dateText = row.trimmed('Date')
        const m = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?$/.exec(dateText)
        const day = m && localDate(Number(m[1]), Number(m[2]), Number(m[3]))
        if (!m || !day) throw new SkipRow(dateText === '' ? 'The date is empty' : `Date "${clip(dateText)}" is not a date like 2025-07-23`)
        const exerciseName = row.trimmed('Exercise')
        if (exerciseName === '') throw new SkipRow('The exercise name is empty')

        const unitText = row.trimmed('Weight Unit')
        const rowUnit = headerUnit ?? (unitText === '' ? 'kg' : weightUnits[unitText.toLowerCase()])
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
          notes: optionalText(row.text('Comment')),
        })
        if (values.seconds !== undefined && values.seconds > limits.seconds.max)
          throw new SkipRow(`Time ${clip(row.trimmed('Time'))} is longer than a day`)
        weightUnit ??= rowUnit

        const dayText = `${m[1]}-${m[2]}-${m[3]}`
        const workout = collector.workout(`fitnotes|${dayText}|FitNotes workout`, () => ({
          name: '',
          startedAt: formatLocalIso(day),
          row: row.number,
        }))
        const category = row.trimmed('Category')
        const seen = categories.get(workout) ?? []
        if (category !== '' && !seen.includes(category)) seen.push(category)
        categories.set(workout, seen)
        collector.exercise(workout, exerciseName, row.number).sets.push({ row: row.number, setType: 'normal', ...values })
      },
      finish() {
        const workouts = collector.list()
        for (const w of workouts) w.name = categories.get(w)?.join(', ') || 'FitNotes workout'
        return workouts
      },
    }
  },
}
