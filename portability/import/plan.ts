/**
 * From a parsed file to the mutations that write it: each exercise name in the file is mapped
 * onto an activity of the user's (matched by name), a catalogue exercise, or a new activity with
 * the attributes the file carries; then {@link buildImport} turns the mapping into ordinary
 * mutations (activities first, then `startImport`, then the workouts in batches), so an import
 * made offline syncs later like anything else. Pure: the caller reads the device and runs the
 * steps (`run.ts`).
 */
import type { AttributeType } from '@/db/schema'
import type { ActivityInfo } from '@/db/queries/local'
import type { MutatorArgs, MutatorName } from '@/domain/mutators'
import type { EntryInput } from '@/domain/mutators/entries'
import { MAX_IMPORT_BATCH_NODES, MAX_IMPORT_WORKOUTS } from '@/domain/mutators/imports'
import type { Value } from '@/domain/values'
import type { ImportedExercise, ImportedSet, ImportedWorkout, ParsedImport } from './model'

/** What a set of the file can say, each going to one attribute. */
export const measures = ['weight', 'reps', 'distance', 'seconds', 'rpe'] as const
export type Measure = (typeof measures)[number]

/** The attribute a measure is written to on a new activity, and the type it needs on an existing one. */
const measureAttribute: Record<Measure, { name: string; type: AttributeType }> = {
  weight: { name: 'Weight', type: 'mass' },
  reps: { name: 'Reps', type: 'integer' },
  distance: { name: 'Distance', type: 'distance' },
  seconds: { name: 'Time', type: 'duration' },
  rpe: { name: 'RPE', type: 'number' },
}

const setValue: Record<Measure, (s: ImportedSet) => number | undefined> = {
  weight: (s) => s.weightKg,
  reps: (s) => s.reps,
  distance: (s) => s.distanceM,
  seconds: (s) => s.seconds,
  rpe: (s) => s.rpe,
}

/** A catalogue exercise an importer may create an activity from (the catalogue is `domain/catalogue`). */
export type CatalogueChoice = { slug: string; name: string; attributes: { name: string; type: AttributeType }[] }
/** Finds the catalogue exercise a file's name stands for, or null. */
export type CatalogueMatcher = (nameInFile: string) => CatalogueChoice | null

/** Where an exercise of the file goes. */
export type Target =
  | { kind: 'existing'; activityId: string }
  | { kind: 'new'; name: string; catalogue?: CatalogueChoice }
  /** Its sets are left out of the import. */
  | { kind: 'skip' }

export type ExerciseMapping = {
  /** The exercise's name as the file writes it. */
  name: string
  sets: number
  workouts: number
  /** What the file's sets of it carry. */
  measures: Measure[]
  target: Target
  /** Why the target was chosen, for the preview ("matched by name", "from the catalogue", "new"). */
  reason: string
}

/** Case, spacing and punctuation do not tell names apart ("Pull-Up" = "pull up"). */
export function nameKey(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
}

/** Every distinct exercise name of the file with its sets, workouts and measures, by name. */
export function fileExercises(parsed: ParsedImport): { name: string; sets: number; workouts: number; measures: Measure[] }[] {
  const byName = new Map<string, { name: string; sets: number; workouts: Set<string>; measures: Set<Measure> }>()
  for (const w of parsed.workouts) {
    for (const e of w.exercises) {
      const found = byName.get(e.name) ?? { name: e.name, sets: 0, workouts: new Set(), measures: new Set() }
      byName.set(e.name, found)
      found.sets += e.sets.length
      found.workouts.add(w.key)
      for (const s of e.sets) for (const m of measures) if (setValue[m](s) !== undefined) found.measures.add(m)
    }
  }
  return [...byName.values()]
    .map((f) => ({ name: f.name, sets: f.sets, workouts: f.workouts.size, measures: measures.filter((m) => f.measures.has(m)) }))
    .sort((a, b) => a.name.localeCompare(b.name))
}

/**
 * The mapping the preview proposes: a scalar activity of the user's with the same name (case,
 * spacing and punctuation aside), else the catalogue's exercise, else a new activity named as in
 * the file.
 */
export function proposeMapping(parsed: ParsedImport, own: readonly ActivityInfo[], catalogue?: CatalogueMatcher): ExerciseMapping[] {
  const byKey = new Map<string, ActivityInfo>()
  for (const a of own) if (a.kind === 'scalar' && !byKey.has(nameKey(a.name))) byKey.set(nameKey(a.name), a)
  return fileExercises(parsed).map((f) => {
    const same = byKey.get(nameKey(f.name))
    if (same) return { ...f, target: { kind: 'existing', activityId: same.id }, reason: `matched by name: "${same.name}"` }
    const choice = catalogue?.(f.name)
    if (choice) {
      const mine = byKey.get(nameKey(choice.name))
      if (mine) return { ...f, target: { kind: 'existing', activityId: mine.id }, reason: `same exercise as your "${mine.name}"` }
      return { ...f, target: { kind: 'new', name: choice.name, catalogue: choice }, reason: `new, from the catalogue: "${choice.name}"` }
    }
    return { ...f, target: { kind: 'new', name: f.name }, reason: 'new activity' }
  })
}

/** A problem with a mapping that stops the import until it is changed. */
export function mappingProblem(mapping: ExerciseMapping, own: readonly ActivityInfo[]): string | null {
  if (mapping.target.kind !== 'existing') return null
  const { activityId } = mapping.target
  const activity = own.find((a) => a.id === activityId)
  if (!activity) return `"${mapping.name}": the activity it was mapped to is gone.`
  if (activity.kind !== 'scalar') return `"${mapping.name}": "${activity.name}" is a workout, not an exercise with sets.`
  return null
}

export type ImportStep = { [N in MutatorName]: { name: N; args: MutatorArgs<N> } }[MutatorName]

export type BuiltImport = {
  importId: string
  /** In order: activities and attributes first, then `startImport`, then `importWorkouts` batches. */
  steps: ImportStep[]
  /** Workouts and sets to write, and those skipped as imported before. */
  workouts: number
  sets: number
  skippedWorkouts: number
}

export type BuildInput = {
  parsed: ParsedImport
  fileName: string
  mapping: readonly ExerciseMapping[]
  own: readonly ActivityInfo[]
  defaultLibraryId: string
  /** Workout keys already imported (and not undone), skipped. */
  imported: ReadonlySet<string>
  newId: () => string
  /** Per-batch bounds; the defaults keep a batch well under a push's size (SPEC B5). */
  batch?: { workouts?: number; nodes?: number; bytes?: number }
}

type Resolved = { activityId: string; attributeOf: Partial<Record<Measure, string>> }

/** The mutations that write the import, in order. Throws on a mapping problem (see {@link mappingProblem}). */
export function buildImport(input: BuildInput): BuiltImport {
  const { parsed, own, newId } = input
  const steps: ImportStep[] = []
  const byId = new Map(own.map((a) => [a.id, a]))
  const resolved = new Map<string, Resolved | null>()

  for (const m of input.mapping) {
    const problem = mappingProblem(m, own)
    if (problem) throw new Error(problem)
    if (m.target.kind === 'skip') {
      resolved.set(m.name, null)
      continue
    }
    if (m.target.kind === 'existing') {
      const activity = byId.get(m.target.activityId)!
      const attributeOf: Resolved['attributeOf'] = {}
      for (const measure of m.measures) {
        const found = attributeFor(activity, measure)
        if (found) {
          attributeOf[measure] = found
          continue
        }
        // The file says more than the activity holds: an attribute is appended (schemas only grow).
        const id = newId()
        steps.push({ name: 'appendAttribute', args: { activityId: activity.id, attribute: { id, ...measureAttribute[measure] } } })
        attributeOf[measure] = id
      }
      resolved.set(m.name, { activityId: activity.id, attributeOf })
      continue
    }
    const activityId = newId()
    const wanted = [...(m.target.catalogue?.attributes ?? [])]
    for (const measure of m.measures) {
      if (!wanted.some((a) => a.type === measureAttribute[measure].type && fits(a.name, measure))) wanted.push(measureAttribute[measure])
    }
    const attributes = wanted.map((a) => ({ id: newId(), name: a.name, type: a.type }))
    const attributeOf: Resolved['attributeOf'] = {}
    for (const measure of m.measures) {
      attributeOf[measure] = attributes.find((a) => a.type === measureAttribute[measure].type && fits(a.name, measure))!.id
    }
    steps.push({
      name: 'createActivity',
      args: { id: activityId, libraryId: input.defaultLibraryId, name: m.target.name, kind: 'scalar', attributes },
    })
    const rest = commonRest(parsed, m.name)
    if (rest !== null) steps.push({ name: 'setActivityRest', args: { activityId, restSeconds: rest } })
    resolved.set(m.name, { activityId, attributeOf })
  }

  const todo = parsed.workouts.filter((w) => !input.imported.has(w.key))
  const sequences = sequenceActivities(todo, resolved, own, input.defaultLibraryId, newId, steps)

  const importId = newId()
  steps.push({
    name: 'startImport',
    args: { id: importId, source: parsed.format, fileName: input.fileName.slice(0, 255) || 'import', fileRows: parsed.rows },
  })

  const limits = { workouts: MAX_IMPORT_WORKOUTS, nodes: Math.floor(MAX_IMPORT_BATCH_NODES * 0.75), bytes: 256_000, ...input.batch }
  let batch: MutatorArgs<'importWorkouts'>['workouts'] = []
  let nodes = 0
  let bytes = 0
  let sets = 0
  let written = 0
  const flush = () => {
    if (batch.length > 0) steps.push({ name: 'importWorkouts', args: { importId, workouts: batch } })
    batch = []
    nodes = 0
    bytes = 0
  }
  for (const w of todo) {
    const tree = workoutTree(w, resolved, sequences, newId)
    if (!tree) continue
    const size = JSON.stringify(tree).length
    if (batch.length > 0 && (batch.length >= limits.workouts || nodes + tree.rows.length > limits.nodes || bytes + size > limits.bytes))
      flush()
    batch.push(tree)
    nodes += tree.rows.length
    bytes += size
    sets += tree.sets
    written += 1
  }
  flush()
  return { importId, steps, workouts: written, sets, skippedWorkouts: parsed.workouts.length - todo.length }
}

/** True when an attribute of this name is the one for the measure (reps and RPE are both numbers). */
function fits(attributeName: string, measure: Measure): boolean {
  const key = nameKey(attributeName)
  if (measure === 'reps') return /\brep/.test(key)
  if (measure === 'rpe') return /\brpe\b|\beffort\b|\bexertion\b/.test(key)
  return true
}

/** The live attribute of an existing activity a measure goes to, or null. */
function attributeFor(activity: ActivityInfo, measure: Measure): string | null {
  const type = measureAttribute[measure].type
  const live = activity.attributes.filter((a) => !a.retired)
  const named = live.find((a) => a.type === type && fits(a.name, measure))
  if (named) return named.id
  // A single integer attribute is the reps whatever it is called ("Count", "Wiederholungen").
  if (measure === 'reps') return live.filter((a) => a.type === 'integer').length === 1 ? live.find((a) => a.type === 'integer')!.id : null
  return null
}

/** The rest most often given after this exercise's sets, or null when the file gives none. */
function commonRest(parsed: ParsedImport, name: string): number | null {
  const counts = new Map<number, number>()
  for (const w of parsed.workouts)
    for (const e of w.exercises)
      if (e.name === name)
        for (const s of e.sets) if (s.restSeconds !== undefined) counts.set(s.restSeconds, (counts.get(s.restSeconds) ?? 0) + 1)
  let best: number | null = null
  for (const [rest, n] of counts) if (rest >= 0 && rest <= 3600 && (best === null || n > counts.get(best)!)) best = Math.round(rest)
  return best
}

type Sequences = { workouts: Map<string, string>; blocks: Map<string, string> }

const blockKey = (activityIds: string[]) => activityIds.join('+')

/** A superset's exercises in the order first done, with their sets in rounds. */
function supersetGroups(w: ImportedWorkout): (ImportedExercise | ImportedExercise[])[] {
  const out: (ImportedExercise | ImportedExercise[])[] = []
  const groups = new Map<string, ImportedExercise[]>()
  for (const e of w.exercises) {
    if (!e.supersetKey) {
      out.push(e)
      continue
    }
    const group = groups.get(e.supersetKey)
    if (group) group.push(e)
    else {
      const created = [e]
      groups.set(e.supersetKey, created)
      out.push(created)
    }
  }
  return out.map((g) => (Array.isArray(g) && g.length === 1 ? g[0]! : g))
}

/**
 * The workout and superset activities the entries need: the user's own sequence of the same name,
 * or a new one whose template is the exercises of the last such workout in the file.
 */
function sequenceActivities(
  workouts: readonly ImportedWorkout[],
  resolved: Map<string, Resolved | null>,
  own: readonly ActivityInfo[],
  libraryId: string,
  newId: () => string,
  steps: ImportStep[],
): Sequences {
  const ownSequences = new Map<string, string>()
  for (const a of own) if (a.kind === 'sequence' && !ownSequences.has(nameKey(a.name))) ownSequences.set(nameKey(a.name), a.id)
  const blockItems = new Map<string, { name: string; items: { childId: string; repeat: number }[] }>()
  const workoutItems = new Map<string, { name: string; items: { key: string; repeat: number }[] }>()
  for (const w of workouts) {
    const items: { key: string; repeat: number }[] = []
    for (const group of supersetGroups(w)) {
      const members = (Array.isArray(group) ? group : [group]).flatMap((e) => {
        const r = resolved.get(e.name)
        return r ? [{ e, r }] : []
      })
      if (members.length === 0) continue
      if (members.length === 1) {
        items.push({ key: members[0]!.r.activityId, repeat: members[0]!.e.sets.length })
        continue
      }
      const key = blockKey(members.map((m) => m.r.activityId))
      const rounds = Math.max(...members.map((m) => m.e.sets.length))
      blockItems.set(key, {
        name: members.map((m) => m.e.name).join(' + '),
        items: members.map((m) => ({ childId: m.r.activityId, repeat: Math.max(1, m.e.sets.length) })),
      })
      items.push({ key: `block:${key}`, repeat: rounds })
    }
    // Workouts are in the file's order; the last one of a name gives its template.
    workoutItems.set(nameKey(w.name), { name: w.name, items })
  }
  const blocks = new Map<string, string>()
  for (const [key, block] of blockItems) {
    const name = truncateName(`Superset: ${block.name}`)
    const mine = ownSequences.get(nameKey(name))
    if (mine) {
      blocks.set(key, mine)
      continue
    }
    const id = newId()
    steps.push({
      name: 'createActivity',
      args: {
        id,
        libraryId,
        name,
        kind: 'sequence',
        items: block.items.map((i) => ({ id: newId(), childId: i.childId, repeat: clampRepeat(i.repeat) })),
      },
    })
    blocks.set(key, id)
  }
  const workoutIds = new Map<string, string>()
  for (const [key, workout] of workoutItems) {
    const mine = ownSequences.get(key)
    if (mine) {
      workoutIds.set(key, mine)
      continue
    }
    const id = newId()
    const items = workout.items
      .map((i) => ({
        id: newId(),
        childId: i.key.startsWith('block:') ? blocks.get(i.key.slice(6))! : i.key,
        repeat: clampRepeat(i.repeat),
      }))
      .slice(0, 200)
    steps.push({ name: 'createActivity', args: { id, libraryId, name: truncateName(workout.name), kind: 'sequence', items } })
    workoutIds.set(key, id)
  }
  return { workouts: workoutIds, blocks }
}

const clampRepeat = (n: number) => Math.min(100, Math.max(1, n))
const truncateName = (name: string) => (name.trim() || 'Imported workout').slice(0, 200)

/** A workout as an entry tree with a row for each of its nodes; null when none of its sets is kept. */
function workoutTree(
  w: ImportedWorkout,
  resolved: Map<string, Resolved | null>,
  sequences: Sequences,
  newId: () => string,
): (MutatorArgs<'importWorkouts'>['workouts'][number] & { sets: number }) | null {
  const rows = [w.row]
  const children: EntryInput[] = []
  let sets = 0
  const set = (e: ImportedExercise, s: ImportedSet, r: Resolved, first: boolean): EntryInput => {
    const values: Record<string, Value> = {}
    for (const m of measures) {
      const v = setValue[m](s)
      const attributeId = r.attributeOf[m]
      if (v !== undefined && attributeId) values[attributeId] = m === 'reps' ? Math.round(v) : v
    }
    const notes = [first ? e.notes : undefined, s.notes].filter((n): n is string => Boolean(n?.trim())).join('\n')
    sets += 1
    return {
      id: newId(),
      activityId: r.activityId,
      values,
      ...(s.setType === 'normal' ? {} : { setType: s.setType }),
      ...(notes ? { notes: notes.slice(0, 10_000) } : {}),
    }
  }
  for (const group of supersetGroups(w)) {
    const members = (Array.isArray(group) ? group : [group]).flatMap((e) => {
      const r = resolved.get(e.name)
      return r && e.sets.length > 0 ? [{ e, r }] : []
    })
    if (members.length === 1) {
      const { e, r } = members[0]!
      e.sets.forEach((s, i) => {
        children.push(set(e, s, r, i === 0))
        rows.push(s.row)
      })
      continue
    }
    if (members.length === 0) continue
    const block: EntryInput = { id: newId(), activityId: sequences.blocks.get(blockKey(members.map((m) => m.r.activityId)))!, children: [] }
    const blockRows = [members[0]!.e.row]
    const rounds = Math.max(...members.map((m) => m.e.sets.length))
    for (let round = 0; round < rounds; round++) {
      for (const { e, r } of members) {
        const s = e.sets[round]
        if (!s) continue
        block.children!.push(set(e, s, r, round === 0))
        blockRows.push(s.row)
      }
    }
    children.push(block)
    rows.push(...blockRows)
  }
  if (sets === 0) return null
  const entry: EntryInput = {
    id: newId(),
    activityId: sequences.workouts.get(nameKey(w.name))!,
    performedAt: w.startedAt,
    children,
    ...(w.notes?.trim() ? { notes: w.notes.trim().slice(0, 10_000) } : {}),
  }
  return { key: w.key, entry, rows, sets }
}
