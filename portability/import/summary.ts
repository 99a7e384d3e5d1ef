/**
 * What an import would bring in, in numbers: the preview the app shows before anything is
 * written, and what `npm run import:preview` prints. Counts only; the writer reads the
 * {@link ParsedImport} itself.
 */
import type { ImportFormat, ParsedImport, RowProblem, WeightUnit } from './model'

export type ExerciseSummary = { name: string; sets: number; workouts: number }

export type ImportSummary = {
  format: ImportFormat
  formatLabel: string
  weightUnit: WeightUnit
  needsUnits: boolean
  /** Data rows in the file. */
  rows: number
  workouts: number
  /** Distinct exercise names. */
  exercises: number
  sets: number
  /** The first and last workout's start (ISO with offset); null when no workout was read. */
  firstDate: string | null
  lastDate: string | null
  /** Every exercise name with its sets and the workouts it is in, by name. */
  exerciseNames: ExerciseSummary[]
  problems: RowProblem[]
}

export function summarize(parsed: ParsedImport): ImportSummary {
  const byName = new Map<string, ExerciseSummary>()
  let sets = 0
  let first: { at: number; iso: string } | undefined
  let last: { at: number; iso: string } | undefined
  for (const workout of parsed.workouts) {
    const at = new Date(workout.startedAt).getTime()
    if (!first || at < first.at) first = { at, iso: workout.startedAt }
    if (!last || at > last.at) last = { at, iso: workout.startedAt }
    const inThisWorkout = new Set<string>()
    for (const exercise of workout.exercises) {
      const entry = byName.get(exercise.name) ?? { name: exercise.name, sets: 0, workouts: 0 }
      byName.set(exercise.name, entry)
      entry.sets += exercise.sets.length
      sets += exercise.sets.length
      // An exercise done twice in one workout is still one workout for it.
      if (!inThisWorkout.has(exercise.name)) entry.workouts++
      inThisWorkout.add(exercise.name)
    }
  }
  return {
    format: parsed.format,
    formatLabel: parsed.formatLabel,
    weightUnit: parsed.weightUnit,
    needsUnits: parsed.needsUnits,
    rows: parsed.rows,
    workouts: parsed.workouts.length,
    exercises: byName.size,
    sets,
    firstDate: first?.iso ?? null,
    lastDate: last?.iso ?? null,
    exerciseNames: [...byName.values()].sort((a, b) => a.name.localeCompare(b.name, 'en')),
    problems: parsed.problems,
  }
}
