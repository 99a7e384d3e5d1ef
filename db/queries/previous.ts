/**
 * "Previous": what the user did last time, for a workout about to be done again, per exercise
 * and per set.
 *
 * - Per exercise by qualitative equality (domain/equality.ts): the last workout is the user's
 *   latest entry of the workout's activity or a copy of its origin, whatever its shape; an
 *   exercise of the template is matched to the entries in it of the same origin, at any depth
 *   (a superset block is a nested sequence, and its sets are found inside it).
 * - Per set by position: set 1 of an exercise is matched with the first set of that exercise
 *   last time, set 2 with the second, and so on, in the tree's order. A set skipped last time
 *   (never logged) shortens the list, an added one lengthens it; neither blanks the others, and
 *   only an exercise absent from the last workout is said to be absent.
 *
 * An exercise is a scalar activity of the template; each of its entries is one set.
 */
import { sql } from 'drizzle-orm'
import { previousQualitativelyEqualEntry, templateTree } from './entries'
import { rows } from '../rows'
import type { Queryable } from '../types'
import type { EntryTree } from '@/domain/equality'
import { MAX_ENTRY_DEPTH } from '@/domain/mutators/entries'
import { readSetType, type SetType } from '@/domain/set-types'
import type { StoredValue } from '@/domain/values'

/**
 * A value done last time. Attributes are matched by ordinal (copies keep them); a choice also
 * says which of its options by ordinal, since a copy's options have ids of their own.
 */
export type PreviousValue = StoredValue & { ordinal: number; optionOrdinal: number | null }

export type PreviousSet = {
  entryId: string
  setType: SetType
  /** The set's values by attribute ordinal. */
  values: ReadonlyMap<number, PreviousValue>
}

/**
 * One exercise of the template and its sets last time, by position. `source` says where they
 * come from: the last workout; the last time the exercise was done at all, when it is not in
 * the last workout (`inLastWorkout` false, and the page says so); or nowhere.
 */
export type PreviousExercise = {
  activityId: string
  inLastWorkout: boolean
  source: 'lastWorkout' | 'lastTime' | 'none'
  /** When the sets were done (the root entry's time), or null with no sets. */
  performedAt: Date | null
  sets: PreviousSet[]
}

export type WorkoutPrevious = {
  /** The last entry of the workout, or null when the user never did it. */
  lastWorkout: { entryId: string; performedAt: Date } | null
  /** Every exercise of the template, in template order, by its activity id. */
  exercises: Map<string, PreviousExercise>
}

type Node = { id: string; parentId: string | null; ordinal: number; originId: string; setType: string | null; performedAt: string }

/** Every entry of the tree rooted at `rootId`, in tree order (depth first, siblings by ordinal). */
async function treeInOrder(db: Queryable, rootId: string): Promise<Node[]> {
  const nodes = await rows<Node>(
    db,
    sql`with recursive tree as (
          select e.id, e.parent_id, e.ordinal, e.activity_id, e.set_type, e.performed_at, 1 as depth
            from entries e where e.id = ${rootId}
          union all
          select c.id, c.parent_id, c.ordinal, c.activity_id, c.set_type, c.performed_at, t.depth + 1
            from entries c join tree t on c.parent_id = t.id
           where t.depth < ${MAX_ENTRY_DEPTH}
        )
        select t.id, t.parent_id as "parentId", t.ordinal, a.origin_id as "originId", t.set_type as "setType",
               t.performed_at as "performedAt"
          from tree t join activities a on a.id = t.activity_id`,
  )
  const children = new Map<string | null, Node[]>()
  for (const n of nodes) children.set(n.parentId, [...(children.get(n.parentId) ?? []), n])
  const out: Node[] = []
  const walk = (n: Node) => {
    out.push(n)
    for (const c of (children.get(n.id) ?? []).sort((a, b) => a.ordinal - b.ordinal || a.id.localeCompare(b.id))) walk(c)
  }
  const root = nodes.find((n) => n.id === rootId)
  if (root) walk(root)
  return out
}

/** The values of these entries by entry id, then attribute ordinal. */
async function valuesByOrdinal(db: Queryable, entryIds: string[]): Promise<Map<string, Map<number, PreviousValue>>> {
  const out = new Map<string, Map<number, PreviousValue>>()
  if (entryIds.length === 0) return out
  const found = await rows<PreviousValue & { entryId: string }>(
    db,
    sql`select v.entry_id as "entryId", at.ordinal, v.num, v.text, v.bool, v.option_id as "optionId",
               o.ordinal as "optionOrdinal"
          from entry_values v
          join attributes at on at.id = v.attribute_id
          left join attribute_options o on o.id = v.option_id
         where v.entry_id in (${sql.join(
           entryIds.map((id) => sql`${id}::uuid`),
           sql`, `,
         )})`,
  )
  for (const { entryId, ...v } of found) {
    const byOrdinal = out.get(entryId) ?? new Map<number, PreviousValue>()
    byOrdinal.set(v.ordinal, { ...v, num: v.num === null ? null : Number(v.num) })
    out.set(entryId, byOrdinal)
  }
  return out
}

/** The root of the tree holding `entryId`. */
async function rootOf(db: Queryable, entryId: string): Promise<string> {
  const [found] = await rows<{ id: string }>(
    db,
    sql`with recursive up as (
          select id, parent_id, 1 as depth from entries where id = ${entryId}
          union all
          select e.id, e.parent_id, u.depth + 1 from entries e join up u on e.id = u.parent_id where u.depth < ${MAX_ENTRY_DEPTH}
        )
        select id from up order by depth desc limit 1`,
  )
  return found?.id ?? entryId
}

/** The template's exercises (its leaves), each once, in template order. */
function exercisesOf(template: EntryTree): EntryTree[] {
  const seen = new Map<string, EntryTree>()
  const walk = (node: EntryTree, isRoot: boolean) => {
    if (node.children.length === 0 && !isRoot) {
      if (!seen.has(node.activityId)) seen.set(node.activityId, node)
      return
    }
    node.children.forEach((c) => walk(c, false))
  }
  walk(template, true)
  return [...seen.values()]
}

/** The sets of `originId` in a tree (in order), as previous sets. */
async function setsOf(db: Queryable, nodes: Node[], originId: string): Promise<PreviousSet[]> {
  const parents = new Set(nodes.map((n) => n.parentId))
  const matching = nodes.filter((n) => n.originId === originId && !parents.has(n.id))
  const values = await valuesByOrdinal(
    db,
    matching.map((n) => n.id),
  )
  return matching.map((n) => ({ entryId: n.id, setType: readSetType(n.setType), values: values.get(n.id) ?? new Map() }))
}

/**
 * What the user did last time for each exercise of the workout `workoutActivityId` (a sequence
 * activity), looking at entries before `before`: see the module comment. With `fallback` (the
 * default), an exercise not in the last workout gets the sets of the last time it was done at
 * all: all its sets in the workout (or other tree) where it was last done, or the single entry if
 * it was logged on its own.
 */
export async function previousForWorkout(
  db: Queryable,
  userId: string,
  workoutActivityId: string,
  before: Date,
  { fallback = true }: { fallback?: boolean } = {},
): Promise<WorkoutPrevious> {
  const template = await templateTree(db, workoutActivityId)
  const exercises = new Map<string, PreviousExercise>()
  if (!template) return { lastWorkout: null, exercises }
  const last = await previousQualitativelyEqualEntry(db, userId, workoutActivityId, before)
  const lastNodes = last ? await treeInOrder(db, last.id) : []
  for (const exercise of exercisesOf(template)) {
    const sets = last ? await setsOf(db, lastNodes.slice(1), exercise.originId) : []
    if (last && sets.length > 0) {
      exercises.set(exercise.activityId, {
        activityId: exercise.activityId,
        inLastWorkout: true,
        source: 'lastWorkout',
        performedAt: last.performedAt,
        sets,
      })
      continue
    }
    const none: PreviousExercise = { activityId: exercise.activityId, inLastWorkout: false, source: 'none', performedAt: null, sets: [] }
    const done = fallback ? await previousQualitativelyEqualEntry(db, userId, exercise.activityId, before) : undefined
    if (!done) {
      exercises.set(exercise.activityId, none)
      continue
    }
    const nodes = await treeInOrder(db, await rootOf(db, done.id))
    const earlier = await setsOf(db, nodes, exercise.originId)
    exercises.set(
      exercise.activityId,
      earlier.length > 0 ? { ...none, source: 'lastTime', performedAt: new Date(nodes[0]!.performedAt), sets: earlier } : none,
    )
  }
  return { lastWorkout: last ? { entryId: last.id, performedAt: last.performedAt } : null, exercises }
}

/**
 * The previous set for each set of an exercise this time (given by their types, in order), by
 * position: warm-ups with last time's warm-ups, every other set with last time's other sets, so
 * adding or dropping a warm-up does not shift the working sets' hints. Null where last time had
 * no set at that position.
 */
export function matchPrevious(previous: readonly PreviousSet[], current: readonly SetType[]): (PreviousSet | null)[] {
  const warmups = previous.filter((s) => s.setType === 'warmup')
  const work = previous.filter((s) => s.setType !== 'warmup')
  let w = 0
  let n = 0
  return current.map((t) => (t === 'warmup' ? (warmups[w++] ?? null) : (work[n++] ?? null)))
}
