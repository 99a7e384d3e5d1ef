/**
 * History as a lifter reads it: workouts, then exercises, each exercise's sets on one line in the
 * user's units ("Bench press 3 × 5 @ 82.5 kg", or "82.5 kg × 5, 85 kg × 3, 3" when the sets differ),
 * warm-ups counted apart; each workout with its day, duration and volume. Pure: the page hands in
 * what `history()` read and renders what comes out.
 *
 * A workout is a sequence entry's tree. Sets logged on their own (a scalar root entry) make one
 * workout per local day: they were done in one session as far as the data can tell.
 */
import { valueText } from '@/components/value-text'
import type { ActivityInfo, AttributeInfo, HistoryEntry, StoredValues } from '@/db/queries/local'
import { setVolume } from '@/domain/records'
import { countsAsWork, readSetType, setColumnLabels, type SetType } from '@/domain/set-types'
import { formatValue, type DisplayUnits } from '@/domain/units'

export type SetRow = {
  entry: HistoryEntry
  setType: SetType
  /** As a set table's first column labels it: W, D, F or the number among the normal sets. */
  label: string
  /** The set's main values ("82.5 kg × 5", "5 km in 25:00"), '–' when it has none. */
  text: string
  /** Its other values ("RPE 8 · Grip wide"), '' when none. */
  extra: string
}

export type ExerciseLine = {
  kind: 'exercise'
  activityId: string
  name: string
  sets: SetRow[]
  /** The sets on one line: "3 × 5 @ 82.5 kg · 1 warm-up". */
  summary: string
}

export type SupersetBlock = { kind: 'superset'; entry: HistoryEntry; name: string; exercises: ExerciseLine[] }

export type Workout = {
  key: string
  /** The workout's entry; null for the sets a day logged on their own. */
  root: HistoryEntry | null
  name: string
  /** The local day, YYYY-MM-DD. */
  day: string
  startedAt: Date
  /** From the start to the latest set, whole seconds; 0 when the data holds no later time. */
  durationS: number
  /** Weight × reps over the working sets, kg. */
  volumeKg: number
  items: (ExerciseLine | SupersetBlock)[]
}

export type HistoryData = {
  roots: readonly HistoryEntry[]
  children: ReadonlyMap<string, readonly HistoryEntry[]>
  values: ReadonlyMap<string, StoredValues>
  activities: ReadonlyMap<string, ActivityInfo>
}

/** A time's local calendar day as YYYY-MM-DD (the device's time zone). */
export function localDay(at: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}`
}

/** The first attribute of each type a set's line is made of (as records pick a lift's weight and reps). */
function mainAttributes(attributes: readonly AttributeInfo[]) {
  const first = (type: AttributeInfo['type']) => attributes.find((a) => a.type === type)
  return { weight: first('mass'), reps: first('integer'), distance: first('distance'), time: first('duration') }
}

type Parts = { weight?: string; reps?: number; distance?: string; time?: string }

function partsOf(attributes: readonly AttributeInfo[], values: StoredValues | undefined, units: DisplayUnits): Parts {
  const main = mainAttributes(attributes)
  const num = (a: AttributeInfo | undefined) => (a ? (values?.get(a.id)?.num ?? undefined) : undefined)
  const parts: Parts = {}
  const weight = num(main.weight)
  const reps = num(main.reps)
  const distance = num(main.distance)
  const time = num(main.time)
  if (weight !== undefined) parts.weight = formatValue('mass', weight, units)
  if (reps !== undefined) parts.reps = reps
  if (distance !== undefined) parts.distance = formatValue('distance', distance, units)
  if (time !== undefined) parts.time = formatValue('duration', time, units)
  return parts
}

/** One set's main values: "82.5 kg × 5", "8 reps", "5 km in 25:00", "1:30", "20 kg for 1:00". */
function partsText(p: Parts): string {
  const load = [p.weight, p.distance].filter(Boolean).join(' · ')
  if (p.reps !== undefined) {
    const reps = load ? `${load} × ${p.reps}` : `${p.reps} ${p.reps === 1 ? 'rep' : 'reps'}`
    return p.time ? `${reps} in ${p.time}` : reps
  }
  if (p.time) return p.distance ? `${load} in ${p.time}` : load ? `${load} for ${p.time}` : p.time
  return load || '–'
}

/** The values a set's line leaves out (anything but the first weight, reps, distance and time). */
function extraText(attributes: readonly AttributeInfo[], values: StoredValues | undefined, units: DisplayUnits): string {
  const main = new Set(
    Object.values(mainAttributes(attributes))
      .filter(Boolean)
      .map((a) => a!.id),
  )
  return attributes
    .filter((a) => !main.has(a.id) && values?.has(a.id))
    .map((a) => {
      const text = valueText(a, values!.get(a.id)!, units)
      return text ? `${a.name} ${text}` : ''
    })
    .filter(Boolean)
    .join(' · ')
}

const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`

/**
 * An exercise's sets on one line. Equal working sets: "3 × 5 @ 82.5 kg" ("3 × 8" reps only,
 * "2 × 5 km in 25:00"); different ones listed, the reps of sets in a row at one weight together:
 * "82.5 kg × 5, 85 kg × 3, 3"; warm-ups counted after.
 */
function summaryOf(sets: readonly { setType: SetType; parts: Parts; text: string }[]): string {
  const work = sets.filter((s) => countsAsWork(s.setType))
  const warmups = sets.length - work.length
  let line = ''
  const first = work[0]
  if (first && work.length > 1 && work.every((s) => s.text === first.text)) {
    const p = first.parts
    if (p.reps !== undefined && !p.time && (p.weight || p.distance)) line = `${work.length} × ${p.reps} @ ${p.weight ?? p.distance}`
    else if (p.reps !== undefined && !p.time && !p.weight && !p.distance) line = `${work.length} × ${p.reps}`
    else line = `${work.length} × ${first.text}`
  } else if (work.length > 0 && work.every((s) => s.parts.reps !== undefined && Object.keys(s.parts).length === 1)) {
    line = `${work.map((s) => s.parts.reps).join(', ')} reps`
  } else if (work.length > 0 && work.every((s) => s.parts.weight && s.parts.reps !== undefined && !s.parts.time && !s.parts.distance)) {
    // Sets in a row at one weight are written once, as lifters write them: "85 kg × 5, 5, 4".
    const runs: { weight: string; reps: number[] }[] = []
    for (const { parts } of work) {
      const last = runs.at(-1)
      if (last && last.weight === parts.weight) last.reps.push(parts.reps!)
      else runs.push({ weight: parts.weight!, reps: [parts.reps!] })
    }
    line = runs.map((r) => `${r.weight} × ${r.reps.join(', ')}`).join(', ')
  } else {
    line = work.map((s) => s.text).join(', ')
  }
  return [line, warmups > 0 ? count(warmups, 'warm-up', 'warm-ups') : ''].filter(Boolean).join(' · ')
}

/** Sets in order, gathered by exercise in the order each was first done. */
function exerciseLines(sets: readonly HistoryEntry[], data: HistoryData, units: DisplayUnits): ExerciseLine[] {
  const byActivity = new Map<string, HistoryEntry[]>()
  for (const s of sets) byActivity.set(s.activityId, [...(byActivity.get(s.activityId) ?? []), s])
  return [...byActivity.entries()].map(([activityId, list]) => {
    const attributes = data.activities.get(activityId)?.attributes ?? []
    const types = list.map((s) => readSetType(s.setType))
    const labels = setColumnLabels(types)
    const rows = list.map((entry, i) => {
      const parts = partsOf(attributes, data.values.get(entry.id), units)
      return {
        entry,
        setType: types[i]!,
        label: labels[i]!,
        parts,
        text: partsText(parts),
        extra: extraText(attributes, data.values.get(entry.id), units),
      }
    })
    return {
      kind: 'exercise' as const,
      activityId,
      name: list[0]!.activityName,
      summary: summaryOf(rows),
      sets: rows.map(({ parts: _parts, ...row }) => row),
    }
  })
}

function volumeOf(sets: readonly HistoryEntry[], data: HistoryData): number {
  return sets.reduce((sum, s) => {
    const values = new Map<string, number>()
    for (const [id, v] of data.values.get(s.id) ?? []) if (v.num !== null) values.set(id, v.num)
    return sum + setVolume(data.activities.get(s.activityId)?.attributes ?? [], { values, setType: readSetType(s.setType) })
  }, 0)
}

/** Every entry below `id`, in tree order. */
function descendants(id: string, data: HistoryData): HistoryEntry[] {
  return (data.children.get(id) ?? []).flatMap((c) => [c, ...descendants(c.id, data)])
}

const secondsBetween = (from: Date, times: readonly Date[]) =>
  Math.max(0, Math.round((Math.max(from.getTime(), ...times.map((t) => t.getTime())) - from.getTime()) / 1000))

/** The workouts in these roots, newest first: each sequence entry, and each day's sets logged on their own. */
export function groupWorkouts(data: HistoryData, units: DisplayUnits): Workout[] {
  const isSequence = (e: HistoryEntry) => data.children.has(e.id) || data.activities.get(e.activityId)?.kind === 'sequence'
  const workouts: Workout[] = []
  const alone = new Map<string, HistoryEntry[]>()
  for (const root of data.roots) {
    if (!isSequence(root)) {
      const day = localDay(root.performedAt)
      alone.set(day, [...(alone.get(day) ?? []), root])
      continue
    }
    const below = descendants(root.id, data)
    const sets = below.filter((e) => !isSequence(e))
    const items: Workout['items'] = []
    let loose: HistoryEntry[] = []
    const flush = () => {
      if (loose.length > 0) items.push(...exerciseLines(loose, data, units))
      loose = []
    }
    for (const child of data.children.get(root.id) ?? []) {
      if (!isSequence(child)) {
        loose.push(child)
        continue
      }
      flush()
      const inner = descendants(child.id, data).filter((e) => !isSequence(e))
      items.push({ kind: 'superset', entry: child, name: child.activityName, exercises: exerciseLines(inner, data, units) })
    }
    flush()
    workouts.push({
      key: root.id,
      root,
      name: root.activityName,
      day: localDay(root.performedAt),
      startedAt: root.performedAt,
      durationS: secondsBetween(
        root.performedAt,
        below.map((e) => e.performedAt),
      ),
      volumeKg: volumeOf(sets, data),
      items,
    })
  }
  for (const [day, list] of alone) {
    const sets = [...list].sort((a, b) => a.performedAt.getTime() - b.performedAt.getTime() || a.id.localeCompare(b.id))
    const startedAt = sets[0]!.performedAt
    workouts.push({
      key: `day:${day}`,
      root: null,
      name: 'Logged on their own',
      day,
      startedAt,
      durationS: secondsBetween(
        startedAt,
        sets.map((s) => s.performedAt),
      ),
      volumeKg: volumeOf(sets, data),
      items: exerciseLines(sets, data, units),
    })
  }
  return workouts.sort((a, b) => b.startedAt.getTime() - a.startedAt.getTime() || a.key.localeCompare(b.key))
}

/** A workout's length for people: "52 min", "1 h 5 min"; '' under a minute (no time to tell). */
export function durationText(seconds: number): string {
  const minutes = Math.round(seconds / 60)
  if (minutes < 1) return ''
  const h = Math.floor(minutes / 60)
  const m = minutes % 60
  return h > 0 ? `${h} h${m > 0 ? ` ${m} min` : ''}` : `${m} min`
}

/** A workout's volume for people, whole units with thousands grouped: "2,750 kg", "6,063 lb". */
export function volumeText(kg: number, units: DisplayUnits): string {
  const [n, unit] = formatValue('mass', kg, units).split(' ')
  return `${Math.round(Number(n)).toLocaleString('en-US')} ${unit}`
}

/** A root entry as the calendar counts it: a sequence is a workout; a day's lone sets make one together. */
export type DayRoot = { performedAt: Date; isWorkout: boolean }

/** Workouts per local day, counted as {@link groupWorkouts} makes them. */
export function workoutsPerDay(roots: readonly DayRoot[]): Map<string, number> {
  const workouts = new Map<string, number>()
  const alone = new Set<string>()
  for (const r of roots) {
    const day = localDay(r.performedAt)
    if (r.isWorkout) workouts.set(day, (workouts.get(day) ?? 0) + 1)
    else alone.add(day)
  }
  for (const day of alone) workouts.set(day, (workouts.get(day) ?? 0) + 1)
  return workouts
}

/** A month as weeks of seven days, Monday first; days of the neighbouring months are null. */
export function monthWeeks(year: number, month: number): (Date | null)[][] {
  const first = new Date(year, month, 1)
  const days = new Date(year, month + 1, 0).getDate()
  const lead = (first.getDay() + 6) % 7
  const cells: (Date | null)[] = [
    ...Array.from({ length: lead }, () => null),
    ...Array.from({ length: days }, (_, i) => new Date(year, month, i + 1)),
  ]
  while (cells.length % 7 !== 0) cells.push(null)
  return Array.from({ length: cells.length / 7 }, (_, w) => cells.slice(w * 7, w * 7 + 7))
}
