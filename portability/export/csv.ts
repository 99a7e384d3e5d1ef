/**
 * CSV exports, one row per set, so a history can leave Cadence as easily as it arrives:
 *
 * - `strongCsv`: Strong's comma layout (`Date,Workout Name,Duration,Exercise Name,Set Order,…`),
 *   weights in the unit asked for and distances in the unit Strong pairs with it (km with kg,
 *   miles with lb); `Set Order` is the set's number among the exercise's normal sets, or W, D, F.
 * - `hevyCsv`: Hevy's layout, `weight_kg`/`distance_km` or, for lb, `weight_lbs`/`distance_miles`;
 *   a superset's exercises share a `superset_id`.
 * - `cadenceCsv`: Cadence's own columns (`cadenceCsvColumns`), values in kg, m and s, for
 *   spreadsheets; it is the one the importer reads back without asking anything. Text that a
 *   spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`) is prefixed with `'`.
 *
 * What becomes a set: an entry of a scalar activity inside a workout (a superset block's sets
 * are its exercises' sets, each exercise's sets together, in the order done). A scalar entry
 * logged alone (a body weight, a run) becomes a one-set workout named after its activity.
 * Attributes go to columns by type and name, as the app's own activities are built: the first
 * `mass` attribute with a value is the weight, an `integer` named like "reps" the reps, `distance`
 * the distance, `duration` the seconds, a number named RPE the RPE. Other attributes (choices,
 * text, yes/no, other numbers) have no column: the archive is the lossless export.
 *
 * Times are written in this device's time zone (Strong and Hevy write local times without one;
 * Cadence's CSV adds the offset). Cadence does not record when a workout ended, so a duration is
 * known only when its sets carry later times than its start; otherwise Strong's `Duration` is `0m`
 * and Hevy's `end_time` is the start, which both read as "no duration". Strong's `Rest Timer`
 * rows and Cadence's `rest_seconds` are left empty: the rest actually taken is not recorded.
 */
import Papa from 'papaparse'
import type { Queryable } from '@/db/types'
import { setColumnLabels, type SetType } from '@/domain/set-types'
import { KG_PER_LB, M_PER_MI } from '@/domain/units'
import { cadenceCsvColumns, type WeightUnit } from '@/portability/import/model'
import { compact, formatLocalIso, roundConverted } from '@/portability/import/formats/reading'
import { readArchiveData, type ArchiveActivity, type ArchiveData, type ArchiveEntry } from './archive'

export type CsvSet = {
  setType: SetType
  weightKg?: number
  reps?: number
  distanceM?: number
  seconds?: number
  rpe?: number
  notes: string
}
export type CsvExercise = {
  name: string
  /** The superset block's number in its workout (from 1); null for an exercise done on its own. */
  superset: number | null
  /** The superset block's notes (the app keeps a superset's exercise notes there). */
  blockNotes: string
  sets: CsvSet[]
}
export type CsvWorkout = { name: string; startedAt: Date; durationSeconds?: number; notes: string; exercises: CsvExercise[] }

type Roles = { weight: string[]; reps: string[]; distance: string[]; seconds: string[]; rpe: string[] }

/** Which attributes of an activity fill which column, in schema order. */
function rolesOf(activity: ArchiveActivity): Roles {
  const roles: Roles = { weight: [], reps: [], distance: [], seconds: [], rpe: [] }
  for (const a of activity.attributes) {
    if (a.type === 'mass') roles.weight.push(a.id)
    else if (a.type === 'integer' && /rep/i.test(a.name)) roles.reps.push(a.id)
    else if (a.type === 'distance') roles.distance.push(a.id)
    else if (a.type === 'duration') roles.seconds.push(a.id)
    else if ((a.type === 'number' || a.type === 'integer') && /\brpe\b/i.test(a.name)) roles.rpe.push(a.id)
  }
  return roles
}

/** The workouts of an archive's data as rows of sets, oldest first. */
export function workoutsOf(data: ArchiveData): CsvWorkout[] {
  const activities = new Map(data.libraries.flatMap((l) => l.activities.map((a) => [a.id, a] as const)))
  const roles = new Map([...activities.values()].map((a) => [a.id, rolesOf(a)]))
  const nameOf = (id: string) => activities.get(id)?.name ?? 'Unknown activity'
  const isScalar = (e: ArchiveEntry) => activities.get(e.activityId)?.kind !== 'sequence'

  const setOf = (e: ArchiveEntry): CsvSet => {
    const role = roles.get(e.activityId)
    const values = new Map(e.values.map((v) => [v.attributeId, v.value]))
    const pick = (ids: string[] | undefined) => {
      for (const id of ids ?? []) {
        const v = values.get(id)
        if (typeof v === 'number') return v
      }
      return undefined
    }
    return {
      setType: e.setType,
      ...compact({
        weightKg: pick(role?.weight),
        reps: pick(role?.reps),
        distanceM: pick(role?.distance),
        seconds: pick(role?.seconds),
        rpe: pick(role?.rpe),
      }),
      notes: e.notes,
    }
  }
  const scalarsBelow = (e: ArchiveEntry): ArchiveEntry[] => (isScalar(e) ? [e] : e.children.flatMap(scalarsBelow))
  const latest = (e: ArchiveEntry): number => Math.max(Date.parse(e.performedAt), ...e.children.map(latest))

  return data.entries.map((root) => {
    const startedAt = new Date(root.performedAt)
    const duration = Math.round((latest(root) - startedAt.getTime()) / 1000)
    const base = { startedAt, ...(duration > 0 ? { durationSeconds: duration } : {}) }
    if (isScalar(root)) {
      const name = nameOf(root.activityId)
      return { ...base, name, notes: '', exercises: [{ name, superset: null, blockNotes: '', sets: [setOf(root)] }] }
    }
    const exercises: CsvExercise[] = []
    let blocks = 0
    for (const child of root.children) {
      if (isScalar(child)) {
        const last = exercises.at(-1)
        if (last && last.superset === null && last.name === nameOf(child.activityId)) last.sets.push(setOf(child))
        else exercises.push({ name: nameOf(child.activityId), superset: null, blockNotes: '', sets: [setOf(child)] })
        continue
      }
      // A superset block: each exercise's sets together, exercises in the order first done.
      const sets = scalarsBelow(child)
      if (sets.length === 0) continue
      const superset = ++blocks
      const byActivity = new Map<string, CsvExercise>()
      for (const s of sets) {
        let exercise = byActivity.get(s.activityId)
        if (!exercise) {
          exercise = { name: nameOf(s.activityId), superset, blockNotes: child.notes, sets: [] }
          byActivity.set(s.activityId, exercise)
          exercises.push(exercise)
        }
        exercise.sets.push(setOf(s))
      }
    }
    return { ...base, name: nameOf(root.activityId), notes: root.notes, exercises }
  })
}

const weightIn = (kg: number, unit: WeightUnit) => (unit === 'lb' ? roundConverted(kg / KG_PER_LB) : kg)
const distanceIn = (m: number, unit: WeightUnit) => roundConverted(unit === 'lb' ? m / M_PER_MI : m / 1000)

const pad = (n: number, width = 2) => String(n).padStart(width, '0')
/** `2025-07-23 19:16:49` in this device's zone, as Strong writes. */
const strongDate = (d: Date) =>
  `${pad(d.getFullYear(), 4)}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`
/** `1h 5m`, `29m`, as Strong writes a workout's length; `0m` when it is not known. */
const strongDuration = (seconds: number | undefined) => {
  const minutes = Math.round((seconds ?? 0) / 60)
  return minutes >= 60 ? `${Math.floor(minutes / 60)}h ${minutes % 60}m` : `${minutes}m`
}
const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
/** `28 Mar 2025, 17:29` in this device's zone, as Hevy writes. */
const hevyTime = (d: Date) => `${pad(d.getDate())} ${months[d.getMonth()]} ${d.getFullYear()}, ${pad(d.getHours())}:${pad(d.getMinutes())}`

const hevySetTypes: Record<SetType, string> = { normal: 'normal', warmup: 'warmup', drop: 'dropset', failure: 'failure' }

type CsvOptions = { units: WeightUnit }

/** Rows of Strong's comma export; `Weight` in `units`, `Distance` in km (kg) or miles (lb). */
export function strongRows(workouts: CsvWorkout[], { units }: CsvOptions): { fields: string[]; data: (string | number)[][] } {
  const fields = [
    'Date',
    'Workout Name',
    'Duration',
    'Exercise Name',
    'Set Order',
    'Weight',
    'Reps',
    'Distance',
    'Seconds',
    'Notes',
    'Workout Notes',
    'RPE',
  ]
  const data = workouts.flatMap((w) =>
    w.exercises.flatMap((e) => {
      const orders = setColumnLabels(e.sets.map((s) => s.setType))
      return e.sets.map((s, i) => [
        strongDate(w.startedAt),
        w.name,
        strongDuration(w.durationSeconds),
        e.name,
        orders[i]!,
        s.weightKg === undefined ? 0 : weightIn(s.weightKg, units),
        s.reps ?? 0,
        s.distanceM === undefined ? 0 : distanceIn(s.distanceM, units),
        s.seconds ?? 0,
        s.notes,
        w.notes,
        s.rpe ?? '',
      ])
    }),
  )
  return { fields, data }
}

/** Rows of Hevy's export; metric or imperial columns by `units`. */
export function hevyRows(workouts: CsvWorkout[], { units }: CsvOptions): { fields: string[]; data: (string | number)[][] } {
  const imperial = units === 'lb'
  const fields = [
    'title',
    'start_time',
    'end_time',
    'description',
    'exercise_title',
    'superset_id',
    'exercise_notes',
    'set_index',
    'set_type',
    imperial ? 'weight_lbs' : 'weight_kg',
    'reps',
    imperial ? 'distance_miles' : 'distance_km',
    'duration_seconds',
    'rpe',
  ]
  const data = workouts.flatMap((w) =>
    w.exercises.flatMap((e) => {
      const notes = [e.blockNotes, ...e.sets.map((s) => s.notes)].filter((n) => n.trim() !== '').join('\n')
      const end = new Date(w.startedAt.getTime() + (w.durationSeconds ?? 0) * 1000)
      return e.sets.map((s, i) => [
        w.name,
        hevyTime(w.startedAt),
        hevyTime(end),
        w.notes,
        e.name,
        e.superset === null ? '' : e.superset - 1,
        notes,
        i,
        hevySetTypes[s.setType],
        s.weightKg === undefined ? '' : weightIn(s.weightKg, units),
        s.reps ?? '',
        s.distanceM === undefined ? '' : distanceIn(s.distanceM, units),
        s.seconds ?? '',
        s.rpe ?? '',
      ])
    }),
  )
  return { fields, data }
}

/** Rows of Cadence's own CSV (`cadenceCsvColumns`): kg, m and s, start times with their offset. */
export function cadenceRows(workouts: CsvWorkout[]): { fields: string[]; data: (string | number)[][] } {
  const data = workouts.flatMap((w) =>
    w.exercises.flatMap((e) =>
      e.sets.map((s, i) => {
        const row: Record<(typeof cadenceCsvColumns)[number], string | number> = {
          workout_start: formatLocalIso(w.startedAt),
          workout_name: w.name,
          workout_duration_seconds: w.durationSeconds ?? '',
          workout_notes: w.notes,
          exercise: e.name,
          exercise_notes: e.blockNotes,
          superset: e.superset ?? '',
          set_number: i + 1,
          set_type: s.setType,
          weight_kg: s.weightKg ?? '',
          reps: s.reps ?? '',
          distance_m: s.distanceM ?? '',
          seconds: s.seconds ?? '',
          rpe: s.rpe ?? '',
          rest_seconds: '',
          set_notes: s.notes,
        }
        return cadenceCsvColumns.map((c) => row[c])
      }),
    ),
  )
  return { fields: [...cadenceCsvColumns], data }
}

/** The user's history as Strong's comma CSV. */
export async function strongCsv(db: Queryable, userId: string, options: CsvOptions): Promise<string> {
  return Papa.unparse(strongRows(workoutsOf(await readArchiveData(db, userId)), options))
}

/** The user's history as Hevy's CSV. */
export async function hevyCsv(db: Queryable, userId: string, options: CsvOptions): Promise<string> {
  return Papa.unparse(hevyRows(workoutsOf(await readArchiveData(db, userId)), options))
}

/** The user's history as Cadence's one-row-per-set CSV. */
export async function cadenceCsv(db: Queryable, userId: string): Promise<string> {
  return Papa.unparse(cadenceRows(workoutsOf(await readArchiveData(db, userId))), { escapeFormulae: true })
}
