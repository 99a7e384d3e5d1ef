/**
 * Personal records over an activity's entries, for any numeric attribute and not only weight.
 * "Best" depends on what the number means: the most weight, reps or distance; for a time both
 * the longest (a plank, a ride) and the shortest (a timed 5 km) are records, unless the activity
 * also records a distance: then the shortest time says nothing and the pace does. Where an activity
 * records a pair that means more together, a derived record is kept too: the estimated one-rep
 * max and the best set's volume from weight × reps, the fastest pace from distance and time.
 *
 * An RPE (domain/bounds.ts) says how hard a set felt, which is no record: it has none.
 *
 * Warm-up sets are not records and carry no volume: an entry whose `setType` is `warmup` is left
 * out of everything here. An entry without a set type is a normal set.
 */
import type { AttributeType } from '@/db/schema'
import { boundOf } from './bounds'
import { countsAsWork, type SetType } from './set-types'
import { formatPace, formatValue, type DisplayUnits } from './units'

export type RecordAttribute = { id: string; name: string; type: AttributeType }
/** One entry's numeric values, canonical units (kg, m, s), by attribute id, and its set type (absent: normal). */
export type RecordEntry = { entryId: string; performedAt: Date; values: ReadonlyMap<string, number>; setType?: SetType }

export type RecordKind = 'most' | 'longest' | 'shortest' | 'oneRepMax' | 'setVolume' | 'pace'
export type PersonalRecord = {
  kind: RecordKind
  /** Names the record among the activity's: the kind and, for an attribute's own record, its id. */
  key: string
  /** A person-readable name, e.g. "Heaviest Weight", "Fastest pace". */
  label: string
  /** Canonical: kg for mass, one-rep max and volume (weight × reps, in kg), m, s, seconds per metre for pace. */
  value: number
  /** The unit the value is in, for display. */
  type: AttributeType | 'pace' | 'volume'
  entryId: string
  performedAt: Date
}

const mostLabel: Partial<Record<AttributeType, string>> = { mass: 'Heaviest', integer: 'Most', number: 'Highest', distance: 'Longest' }

/** A record's value for people, in the user's units: "116.67 kg", "4:20 /km" (volume in kg, as lifters say it). */
export function formatRecord(record: Pick<PersonalRecord, 'type' | 'value'>, units: DisplayUnits): string {
  if (record.type === 'pace') return formatPace(record.value, units)
  return formatValue(record.type === 'volume' ? 'mass' : record.type, record.value, units)
}

/** Brzycki's and Epley's formulas diverge past 10 reps; Epley is the common choice in logs. */
export function estimatedOneRepMax(weightKg: number, reps: number): number {
  if (reps <= 0 || weightKg <= 0) return 0
  return reps === 1 ? weightKg : weightKg * (1 + reps / 30)
}

function best(entries: readonly RecordEntry[], score: (e: RecordEntry) => number | null, lowerIsBetter = false) {
  let found: { entry: RecordEntry; value: number } | undefined
  for (const entry of entries) {
    const value = score(entry)
    if (value === null || !Number.isFinite(value)) continue
    // Ties go to the earliest entry: the record was set then, later ones only equalled it.
    if (!found || (lowerIsBetter ? value < found.value : value > found.value)) found = { entry, value }
  }
  return found
}

/** Every record the activity's attributes allow, in attribute order, derived records last. */
export function personalRecords(attributes: readonly RecordAttribute[], entries: readonly RecordEntry[]): PersonalRecord[] {
  const byTime = entries.filter(isWork).sort((a, b) => a.performedAt.getTime() - b.performedAt.getTime())
  const out: PersonalRecord[] = []
  const push = (kind: RecordKind, label: string, type: PersonalRecord['type'], found: ReturnType<typeof best>, attributeId?: string) => {
    if (!found) return
    const key = attributeId ? `${kind}:${attributeId}` : kind
    out.push({ kind, key, label, type, value: found.value, entryId: found.entry.entryId, performedAt: found.entry.performedAt })
  }
  const positive = (id: string) => (e: RecordEntry) => {
    const v = e.values.get(id)
    return v === undefined || v <= 0 ? null : v
  }

  const hasDistance = attributes.some((a) => a.type === 'distance')
  for (const a of attributes) {
    if (a.type === 'duration') {
      push('longest', `Longest ${a.name}`, a.type, best(byTime, positive(a.id)), a.id)
      if (!hasDistance) push('shortest', `Shortest ${a.name}`, a.type, best(byTime, positive(a.id), true), a.id)
    } else if (mostLabel[a.type] && boundOf(a)?.measure !== 'rpe') {
      push('most', `${mostLabel[a.type]} ${a.name}`, a.type, best(byTime, positive(a.id)), a.id)
    }
  }

  const { weight, reps } = liftPair(attributes)
  if (weight && reps) {
    const pair = (f: (w: number, r: number) => number) => (e: RecordEntry) => {
      const w = positive(weight.id)(e)
      const r = positive(reps.id)(e)
      return w === null || r === null ? null : f(w, r)
    }
    push('oneRepMax', 'Estimated one-rep max', 'mass', best(byTime, pair(estimatedOneRepMax)))
    push(
      'setVolume',
      'Best set volume (weight × reps)',
      'volume',
      best(
        byTime,
        pair((w, r) => w * r),
      ),
    )
  }
  const distance = attributes.find((a) => a.type === 'distance')
  const time = attributes.find((a) => a.type === 'duration')
  if (distance && time) {
    const pace = (e: RecordEntry) => {
      const d = positive(distance.id)(e)
      const t = positive(time.id)(e)
      return d === null || t === null ? null : t / d
    }
    push('pace', 'Fastest pace', 'pace', best(byTime, pace, true))
  }
  return out
}

const isWork = (e: { setType?: SetType }) => countsAsWork(e.setType ?? 'normal')

/** The weight and reps of a lift: its first mass and first whole-number attributes, if it has both. */
function liftPair(attributes: readonly RecordAttribute[]) {
  return { weight: attributes.find((a) => a.type === 'mass'), reps: attributes.find((a) => a.type === 'integer') }
}

/**
 * A set's volume, weight × reps in kg: 0 for a warm-up, and for an activity without a weight and
 * a reps attribute (a run, a plank), or a set missing either value.
 */
export function setVolume(attributes: readonly RecordAttribute[], set: Pick<RecordEntry, 'values' | 'setType'>): number {
  const { weight, reps } = liftPair(attributes)
  if (!weight || !reps || !isWork(set)) return 0
  const w = set.values.get(weight.id)
  const r = set.values.get(reps.id)
  return w !== undefined && r !== undefined && w > 0 && r > 0 ? w * r : 0
}

/** A set of a finished workout: a {@link RecordEntry} of one exercise. */
export type SummarySet = RecordEntry & { activityId: string }
/**
 * An exercise of the workout: its attributes, and its sets logged before this workout (any
 * entry qualitatively equal to it, values keyed by this activity's attribute ids).
 */
export type SummaryExercise = {
  activityId: string
  attributes: readonly RecordAttribute[]
  history: readonly RecordEntry[]
  /** The server's records before the device's history begins (W7), for a windowed device. */
  server?: ServerRecords
}

/** A record this workout set: which set, the new value, and the record it beat. */
export type RecordHit = PersonalRecord & { activityId: string; previous: number; previousEntryId: string }

export type WorkoutSummary = {
  /** From start to finish, whole seconds (0 if the finish is not after the start). */
  durationS: number
  /** Weight × reps over every set but the warm-ups, kg. */
  volumeKg: number
  /** Every set logged, warm-ups included, and those that are not warm-ups. */
  sets: number
  workingSets: number
  /** Per exercise, in the order the exercises are given. */
  exercises: { activityId: string; sets: number; workingSets: number; volumeKg: number }[]
  /** Every record broken, by exercise then in record order; `entryId` is the set that set it. */
  records: RecordHit[]
}

const lowerIsBetter = (kind: RecordKind) => kind === 'shortest' || kind === 'pace'

/**
 * Whether record `a` takes the place of `b`, of the same kind: a better value, or the same value
 * set earlier (a record belongs to the first to reach it).
 */
export function beats(a: Pick<PersonalRecord, 'kind' | 'value' | 'performedAt'>, b: Pick<PersonalRecord, 'value' | 'performedAt'>) {
  const better = lowerIsBetter(a.kind) ? a.value < b.value : a.value > b.value
  return better || (a.value === b.value && a.performedAt < b.performedAt)
}

/**
 * The server's all-time records for a device whose history begins at `heldFrom` (sync/SPEC.md
 * W7): those set before then are beyond what the device can compute itself.
 */
export type ServerRecords = { records: readonly PersonalRecord[]; heldFrom: Date }

/**
 * The server's records as a device uses them (W7): for one whose history begins at `heldFrom`;
 * none for a device that keeps everything, or while the records are still being read.
 */
export function serverRecordsFor(
  records: readonly PersonalRecord[] | undefined,
  heldFrom: string | Date | null,
): ServerRecords | undefined {
  return heldFrom === null || !records ? undefined : { records, heldFrom: new Date(heldFrom) }
}

/**
 * Records computed over what a device holds, with the server's where they were set before its
 * history begins (W7): the better of the two wins, a tie going to the earlier, as above. What the
 * device holds from `heldFrom` on it computes exactly itself, pending writes included. Order: the
 * device's own, then any only the server has.
 */
export function withServerRecords(own: readonly PersonalRecord[], server?: ServerRecords): PersonalRecord[] {
  if (!server) return [...own]
  const before = server.records.filter((r) => r.performedAt < server.heldFrom)
  const out = own.map((mine) => {
    const theirs = before.find((r) => r.key === mine.key)
    if (!theirs) return mine
    return beats(theirs, mine) ? { ...theirs, label: mine.label } : mine
  })
  return [...out, ...before.filter((r) => !own.some((mine) => mine.key === r.key))]
}

/** Records of `now` that beat the same record of `before` (strictly); none when `before` holds none of its kind. */
function broken(
  attributes: readonly RecordAttribute[],
  before: readonly RecordEntry[],
  now: readonly RecordEntry[],
  server?: ServerRecords,
) {
  const old = new Map(withServerRecords(personalRecords(attributes, before), server).map((r) => [r.key, r]))
  const out: (PersonalRecord & { previous: number; previousEntryId: string })[] = []
  for (const record of personalRecords(attributes, now)) {
    const was = old.get(record.key)
    if (!was) continue
    if (lowerIsBetter(record.kind) ? record.value < was.value : record.value > was.value)
      out.push({ ...record, previous: was.value, previousEntryId: was.entryId })
  }
  return out
}

/**
 * The records one set breaks as it is ticked: each of its records that beats the best of
 * `before` (the exercise's history and the sets of this workout done before it). The same rule
 * as {@link workoutSummary}: strictly better, a first value of its kind is no record, a warm-up
 * is none. The set row shows these the moment the set is marked done.
 */
export function setRecords(
  attributes: readonly RecordAttribute[],
  before: readonly RecordEntry[],
  set: RecordEntry,
  server?: ServerRecords,
): (PersonalRecord & { previous: number })[] {
  return broken(attributes, before, [set], server)
}

/**
 * What the finish screen shows: duration, volume, sets, and every personal record the workout
 * broke. A record is broken when the workout's best beats the best of the exercise's history
 * (strictly: equalling it is not a record); a first value of its kind beats nothing, so a first
 * workout sets no records. When several sets beat the old record, the best of them holds it
 * (the earliest on a tie). History entries that are sets of this workout are ignored, so a
 * caller may read history after saving. Warm-ups count as sets, never as volume or records.
 */
export function workoutSummary(input: {
  startedAt: Date
  finishedAt: Date
  sets: readonly SummarySet[]
  exercises: readonly SummaryExercise[]
}): WorkoutSummary {
  const own = new Set(input.sets.map((s) => s.entryId))
  const exercises: WorkoutSummary['exercises'] = []
  const records: RecordHit[] = []
  for (const exercise of input.exercises) {
    const sets = input.sets.filter((s) => s.activityId === exercise.activityId)
    exercises.push({
      activityId: exercise.activityId,
      sets: sets.length,
      workingSets: sets.filter(isWork).length,
      volumeKg: sets.reduce((sum, s) => sum + setVolume(exercise.attributes, s), 0),
    })
    const history = exercise.history.filter((h) => !own.has(h.entryId))
    for (const hit of broken(exercise.attributes, history, sets, exercise.server)) records.push({ ...hit, activityId: exercise.activityId })
  }
  const durationMs = input.finishedAt.getTime() - input.startedAt.getTime()
  return {
    durationS: Number.isFinite(durationMs) && durationMs > 0 ? Math.round(durationMs / 1000) : 0,
    volumeKg: exercises.reduce((sum, e) => sum + e.volumeKg, 0),
    sets: input.sets.length,
    workingSets: input.sets.filter(isWork).length,
    exercises,
    records,
  }
}
