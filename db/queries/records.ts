/**
 * Personal records as the progress page shows them, computed one way on both runtimes (sync/SPEC.md
 * W7): over the entries the database holds, the device's replica or the server's whole history.
 * A device with a storage window adds the server's summary (`activity_records`) for the records
 * set before its history begins (`withServerRecords`, `serverRecordsFor` in domain/records.ts).
 */
import { and, eq, inArray, sql } from 'drizzle-orm'
import { activityRecords, type AttributeType } from '@/db/schema'
import type { Queryable } from '@/db/types'
import { rows } from '@/db/rows'
import { personalRecords, type PersonalRecord, type RecordAttribute, type RecordEntry, type RecordKind } from '@/domain/records'
import { readSetType } from '@/domain/set-types'
import { activityInfo } from './local'

/** The attribute types a record or a chart can be measured in. */
export const numericTypes = new Set<AttributeType>(['number', 'integer', 'duration', 'distance', 'mass'])

/**
 * The entries records are measured over (as `progressEntries`, without the session each belongs
 * to, which records do not need): the user's entries of `activityId` and its copies, values keyed
 * by its own attribute ids, oldest first; with `entryIds`, only those.
 */
export async function recordEntriesOf(
  db: Queryable,
  userId: string,
  activityId: string,
  { entryIds }: { entryIds?: readonly string[] } = {},
): Promise<RecordEntry[]> {
  if (entryIds?.length === 0) return []
  const found = await rows<{ entryId: string; performedAt: string; setType: string | null; attributeId: string; num: number }>(
    db,
    sql`select e.id as "entryId", e.performed_at as "performedAt", e.set_type as "setType", target.id as "attributeId", v.num
          from entries e
          join activities a on a.id = e.activity_id
          join entry_values v on v.entry_id = e.id and v.num is not null
          join attributes at on at.id = v.attribute_id
          join attributes target on target.activity_id = ${activityId} and target.ordinal = at.ordinal
         where e.user_id = ${userId}
           and a.origin_id = (select origin_id from activities where id = ${activityId})
           ${entryIds ? sql`and e.id in (select value::uuid from jsonb_array_elements_text(${JSON.stringify(entryIds)}::jsonb))` : sql``}
         order by e.performed_at, e.id`,
  )
  const byEntry = new Map<string, RecordEntry & { values: Map<string, number> }>()
  for (const row of found) {
    let entry = byEntry.get(row.entryId)
    if (!entry) {
      entry = { entryId: row.entryId, performedAt: new Date(row.performedAt), setType: readSetType(row.setType), values: new Map() }
      byEntry.set(row.entryId, entry)
    }
    entry.values.set(row.attributeId, Number(row.num))
  }
  return [...byEntry.values()]
}

/** The attributes an activity's records are measured by, or null for one that has none (a sequence). */
export async function recordAttributesOf(db: Queryable, activityId: string): Promise<RecordAttribute[] | null> {
  const activity = await activityInfo(db, activityId)
  if (!activity || activity.kind !== 'scalar') return null
  return activity.attributes.filter((a) => numericTypes.has(a.type))
}

/**
 * Every record of the user's entries of `activityId` (and its copies) that this database holds;
 * with `entryIds`, the records those entries alone would hold (a push's candidates, W7).
 */
export async function activityRecordsOf(
  db: Queryable,
  userId: string,
  activityId: string,
  options: { entryIds?: readonly string[] } = {},
): Promise<PersonalRecord[]> {
  const attributes = await recordAttributesOf(db, activityId)
  if (!attributes) return []
  return personalRecords(attributes, await recordEntriesOf(db, userId, activityId, options))
}

const asRecord = (r: typeof activityRecords.$inferSelect): PersonalRecord => ({
  kind: r.kind as RecordKind,
  key: r.key,
  label: r.label,
  value: r.value,
  type: r.type as PersonalRecord['type'],
  entryId: r.entryId,
  performedAt: r.performedAt,
})

/** The server's summary of an activity's records for the user, as synced (W7). */
export async function summaryRecords(db: Queryable, userId: string, activityId: string): Promise<PersonalRecord[]> {
  return (await summariesOf(db, userId, [activityId])).get(activityId) ?? []
}

/** The server's records of several activities for the user (W7), by activity id. */
export async function summariesOf(db: Queryable, userId: string, activityIds: readonly string[]): Promise<Map<string, PersonalRecord[]>> {
  const out = new Map<string, PersonalRecord[]>(activityIds.map((id) => [id, []]))
  if (activityIds.length === 0) return out
  const found = await db
    .select()
    .from(activityRecords)
    .where(and(eq(activityRecords.userId, userId), inArray(activityRecords.activityId, [...out.keys()])))
  for (const r of found) out.get(r.activityId)!.push(asRecord(r))
  return out
}
