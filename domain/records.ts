/**
 * Personal records over an activity's entries, for any numeric attribute and not only weight.
 * "Best" depends on what the number means: the most weight, reps or distance; for a time both
 * the longest (a plank, a ride) and the shortest (a timed 5 km) are records, unless the activity
 * also records a distance: then the shortest time says nothing and the pace does. Where an activity
 * records a pair that means more together, a derived record is kept too: the estimated one-rep
 * max and the heaviest set's volume from weight × reps, the fastest pace from distance and time.
 */
import type { AttributeType } from '@/db/schema'

export type RecordAttribute = { id: string; name: string; type: AttributeType }
/** One entry's numeric values, canonical units (kg, m, s), by attribute id. */
export type RecordEntry = { entryId: string; performedAt: Date; values: ReadonlyMap<string, number> }

export type RecordKind = 'most' | 'longest' | 'shortest' | 'oneRepMax' | 'setVolume' | 'pace'
export type PersonalRecord = {
  kind: RecordKind
  /** A person-readable name, e.g. "Heaviest Weight", "Fastest pace". */
  label: string
  /** Canonical: kg for mass, one-rep max and volume (kg·reps), m, s, seconds per metre for pace. */
  value: number
  /** The unit the value is in, for display. */
  type: AttributeType | 'pace' | 'volume'
  entryId: string
  performedAt: Date
}

const mostLabel: Partial<Record<AttributeType, string>> = { mass: 'Heaviest', integer: 'Most', number: 'Highest', distance: 'Longest' }

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
  const byTime = [...entries].sort((a, b) => a.performedAt.getTime() - b.performedAt.getTime())
  const out: PersonalRecord[] = []
  const push = (kind: RecordKind, label: string, type: PersonalRecord['type'], found: ReturnType<typeof best>) => {
    if (found) out.push({ kind, label, type, value: found.value, entryId: found.entry.entryId, performedAt: found.entry.performedAt })
  }
  const positive = (id: string) => (e: RecordEntry) => {
    const v = e.values.get(id)
    return v === undefined || v <= 0 ? null : v
  }

  const hasDistance = attributes.some((a) => a.type === 'distance')
  for (const a of attributes) {
    if (a.type === 'duration') {
      push('longest', `Longest ${a.name}`, a.type, best(byTime, positive(a.id)))
      if (!hasDistance) push('shortest', `Shortest ${a.name}`, a.type, best(byTime, positive(a.id), true))
    } else if (mostLabel[a.type]) {
      push('most', `${mostLabel[a.type]} ${a.name}`, a.type, best(byTime, positive(a.id)))
    }
  }

  const weight = attributes.find((a) => a.type === 'mass')
  const reps = attributes.find((a) => a.type === 'integer')
  if (weight && reps) {
    const pair = (f: (w: number, r: number) => number) => (e: RecordEntry) => {
      const w = positive(weight.id)(e)
      const r = positive(reps.id)(e)
      return w === null || r === null ? null : f(w, r)
    }
    push('oneRepMax', 'Estimated one-rep max', 'mass', best(byTime, pair(estimatedOneRepMax)))
    push(
      'setVolume',
      'Heaviest set (weight × reps)',
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
