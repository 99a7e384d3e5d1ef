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
    .leftJoin(
      libraryMembers,
      and(eq(libraryMembers.libraryId, libraries.id), eq(libraryMembers.userId, userId)),
    )
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
