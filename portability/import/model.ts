/**
 * What an import file says, once parsed: the contract between the format parsers
 * (`portability/import/formats/`) and everything that previews or writes an import.
 *
 * Values are in canonical units (kg, m, s) whatever the file used; a parser converts. Row numbers
 * are the file's record numbers as a spreadsheet shows them (the header is row 1), so a problem
 * can be found in the file.
 */
import type { SetType } from '@/domain/set-types'

/** The formats the importer reads. `cadence` is Cadence's own one-row-per-set CSV. */
export const importFormats = ['strong', 'hevy', 'fitnotes', 'stronglifts', 'cadence'] as const
export type ImportFormat = (typeof importFormats)[number]

export type WeightUnit = 'kg' | 'lb'

export type ImportedSet = {
  /** The row the set came from. */
  row: number
  setType: SetType
  /** Each is present only when the file gives it a non-empty, non-zero value (0 reps is "not used"). */
  weightKg?: number
  reps?: number
  distanceM?: number
  seconds?: number
  rpe?: number
  /** Rest after this set (Strong's `Rest Timer` rows), in seconds. */
  restSeconds?: number
  notes?: string
}

export type ImportedExercise = {
  /** The exercise's name as the file writes it, trimmed (e.g. `Bench Press (Barbell)`). */
  name: string
  /** The first row of this exercise in its workout. */
  row: number
  notes?: string
  /** Exercises of one workout with the same key were done as a superset (Hevy `superset_id`). */
  supersetKey?: string
  sets: ImportedSet[]
}

export type ImportedWorkout = {
  /**
   * Stable across exports of the same history from the same app: the format, the start time as
   * the file writes it and the workout's name. Re-importing a workout with a key already imported
   * skips it.
   */
  key: string
  name: string
  /** ISO 8601 with offset; a file time without a zone is read in the importing device's zone. */
  startedAt: string
  durationSeconds?: number
  notes?: string
  /** The first row of this workout. */
  row: number
  exercises: ImportedExercise[]
}

export type RowProblem = { row: number; message: string }

export type ParsedImport = {
  format: ImportFormat
  /** A human name for the detected layout, e.g. "Strong (semicolon, kg)". */
  formatLabel: string
  /** The weight unit the values were read in: the file's own, or the one asked for. */
  weightUnit: WeightUnit
  /** True when the file names no unit (Strong's comma export): the user must say kg or lb. */
  needsUnits: boolean
  /** Data rows read (not counting the header). */
  rows: number
  workouts: ImportedWorkout[]
  /** Rows that were skipped or partly read, with why. A file with problems still imports the rest. */
  problems: RowProblem[]
}

export type ParseOptions = {
  /** The unit of weights in a file that names none. Without it such a file is read as kg and `needsUnits` is true. */
  units?: WeightUnit
  /** File name, only for messages. */
  fileName?: string
}

/** A file that is none of the formats, or cannot be read at all. `message` says what was expected. */
export class ImportFileError extends Error {
  override name = 'ImportFileError'
}

/**
 * Cadence's own one-row-per-set CSV (written by the export, read back by the importer): the
 * header, in this order.
 */
export const cadenceCsvColumns = [
  'workout_start',
  'workout_name',
  'workout_duration_seconds',
  'workout_notes',
  'exercise',
  'exercise_notes',
  'superset',
  'set_number',
  'set_type',
  'weight_kg',
  'reps',
  'distance_m',
  'seconds',
  'rpe',
  'rest_seconds',
  'set_notes',
] as const
