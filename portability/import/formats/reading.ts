/**
 * What every format reader shares: the reader interface the driver (`../parse.ts`) feeds one record
 * at a time, the header lookup, strict number and date reading, unit conversion, the limits past
 * which a value is a typo rather than a set, and the collector that groups rows into workouts,
 * exercises and sets.
 *
 * A reader throws {@link SkipRow} to leave a row out (the driver records the problem with the row's
 * number) and calls `problem` for something it read only in part.
 */
import { isRpe, MAX_DISTANCE_M, MAX_DURATION_S, MAX_MASS_KG, MAX_REPS, readDecimal } from '@/domain/bounds'
import { KG_PER_LB, M_PER_MI } from '@/domain/units'
import type { ImportedExercise, ImportedSet, ImportedWorkout, ImportFormat, ParseOptions, WeightUnit } from '../model'

/** A file's header: its column names as written, looked up without regard to case or surrounding space. */
export class Columns {
  private readonly index = new Map<string, number>()

  constructor(readonly names: readonly string[]) {
    names.forEach((name, i) => {
      const key = Columns.key(name)
      if (!this.index.has(key)) this.index.set(key, i)
    })
  }

  static key(name: string): string {
    return name.trim().toLowerCase()
  }

  has(name: string): boolean {
    return this.index.has(Columns.key(name))
  }

  /** The first of these names the header has. */
  first(...names: string[]): string | undefined {
    return names.find((n) => this.has(n))
  }

  /** The column's position, or undefined when the header lacks it. */
  position(name: string): number | undefined {
    return this.index.get(Columns.key(name))
  }
}

/** One data record with its row number; a column the header lacks, or the record is too short for, reads as "". */
export class Row {
  constructor(
    readonly number: number,
    private readonly fields: readonly string[],
    private readonly columns: Columns,
  ) {}

  text(column: string | undefined): string {
    if (column === undefined) return ''
    const at = this.columns.position(column)
    return at === undefined ? '' : (this.fields[at] ?? '')
  }

  /** The field trimmed; the empty string when absent. */
  trimmed(column: string | undefined): string {
    return this.text(column).trim()
  }
}

/** Thrown by a reader to leave the row out; the message says why, in words for the preview. */
export class SkipRow extends Error {
  override name = 'SkipRow'
}

export type ReaderContext = {
  options: ParseOptions
  /** The delimiter of the file (`,` or `;`), for labels and for the decimal comma of the semicolon Strong export. */
  delimiter: string
  /** Record a problem with a row that was still read (in part). */
  problem(row: number, message: string): void
}

/** A reader of one format's data rows, made once the header has been recognized. */
export type FormatReader = {
  formatLabel: string
  weightUnit: WeightUnit
  needsUnits: boolean
  read(row: Row): void
  finish(): ImportedWorkout[]
}

/** A format: which columns its header must have, and how to read its rows. */
export type FormatDefinition = {
  format: ImportFormat
  /** For messages: "Strong", "Hevy"… */
  name: string
  /** Column names that, when present, suggest this format (for the "looks like X but lacks Y" message). */
  signature: readonly string[]
  /** The header columns this format needs that `columns` lacks; empty when the header is this format's. */
  missing(columns: Columns): string[]
  create(columns: Columns, context: ReaderContext): FormatReader
}

/** Required columns, each a list of accepted spellings: the names of those `columns` has none of. */
export function missingColumns(columns: Columns, required: readonly (string | readonly string[])[]): string[] {
  return required
    .filter((r) => !(typeof r === 'string' ? columns.has(r) : r.some((n) => columns.has(n))))
    .map((r) => (typeof r === 'string' ? r : r.join(' or ')))
}

// --- numbers ---------------------------------------------------------------------------------

/**
 * A number as written (a plain decimal, as the forms read it: bounds.ts readDecimal), or
 * undefined when the field is empty; throws SkipRow when it is not a number. The decimal comma
 * is accepted only where the caller says the file uses one.
 */
export function readNumber(text: string, label: string, decimalComma = false): number | undefined {
  const t = text.trim()
  if (t === '') return undefined
  const n = readDecimal(t, decimalComma)
  if (n === null) throw new SkipRow(`${label} "${clip(t)}" is not a number`)
  return n
}

/** A bound past which a value is a typo, in canonical units (`unit`), and how a message names it. */
export type Limit = { max: number; text: string; unit: string }

/** The plausible bounds of domain/bounds.ts, which the mutations enforce too, as the readers name them. */
export const limits = {
  weightKg: { max: MAX_MASS_KG, text: `${MAX_MASS_KG} kg`, unit: 'kg' },
  reps: { max: MAX_REPS, text: `${MAX_REPS} reps`, unit: 'reps' },
  distanceM: { max: MAX_DISTANCE_M, text: `${MAX_DISTANCE_M / 1000} km`, unit: 'm' },
  seconds: { max: MAX_DURATION_S, text: `${MAX_DURATION_S / 3600} hours`, unit: 's' },
} as const satisfies Record<string, Limit>

/**
 * A set's measured value: absent when empty or 0 (the formats write 0 for "not used"); throws
 * SkipRow when unreadable, negative or over the limit (in canonical units, after `scale`).
 */
export function readMeasure(text: string, label: string, limit: Limit, scale = 1, decimalComma = false): number | undefined {
  const n = readNumber(text, label, decimalComma)
  if (n === undefined || n === 0) return undefined
  if (n < 0) throw new SkipRow(`${label} ${clip(text.trim())} is negative`)
  const value = roundConverted(n * scale)
  if (value > limit.max) {
    const converted = scale === 1 ? '' : ` (${Math.round(value * 10) / 10} ${limit.unit})`
    throw new SkipRow(`${label} ${clip(text.trim())}${converted} is more than ${limit.text}: a typo?`)
  }
  return value
}

/** RPE: absent when empty or 0; 1 to 10 in halves otherwise (bounds.ts isRpe), else SkipRow. */
export function readRpe(text: string, decimalComma = false): number | undefined {
  const n = readNumber(text, 'RPE', decimalComma)
  if (n === undefined || n === 0) return undefined
  if (!isRpe(n)) throw new SkipRow(`RPE ${clip(text.trim())} is not between 1 and 10 in halves`)
  return n
}

/**
 * Converted values keep six decimals: enough that converting back gives the file's number, few
 * enough that 1.1 km is 1100 m and not 1100.0000000000002.
 */
export function roundConverted(n: number): number {
  return Math.round(n * 1e6) / 1e6
}

export const kgPer: Readonly<Record<WeightUnit, number>> = { kg: 1, lb: KG_PER_LB }

/** A weight unit as the formats spell it in a unit column, lower-cased. */
export const weightUnitNames: Readonly<Record<string, WeightUnit>> = { kg: 'kg', kgs: 'kg', lb: 'lb', lbs: 'lb' }

/** Metres per distance unit, by the spellings the formats use. */
const metresPer: Readonly<Record<string, number>> = {
  m: 1,
  meter: 1,
  meters: 1,
  metre: 1,
  metres: 1,
  km: 1000,
  kms: 1000,
  kilometers: 1000,
  kilometres: 1000,
  mi: M_PER_MI,
  mile: M_PER_MI,
  miles: M_PER_MI,
  ft: 0.3048,
  feet: 0.3048,
  yd: 0.9144,
  yds: 0.9144,
  yards: 0.9144,
}

/** Metres in one of this unit (case-insensitive), or undefined for a unit we do not know. */
export function metresPerUnit(unit: string): number | undefined {
  return metresPer[unit.trim().toLowerCase()]
}

// --- times -----------------------------------------------------------------------------------

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0')
}

/**
 * An instant as ISO 8601 in this device's zone, with its offset: `2025-07-23T19:16:49+02:00`.
 * Before standard time (years before about 1900, and Amsterdam until 1937) a zone's offset has
 * seconds, which ISO cannot write: the offset is rounded to the minute and the wall clock written
 * to match it, so the string still names the exact instant.
 */
export function formatLocalIso(date: Date): string {
  const offset = Math.round(-date.getTimezoneOffset())
  const wall = new Date(date.getTime() + offset * 60_000)
  const sign = offset < 0 ? '-' : '+'
  const abs = Math.abs(offset)
  const ms = wall.getUTCMilliseconds()
  return (
    `${pad(wall.getUTCFullYear(), 4)}-${pad(wall.getUTCMonth() + 1)}-${pad(wall.getUTCDate())}` +
    `T${pad(wall.getUTCHours())}:${pad(wall.getUTCMinutes())}:${pad(wall.getUTCSeconds())}${ms ? `.${pad(ms, 3)}` : ''}` +
    `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
  )
}

/** The years a workout may be in: outside them a date is a typo or a placeholder (`0000-01-01`, `9999-12-31`). */
export const workoutYears = { first: 1900, last: 2100 } as const

/** A workout's start as the model writes it; SkipRow when its year is outside {@link workoutYears}. */
export function workoutStart(date: Date, text: string): string {
  const year = date.getFullYear()
  if (!(year >= workoutYears.first && year <= workoutYears.last)) {
    throw new SkipRow(`Date "${clip(text)}" is not between the years ${workoutYears.first} and ${workoutYears.last}: a typo?`)
  }
  return formatLocalIso(date)
}

/**
 * A wall-clock time with no zone, read in this device's zone (as the app that wrote it showed it);
 * undefined when a part is out of range (month 13, 30 February, 24:00). A time skipped by a
 * daylight-saving change reads as the instant the clock jumped to, as `Date` does.
 */
export function localDate(y: number, month: number, d: number, h = 0, mi = 0, s = 0, ms = 0): Date | undefined {
  if (month < 1 || month > 12 || d < 1 || d > new Date(y, month, 0).getDate()) return undefined
  if (h > 23 || mi > 59 || s > 59) return undefined
  const date = new Date(y, month - 1, d, h, mi, s, ms)
  // Years 0..99 are taken as 19xx by the constructor.
  if (y < 100) date.setFullYear(y)
  return date
}

const isoLike = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i

/**
 * `2025-07-23 19:16:49`, `2025-07-23T19:16`, `2025-07-23` or any of them with `Z` or an offset;
 * a time without a zone is local. Undefined when it is none of these or out of range. With
 * `requireZone`, a time without a zone is refused (Cadence writes offsets).
 */
export function readIsoLike(text: string, requireZone = false): Date | undefined {
  const m = isoLike.exec(text.trim())
  if (!m) return undefined
  const [, y, mo, d, h, mi, s, frac, zone] = m
  const ms = frac ? Math.floor(Number(`0.${frac}`) * 1000) : 0
  const local = localDate(Number(y), Number(mo), Number(d), Number(h ?? 0), Number(mi ?? 0), Number(s ?? 0), ms)
  if (!local) return undefined
  if (!zone) return requireZone ? undefined : local
  let offsetMinutes = 0
  if (zone.toUpperCase() !== 'Z') {
    const digits = zone.slice(1).replace(':', '')
    const hours = Number(digits.slice(0, 2))
    const minutes = Number(digits.slice(2) || '0')
    if (hours > 23 || minutes > 59) return undefined
    offsetMinutes = (zone.startsWith('-') ? -1 : 1) * (hours * 60 + minutes)
  }
  const utc = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h ?? 0), Number(mi ?? 0), Number(s ?? 0), ms)
  return new Date(utc - offsetMinutes * 60_000)
}

/** `1:05:30` or `5:30` (h:mm:ss, mm:ss) or plain seconds → seconds; undefined when empty; SkipRow when unreadable. */
export function readClockDuration(text: string, label: string): number | undefined {
  const t = text.trim()
  if (t === '') return undefined
  const m = /^(?:(?:(\d+):)?(\d{1,2}):)?(\d+(?:\.\d+)?)$/.exec(t)
  if (!m) throw new SkipRow(`${label} "${clip(t)}" is not a time like 1:05:30 or 5:30`)
  const [, h, mi, s] = m
  return Number(h ?? 0) * 3600 + Number(mi ?? 0) * 60 + Number(s)
}

/** For messages: a field cut to a readable length. */
export function clip(text: string, max = 40): string {
  const oneLine = text.replace(/\s+/g, ' ')
  return oneLine.length > max ? `${oneLine.slice(0, max - 1)}…` : oneLine
}

// --- text ------------------------------------------------------------------------------------

/** The longest names and notes Cadence stores (the mutations refuse longer ones). */
export const textLimits = { name: 200, notes: 10_000 } as const

/**
 * Text the database can store unchanged: NUL characters dropped, a lone surrogate (half of an
 * emoji cut in two) replaced by U+FFFD.
 */
export function storable(text: string): string {
  const noNul = text.includes('\u0000') ? text.replaceAll('\u0000', '') : text
  return noNul.isWellFormed() ? noNul : noNul.toWellFormed()
}

/** Text as written (made {@link storable}), or undefined when it is empty or only whitespace. */
export function optionalText(text: string): string | undefined {
  const t = storable(text)
  return t.trim() === '' ? undefined : t
}

/**
 * A note as written, or undefined when empty; one longer than Cadence keeps is cut to
 * {@link textLimits}.notes with a problem on its row, so the rest of the row is still read.
 */
export function readNotes(text: string, label: string, row: number, context: Pick<ReaderContext, 'problem'>): string | undefined {
  const notes = optionalText(text)
  if (notes === undefined || notes.length <= textLimits.notes) return notes
  context.problem(
    row,
    `${label} is ${notes.length.toLocaleString('en')} characters long: only the first ${textLimits.notes.toLocaleString('en')} are kept`,
  )
  // Never end on the first half of a surrogate pair.
  return storable(notes.slice(0, textLimits.notes))
}

/** An exercise name, trimmed; SkipRow when empty or longer than a name can be (a column read out of place). */
export function readExerciseName(text: string): string {
  const name = storable(text).trim()
  if (name === '') throw new SkipRow('The exercise name is empty')
  if (name.length > textLimits.name) {
    throw new SkipRow(`The exercise name is ${name.length} characters long, more than ${textLimits.name}: "${clip(name)}"`)
  }
  return name
}

/** A workout name, trimmed and cut to {@link textLimits}.name; `fallback` when empty. */
export function readWorkoutName(text: string, fallback: string): string {
  const name = storable(text).trim()
  if (name === '') return fallback
  return name.length > textLimits.name ? storable(name.slice(0, textLimits.name)).trimEnd() : name
}

// --- grouping ----------------------------------------------------------------------------------

/** The longest workout key the import mutation accepts. */
export const MAX_KEY_LENGTH = 500

/**
 * A workout key the import mutation accepts: storable, and at most {@link MAX_KEY_LENGTH}
 * characters. A longer one (a workout name of a thousand characters) keeps its start and ends
 * with a hash of the whole, so it stays the same on every import of the file and two long names
 * with the same start stay apart.
 */
export function boundedKey(key: string): string {
  const safe = storable(key)
  if (safe.length <= MAX_KEY_LENGTH) return safe
  // FNV-1a over the UTF-16 code units, twice with different seeds: 64 bits, plenty for one user's keys.
  const fnv = (seed: number) => {
    let h = seed
    for (let i = 0; i < safe.length; i++) h = Math.imul(h ^ safe.charCodeAt(i), 0x01000193) >>> 0
    return h.toString(16).padStart(8, '0')
  }
  return `${storable(safe.slice(0, MAX_KEY_LENGTH - 18))}#${fnv(0x811c9dc5)}${fnv(0x050c5d1f)}`
}

/**
 * Rows → workouts. A workout is found by its key (rows of one workout need not be adjacent); an
 * exercise continues while rows of its workout keep naming it (and its superset), so an exercise
 * done twice in one workout, with another between, stays two exercises, in the file's order.
 */
export class WorkoutCollector {
  private readonly workouts = new Map<string, ImportedWorkout>()
  private readonly current = new Map<string, { exercise: ImportedExercise; identity: string }>()

  /** The workout with this key, made by `create` at its first row. */
  workout(key: string, create: () => Omit<ImportedWorkout, 'key' | 'exercises'>): ImportedWorkout {
    let workout = this.workouts.get(key)
    if (!workout) {
      workout = { key: boundedKey(key), ...create(), exercises: [] }
      this.workouts.set(key, workout)
    }
    return workout
  }

  /** The workout with this key, if a row has made it. */
  find(key: string): ImportedWorkout | undefined {
    return this.workouts.get(key)
  }

  /** The exercise a row of `workout` belongs to: the current one when the name (and superset) match, else a new one. */
  exercise(workout: ImportedWorkout, name: string, row: number, supersetKey?: string): ImportedExercise {
    const identity = `${name}\u0000${supersetKey ?? ''}`
    const open = this.current.get(workout.key)
    if (open && open.identity === identity) return open.exercise
    const exercise: ImportedExercise = { name, row, ...(supersetKey !== undefined && { supersetKey }), sets: [] }
    workout.exercises.push(exercise)
    this.current.set(workout.key, { exercise, identity })
    return exercise
  }

  /** The last set read into this workout (for Strong's Rest Timer rows). */
  lastSet(workout: ImportedWorkout): ImportedSet | undefined {
    return this.current.get(workout.key)?.exercise.sets.at(-1)
  }

  list(): ImportedWorkout[] {
    return [...this.workouts.values()].filter((w) => w.exercises.length > 0)
  }
}

/** A set's optional fields, leaving out the absent ones (the model's fields are present only with a value). */
export function compact<T extends object>(fields: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as { [K in keyof T]?: Exclude<T[K], undefined> }
}
