/**
 * Values of this device that another device's later write replaced (sync/SPEC.md B14): the
 * device-only notices the sync client records as it pulls, for the page to show and dismiss.
 */
import { asc, eq, inArray } from 'drizzle-orm'
import { attributes } from '../schema'
import { localReplacedEdits } from '../schema/local'
import type { Queryable } from '../types'
import { activityInfos, type AttributeInfo } from './local'

export type ReplacedEdit = typeof localReplacedEdits.$inferSelect

/**
 * The notices not dismissed, oldest first, with the attributes their values belong to (to
 * format a value by its type), where the device still has them.
 */
export async function replacedEdits(db: Queryable): Promise<{ edits: ReplacedEdit[]; attributes: Map<string, AttributeInfo> }> {
  const edits = await db.select().from(localReplacedEdits).orderBy(asc(localReplacedEdits.id))
  const attributeIds = [...new Set(edits.flatMap((e) => (typeof e.context.attributeId === 'string' ? [e.context.attributeId] : [])))]
  const owners = attributeIds.length
    ? await db.select({ activityId: attributes.activityId }).from(attributes).where(inArray(attributes.id, attributeIds))
    : []
  const infos = await activityInfos(
    db,
    owners.map((o) => o.activityId),
  )
  const byId = new Map<string, AttributeInfo>()
  for (const info of infos.values()) for (const a of info.attributes) byId.set(a.id, a)
  return { edits, attributes: byId }
}

/** Forgets a notice the user has read. */
export async function dismissReplacedEdit(db: Queryable, id: number): Promise<void> {
  await db.delete(localReplacedEdits).where(eq(localReplacedEdits.id, id))
}
