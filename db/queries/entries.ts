import { and, desc, eq, inArray, lt, sql } from 'drizzle-orm'
import { activities, attributes, entries, sequenceItems } from '../schema'
import type { Queryable } from '../types'
import { rows } from '../rows'
import { structureKey, structurallyEqual, type EntryTree } from '@/domain/equality'
import { MAX_ENTRY_DEPTH } from '@/domain/mutators/entries'
import type { RecordEntry } from '@/domain/records'
import { readSetType } from '@/domain/set-types'

type Node = { id: string; parentId: string | null; ordinal: number; activityId: string; originId: string }

function assemble(nodes: Node[], rootId: string): EntryTree | undefined {
  const byParent = new Map<string | null, Node[]>()
  for (const n of nodes) byParent.set(n.parentId, [...(byParent.get(n.parentId) ?? []), n])
  const build = (n: Node): EntryTree => ({
    id: n.id,
    activityId: n.activityId,
    originId: n.originId,
    children: (byParent.get(n.id) ?? []).sort((a, b) => a.ordinal - b.ordinal || a.id.localeCompare(b.id)).map(build),
  })
  const root = nodes.find((n) => n.id === rootId)
  return root && build(root)
}

/** The entry trees rooted at `rootIds`, with each node's activity origin. */
export async function loadEntryTrees(db: Queryable, rootIds: string[]): Promise<Map<string, EntryTree>> {
  if (rootIds.length === 0) return new Map()
  const nodes = await rows<Node & { rootId: string }>(
    db,
    sql`with recursive tree as (
          select e.id, e.parent_id, e.ordinal, e.activity_id, e.id as root_id
            from entries e where e.id in (${sql.join(
              rootIds.map((id) => sql`${id}::uuid`),
              sql`, `,
            )})
          union all
          select c.id, c.parent_id, c.ordinal, c.activity_id, t.root_id
            from entries c join tree t on c.parent_id = t.id
        )
        select t.id, t.parent_id as "parentId", t.ordinal, t.activity_id as "activityId",
               a.origin_id as "originId", t.root_id as "rootId"
          from tree t join activities a on a.id = t.activity_id`,
  )
  const out = new Map<string, EntryTree>()
  for (const rootId of rootIds) {
    const tree = assemble(
      nodes.filter((n) => n.rootId === rootId),
      rootId,
    )
    if (tree) out.set(rootId, tree)
  }
  return out
}

export async function loadEntryTree(db: Queryable, entryId: string): Promise<EntryTree | undefined> {
  return (await loadEntryTrees(db, [entryId])).get(entryId)
}

/**
 * The shape an entry of `activityId` would have if logged from its current template now: each
 * template item expands to `repeat` children, recursively. Feeds "repeat last workout".
 */
export async function templateTree(db: Queryable, activityId: string): Promise<EntryTree | undefined> {
  const [activity] = await db.select().from(activities).where(eq(activities.id, activityId))
  if (!activity) return undefined
  const build = async (id: string, originId: string, depth: number): Promise<EntryTree> => {
    // No deeper than an entry may be (logEntry refuses more levels), which also ends a cycle.
    const items =
      depth >= MAX_ENTRY_DEPTH
        ? []
        : await db
            .select({ childId: sequenceItems.childId, repeat: sequenceItems.repeat, originId: activities.originId })
            .from(sequenceItems)
            .innerJoin(activities, eq(activities.id, sequenceItems.childId))
            .where(eq(sequenceItems.parentId, id))
            .orderBy(sequenceItems.ordinal, sequenceItems.id)
    const children: EntryTree[] = []
    for (const item of items) {
      const child = await build(item.childId, item.originId, depth + 1)
      for (let i = 0; i < item.repeat; i++) children.push(child)
    }
    return { id, activityId: id, originId, children }
  }
  return build(activity.id, activity.originId, 1)
}

export type PreviousEntry = { id: string; activityId: string; performedAt: Date }

/**
 * The user's latest entry before `before` that is qualitatively equal to an entry of
 * `activityId` (same activity or a copy of the same origin), at any depth of a tree.
 */
export async function previousQualitativelyEqualEntry(
  db: Queryable,
  userId: string,
  activityId: string,
  before: Date,
): Promise<PreviousEntry | undefined> {
  const [found] = await db
    .select({ id: entries.id, activityId: entries.activityId, performedAt: entries.performedAt })
    .from(entries)
    .innerJoin(activities, eq(activities.id, entries.activityId))
    .where(
      and(
        eq(entries.userId, userId),
        lt(entries.performedAt, before),
        eq(activities.originId, sql`(select origin_id from activities where id = ${activityId})`),
      ),
    )
    .orderBy(desc(entries.performedAt), desc(entries.id))
    .limit(1)
  return found
}

/**
 * The user's latest entry before `before` structurally equal to `tree` (an entry, or the
 * {@link templateTree} of an activity). Candidates are the qualitatively equal entries, newest
 * first, examined in pages.
 */
export async function previousStructurallyEqualEntry(
  db: Queryable,
  userId: string,
  tree: EntryTree,
  before: Date,
  { pageSize = 50, maxCandidates = 500 } = {},
): Promise<PreviousEntry | undefined> {
  const key = structureKey(tree)
  for (let offset = 0; offset < maxCandidates; offset += pageSize) {
    const candidates = await db
      .select({ id: entries.id, activityId: entries.activityId, performedAt: entries.performedAt })
      .from(entries)
      .innerJoin(activities, eq(activities.id, entries.activityId))
      .where(and(eq(entries.userId, userId), lt(entries.performedAt, before), eq(activities.originId, tree.originId)))
      .orderBy(desc(entries.performedAt), desc(entries.id))
      .limit(pageSize)
      .offset(offset)
    if (candidates.length === 0) return undefined
    const trees = await loadEntryTrees(
      db,
      candidates.map((c) => c.id),
    )
    const match = candidates.find((c) => {
      const t = trees.get(c.id)
      return t !== undefined && structureKey(t) === key && structurallyEqual(t, tree)
    })
    if (match) return match
    if (candidates.length < pageSize) return undefined
  }
  return undefined
}

/**
 * The history personal records are measured against, for each of `activityIds`: every entry of
 * the user qualitatively equal to it (at any depth of any tree), performed before `before` when
 * given, with its numeric values keyed by *that activity's* attribute ids (copies match by
 * ordinal, as the schema is append-only) and its set type. Warm-ups are included, marked:
 * `domain/records.ts` leaves them out. Feeds `workoutSummary`'s `history`.
 */
export async function recordHistories(
  db: Queryable,
  userId: string,
  activityIds: readonly string[],
  { before }: { before?: Date } = {},
): Promise<Map<string, RecordEntry[]>> {
  const out = new Map<string, RecordEntry[]>()
  const ids = [...new Set(activityIds)]
  if (ids.length === 0) return out
  const own = await db
    .select({ id: attributes.id, activityId: attributes.activityId, ordinal: attributes.ordinal })
    .from(attributes)
    .where(inArray(attributes.activityId, ids))
  const found = await rows<{ target: string; entryId: string; performedAt: string; setType: string | null; ordinal: number; num: number }>(
    db,
    sql`select t.id as target, e.id as "entryId", e.performed_at as "performedAt", e.set_type as "setType",
               at.ordinal, v.num
          from activities t
          join activities a on a.origin_id = t.origin_id
          join entries e on e.activity_id = a.id
          join entry_values v on v.entry_id = e.id
          join attributes at on at.id = v.attribute_id
         where t.id in (${sql.join(
           ids.map((id) => sql`${id}::uuid`),
           sql`, `,
         )})
           and e.user_id = ${userId}
           and v.num is not null
           ${before ? sql`and e.performed_at < ${before.toISOString()}::timestamptz` : sql``}
         order by e.performed_at, e.id`,
  )
  for (const id of ids) out.set(id, [])
  const byEntry = new Map<string, RecordEntry & { values: Map<string, number> }>()
  for (const row of found) {
    const attribute = own.find((a) => a.activityId === row.target && a.ordinal === row.ordinal)
    if (!attribute) continue
    const key = `${row.target} ${row.entryId}`
    let entry = byEntry.get(key)
    if (!entry) {
      entry = { entryId: row.entryId, performedAt: new Date(row.performedAt), values: new Map(), setType: readSetType(row.setType) }
      byEntry.set(key, entry)
      out.get(row.target)!.push(entry)
    }
    entry.values.set(attribute.id, Number(row.num))
  }
  return out
}
