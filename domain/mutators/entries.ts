import { and, eq, inArray, sql } from 'drizzle-orm'
import { z } from 'zod'
import { activities, attributeOptions, attributes, entries, entryMedia, entryTags, entryValues, libraries, tags } from '@/db/schema'
import { insertRows, rows } from '@/db/rows'
import type { Tx } from '@/db/types'
import { roleIn } from '../access'
import { invalidArgs, MutationError, notFound } from '../errors'
import { setTypes, storedSetType, type SetType } from '../set-types'
import { encodeValue, type Value } from '../values'
import { defineMutator, idSchema, instantSchema, nameSchema, textSchema, type MutationContext } from './define'
import { deleteUnlinkedMedia } from './media'

export const MAX_ENTRY_NODES = 2000
export const MAX_ENTRY_DEPTH = 8
const notesSchema = textSchema().max(10_000, 'must be at most 10000 characters')
const valueSchema = z.union([z.number(), z.string(), z.boolean()])
const valuesSchema = z.record(idSchema, valueSchema)
const setTypeSchema = z.enum(setTypes, `must be one of ${setTypes.join(', ')}`)

export type EntryInput = {
  id: string
  activityId: string
  performedAt?: string
  notes?: string
  templateVersion?: number
  values?: Record<string, Value>
  /** The set's type; absent is a normal set. Only an entry of a scalar activity (a set) has one. */
  setType?: SetType
  children?: EntryInput[]
}

export const entryInputSchema: z.ZodType<EntryInput, EntryInput> = z.lazy(() =>
  z.object({
    id: idSchema,
    activityId: idSchema,
    performedAt: instantSchema.optional(),
    notes: notesSchema.optional(),
    templateVersion: z.number().int().min(1).optional(),
    values: valuesSchema.optional(),
    setType: setTypeSchema.optional(),
    children: z.array(entryInputSchema).max(MAX_ENTRY_NODES).optional(),
  }),
)

type Path = (string | number)[]

/** An entry tree's nodes in tree order (a node before its children), refusing one too deep or too large. */
export function flatten(root: EntryInput) {
  const nodes: { node: EntryInput; parentId: string | null; ordinal: number; depth: number; path: Path }[] = []
  const walk = (node: EntryInput, parentId: string | null, ordinal: number, depth: number, path: Path) => {
    if (depth > MAX_ENTRY_DEPTH) throw new MutationError('invalid_args', `An entry tree may be at most ${MAX_ENTRY_DEPTH} levels deep.`)
    nodes.push({ node, parentId, ordinal, depth, path })
    if (nodes.length > MAX_ENTRY_NODES)
      throw new MutationError('invalid_args', `An entry tree may hold at most ${MAX_ENTRY_NODES} entries.`)
    node.children?.forEach((child, i) => walk(child, node.id, i, depth + 1, [...path, 'children', i]))
  }
  walk(root, null, 0, 1, ['entry'])
  return nodes
}

/**
 * Refuses a set type on an entry of a sequence: a workout or a superset block is not a set, and
 * a type there would be a second, conflicting statement about the sets below it.
 */
function checkSetType(activity: { name: string; kind: string }, setType: SetType | undefined, path: Path) {
  if (activity.kind === 'sequence' && storedSetType(setType) !== null) {
    throw invalidArgs([{ path: [...path, 'setType'], message: `"${activity.name}" is a sequence, not a set: only a set has a set type.` }])
  }
}

/**
 * Refuses an entry with nothing filled in (logEntry, editEntry): no value, no entry below it and
 * no notes. So a set (an entry of a scalar activity) needs a value or a note, and a workout or
 * block (a sequence) a set or a note: a sequence's own values are not asked for, since a
 * workout holds its sets, not values.
 */
function checkFilledIn(activity: { name: string; kind: string }, has: { values: number; children: number; notes: string }) {
  if (has.notes.trim() !== '' || has.values > 0 || has.children > 0) return
  throw new MutationError(
    'invalid_args',
    activity.kind === 'sequence'
      ? `"${activity.name}" has nothing logged: it needs at least one set, or a note.`
      : `"${activity.name}" has nothing filled in: a set needs at least one value, or a note.`,
  )
}

/**
 * The activities by id, each checked to be in a library the caller owns: entries only ever point
 * at the logging user's own activities (copies, for anyone else's).
 */
async function ownActivities(ctx: MutationContext, ids: string[]) {
  const found = await ctx.tx
    .select({ activity: activities, ownerId: libraries.ownerId })
    .from(activities)
    .innerJoin(libraries, eq(libraries.id, activities.libraryId))
    .where(inArray(activities.id, ids))
  const byId = new Map(found.map((f) => [f.activity.id, f]))
  for (const id of ids) {
    const f = byId.get(id)
    if (!f) throw notFound('The activity')
    if (f.ownerId !== ctx.userId) {
      // Say why only to someone who can see the activity at all.
      if ((await roleIn(ctx.tx, ctx.userId, f.activity.libraryId)).role === 'none') throw notFound('The activity')
      throw new MutationError(
        'forbidden',
        `"${f.activity.name}" is not in a library you own. Add it to your library first; you will log against your own copy.`,
      )
    }
  }
  return new Map(found.map((f) => [f.activity.id, f.activity]))
}

/** The activities' attributes, each with its options' ids, in one read. */
async function schemaOf(tx: Tx, activityIds: string[]) {
  if (activityIds.length === 0) return { attrs: [], optionsOf: new Map<string, Set<string>>() }
  const found = await tx
    .select({
      attr: attributes,
      options: sql<string[]>`coalesce(json_agg(${attributeOptions.id}) filter (where ${attributeOptions.id} is not null), '[]'::json)`,
    })
    .from(attributes)
    .leftJoin(attributeOptions, eq(attributeOptions.attributeId, attributes.id))
    .where(inArray(attributes.activityId, activityIds))
    .groupBy(attributes.id)
  return { attrs: found.map((f) => f.attr), optionsOf: new Map(found.map((f) => [f.attr.id, new Set(f.options)])) }
}

/** Encodes an entry's values, checking each belongs to the entry's activity and fits its type. */
function valueRows(
  entry: { id: string; activityId: string; name: string },
  values: Record<string, Value | null>,
  schema: Awaited<ReturnType<typeof schemaOf>>,
  userId: string,
) {
  return Object.entries(values).map(([attributeId, value]) => {
    const attribute = schema.attrs.find((a) => a.id === attributeId && a.activityId === entry.activityId)
    if (!attribute) throw new MutationError('invalid_args', `Attribute ${attributeId} is not an attribute of "${entry.name}".`)
    if (value === null) return { attributeId, stored: null }
    const options = schema.optionsOf.get(attributeId) ?? new Set<string>()
    return { attributeId, stored: { entryId: entry.id, attributeId, userId, ...encodeValue(attribute, value, options) } }
  })
}

/** Where an imported entry tree came from: its import, each node's row (in tree order) and the workout's key. */
export type EntryProvenance = { importId: string; key: string; rows: number[] }

/**
 * Writes entry trees: checks every node's activity is the caller's own, its values fit the
 * activity's attributes and its ids are new; an imported tree also records its provenance.
 * Children without a time take their root's. The reads and inserts are shared by all the trees
 * (an import batch writes a few hundred workouts in a handful of statements).
 */
export async function insertEntryTrees(
  ctx: MutationContext,
  trees: readonly { entry: EntryInput; provenance?: EntryProvenance }[],
  { refuseEmpty = false }: { refuseEmpty?: boolean } = {},
) {
  const flat = trees.map(({ entry, provenance }) => {
    if (!entry.performedAt) throw new MutationError('invalid_args', 'entry.performedAt: the time the entry was performed is required.')
    const nodes = flatten(entry)
    if (provenance && provenance.rows.length !== nodes.length) {
      throw new MutationError('invalid_args', `rows: an imported tree of ${nodes.length} entries needs ${nodes.length} row numbers.`)
    }
    return { entry, provenance, nodes, rootTime: new Date(entry.performedAt) }
  })
  const ids = new Set<string>()
  for (const { node } of flat.flatMap((t) => t.nodes)) {
    if (ids.has(node.id)) throw new MutationError('invalid_args', `The same entry id appears twice in the tree: ${node.id}.`)
    ids.add(node.id)
  }
  const activityIds = [...new Set(flat.flatMap((t) => t.nodes.map((n) => n.node.activityId)))]
  const acts = await ownActivities(ctx, activityIds)
  const schema = await schemaOf(ctx.tx, activityIds)
  const required = schema.attrs.filter((a) => a.required && !a.retiredAt)

  const entryRows = flat.flatMap(({ nodes, provenance, rootTime }) => {
    for (const { node, path } of nodes) checkSetType(acts.get(node.activityId)!, node.setType, path)
    // The entry itself, not each set below it: a workout queued by an earlier version, which
    // logged a ticked set left empty, is still applied whole (the workout screen now refuses such
    // a set before it is logged).
    if (refuseEmpty) {
      const root = nodes[0]!.node
      const has = { values: Object.keys(root.values ?? {}).length, children: root.children?.length ?? 0, notes: root.notes ?? '' }
      checkFilledIn(acts.get(root.activityId)!, has)
    }
    return nodes.map(({ node, parentId, ordinal }, i) => ({
      id: node.id,
      userId: ctx.userId,
      activityId: node.activityId,
      parentId,
      ordinal,
      templateVersion: node.templateVersion ?? acts.get(node.activityId)!.templateVersion,
      performedAt: node.performedAt ? new Date(node.performedAt) : rootTime,
      notes: node.notes ?? '',
      setType: storedSetType(node.setType),
      createdAt: ctx.now,
      updatedAt: ctx.now,
      ...(provenance ? { importId: provenance.importId, importRow: provenance.rows[i]!, importKey: i === 0 ? provenance.key : null } : {}),
    }))
  })
  const values = flat.flatMap(({ nodes }) =>
    nodes.flatMap(({ node }) => {
      const act = acts.get(node.activityId)!
      const encoded = valueRows({ id: node.id, activityId: act.id, name: act.name }, node.values ?? {}, schema, ctx.userId)
      const missing = required.filter((a) => a.activityId === act.id && node.values?.[a.id] === undefined)
      if (missing.length > 0) {
        throw new MutationError('invalid_args', `"${act.name}" needs a value for ${missing.map((a) => `"${a.name}"`).join(', ')}.`)
      }
      return encoded.flatMap((v) => (v.stored ? [v.stored] : []))
    }),
  )
  const [existing] = await ctx.tx
    .select({ id: entries.id })
    .from(entries)
    .where(inArray(entries.id, [...ids]))
    .limit(1)
  if (existing) throw new MutationError('conflict', `An entry with id ${existing.id} exists already.`)
  await insertRows(ctx.tx, entries, entryRows)
  await insertRows(ctx.tx, entryValues, values)
}

/**
 * Logs an entry: a scalar entry with its values, or a whole sequence entry tree (workout →
 * exercises → sets) in one mutation. No entry of it may be empty (an import's sets may: a file's
 * history is kept as written).
 */
export const logEntry = defineMutator('logEntry', z.object({ entry: entryInputSchema }), (ctx, { entry }) =>
  insertEntryTrees(ctx, [{ entry }], { refuseEmpty: true }),
)

async function requireOwnEntry(ctx: MutationContext, entryId: string, { lock = false }: { lock?: boolean } = {}) {
  const read = ctx.tx.select().from(entries).where(eq(entries.id, entryId))
  const [entry] = lock ? await read.for('update') : await read
  if (!entry || entry.userId !== ctx.userId) throw notFound('The entry')
  return entry
}

/**
 * A re-dated workout takes its sets along: every entry below `entryId` moves by as much as it
 * does, so their times stay inside the workout (its duration, charts by set time). The row is
 * locked first and the shift taken from its time as stored now: two devices re-dating one
 * workout at once leave its sets where the later move puts the workout.
 */
async function moveSubtree(ctx: MutationContext, entryId: string, to: Date) {
  const [locked] = await ctx.tx.select({ performedAt: entries.performedAt }).from(entries).where(eq(entries.id, entryId)).for('update')
  const shiftMs = locked ? to.getTime() - locked.performedAt.getTime() : 0
  if (shiftMs === 0) return
  const below = (await subtreeIds(ctx.tx, [entryId])).filter((id) => id !== entryId)
  if (below.length === 0) return
  await ctx.tx
    .update(entries)
    .set({ performedAt: sql`${entries.performedAt} + ${shiftMs}::float8 * interval '1 millisecond'`, updatedAt: ctx.now })
    .where(inArray(entries.id, below))
}

/**
 * Edits an entry's time, notes, set type and values; a value of null removes that value. Only
 * the fields named change (sync/SPEC.md B14): the arguments are what the user changed. A new
 * time moves the entries below it by as much (see {@link moveSubtree}).
 */
export const editEntry = defineMutator(
  'editEntry',
  z.object({
    entryId: idSchema,
    performedAt: instantSchema.optional(),
    notes: notesSchema.optional(),
    setType: setTypeSchema.optional(),
    values: z.record(idSchema, valueSchema.nullable()).optional(),
  }),
  async (ctx, args) => {
    // Locked: two edits that each clear a field wait for each other, so the later one sees
    // whether anything is left (see checkStillFilledIn).
    const entry = await requireOwnEntry(ctx, args.entryId, { lock: true })
    const [activity] = await ctx.tx.select().from(activities).where(eq(activities.id, entry.activityId))
    if (activity) checkSetType(activity, args.setType, [])
    // Only an edit that takes something away can leave the entry empty; one that re-dates or
    // retypes an entry already empty (an import's empty set, an earlier version's) is not refused.
    const removes = (args.notes !== undefined && args.notes.trim() === '') || Object.values(args.values ?? {}).some((v) => v === null)
    if (args.performedAt) await moveSubtree(ctx, entry.id, new Date(args.performedAt))
    await ctx.tx
      .update(entries)
      .set({
        ...(args.performedAt ? { performedAt: new Date(args.performedAt) } : {}),
        ...(args.notes === undefined ? {} : { notes: args.notes }),
        ...(args.setType === undefined ? {} : { setType: storedSetType(args.setType) }),
        updatedAt: ctx.now,
      })
      .where(eq(entries.id, entry.id))
    if (!args.values) return removes ? checkStillFilledIn(ctx.tx, entry.id, activity, args.notes ?? entry.notes) : undefined
    const schema = await schemaOf(ctx.tx, [entry.activityId])
    const changes = valueRows(
      { id: entry.id, activityId: entry.activityId, name: activity?.name ?? 'this activity' },
      args.values,
      schema,
      ctx.userId,
    )
    for (const change of changes) {
      if (change.stored) {
        const { entryId, attributeId, userId, ...value } = change.stored
        await ctx.tx
          .insert(entryValues)
          .values({ entryId, attributeId, userId, ...value })
          .onConflictDoUpdate({ target: [entryValues.entryId, entryValues.attributeId], set: value })
      } else {
        await ctx.tx.delete(entryValues).where(and(eq(entryValues.entryId, entry.id), eq(entryValues.attributeId, change.attributeId)))
      }
    }
    if (removes) await checkStillFilledIn(ctx.tx, entry.id, activity, args.notes ?? entry.notes)
  },
)

/** After an edit: refuses one that left the entry with nothing filled in (see {@link checkFilledIn}). */
async function checkStillFilledIn(tx: Tx, entryId: string, activity: { name: string; kind: string } | undefined, notes: string) {
  if (!activity || notes.trim() !== '') return
  const [counted] = await rows<{ value_count: number; child_count: number }>(
    tx,
    sql`select (select count(*)::int from entry_values where entry_id = ${entryId}) as value_count,
               (select count(*)::int from entries where parent_id = ${entryId}) as child_count`,
  )
  checkFilledIn(activity, { values: counted?.value_count ?? 0, children: counted?.child_count ?? 0, notes })
}

/** These entries and every entry below them. */
async function subtreeIds(tx: Tx, rootIds: readonly string[]): Promise<string[]> {
  const found = await rows<{ id: string }>(
    tx,
    sql`with recursive subtree(id, depth) as (
          select id, 0 from entries where id in (${sql.join(
            rootIds.map((id) => sql`${id}::uuid`),
            sql`, `,
          )})
          union all
          select e.id, s.depth + 1 from entries e join subtree s on e.parent_id = s.id
        )
        select id from subtree`,
  )
  return found.map((r) => r.id)
}

/**
 * Deletes entry trees, with their values, tags and photo links. Children go explicitly rather
 * than by cascade: the device's schema has no foreign keys, and both runtimes must do the same
 * thing.
 */
export async function deleteEntryTrees(tx: Tx, rootIds: readonly string[]) {
  if (rootIds.length === 0) return
  const ids = await subtreeIds(tx, rootIds)
  await tx.delete(entryValues).where(inArray(entryValues.entryId, ids))
  await tx.delete(entryTags).where(inArray(entryTags.entryId, ids))
  const unlinked = await tx.delete(entryMedia).where(inArray(entryMedia.entryId, ids)).returning({ mediaId: entryMedia.mediaId })
  // A photo goes with its last link (sync/SPEC.md M12).
  await deleteUnlinkedMedia(tx, [...new Set(unlinked.map((l) => l.mediaId))])
  await tx.delete(entries).where(inArray(entries.id, ids))
}

/** Deletes an entry and its subtree (see {@link deleteEntryTrees}). */
export const deleteEntry = defineMutator('deleteEntry', z.object({ entryId: idSchema }), async (ctx, args) => {
  await requireOwnEntry(ctx, args.entryId)
  await deleteEntryTrees(ctx.tx, [args.entryId])
})

// Tags -------------------------------------------------------------------------------------------

const colorSchema = z.string().regex(/^#[0-9a-f]{6}$/i, 'must be a colour like #3366ff')

export const createTag = defineMutator(
  'createTag',
  z.object({ id: idSchema, name: nameSchema.max(50, 'must be at most 50 characters'), color: colorSchema.optional() }),
  async (ctx, args) => {
    const [same] = await ctx.tx
      .select()
      .from(tags)
      .where(and(eq(tags.userId, ctx.userId), eq(tags.name, args.name)))
    if (same) throw new MutationError('conflict', `You have a tag called "${args.name}" already.`)
    await ctx.tx.insert(tags).values({ id: args.id, userId: ctx.userId, name: args.name, color: args.color ?? null, createdAt: ctx.now })
  },
)

async function requireOwnTag(ctx: MutationContext, tagId: string) {
  const [tag] = await ctx.tx.select().from(tags).where(eq(tags.id, tagId))
  if (!tag || tag.userId !== ctx.userId) throw notFound('The tag')
  return tag
}

export const deleteTag = defineMutator('deleteTag', z.object({ tagId: idSchema }), async (ctx, args) => {
  await requireOwnTag(ctx, args.tagId)
  await ctx.tx.delete(entryTags).where(eq(entryTags.tagId, args.tagId))
  await ctx.tx.delete(tags).where(eq(tags.id, args.tagId))
})

export const tagEntry = defineMutator('tagEntry', z.object({ entryId: idSchema, tagId: idSchema }), async (ctx, args) => {
  await requireOwnEntry(ctx, args.entryId)
  await requireOwnTag(ctx, args.tagId)
  await ctx.tx
    .insert(entryTags)
    .values({ entryId: args.entryId, tagId: args.tagId, userId: ctx.userId, createdAt: ctx.now })
    .onConflictDoNothing()
})

export const untagEntry = defineMutator('untagEntry', z.object({ entryId: idSchema, tagId: idSchema }), async (ctx, args) => {
  await requireOwnEntry(ctx, args.entryId)
  await ctx.tx.delete(entryTags).where(and(eq(entryTags.entryId, args.entryId), eq(entryTags.tagId, args.tagId)))
})
