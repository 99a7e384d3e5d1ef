/**
 * What the app's pages read from the device database. Every function takes the database it
 * reads, so a test hands it a PGlite of its own; none waits on the network.
 */
import { and, asc, desc, eq, gte, inArray, isNull, lt, sql } from 'drizzle-orm'
import {
  activities,
  attributeOptions,
  attributes,
  devices,
  entries,
  entryValues,
  libraries,
  libraryInvites,
  libraryMembers,
  userSettings,
} from '../schema'
import type { Queryable } from '../types'
import { rows } from '../rows'
import { defaultDisplayUnits, type DisplayUnits } from '@/domain/units'
import type { StoredValue } from '@/domain/values'
import type { AttributeType } from '../schema'

/** The user's default library on the device, or undefined before the first sync. */
export async function defaultLibrary(db: Queryable, userId: string) {
  const [library] = await db
    .select()
    .from(libraries)
    .where(and(eq(libraries.ownerId, userId), eq(libraries.isDefault, true)))
  return library
}

/**
 * The library `libraryId` with the user's role in it (owner, or a member's role), if it is on
 * the device and the user is its owner or a member; undefined otherwise, and for an id that is
 * not a UUID (so a malformed link reads as "not found", not as a database error).
 */
export async function libraryWithRole(db: Queryable, userId: string, libraryId: string) {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(libraryId)) return undefined
  const [row] = await db
    .select({
      id: libraries.id,
      name: libraries.name,
      ownerId: libraries.ownerId,
      isDefault: libraries.isDefault,
      role: libraryMembers.role,
    })
    .from(libraries)
    .leftJoin(libraryMembers, and(eq(libraryMembers.libraryId, libraries.id), eq(libraryMembers.userId, userId)))
    .where(eq(libraries.id, libraryId))
  if (!row) return undefined
  const role = row.ownerId === userId ? ('owner' as const) : row.role
  return role ? { id: row.id, name: row.name, isDefault: row.isDefault, role } : undefined
}

/** Libraries on the device that another user owns (shared with this user), with this user's role. */
export async function sharedLibraries(db: Queryable, userId: string) {
  return db
    .select({ id: libraries.id, name: libraries.name, role: libraryMembers.role })
    .from(libraries)
    .innerJoin(libraryMembers, and(eq(libraryMembers.libraryId, libraries.id), eq(libraryMembers.userId, userId)))
    .where(sql`${libraries.ownerId} <> ${userId}`)
    .orderBy(asc(libraries.name))
}

/** The user's own libraries with their members and invitations. */
export async function ownedLibraries(db: Queryable, userId: string) {
  const owned = await db
    .select()
    .from(libraries)
    .where(eq(libraries.ownerId, userId))
    .orderBy(desc(libraries.isDefault), asc(libraries.name))
  const ids = owned.map((l) => l.id)
  const members = ids.length ? await db.select().from(libraryMembers).where(inArray(libraryMembers.libraryId, ids)) : []
  const invites = ids.length
    ? await db
        .select()
        .from(libraryInvites)
        .where(and(inArray(libraryInvites.libraryId, ids), isNull(libraryInvites.revokedAt)))
    : []
  return owned.map((l) => ({
    ...l,
    members: members.filter((m) => m.libraryId === l.id && m.userId !== userId),
    invites: invites.filter((i) => i.libraryId === l.id),
  }))
}

/** Live activities of a library, by name. */
export async function libraryActivities(db: Queryable, libraryId: string) {
  return db
    .select({ id: activities.id, name: activities.name, kind: activities.kind, description: activities.description })
    .from(activities)
    .where(and(eq(activities.libraryId, libraryId), isNull(activities.deletedAt)))
    .orderBy(asc(activities.name), asc(activities.id))
}

/** A choice attribute's option: values point at it by id, pages show its label. */
export type OptionInfo = { id: string; label: string; ordinal: number; retired: boolean }
export type AttributeInfo = {
  id: string
  name: string
  type: AttributeType
  ordinal: number
  retired: boolean
  /** A choice's options in order (empty for every other type). */
  options: OptionInfo[]
}
export type ActivityInfo = {
  id: string
  name: string
  kind: 'scalar' | 'sequence'
  originId: string
  libraryId: string
  templateVersion: number
  /** Whole seconds of rest after a set; null is the app's default (`restSecondsOf` in `domain/rest.ts`). */
  restSeconds: number | null
  attributes: AttributeInfo[]
}

/** An activity with its attributes in schema order, or undefined. */
export async function activityInfo(db: Queryable, activityId: string): Promise<ActivityInfo | undefined> {
  return (await activityInfos(db, [activityId])).get(activityId)
}

/** Several activities with their attributes (and choices' options), in three queries whatever their number. */
export async function activityInfos(db: Queryable, activityIds: readonly string[]): Promise<Map<string, ActivityInfo>> {
  const out = new Map<string, ActivityInfo>()
  if (activityIds.length === 0) return out
  const ids = [...new Set(activityIds)]
  const found = await db.select().from(activities).where(inArray(activities.id, ids))
  const attrs = await db.select().from(attributes).where(inArray(attributes.activityId, ids)).orderBy(asc(attributes.ordinal))
  const choiceIds = attrs.filter((a) => a.type === 'choice').map((a) => a.id)
  const options = choiceIds.length
    ? await db
        .select()
        .from(attributeOptions)
        .where(inArray(attributeOptions.attributeId, choiceIds))
        .orderBy(asc(attributeOptions.ordinal))
    : []
  for (const activity of found) {
    out.set(activity.id, {
      id: activity.id,
      name: activity.name,
      kind: activity.kind,
      originId: activity.originId,
      libraryId: activity.libraryId,
      templateVersion: activity.templateVersion,
      restSeconds: activity.restSeconds,
      attributes: attrs
        .filter((a) => a.activityId === activity.id)
        .map((a) => ({
          id: a.id,
          name: a.name,
          type: a.type,
          ordinal: a.ordinal,
          retired: a.retiredAt !== null,
          options: options
            .filter((o) => o.attributeId === a.id)
            .map((o) => ({ id: o.id, label: o.label, ordinal: o.ordinal, retired: o.retiredAt !== null })),
        })),
    })
  }
  return out
}

/** The user's display units (defaults until their settings row arrives). */
export async function displayUnits(db: Queryable, userId: string): Promise<DisplayUnits> {
  const [row] = await db.select().from(userSettings).where(eq(userSettings.userId, userId))
  return row ? { massUnit: row.massUnit, distanceUnit: row.distanceUnit } : defaultDisplayUnits
}

/** The user's devices as the server last saw them, most recently seen first. */
export async function accountDevices(db: Queryable, userId: string) {
  return db.select().from(devices).where(eq(devices.userId, userId)).orderBy(desc(devices.lastSeenAt))
}

/** A stored value with its attribute's ordinal, which matches it across copies of an activity. */
export type EntryValue = StoredValue & { ordinal: number }
/** An entry's values by attribute id. */
export type StoredValues = Map<string, EntryValue>

/**
 * Values of the given entries, by entry id then attribute id, each with its attribute's ordinal:
 * copies keep ordinals, so a value of a copy's entry matches the original's attribute by it.
 */
export async function valuesOf(db: Queryable, entryIds: string[]): Promise<Map<string, StoredValues>> {
  const out = new Map<string, StoredValues>()
  if (entryIds.length === 0) return out
  const found = await db
    .select({
      entryId: entryValues.entryId,
      attributeId: entryValues.attributeId,
      num: entryValues.num,
      text: entryValues.text,
      bool: entryValues.bool,
      optionId: entryValues.optionId,
      ordinal: attributes.ordinal,
    })
    .from(entryValues)
    .innerJoin(attributes, eq(attributes.id, entryValues.attributeId))
    .where(inArray(entryValues.entryId, entryIds))
  for (const v of found) {
    const byAttribute = out.get(v.entryId) ?? new Map()
    byAttribute.set(v.attributeId, { num: v.num, text: v.text, bool: v.bool, optionId: v.optionId, ordinal: v.ordinal })
    out.set(v.entryId, byAttribute)
  }
  return out
}

export type HistoryEntry = {
  id: string
  parentId: string | null
  activityId: string
  activityName: string
  performedAt: Date
  notes: string
  ordinal: number
  /** A set's stored type (null: a normal set, or not a set); read it with `readSetType`. */
  setType: string | null
}

/**
 * The user's latest `limit` root entries with their whole trees, newest first, of those
 * performed in [`from`, `to`) when given (a calendar day). Pages group them by day; children
 * come in tree order.
 */
export async function history(db: Queryable, userId: string, { limit = 100, from, to }: { limit?: number; from?: Date; to?: Date } = {}) {
  const roots = await db
    .select({ id: entries.id })
    .from(entries)
    .where(
      and(
        eq(entries.userId, userId),
        isNull(entries.parentId),
        from ? gte(entries.performedAt, from) : undefined,
        to ? lt(entries.performedAt, to) : undefined,
      ),
    )
    .orderBy(desc(entries.performedAt), desc(entries.id))
    .limit(limit)
  if (roots.length === 0)
    return { roots: [] as HistoryEntry[], children: new Map<string, HistoryEntry[]>(), values: new Map<string, StoredValues>() }
  const nodes = await rows<HistoryEntry & { depth: number }>(
    db,
    sql`with recursive tree as (
          select e.id, e.parent_id, e.activity_id, e.performed_at, e.notes, e.ordinal, e.set_type
            from entries e where e.id in (${sql.join(
              roots.map((r) => sql`${r.id}::uuid`),
              sql`, `,
            )})
          union all
          select c.id, c.parent_id, c.activity_id, c.performed_at, c.notes, c.ordinal, c.set_type
            from entries c join tree t on c.parent_id = t.id
        )
        select t.id, t.parent_id as "parentId", t.activity_id as "activityId", a.name as "activityName",
               t.performed_at as "performedAt", t.notes, t.ordinal, t.set_type as "setType"
          from tree t join activities a on a.id = t.activity_id`,
  )
  const withDates = nodes.map((n) => ({ ...n, performedAt: new Date(n.performedAt) }))
  const children = new Map<string, HistoryEntry[]>()
  for (const n of withDates) {
    if (!n.parentId) continue
    const siblings = children.get(n.parentId)
    if (siblings) siblings.push(n)
    else children.set(n.parentId, [n])
  }
  for (const list of children.values()) list.sort((a, b) => a.ordinal - b.ordinal || a.id.localeCompare(b.id))
  const order = new Map(roots.map((r, i) => [r.id, i]))
  const rootRows = withDates.filter((n) => !n.parentId).sort((a, b) => order.get(a.id)! - order.get(b.id)!)
  const values = await valuesOf(
    db,
    withDates.map((n) => n.id),
  )
  return { roots: rootRows, children, values }
}

export type SeriesPoint = { entryId: string; performedAt: Date; value: number }

/**
 * One numeric attribute over every entry qualitatively equal to `activityId`'s (the activity
 * and every copy of its origin), oldest first. Copies keep their attributes' ordinals (the
 * schema is append-only), so the attribute is matched by ordinal across copies. Warm-up sets
 * are left out: they are no progress and no record (domain/set-types.ts).
 */
export async function attributeSeries(db: Queryable, userId: string, activityId: string, ordinal: number): Promise<SeriesPoint[]> {
  const found = await rows<{ entryId: string; performedAt: string; value: number }>(
    db,
    sql`select e.id as "entryId", e.performed_at as "performedAt", v.num as value
          from entries e
          join activities a on a.id = e.activity_id
          join attributes at on at.activity_id = a.id and at.ordinal = ${ordinal}
          join entry_values v on v.entry_id = e.id and v.attribute_id = at.id
         where e.user_id = ${userId}
           and a.origin_id = (select origin_id from activities where id = ${activityId})
           and v.num is not null
           and e.set_type is distinct from 'warmup'
         order by e.performed_at, e.id`,
  )
  return found.map((p) => ({ entryId: p.entryId, performedAt: new Date(p.performedAt), value: Number(p.value) }))
}

/** The child activities of a sequence's current template, in order, each with its repeat count. */
export async function templateChildren(db: Queryable, activityId: string) {
  return rows<{ childId: string; repeat: number }>(
    db,
    sql`select child_id as "childId", repeat from sequence_items where parent_id = ${activityId} order by ordinal, id`,
  )
}

/** An entry's direct children in order, each with its values (a workout's sets). */
export async function entryChildren(db: Queryable, parentId: string) {
  const children = await db
    .select({ id: entries.id, activityId: entries.activityId, ordinal: entries.ordinal })
    .from(entries)
    .where(eq(entries.parentId, parentId))
    .orderBy(asc(entries.ordinal), asc(entries.id))
  const values = await valuesOf(
    db,
    children.map((c) => c.id),
  )
  return children.map((c) => ({ ...c, values: values.get(c.id) ?? (new Map() as StoredValues) }))
}

/** The latest entry of `activityId` or a copy of its origin, with its values: "last time". */
export async function lastEntry(db: Queryable, userId: string, activityId: string) {
  const [found] = await rows<{ id: string; performedAt: string }>(
    db,
    sql`select e.id, e.performed_at as "performedAt" from entries e join activities a on a.id = e.activity_id
         where e.user_id = ${userId} and a.origin_id = (select origin_id from activities where id = ${activityId})
         order by e.performed_at desc, e.id desc limit 1`,
  )
  if (!found) return undefined
  const values = (await valuesOf(db, [found.id])).get(found.id) ?? (new Map() as StoredValues)
  return { id: found.id, performedAt: new Date(found.performedAt), values }
}

/** A sequence's template items in order, with each child's name (the template builder). */
export async function templateItems(db: Queryable, activityId: string) {
  return rows<{ id: string; childId: string; repeat: number; name: string }>(
    db,
    sql`select i.id, i.child_id as "childId", i.repeat, a.name
          from sequence_items i join activities a on a.id = i.child_id
         where i.parent_id = ${activityId} order by i.ordinal, i.id`,
  )
}
