/**
 * What the activity, template, attribute and copy mutations share, kept apart from them so each
 * of their files imports it and none imports another's mutators in a circle.
 */
import { eq } from 'drizzle-orm'
import { v5 as uuidv5 } from 'uuid'
import { activities } from '@/db/schema'
import { requireLibrary, type Need } from '../access'
import { MutationError, notFound } from '../errors'
import type { MutationContext } from './define'

export type ActivityRow = typeof activities.$inferSelect

/** A live activity the caller has `need` on, with its library. */
export async function requireActivity(ctx: MutationContext, activityId: string, need: Need) {
  const read = async () => (await ctx.tx.select().from(activities).where(eq(activities.id, activityId)))[0]
  const found = await read()
  if (!found || found.deletedAt) throw notFound('The activity')
  const library = await requireLibrary(ctx.tx, ctx.userId, found.libraryId, need)
  if (need === 'read') return { activity: found, library }
  // A change waited for the library's lock (P7): read the activity again, as the writer before
  // this one left it.
  const activity = await read()
  if (!activity || activity.deletedAt) throw notFound('The activity')
  return { activity, library }
}

/** Refuses arguments that give two rows one id (`what` names the rows in the message). */
export function uniqueIds(ids: string[], what: string) {
  const seen = new Set<string>()
  for (const id of ids) {
    if (seen.has(id)) throw new MutationError('invalid_args', `The same id appears twice among the ${what}: ${id}.`)
    seen.add(id)
  }
}

/**
 * An id derived from another id and a label: the device and the server compute the same one,
 * so a mutation that makes many rows (a deep copy) needs only one id in its arguments.
 */
export function deriveId(namespaceId: string, label: string): string {
  return uuidv5(label, namespaceId)
}
