import { and, asc, eq, isNull } from 'drizzle-orm'
import { activities, libraries } from '../schema'
import type { Queryable } from '../types'

/** The user's default library on the device, or undefined before the first sync. */
export async function defaultLibrary(db: Queryable, userId: string) {
  const [library] = await db
    .select()
    .from(libraries)
    .where(and(eq(libraries.ownerId, userId), eq(libraries.isDefault, true)))
  return library
}

/** Live activities of a library, by name. */
export async function libraryActivities(db: Queryable, libraryId: string) {
  return db
    .select({ id: activities.id, name: activities.name, kind: activities.kind })
    .from(activities)
    .where(and(eq(activities.libraryId, libraryId), isNull(activities.deletedAt)))
    .orderBy(asc(activities.name), asc(activities.id))
}
