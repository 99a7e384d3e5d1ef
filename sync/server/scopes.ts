import 'server-only'
import { eq } from 'drizzle-orm'
import { libraries, libraryMembers } from '@/db/schema'
import type { Queryable } from '@/db/types'

/** The scopes a device reads, computed afresh on every request (SPEC R1). */
export type Scopes = { userId: string; deviceId: string; libraryIds: string[] }

export async function scopesOf(db: Queryable, userId: string, deviceId: string): Promise<Scopes> {
  const owned = await db.select({ id: libraries.id }).from(libraries).where(eq(libraries.ownerId, userId))
  const shared = await db.select({ id: libraryMembers.libraryId }).from(libraryMembers).where(eq(libraryMembers.userId, userId))
  const libraryIds = [...new Set([...owned, ...shared].map((l) => l.id))].sort()
  return { userId, deviceId, libraryIds }
}

/** Scope names as the change log stores them. */
export function scopeNames(scopes: Scopes): string[] {
  return [`user:${scopes.userId}`, `device:${scopes.deviceId}`, ...scopes.libraryIds.map((id) => `library:${id}`)]
}
