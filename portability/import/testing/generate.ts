/**
 * Seeded generators of import files for tests and benchmarks: a list of workouts (as the parser
 * should read them), and writers that lay them out as Strong (comma or semicolon) and Hevy export
 * files would, returning the text and the workouts with the row numbers the text gives them.
 *
 * Values are chosen round in the file's own units (half kilos or half pounds, hundredths of a km
 * or mile, whole seconds), so that writing them and reading them back gives exactly the canonical
 * values: a property test can compare the parse with the description field for field. Notes and
 * names carry commas, quotes, semicolons and line breaks on purpose.
 */
import type { SetType } from '@/domain/set-types'
import { formatLocalIso, kgPer, metresPerUnit, roundConverted } from '../formats/reading'
import type { ImportedExercise, ImportedSet, ImportedWorkout, WeightUnit } from '../model'
import { mulberry32 } from '@/test/random'

/** A set as the file describes it, before it has a row. */
export type SetInput = Omit<ImportedSet, 'row'>
export type ExerciseInput = Omit<ImportedExercise, 'row' | 'sets'> & { sets: SetInput[] }
export type WorkoutInput = Omit<ImportedWorkout, 'row' | 'key' | 'exercises'> & { exercises: ExerciseInput[] }

/** A written file and what parsing it must give. */
export type GeneratedFile = { text: string; workouts: ImportedWorkout[]; rows: number }

export type StrongVariant = 'comma' | 'semicolon'
/** Which app's file the workouts are for: what each can hold differs (Strong has rest, Hevy supersets and exercise notes). */
export type GeneratedStyle = 'strong' | 'hevy'

/** The project's one seeded generator (`test/random.ts`): the same sequence for a seed everywhere. */
export const prng = mulberry32

type Random = ReturnType<typeof prng>
const int = (r: Random, min: number, max: number) => min + Math.floor(r() * (max - min + 1))
const pick = <T>(r: Random, items: readonly T[]): T => items[Math.floor(r() * items.length)]!
const chance = (r: Random, p: number) => r() < p

const strengthExercises = [
  'Bench Press (Barbell)',
  'Squat (Barbell)',
  'Deadlift (Barbell)',
  'Overhead Press (Barbell)',
  'Bent Over Row (Barbell)',
  'Lat Pulldown (Cable)',
  'Curl, "Hammer" (Dumbbell)',
  'Leg Press',
  'Triceps Pushdown; Rope (Cable)',
  'Incline Bench Press (Dumbbell)',
]
const bodyweightExercises = ['Pull Up', 'Push Up', 'Dips', 'Chin Up']
const cardioExercises = ['Running', 'Rowing (Machine)', 'Cycling']
const timedExercises = ['Plank', 'Dead Hang']
const workoutNames = ['Evening Workout', 'Morning Workout', 'Push', 'Pull', 'Legs, heavy', 'Upper "A"', 'Full Body; Light']
const notes = [
  'Felt good',
  'Seat at 4, feet high',
  'Grip "hook", no straps',
  'Left knee; a bit sore',
  'Two lines\nsecond line',
  'Paused reps, 2s; "slow"\nthen fast',
  'Line one\n\nline three, after a blank',
]

/** A set in the file unit `unit`, canonical once converted, of the kind its exercise is. */
function generateSet(r: Random, kind: string, unit: WeightUnit, style: GeneratedStyle): SetInput {
  const setType: SetType = kind === 'strength' && chance(r, 0.25) ? pick(r, ['warmup', 'drop', 'failure'] as const) : 'normal'
  const distanceUnit = unit === 'lb' ? 'mi' : 'km'
  const set: SetInput = { setType }
  if (kind === 'strength') {
    set.weightKg = roundConverted((int(r, 5, unit === 'kg' ? 500 : 1000) / 2) * kgPer[unit])
    set.reps = int(r, 1, 20)
  } else if (kind === 'bodyweight') {
    set.reps = int(r, 1, 30)
  } else if (kind === 'cardio') {
    set.distanceM = roundConverted((int(r, 1, 2000) / 100) * metresPerUnit(distanceUnit)!)
    set.seconds = int(r, 60, 7200)
  } else {
    set.seconds = int(r, 10, 300)
  }
  if (kind !== 'cardio' && chance(r, 0.2)) set.rpe = int(r, 12, 20) / 2
  if (style === 'strong' && chance(r, 0.5)) set.restSeconds = int(r, 30, 300)
  if (style === 'strong' && chance(r, 0.1)) set.notes = pick(r, notes)
  return set
}

/**
 * `count` workouts, one to four days apart from 2020-01-06, each starting on a whole minute in
 * the day (6:00 to 21:59, away from daylight-saving changes), with whole-minute durations, as
 * Strong and Hevy write them. Strong sets get rest and notes; Hevy exercises notes and supersets.
 */
export function generateWorkouts(
  seed: number,
  count: number,
  style: GeneratedStyle,
  unit: WeightUnit,
  setsPerWorkout?: number,
): WorkoutInput[] {
  const r = prng(seed)
  const workouts: WorkoutInput[] = []
  const day = new Date(2020, 0, 6)
  for (let w = 0; w < count; w++) {
    day.setDate(day.getDate() + int(r, 1, 4))
    const start = new Date(day.getFullYear(), day.getMonth(), day.getDate(), int(r, 6, 21), int(r, 0, 59), 0)
    const exercises: ExerciseInput[] = []
    let sets = 0
    const targetSets = setsPerWorkout ?? int(r, 1, 20)
    let superset = 0
    while (sets < targetSets) {
      const kind = pick(r, ['strength', 'strength', 'strength', 'bodyweight', 'cardio', 'timed'])
      const pool = { strength: strengthExercises, bodyweight: bodyweightExercises, cardio: cardioExercises, timed: timedExercises }[kind]!
      // An exercise named like the one before it would continue it.
      const name = pick(
        r,
        pool.filter((n) => n !== exercises.at(-1)?.name),
      )
      const exercise: ExerciseInput = { name, sets: [] }
      if (style === 'hevy' && chance(r, 0.2)) exercise.notes = pick(r, notes)
      if (style === 'hevy' && chance(r, 0.3)) {
        const previous = exercises.at(-1)
        exercise.supersetKey = previous?.supersetKey !== undefined && chance(r, 0.5) ? previous.supersetKey : String(superset++)
      }
      const n = Math.min(int(r, 1, 6), targetSets - sets)
      for (let i = 0; i < n; i++) exercise.sets.push(generateSet(r, kind, unit, style))
      sets += n
      exercises.push(exercise)
    }
    workouts.push({
      name: pick(r, workoutNames),
      startedAt: formatLocalIso(start),
      durationSeconds: int(r, 5, 150) * 60,
      ...(chance(r, 0.3) && { notes: pick(r, notes) }),
      exercises,
    })
  }
  return workouts
}

// --- writing ---------------------------------------------------------------------------------

const pad = (n: number) => String(n).padStart(2, '0')

/** A number as the file writes it: up to six decimals, no trailing zeros, optionally with a decimal comma. */
function num(n: number | undefined, decimalComma = false): string {
  if (n === undefined) return '0'
  const text = String(Number(n.toFixed(6)))
  return decimalComma ? text.replace('.', ',') : text
}

function quote(field: string): string {
  return `"${field.replace(/"/g, '""')}"`
}

function localParts(iso: string): { date: Date; ymd: string; hms: string } {
  const date = new Date(iso)
  return {
    date,
    ymd: `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`,
    hms: `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`,
  }
}

function strongDuration(seconds: number | undefined): string {
  if (!seconds) return ''
  const h = Math.floor(seconds / 3600)
  const m = Math.floor((seconds % 3600) / 60)
  return h > 0 ? `${h}h ${m}m` : `${m}m`
}

const strongLetters: Readonly<Record<SetType, string | null>> = { normal: null, warmup: 'W', drop: 'D', failure: 'F' }

/**
 * The workouts as a Strong export. Comma: weights in `unit` with no unit written (parse with
 * `units: unit`), distance in km or miles to match; semicolon: every field quoted, a BOM, the unit
 * in the header, metres, decimal commas. Exercise notes and supersets, which Strong does not
 * export, are not written.
 */
export function strongFile(workouts: readonly WorkoutInput[], variant: StrongVariant, unit: WeightUnit = 'kg'): GeneratedFile {
  const semicolon = variant === 'semicolon'
  const d = semicolon ? ';' : ','
  const lines: string[] = [
    semicolon
      ? [
          'Workout #',
          'Date',
          'Workout Name',
          'Duration (sec)',
          'Exercise Name',
          'Set Order',
          unit === 'kg' ? 'Weight (kg)' : 'Weight (lbs)',
          'Reps',
          'RPE',
          'Distance (meters)',
          'Seconds',
          'Notes',
          'Workout Notes',
        ]
          .map(quote)
          .join(d)
      : 'Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps,Distance,Seconds,Notes,Workout Notes,RPE',
  ]
  const kg = kgPer[unit]
  const metres = semicolon ? 1 : metresPerUnit(unit === 'lb' ? 'mi' : 'km')!
  const out: ImportedWorkout[] = []
  workouts.forEach((workout, index) => {
    const { ymd, hms } = localParts(workout.startedAt)
    const dateText = `${ymd} ${hms}`
    const first = lines.length + 1
    const row = (cells: Record<string, string>) => {
      const number = lines.length + 1
      if (semicolon) {
        lines.push(
          [
            String(index + 1),
            dateText,
            workout.name,
            workout.durationSeconds ? String(workout.durationSeconds) : '',
            cells.exercise!,
            cells.order!,
            cells.weight!,
            cells.reps!,
            cells.rpe!,
            cells.distance!,
            cells.seconds!,
            cells.notes!,
            workout.notes ?? '',
          ]
            .map(quote)
            .join(d),
        )
      } else {
        lines.push(
          [
            dateText,
            quote(workout.name),
            strongDuration(workout.durationSeconds),
            quote(cells.exercise!),
            cells.order!,
            cells.weight!,
            cells.reps!,
            cells.distance!,
            cells.seconds!,
            quote(cells.notes!),
            quote(workout.notes ?? ''),
            cells.rpe!,
          ].join(d),
        )
      }
      return number
    }
    const exercises: ImportedExercise[] = workout.exercises.map((exercise) => {
      let normal = 0
      let exerciseRow = 0
      const sets = exercise.sets.map((set) => {
        const order = strongLetters[set.setType] ?? String(++normal)
        const number = row({
          exercise: exercise.name,
          order,
          weight: num(set.weightKg === undefined ? undefined : set.weightKg / kg, semicolon),
          reps: num(set.reps, semicolon),
          distance: num(set.distanceM === undefined ? undefined : set.distanceM / metres, semicolon),
          seconds: num(set.seconds, semicolon),
          rpe: set.rpe === undefined ? '' : num(set.rpe, semicolon),
          notes: set.notes ?? '',
        })
        exerciseRow ||= number
        if (set.restSeconds !== undefined) {
          row({
            exercise: exercise.name,
            order: 'Rest Timer',
            weight: '0',
            reps: '0',
            distance: '0',
            seconds: String(set.restSeconds),
            rpe: '',
            notes: '',
          })
        }
        return { row: number, ...set }
      })
      return { name: exercise.name, row: exerciseRow, sets }
    })
    out.push({
      key: `strong|${dateText}|${workout.name}`,
      name: workout.name,
      startedAt: workout.startedAt,
      ...(workout.durationSeconds !== undefined && { durationSeconds: workout.durationSeconds }),
      ...(workout.notes !== undefined && { notes: workout.notes }),
      row: first,
      exercises,
    })
  })
  const body = lines.join(semicolon ? '\r\n' : '\n') + (semicolon ? '\r\n' : '\n')
  return { text: semicolon ? `\ufeff${body}` : body, workouts: out, rows: lines.length - 1 }
}

const monthNames = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']

function hevyTime(date: Date): string {
  return `${date.getDate()} ${monthNames[date.getMonth()]} ${date.getFullYear()}, ${pad(date.getHours())}:${pad(date.getMinutes())}`
}

const hevySetTypes: Readonly<Record<SetType, string>> = { normal: 'normal', warmup: 'warmup', drop: 'dropset', failure: 'failure' }

/** The workouts as a Hevy export in `unit` (kg and km, or lb and miles). Rest and set notes, which Hevy does not export, are not written. */
export function hevyFile(workouts: readonly WorkoutInput[], unit: WeightUnit = 'kg'): GeneratedFile {
  const lines = [
    `title,start_time,end_time,description,exercise_title,superset_id,exercise_notes,set_index,set_type,${unit === 'kg' ? 'weight_kg' : 'weight_lbs'},reps,${unit === 'kg' ? 'distance_km' : 'distance_miles'},duration_seconds,rpe`,
  ]
  const kg = kgPer[unit]
  const metres = metresPerUnit(unit === 'kg' ? 'km' : 'mi')!
  const blank = (n: number | undefined) => (n === undefined ? '' : num(n))
  const out = workouts.map((workout): ImportedWorkout => {
    const start = new Date(workout.startedAt)
    const startText = hevyTime(start)
    const endText = hevyTime(new Date(start.getTime() + (workout.durationSeconds ?? 0) * 1000))
    const first = lines.length + 1
    const exercises = workout.exercises.map((exercise): ImportedExercise => {
      const firstOfExercise = lines.length + 1
      const sets = exercise.sets.map((set, i) => {
        lines.push(
          [
            quote(workout.name),
            quote(startText),
            quote(endText),
            quote(workout.notes ?? ''),
            quote(exercise.name),
            exercise.supersetKey ?? '',
            quote(exercise.notes ?? ''),
            String(i),
            hevySetTypes[set.setType],
            blank(set.weightKg === undefined ? undefined : set.weightKg / kg),
            blank(set.reps),
            blank(set.distanceM === undefined ? undefined : set.distanceM / metres),
            blank(set.seconds),
            blank(set.rpe),
          ].join(','),
        )
        const { restSeconds: _rest, notes: _notes, ...written } = set
        return { row: lines.length, ...written }
      })
      return {
        name: exercise.name,
        row: firstOfExercise,
        ...(exercise.notes !== undefined && { notes: exercise.notes }),
        ...(exercise.supersetKey !== undefined && { supersetKey: exercise.supersetKey }),
        sets,
      }
    })
    return {
      key: `hevy|${startText}|${workout.name}`,
      name: workout.name,
      startedAt: workout.startedAt,
      ...(workout.durationSeconds && { durationSeconds: workout.durationSeconds }),
      ...(workout.notes !== undefined && { notes: workout.notes }),
      row: first,
      exercises,
    }
  })
  return { text: lines.join('\n') + '\n', workouts: out, rows: lines.length - 1 }
}

/**
 * Five years or so of Strong history, about `rows` rows (sets and their Rest Timer rows), for
 * benchmarks and the large-file tests: about 50 sets a workout, 3 to 4 workouts a week. Fast: a
 * 60,000-row file takes well under a second.
 */
export function fiveYearStrongHistory(
  seed: number,
  rows = 60_000,
  variant: StrongVariant = 'comma',
  unit: WeightUnit = 'kg',
): GeneratedFile {
  // Half the sets carry a Rest Timer row, so a set is 1.5 rows on average.
  const setsPerWorkout = 50
  const count = Math.max(1, Math.round(rows / (setsPerWorkout * 1.5)))
  return strongFile(generateWorkouts(seed, count, 'strong', unit, setsPerWorkout), variant, unit)
}
