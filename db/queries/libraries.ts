import { and, asc, eq, or, sql } from 'drizzle-orm'
import { activities, libraries, libraryMembers, userSettings } from '../schema'
import type { Queryable } from '../types'
import { newId } from '@/domain/ids'

/**
 * Gives a new user what every account starts with: a default library and settings.
 * Idempotent: a second call (a retried sign-up hook) changes nothing.
 */
export async function provisionUser(db: Queryable, userId: string, name: string): Promise<void> {
  await db
    .insert(libraries)
    .values({ id: newId(), ownerId: userId, name: `${name.trim() || 'My'}'s library`, isDefault: true })
    .onConflictDoNothing()
  await db.insert(userSettings).values({ userId }).onConflictDoNothing()
}

export type LibrarySummary = {
  id: string
  name: string
  isDefault: boolean
  role: 'owner' | 'viewer' | 'editor'
  activityCount: number
}

/** Libraries a user owns or is a member of, default first, with their live activity counts. */
export async function listLibraries(db: Queryable, userId: string): Promise<LibrarySummary[]> {
  const rows = await db
    .select({
      id: libraries.id,
      name: libraries.name,
      isDefault: libraries.isDefault,
      ownerId: libraries.ownerId,
      memberRole: libraryMembers.role,
      activityCount: sql<number>`(select count(*)::int from ${activities} where ${activities.libraryId} = ${libraries.id} and ${activities.deletedAt} is null)`,
    })
    .from(libraries)
    .leftJoin(libraryMembers, and(eq(libraryMembers.libraryId, libraries.id), eq(libraryMembers.userId, userId)))
    .where(or(eq(libraries.ownerId, userId), eq(libraryMembers.userId, userId)))
    .orderBy(sql`${libraries.isDefault} desc`, asc(libraries.name))
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    isDefault: r.isDefault && r.ownerId === userId,
    role: r.ownerId === userId ? 'owner' : (r.memberRole ?? 'viewer'),
    activityCount: Number(r.activityCount),
  }))
}

export type CatalogueLibrary = {
  id: string
  name: string
  description: string
  activities: { id: string; name: string; kind: 'scalar' | 'sequence' }[]
}

/**
 * The public catalogue: published libraries of other users with their live activities, by name.
 * Read on the server (these rows are outside every other user's sync scopes).
 */
export async function publishedCatalogue(db: Queryable, userId: string, { limit = 50 } = {}): Promise<CatalogueLibrary[]> {
  const found = await db
    .select({ id: libraries.id, name: libraries.name, description: libraries.description })
    .from(libraries)
    .where(and(sql`${libraries.publishedAt} is not null`, sql`${libraries.ownerId} <> ${userId}`))
    .orderBy(asc(libraries.name), asc(libraries.id))
    .limit(limit)
  const out: CatalogueLibrary[] = []
  for (const library of found) {
    const list = await db
      .select({ id: activities.id, name: activities.name, kind: activities.kind })
      .from(activities)
      .where(and(eq(activities.libraryId, library.id), sql`${activities.deletedAt} is null`))
      .orderBy(asc(activities.name), asc(activities.id))
    out.push({ ...library, activities: list })
  }
  return out
}
