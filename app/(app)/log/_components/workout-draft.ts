/**
 * A workout being done: its exercises and sets as the lifter fills them in, before "Finish" logs
 * it as one entry (a `logEntry` mutation). The draft is kept in the tab's storage after every
 * change, so a reload, a locked phone or a closed tab loses no set ticked and no rest under way.
 *
 * Shape: blocks of exercises. A block of one exercise is a plain exercise; a block of several is
 * a superset or circuit (a nested sequence of the template), its exercises done in turn, one set
 * of each a round, the rest after the round.
 */
import { collectValues, fieldText, nothingFilledIn } from '@/components/value-text'
import type { ActivityInfo } from '@/db/queries/local'
import { matchPrevious, type PreviousExercise, type PreviousSet } from '@/db/queries/previous'
import type { EntryInput } from '@/domain/mutators/entries'
import { newId } from '@/domain/ids'
import { restSecondsOf } from '@/domain/rest'
import type { SetType } from '@/domain/set-types'
import type { DisplayUnits } from '@/domain/units'
import type { Value } from '@/domain/values'

/** `doneAt`: when the set was ticked (ISO), its time in the log; absent on a draft saved before sets had times. */
export type DraftSet = { key: string; texts: Record<string, string>; setType: SetType; done: boolean; doneAt?: string }
export type DraftExercise = { key: string; activityId: string; sets: DraftSet[]; notes: string; restS: number }
/** `blockActivityId`: the superset's activity, or null for an exercise on its own. */
export type DraftBlock = { key: string; blockActivityId: string | null; exercises: DraftExercise[] }
export type Rest = { endsAt: number; totalS: number }
export type Draft = {
  version: 1
  workoutId: string
  startedAt: string
  blocks: DraftBlock[]
  notes: string
  rest: Rest | null
}

/** A template item as the plan reads it: an exercise, or a block of them. */
export type PlanItem =
  | { kind: 'exercise'; activityId: string; sets: number }
  | { kind: 'block'; activityId: string; rounds: number; exercises: { activityId: string; sets: number }[] }

const emptySet = (setType: SetType = 'normal'): DraftSet => ({ key: newId(), texts: {}, setType, done: false })

function exercise(activityId: string, sets: number, activities: ReadonlyMap<string, ActivityInfo>): DraftExercise {
  return {
    key: newId(),
    activityId,
    sets: Array.from({ length: Math.max(1, sets) }, () => emptySet()),
    notes: '',
    restS: restSecondsOf(activities.get(activityId)),
  }
}

/** A new draft from the workout's template. */
export function draftFromPlan(
  workoutId: string,
  plan: readonly PlanItem[],
  activities: ReadonlyMap<string, ActivityInfo>,
  now: Date,
): Draft {
  const blocks: DraftBlock[] = plan.map((item) =>
    item.kind === 'exercise'
      ? { key: newId(), blockActivityId: null, exercises: [exercise(item.activityId, item.sets, activities)] }
      : {
          key: newId(),
          blockActivityId: item.activityId,
          exercises: item.exercises.map((e) => exercise(e.activityId, e.sets * item.rounds, activities)),
        },
  )
  return { version: 1, workoutId, startedAt: now.toISOString(), blocks, notes: '', rest: null }
}

// Storage -------------------------------------------------------------------------------------

const storageKey = (userId: string, workoutId: string) => `cadence:workout:${userId}:${workoutId}`

function isDraft(value: unknown, workoutId: string): value is Draft {
  if (typeof value !== 'object' || value === null) return false
  const d = value as Partial<Draft>
  return d.version === 1 && d.workoutId === workoutId && Array.isArray(d.blocks) && typeof d.startedAt === 'string'
}

/** The draft kept for this workout, if any (and readable). */
export function loadDraft(userId: string, workoutId: string): Draft | null {
  try {
    const raw = window.localStorage.getItem(storageKey(userId, workoutId))
    const parsed: unknown = raw ? JSON.parse(raw) : null
    return isDraft(parsed, workoutId) ? parsed : null
  } catch {
    return null
  }
}

/** Keeps the draft; a full storage is not fatal (the draft still lives in the page). */
export function saveDraft(userId: string, draft: Draft): void {
  try {
    window.localStorage.setItem(storageKey(userId, draft.workoutId), JSON.stringify(draft))
  } catch {
    /* quota or private mode: the page keeps it */
  }
}

export function discardDraft(userId: string, workoutId: string): void {
  try {
    window.localStorage.removeItem(storageKey(userId, workoutId))
  } catch {
    /* nothing to remove */
  }
}

// Changes (pure) -------------------------------------------------------------------------------

type Where = { block: string; exercise: string }

function mapExercise(draft: Draft, where: Where, change: (e: DraftExercise) => DraftExercise): Draft {
  return {
    ...draft,
    blocks: draft.blocks.map((b) =>
      b.key !== where.block ? b : { ...b, exercises: b.exercises.map((e) => (e.key === where.exercise ? change(e) : e)) },
    ),
  }
}

export function updateSet(draft: Draft, where: Where, setKey: string, change: Partial<DraftSet>): Draft {
  return mapExercise(draft, where, (e) => ({ ...e, sets: e.sets.map((s) => (s.key === setKey ? { ...s, ...change } : s)) }))
}

export function updateExercise(draft: Draft, where: Where, change: Partial<Pick<DraftExercise, 'notes' | 'restS'>>): Draft {
  return mapExercise(draft, where, (e) => ({ ...e, ...change }))
}

/** Adds a set after the exercise's last one, its fields copied from that set. */
export function addSet(draft: Draft, where: Where, setType: SetType = 'normal'): Draft {
  return mapExercise(draft, where, (e) => {
    const last = e.sets.at(-1)
    return { ...e, sets: [...e.sets, { ...emptySet(setType), texts: { ...(last?.texts ?? {}) } }] }
  })
}

/** Puts sets before the exercise's first set (warm-ups from the calculator). */
export function prependSets(draft: Draft, where: Where, sets: { texts: Record<string, string>; setType: SetType }[]): Draft {
  return mapExercise(draft, where, (e) => ({ ...e, sets: [...sets.map((s) => ({ ...emptySet(s.setType), texts: s.texts })), ...e.sets] }))
}

export function removeSet(draft: Draft, where: Where, setKey: string): Draft {
  return mapExercise(draft, where, (e) => ({ ...e, sets: e.sets.filter((s) => s.key !== setKey) }))
}

/** Adds an exercise on its own after the block `after` (at the end when null). */
export function addExercise(draft: Draft, activity: ActivityInfo, after: string | null): Draft {
  const block: DraftBlock = {
    key: newId(),
    blockActivityId: null,
    exercises: [exercise(activity.id, 3, new Map([[activity.id, activity]]))],
  }
  const at = after === null ? draft.blocks.length : draft.blocks.findIndex((b) => b.key === after) + 1
  return { ...draft, blocks: [...draft.blocks.slice(0, at), block, ...draft.blocks.slice(at)] }
}

/** Removes an exercise; a block left empty goes too. */
export function removeExercise(draft: Draft, where: Where): Draft {
  return {
    ...draft,
    blocks: draft.blocks
      .map((b) => (b.key !== where.block ? b : { ...b, exercises: b.exercises.filter((e) => e.key !== where.exercise) }))
      .filter((b) => b.exercises.length > 0),
  }
}

/** Moves a block one place up (-1) or down (+1). */
export function moveBlock(draft: Draft, blockKey: string, by: -1 | 1): Draft {
  const i = draft.blocks.findIndex((b) => b.key === blockKey)
  const j = i + by
  if (i < 0 || j < 0 || j >= draft.blocks.length) return draft
  const blocks = [...draft.blocks]
  ;[blocks[i], blocks[j]] = [blocks[j]!, blocks[i]!]
  return { ...draft, blocks }
}

/**
 * Ticks a set done (or undone). Done, it starts the rest: after each set of an exercise on its
 * own, after the round's last exercise in a superset. Returns the new draft.
 */
export function tickSet(draft: Draft, where: Where, setKey: string, now: number): Draft {
  const block = draft.blocks.find((b) => b.key === where.block)
  const ex = block?.exercises.find((e) => e.key === where.exercise)
  const set = ex?.sets.find((s) => s.key === setKey)
  if (!block || !ex || !set) return draft
  const next = updateSet(
    draft,
    where,
    setKey,
    set.done ? { done: false, doneAt: undefined } : { done: true, doneAt: new Date(now).toISOString() },
  )
  if (set.done) return next
  const last = block.exercises.at(-1)!
  const endsRound = block.exercises.length === 1 || ex.key === last.key
  return endsRound ? { ...next, rest: { endsAt: now + ex.restS * 1000, totalS: ex.restS } } : next
}

/** The set to move to after `setKey` is ticked: the next undone set in the order they are done. */
export function nextSet(draft: Draft, setKey: string): { block: string; exercise: string; set: string } | null {
  const order = doingOrder(draft)
  const i = order.findIndex((o) => o.set === setKey)
  return order.slice(i + 1).find((o) => !o.done) ?? null
}

/** Every set in the order it is done: an exercise's sets in turn; a superset's round by round. */
export function doingOrder(draft: Draft): { block: string; exercise: string; set: string; done: boolean }[] {
  const out: { block: string; exercise: string; set: string; done: boolean }[] = []
  for (const b of draft.blocks) {
    const rounds = Math.max(0, ...b.exercises.map((e) => e.sets.length))
    if (b.exercises.length === 1) {
      for (const s of b.exercises[0]!.sets) out.push({ block: b.key, exercise: b.exercises[0]!.key, set: s.key, done: s.done })
      continue
    }
    for (let r = 0; r < rounds; r++) {
      for (const e of b.exercises) {
        const s = e.sets[r]
        if (s) out.push({ block: b.key, exercise: e.key, set: s.key, done: s.done })
      }
    }
  }
  return out
}

// Previous -----------------------------------------------------------------------------------

/** Each set's previous set (by position, warm-ups with warm-ups), by set key. */
export function previousBySet(draft: Draft, previous: ReadonlyMap<string, PreviousExercise>): Map<string, PreviousSet> {
  const out = new Map<string, PreviousSet>()
  for (const b of draft.blocks) {
    for (const e of b.exercises) {
      const before = previous.get(e.activityId)
      if (!before) continue
      matchPrevious(
        before.sets,
        e.sets.map((s) => s.setType),
      ).forEach((p, i) => {
        if (p) out.set(e.sets[i]!.key, p)
      })
    }
  }
  return out
}

/** The texts of a previous set for this exercise's fields (attributes matched by ordinal). */
export function previousTexts(activity: ActivityInfo, previous: PreviousSet, units: DisplayUnits): Record<string, string> {
  const texts: Record<string, string> = {}
  for (const a of activity.attributes) {
    const value = previous.values.get(a.ordinal)
    if (!value) continue
    if (a.type === 'choice') {
      const option = a.options.find((o) => o.ordinal === value.optionOrdinal)
      if (option) texts[a.id] = option.id
      continue
    }
    texts[a.id] = fieldText(a, value, units)
  }
  return texts
}

// Finishing ----------------------------------------------------------------------------------

/** What a ticked set with nothing in it says, on its first field: logEntry would refuse it. */
export const EMPTY_SET = 'This set is ticked but empty: fill it in or untick it.'

/**
 * A set's texts read for finishing (parseField: numbers, times and their bounds): its values, and
 * its problems by `<set key>.<attribute id>`, the names its fields carry.
 */
export function readSet(
  activity: ActivityInfo,
  set: DraftSet,
  units: DisplayUnits,
): { values: Record<string, Value>; problems: Record<string, string> } {
  const read = collectValues(activity.attributes, set.texts, units)
  const problems = Object.fromEntries(Object.entries(read.errors).map(([id, error]) => [`${set.key}.${id}`, error]))
  const first = activity.attributes.find((a) => !a.retired)
  if (first && nothingFilledIn(activity.attributes, set.texts)) problems[`${set.key}.${first.id}`] = EMPTY_SET
  return { values: read.values, problems }
}

export type ReadSet = { key: string; activityId: string; values: Record<string, Value>; setType: SetType }

/**
 * The entry to log: the workout, its sets in the order they were done (a superset's in a block
 * entry of their own), only the sets ticked or filled in. `read` turns a set's texts into values
 * (or records its problems).
 */
export function entryOf(
  draft: Draft,
  read: (exercise: DraftExercise, set: DraftSet) => Record<string, Value> | null,
): { entry: EntryInput; sets: ReadSet[] } {
  const sets: ReadSet[] = []
  const child = (e: DraftExercise, s: DraftSet): EntryInput | null => {
    if (!s.done && Object.values(s.texts).every((t) => t.trim() === '')) return null
    const values = read(e, s)
    if (!values) return null
    const id = newId()
    sets.push({ key: id, activityId: e.activityId, values, setType: s.setType })
    return {
      id,
      activityId: e.activityId,
      values,
      ...(s.setType === 'normal' ? {} : { setType: s.setType }),
      ...(s.done && s.doneAt ? { performedAt: s.doneAt } : {}),
    }
  }
  const children: EntryInput[] = []
  for (const b of draft.blocks) {
    if (b.blockActivityId === null || b.exercises.length === 1) {
      for (const e of b.exercises) for (const s of e.sets) push(children, child(e, s), e.notes)
      continue
    }
    const inner: EntryInput[] = []
    const rounds = Math.max(0, ...b.exercises.map((e) => e.sets.length))
    for (let r = 0; r < rounds; r++) for (const e of b.exercises) if (e.sets[r]) push(inner, child(e, e.sets[r]!), '')
    const notes = b.exercises
      .map((e) => e.notes.trim())
      .filter(Boolean)
      .join('\n')
    if (inner.length > 0) children.push({ id: newId(), activityId: b.blockActivityId, children: inner, ...(notes ? { notes } : {}) })
  }
  const entry: EntryInput = {
    id: newId(),
    activityId: draft.workoutId,
    performedAt: draft.startedAt,
    children,
    ...(draft.notes.trim() ? { notes: draft.notes.trim() } : {}),
  }
  return { entry, sets }
}

/** Appends a set entry; an exercise's notes go on its first set. */
function push(into: EntryInput[], entry: EntryInput | null, notes: string) {
  if (!entry) return
  const first = notes.trim() && !into.some((e) => e.activityId === entry.activityId)
  into.push(first ? { ...entry, notes: notes.trim() } : entry)
}
