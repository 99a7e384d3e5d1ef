/**
 * From a parsed file to the mutations that write it: each exercise name in the file is mapped
 * onto an activity of the user's (matched by name), a catalogue exercise, or a new activity with
 * the attributes the file carries; then {@link buildImport} turns the mapping into ordinary
 * mutations (activities first, then `startImport`, then the workouts in batches), so an import
 * made offline syncs later like anything else. Pure: the caller reads the device and runs the
 * steps (`run.ts`).
 *
 * Only what the written workouts use is made: an exercise seen only in workouts imported before,
 * or only in workouts left out, makes no activity. Names that map onto one activity (two
 * spellings, or one catalogue exercise) make or extend it once. A workout no mutation could take
 * (more entries than one tree may hold, or too many bytes for a push) is left out and reported,
 * so it does not stop every later run of the same file.
 */
import type { AttributeType } from '@/db/schema'
import type { ActivityInfo } from '@/db/queries/local'
import type { MutatorArgs, MutatorName } from '@/domain/mutators'
import { MAX_ENTRY_NODES, type EntryInput } from '@/domain/mutators/entries'
import { MAX_IMPORT_BATCH_NODES, MAX_IMPORT_WORKOUTS } from '@/domain/mutators/imports'
import { MAX_ITEMS } from '@/domain/mutators/templates'
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

/**
 * Case, spacing and punctuation do not tell names apart ("Pull-Up" = "pull up"), in any script
 * ("Жим Лёжа" = "жим лёжа"). A name of only punctuation has the key `''`, which matches nothing.
 */
export function nameKey(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\p{M}]+/gu, ' ')
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
  const byKey = keyed(own.filter((a) => a.kind === 'scalar'))
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

/** A workout of the file the steps leave out because no mutation could take it, and why. */
export type LeftOutWorkout = { row: number; name: string; reason: string }

export type BuiltImport = {
  importId: string
  /** In order: activities and attributes first, then `startImport`, then `importWorkouts` batches. */
  steps: ImportStep[]
  /** Workouts and sets to write, and those skipped as imported before. */
  workouts: number
  sets: number
  skippedWorkouts: number
  /** Workouts too large for one mutation, not in the steps (the rest of the file imports). */
  leftOut?: LeftOutWorkout[]
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
  /**
   * Activities that are a child in some template (superset blocks and the like): a workout of the
   * file is never written onto one of them. Absent, a workout goes onto any sequence of its name.
   */
  nested?: ReadonlySet<string>
}

/**
 * A workout whose arguments alone are larger than this is left out: with the push around it, it
 * would not fit one push (`MAX_BODY_BYTES`, SPEC B5) and would be refused on every run.
 */
export const MAX_WORKOUT_BYTES = 900_000

/**
 * Where the file's exercises that map onto one activity go (two names of the file may: "Squat"
 * and "squat", or two spellings of one catalogue exercise): the activity is made or extended
 * once, and every set of either name uses the same attributes. Attribute ids are given when a set
 * first needs one; only those of the workouts written become steps.
 */
type Destination = {
  activityId: string
  libraryId: string
  /** The activity's name, as a superset's name shows it. */
  name: string
  existing?: ActivityInfo
  /** The catalogue's attributes of an activity the import creates, made whatever the file carries. */
  created?: { attributes: { id: string; name: string; type: AttributeType }[] }
  attributeOf: Partial<Record<Measure, string>>
  /** Attributes the file needs that the activity lacks: appended, or added to the new activity. */
  added: Partial<Record<Measure, string>>
  /** What the written workouts use of it (nothing is made for an unused destination). */
  used: boolean
  measures: Set<Measure>
  rests: Map<number, number>
}

type Member = { e: ImportedExercise; d: Destination }
/** A workout's pieces as written: an exercise's sets, or a superset block of several exercises' sets. */
type Part = { kind: 'single'; member: Member } | { kind: 'block'; key: string; members: Member[] }

/** A workout or superset sequence the entries go onto: the user's own, or one the import creates. */
type SequencePlan = {
  id: string
  libraryId: string
  own: boolean
  name: string
  used: boolean
  /** The template of a created one: the last written workout of its name gives it. */
  items: { childId: string; repeat: number }[]
}

/** The mutations that write the import, in order. Throws on a mapping problem (see {@link mappingProblem}). */
export function buildImport(input: BuildInput): BuiltImport {
  const { parsed, own, newId, defaultLibraryId } = input
  const destinationOf = destinations(input)
  const todo = parsed.workouts.filter((w) => !input.imported.has(w.key))
  const libraryOf = new Map(own.map((a) => [a.id, a.libraryId]))
  for (const d of destinationOf.values()) if (d) libraryOf.set(d.activityId, d.libraryId)

  const ownWorkouts = keyed(own.filter((a) => a.kind === 'sequence' && !input.nested?.has(a.id)))
  const ownBlocks = keyed(own.filter((a) => a.kind === 'sequence'))
  const workoutSequences = new Map<string, SequencePlan>()
  const blockSequences = new Map<string, SequencePlan>()
  const sequence = (plans: Map<string, SequencePlan>, mine: Map<string, ActivityInfo>, key: string, name: string) => {
    const found = plans.get(key)
    if (found) return found
    const same = mine.get(nameKey(name))
    const made: SequencePlan = same
      ? { id: same.id, libraryId: same.libraryId, own: true, name: same.name, used: false, items: [] }
      : { id: newId(), libraryId: defaultLibraryId, own: false, name, used: false, items: [] }
    plans.set(key, made)
    libraryOf.set(made.id, made.libraryId)
    return made
  }
  const blockOf = (part: Extract<Part, { kind: 'block' }>) =>
    sequence(blockSequences, ownBlocks, part.key, sequenceName(`Superset: ${part.members.map((m) => m.d.name).join(' + ')}`))
  const workoutOf = (w: ImportedWorkout) => {
    const name = sequenceName(w.name)
    return sequence(workoutSequences, ownWorkouts, nameKey(name) || `name:${name}`, name)
  }
  /** Only children of the sequence's own library: a template may hold nothing else (`writeTemplate`). */
  const templateOf = (plan: SequencePlan, items: { childId: string; repeat: number }[]) =>
    items.filter((i) => libraryOf.get(i.childId) === plan.libraryId).slice(0, MAX_ITEMS)

  const leftOut: LeftOutWorkout[] = []
  const written: { workout: ImportedWorkoutArgs; nodes: number; bytes: number; sets: number }[] = []
  for (const w of todo) {
    const pieces = parts(w, destinationOf)
    const sets = pieces.reduce((n, p) => n + (p.kind === 'single' ? p.member.e.sets.length : setsOf(p.members)), 0)
    if (sets === 0) continue
    const nodes = 1 + pieces.reduce((n, p) => n + (p.kind === 'single' ? p.member.e.sets.length : 1 + setsOf(p.members)), 0)
    if (nodes > MAX_ENTRY_NODES) {
      leftOut.push({ row: w.row, name: w.name, reason: `${nodes} entries; one workout may hold at most ${MAX_ENTRY_NODES}.` })
      continue
    }
    const workout = workoutTree(w, pieces, workoutOf(w).id, (p) => blockOf(p).id, newId)
    const bytes = utf8Length(JSON.stringify(workout))
    if (bytes > MAX_WORKOUT_BYTES) {
      const kb = Math.ceil(bytes / 1000).toLocaleString('en')
      leftOut.push({
        row: w.row,
        name: w.name,
        reason: `too large to send (${kb} kB; long notes?): at most ${MAX_WORKOUT_BYTES / 1000} kB.`,
      })
      continue
    }
    written.push({ workout, nodes, bytes, sets })

    // What the written workout uses is what the import makes.
    const top = workoutOf(w)
    top.used = true
    const items: { childId: string; repeat: number }[] = []
    for (const p of pieces) {
      const members = p.kind === 'single' ? [p.member] : p.members
      for (const { e, d } of members) {
        d.used = true
        for (const s of e.sets) {
          for (const m of measures) if (setValue[m](s) !== undefined) d.measures.add(m)
          if (s.restSeconds !== undefined) d.rests.set(s.restSeconds, (d.rests.get(s.restSeconds) ?? 0) + 1)
        }
      }
      if (p.kind === 'single') {
        items.push({ childId: p.member.d.activityId, repeat: p.member.e.sets.length })
        continue
      }
      const block = blockOf(p)
      block.used = true
      block.items = templateOf(
        block,
        p.members.map((m) => ({ childId: m.d.activityId, repeat: m.e.sets.length })),
      )
      items.push({ childId: block.id, repeat: Math.max(...p.members.map((m) => m.e.sets.length)) })
    }
    top.items = templateOf(top, items)
  }

  const steps: ImportStep[] = []
  for (const d of new Set(destinationOf.values())) {
    if (!d?.used) continue
    const added = measures.flatMap((m) => {
      const id = d.added[m]
      return id && d.measures.has(m) ? [{ id, ...measureAttribute[m] }] : []
    })
    if (d.existing) {
      // The file says more than the activity holds: attributes are appended (schemas only grow).
      for (const attribute of added) steps.push({ name: 'appendAttribute', args: { activityId: d.activityId, attribute } })
      continue
    }
    steps.push({
      name: 'createActivity',
      args: {
        id: d.activityId,
        libraryId: d.libraryId,
        name: d.name,
        kind: 'scalar',
        attributes: [...(d.created?.attributes ?? []), ...added],
      },
    })
    const rest = commonRest(d.rests)
    if (rest !== null) steps.push({ name: 'setActivityRest', args: { activityId: d.activityId, restSeconds: rest } })
  }
  // Blocks before the workouts that hold them.
  for (const plan of [...blockSequences.values(), ...workoutSequences.values()]) {
    if (!plan.used || plan.own) continue
    steps.push({
      name: 'createActivity',
      args: {
        id: plan.id,
        libraryId: plan.libraryId,
        name: plan.name,
        kind: 'sequence',
        items: plan.items.map((i) => ({ id: newId(), childId: i.childId, repeat: clampRepeat(i.repeat) })),
      },
    })
  }

  const importId = newId()
  steps.push({
    name: 'startImport',
    args: { id: importId, source: parsed.format, fileName: cutText(input.fileName.trim(), 255).trim() || 'import', fileRows: parsed.rows },
  })

  const limits = { workouts: MAX_IMPORT_WORKOUTS, nodes: Math.floor(MAX_IMPORT_BATCH_NODES * 0.75), bytes: 256_000, ...input.batch }
  // The arguments around the workouts: {"importId":"…","workouts":[…]}.
  const envelope = utf8Length(JSON.stringify({ importId, workouts: [] }))
  let batch: ImportedWorkoutArgs[] = []
  let nodes = 0
  let bytes = envelope
  const flush = () => {
    if (batch.length > 0) steps.push({ name: 'importWorkouts', args: { importId, workouts: batch } })
    batch = []
    nodes = 0
    bytes = envelope
  }
  for (const w of written) {
    // One more workout costs its bytes and a comma; a workout alone is sent whatever its size.
    if (batch.length > 0 && (batch.length >= limits.workouts || nodes + w.nodes > limits.nodes || bytes + w.bytes + 1 > limits.bytes))
      flush()
    batch.push(w.workout)
    nodes += w.nodes
    bytes += w.bytes + 1
  }
  flush()
  return {
    importId,
    steps,
    workouts: written.length,
    sets: written.reduce((n, w) => n + w.sets, 0),
    skippedWorkouts: parsed.workouts.length - todo.length,
    leftOut,
  }
}

type ImportedWorkoutArgs = MutatorArgs<'importWorkouts'>['workouts'][number]

/** Activities by name key, the first of each; a name without a key is matched by nothing. */
function keyed(list: readonly ActivityInfo[]): Map<string, ActivityInfo> {
  const out = new Map<string, ActivityInfo>()
  for (const a of list) {
    const key = nameKey(a.name)
    if (key && !out.has(key)) out.set(key, a)
  }
  return out
}

/**
 * Each file name's destination (null: left out), one destination for all the names that map onto
 * one activity: the same activity of the user's, the same catalogue exercise, or new activities of
 * the same name.
 */
function destinations(input: BuildInput): Map<string, Destination | null> {
  const byId = new Map(input.own.map((a) => [a.id, a]))
  const out = new Map<string, Destination | null>()
  const byTarget = new Map<string, Destination>()
  const make = (fields: Pick<Destination, 'activityId' | 'libraryId' | 'name' | 'existing' | 'created'>): Destination => ({
    ...fields,
    attributeOf: {},
    added: {},
    used: false,
    measures: new Set(),
    rests: new Map(),
  })
  // A catalogue target first, so that a new activity of the catalogue exercise's very name joins it.
  const order = [...input.mapping].sort((a, b) => Number(!isCatalogue(a.target)) - Number(!isCatalogue(b.target)))
  for (const m of order) {
    const problem = mappingProblem(m, input.own)
    if (problem) throw new Error(problem)
    const { target } = m
    if (target.kind === 'skip') {
      out.set(m.name, null)
      continue
    }
    if (target.kind === 'existing') {
      const key = `activity:${target.activityId}`
      const activity = byId.get(target.activityId)!
      const d =
        byTarget.get(key) ?? make({ activityId: activity.id, libraryId: activity.libraryId, name: activity.name, existing: activity })
      byTarget.set(key, d)
      out.set(m.name, d)
      continue
    }
    const name = cutText(target.name.trim(), 200).trim() || cutText(m.name.trim(), 200).trim() || 'Imported exercise'
    const keys = [target.catalogue ? `catalogue:${target.catalogue.slug}` : null, nameKey(name) ? `name:${nameKey(name)}` : null]
    const d =
      keys.map((k) => (k ? byTarget.get(k) : undefined)).find(Boolean) ??
      make({
        activityId: input.newId(),
        libraryId: input.defaultLibraryId,
        name,
        created: { attributes: (target.catalogue?.attributes ?? []).map((a) => ({ id: input.newId(), name: a.name, type: a.type })) },
      })
    for (const k of keys) if (k && !byTarget.has(k)) byTarget.set(k, d)
    out.set(m.name, d)
  }
  return out
}

const isCatalogue = (t: Target) => t.kind === 'new' && t.catalogue !== undefined

/** The attribute a measure of this destination's sets goes to, found or added on first need. */
function attributeOf(d: Destination, measure: Measure, newId: () => string): string {
  const known = d.attributeOf[measure]
  if (known) return known
  const type = measureAttribute[measure].type
  const found = d.existing
    ? attributeFor(d.existing, measure)
    : (d.created?.attributes.find((a) => a.type === type && fits(a.name, measure))?.id ?? null)
  const id = found ?? (d.added[measure] ??= newId())
  d.attributeOf[measure] = id
  return id
}

/** True when an attribute of this name is the one for the measure (reps and RPE are both numbers). */
function fits(attributeName: string, measure: Measure): boolean {
  const key = nameKey(attributeName)
  if (measure === 'reps') return /\brep/.test(key)
  if (measure === 'rpe') return /\brpe\b|\beffort\b|\bexertion\b/.test(key)
  return true
}

/**
 * The attribute of an existing activity a measure goes to, or null: a live one, else a retired
 * one (imported history is old entries, and old entries may hold values of a retired attribute),
 * so that importing onto an activity whose Weight was retired does not make a second Weight.
 */
function attributeFor(activity: ActivityInfo, measure: Measure): string | null {
  const type = measureAttribute[measure].type
  for (const retired of [false, true]) {
    const list = activity.attributes.filter((a) => a.retired === retired && a.type === type)
    const named = list.find((a) => fits(a.name, measure))
    if (named) return named.id
    // A single integer attribute is the reps whatever it is called ("Count", "Wiederholungen").
    if (measure === 'reps' && list.length === 1) return list[0]!.id
  }
  return null
}

/** The rest most often given after a destination's sets, or null when the file gives none. */
function commonRest(counts: ReadonlyMap<number, number>): number | null {
  let best: { rest: number; n: number } | null = null
  for (const [rest, n] of counts) if (rest >= 0 && rest <= 3600 && (best === null || n > best.n)) best = { rest, n }
  return best && Math.round(best.rest)
}

const blockKey = (activityIds: string[]) => activityIds.join('+')

/** A superset's exercises in the order first done, with their sets in rounds. */
function supersetGroups(w: ImportedWorkout): ImportedExercise[][] {
  const out: ImportedExercise[][] = []
  const groups = new Map<string, ImportedExercise[]>()
  for (const e of w.exercises) {
    if (!e.supersetKey) {
      out.push([e])
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
  return out
}

/**
 * The exercises of a superset group (or a lone exercise) that the import writes: mapped somewhere
 * and with sets. The template, the block's key and the entries all come from this one list.
 */
function members(group: readonly ImportedExercise[], destinationOf: ReadonlyMap<string, Destination | null>): Member[] {
  return group.flatMap((e) => {
    const d = destinationOf.get(e.name)
    return d && e.sets.length > 0 ? [{ e, d }] : []
  })
}

/** A workout's parts as written; an empty list when none of its sets is kept. */
function parts(w: ImportedWorkout, destinationOf: ReadonlyMap<string, Destination | null>): Part[] {
  return supersetGroups(w).flatMap((group): Part[] => {
    const found = members(group, destinationOf)
    if (found.length === 0) return []
    if (found.length === 1) return [{ kind: 'single', member: found[0]! }]
    return [{ kind: 'block', key: blockKey(found.map((m) => m.d.activityId)), members: found }]
  })
}

const setsOf = (list: readonly Member[]) => list.reduce((n, m) => n + m.e.sets.length, 0)

const clampRepeat = (n: number) => Math.min(100, Math.max(1, n))
const sequenceName = (name: string) => cutText(name.trim() || 'Imported workout', 200).trim()

/** At most `max` UTF-16 units, without keeping half of a surrogate pair (a name must be valid Unicode). */
function cutText(text: string, max: number): string {
  if (text.length <= max) return text
  const last = text.charCodeAt(max - 1)
  return text.slice(0, last >= 0xd800 && last <= 0xdbff ? max - 1 : max)
}

/** The bytes of a string in UTF-8, as a push sends it (SPEC B5), without encoding it. */
export function utf8Length(text: string): number {
  let n = 0
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c < 0x80) n += 1
    else if (c < 0x800) n += 2
    else if (c >= 0xd800 && c <= 0xdbff && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 4
      i++
    } else n += 3
  }
  return n
}

/** A workout as an entry tree with a row for each of its nodes, in tree order. */
function workoutTree(
  w: ImportedWorkout,
  pieces: readonly Part[],
  activityId: string,
  blockId: (part: Extract<Part, { kind: 'block' }>) => string,
  newId: () => string,
): ImportedWorkoutArgs {
  const rows = [w.row]
  const children: EntryInput[] = []
  const set = ({ e, d }: Member, s: ImportedSet, first: boolean): EntryInput => {
    const values: Record<string, Value> = {}
    for (const m of measures) {
      const v = setValue[m](s)
      if (v !== undefined) values[attributeOf(d, m, newId)] = m === 'reps' ? Math.round(v) : v
    }
    const notes = [first ? e.notes : undefined, s.notes].filter((n): n is string => Boolean(n?.trim())).join('\n')
    return {
      id: newId(),
      activityId: d.activityId,
      values,
      ...(s.setType === 'normal' ? {} : { setType: s.setType }),
      ...(notes ? { notes: cutText(notes, 10_000) } : {}),
    }
  }
  for (const p of pieces) {
    if (p.kind === 'single') {
      p.member.e.sets.forEach((s, i) => {
        children.push(set(p.member, s, i === 0))
        rows.push(s.row)
      })
      continue
    }
    const block: EntryInput & { children: EntryInput[] } = { id: newId(), activityId: blockId(p), children: [] }
    rows.push(p.members[0]!.e.row)
    const rounds = Math.max(...p.members.map((m) => m.e.sets.length))
    for (let round = 0; round < rounds; round++) {
      for (const member of p.members) {
        const s = member.e.sets[round]
        if (!s) continue
        block.children.push(set(member, s, round === 0))
        rows.push(s.row)
      }
    }
    children.push(block)
  }
  const notes = w.notes?.trim()
  const entry: EntryInput = {
    id: newId(),
    activityId,
    performedAt: w.startedAt,
    children,
    ...(notes ? { notes: cutText(notes, 10_000) } : {}),
  }
  return { key: w.key, entry, rows }
}
