/**
 * Progress over time: one point per session for a metric the lifter picks (top set, estimated
 * one-rep max, volume, best time, pace…), the metrics an activity's attributes allow, and the
 * time ranges a chart shows. Pure: the page reads entries (`db/queries/progress.ts`) and charts
 * what this returns.
 *
 * A session is the workout a set belongs to: the root entry of its sequence (a workout, with any
 * superset blocks in between). A set logged alone, outside any workout, belongs to the local
 * calendar day it was performed on, so three lone sets of a morning are one point, not three
 * vertical dots. A session's point is dated at its earliest working set.
 *
 * Warm-ups are no progress: they are left out of every metric, like records (domain/set-types.ts).
 */
import type { AttributeType } from '@/db/schema'
import { estimatedOneRepMax, setVolume, type RecordAttribute, type RecordEntry } from './records'
import { countsAsWork } from './set-types'

/** An entry of the activity, values by its attribute ids, and the root entry of its workout (null: logged alone). */
export type ProgressEntry = RecordEntry & { sessionId: string | null }

/** How a metric combines a session's sets into its point. */
type Combine = 'max' | 'min' | 'sum'

export type ProgressMetric = {
  /** Stable among an activity's metrics, e.g. `oneRepMax`, `max:<attribute id>`. */
  id: string
  /** What the picker says, e.g. "Estimated one-rep max". */
  label: string
  /** The unit its values are in, canonical (kg, m, s; pace in seconds per metre). */
  type: AttributeType | 'pace'
  /** What a unitless count counts (its attribute's name, "reps"); absent for a value with a unit. */
  counts?: string
  /** Whether a lower value is better (a time over a set distance, a pace). */
  lowerIsBetter: boolean
  /** A set's contribution, or null when the set has none. */
  score: (entry: RecordEntry) => number | null
  combine: Combine
}

export type ProgressPoint = {
  /** The session: its workout's root entry id, or `day:YYYY-MM-DD` for sets logged alone. */
  session: string
  /** The earliest working set of the session. */
  performedAt: Date
  value: number
  /** Working sets of the session that have a value for the metric. */
  sets: number
}

const positive = (id: string) => (e: RecordEntry) => {
  const v = e.values.get(id)
  return v === undefined || !Number.isFinite(v) || v <= 0 ? null : v
}

/**
 * The metrics an activity's attributes allow, most telling first: for a lift (a weight and a
 * reps attribute) the top set, the estimated one-rep max and the volume; for a timed distance
 * the pace; then each numeric attribute's best. A time without a distance has both its longest
 * (a plank) and its shortest (a timed climb).
 */
export function progressMetrics(attributes: readonly RecordAttribute[]): ProgressMetric[] {
  const out: ProgressMetric[] = []
  const weight = attributes.find((a) => a.type === 'mass')
  const reps = attributes.find((a) => a.type === 'integer')
  const distance = attributes.find((a) => a.type === 'distance')
  const time = attributes.find((a) => a.type === 'duration')
  if (weight) {
    out.push({
      id: `max:${weight.id}`,
      label: `Top set (${weight.name.toLowerCase()})`,
      type: 'mass',
      lowerIsBetter: false,
      score: positive(weight.id),
      combine: 'max',
    })
  }
  if (weight && reps) {
    const w = positive(weight.id)
    const r = positive(reps.id)
    out.push({
      id: 'oneRepMax',
      label: 'Estimated 1RM',
      type: 'mass',
      lowerIsBetter: false,
      score: (e) => {
        const kg = w(e)
        const n = r(e)
        return kg === null || n === null ? null : estimatedOneRepMax(kg, n)
      },
      combine: 'max',
    })
    out.push({
      id: 'volume',
      label: 'Volume (weight × reps)',
      type: 'mass',
      lowerIsBetter: false,
      score: (e) => setVolume(attributes, e) || null,
      combine: 'sum',
    })
  }
  if (distance && time) {
    const d = positive(distance.id)
    const t = positive(time.id)
    out.push({
      id: 'pace',
      label: 'Best pace',
      type: 'pace',
      lowerIsBetter: true,
      score: (e) => {
        const m = d(e)
        const s = t(e)
        return m === null || s === null ? null : s / m
      },
      combine: 'min',
    })
  }
  for (const a of attributes) {
    if (a === weight) continue
    if (a.type === 'duration') {
      if (!distance)
        out.push({
          id: `min:${a.id}`,
          label: `Best ${a.name.toLowerCase()} (shortest)`,
          type: a.type,
          lowerIsBetter: true,
          score: positive(a.id),
          combine: 'min',
        })
      out.push({
        id: `max:${a.id}`,
        label: `Longest ${a.name.toLowerCase()}`,
        type: a.type,
        lowerIsBetter: false,
        score: positive(a.id),
        combine: 'max',
      })
    } else if (a.type === 'integer' || a.type === 'number' || a.type === 'distance' || a.type === 'mass') {
      out.push({
        id: `max:${a.id}`,
        label: `${a.type === 'distance' ? 'Longest' : 'Most'} ${a.name.toLowerCase()}`,
        ...(a.type === 'integer' || a.type === 'number' ? { counts: a.name.toLowerCase() } : {}),
        type: a.type,
        lowerIsBetter: false,
        score: positive(a.id),
        combine: 'max',
      })
    }
  }
  return out
}

/** A date's local calendar day, `YYYY-MM-DD`, in the zone this runs in (the device's). */
export function localDay(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`
}

/** One point per session, oldest first: the metric over the session's working sets. Sessions with no value are left out. */
export function sessionPoints(entries: readonly ProgressEntry[], metric: ProgressMetric): ProgressPoint[] {
  const sessions = new Map<string, ProgressPoint>()
  for (const entry of entries) {
    if (!countsAsWork(entry.setType ?? 'normal')) continue
    const value = metric.score(entry)
    if (value === null || !Number.isFinite(value)) continue
    const session = entry.sessionId ?? `day:${localDay(entry.performedAt)}`
    const point = sessions.get(session)
    if (!point) {
      sessions.set(session, { session, performedAt: entry.performedAt, value, sets: 1 })
      continue
    }
    point.sets += 1
    if (entry.performedAt < point.performedAt) point.performedAt = entry.performedAt
    point.value =
      metric.combine === 'sum'
        ? point.value + value
        : metric.combine === 'max'
          ? Math.max(point.value, value)
          : Math.min(point.value, value)
  }
  return [...sessions.values()].sort((a, b) => a.performedAt.getTime() - b.performedAt.getTime() || a.session.localeCompare(b.session))
}

export const progressRanges = ['1M', '3M', '1Y', 'All'] as const
export type ProgressRange = (typeof progressRanges)[number]

export const progressRangeLabels: Readonly<Record<ProgressRange, string>> = {
  '1M': 'Last month',
  '3M': 'Last 3 months',
  '1Y': 'Last year',
  All: 'All time',
}

/** The earliest moment a range shows, counted back in calendar months from `now`; null for all time. */
export function rangeStart(range: ProgressRange, now: Date): Date | null {
  const months = { '1M': 1, '3M': 3, '1Y': 12, All: null }[range]
  if (months === null) return null
  const start = new Date(now)
  start.setMonth(start.getMonth() - months)
  return start
}

/** The points a range shows. */
export function pointsInRange(points: readonly ProgressPoint[], range: ProgressRange, now: Date): ProgressPoint[] {
  const start = rangeStart(range, now)
  return start ? points.filter((p) => p.performedAt >= start) : [...points]
}
