import { and, desc, eq, lt, sql } from 'drizzle-orm'
import { activities, entries, sequenceItems } from '../schema'
import type { Queryable } from '../types'
import { rows } from '../rows'
import { structureKey, structurallyEqual, type EntryTree } from '@/domain/equality'
import { MAX_ENTRY_DEPTH } from '@/domain/mutators/entries'

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
