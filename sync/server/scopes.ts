import 'server-only'
import { eq, inArray } from 'drizzle-orm'
import { libraries, libraryMembers } from '@/db/schema'
import type { Queryable } from '@/db/types'
import { scopeName, type Scope } from '../protocol'

/** The scopes a device reads, computed afresh on every request (SPEC R1). */
export type Scopes = { userId: string; deviceId: string; libraryIds: string[] }

export async function scopesOf(db: Queryable, userId: string, deviceId: string): Promise<Scopes> {
  const owned = await db.select({ id: libraries.id }).from(libraries).where(eq(libraries.ownerId, userId))
  const shared = await db.select({ id: libraryMembers.libraryId }).from(libraryMembers).where(eq(libraryMembers.userId, userId))
  const libraryIds = [...new Set([...owned, ...shared].map((l) => l.id))].sort()
  return { userId, deviceId, libraryIds }
}

/** The scopes of many devices in two queries, by `userId/deviceId`. */
export async function scopesOfMany(db: Queryable, devices: { userId: string; deviceId: string }[]): Promise<Map<string, Scopes>> {
  const userIds = [...new Set(devices.map((d) => d.userId))]
  const owned = await db.select({ userId: libraries.ownerId, id: libraries.id }).from(libraries).where(inArray(libraries.ownerId, userIds))
  const shared = await db
    .select({ userId: libraryMembers.userId, id: libraryMembers.libraryId })
    .from(libraryMembers)
    .where(inArray(libraryMembers.userId, userIds))
  const byUser = new Map<string, Set<string>>()
  for (const l of [...owned, ...shared]) byUser.set(l.userId, (byUser.get(l.userId) ?? new Set()).add(l.id))
  return new Map(
    devices.map((d) => [
      `${d.userId}/${d.deviceId}`,
      { userId: d.userId, deviceId: d.deviceId, libraryIds: [...(byUser.get(d.userId) ?? [])].sort() },
    ]),
  )
}

/** Scope names as the change log stores them. */
export function scopeNames(scopes: Scopes): Scope[] {
  return [
    scopeName('user', scopes.userId),
    scopeName('device', scopes.deviceId),
    ...scopes.libraryIds.map((id) => scopeName('library', id)),
  ]
}
