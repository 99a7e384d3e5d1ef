/**
 * Invitations waiting for an invitee (sync/SPEC.md S4). An invitation lives in its library's
 * scope, which the invitee cannot read until they accept, so the invitee's list is read on the
 * server (`GET /api/invitations`); the answer is a mutation the invitee's device pushes like any
 * other. {@link answeredInvitations} reads the device's outbox, so a page does not offer again an
 * invitation whose answer is still on its way.
 */
import { and, asc, eq, gt, inArray, isNull, sql } from 'drizzle-orm'
import { alias } from 'drizzle-orm/pg-core'
import { libraries, libraryInvites, users } from '../schema'
import { localOutbox } from '../schema/local'
import type { Queryable } from '../types'

export type WaitingInvitation = {
  id: string
  libraryName: string
  /** The name of the person who shared it. */
  invitedBy: string
  role: 'viewer' | 'editor'
  expiresAt: string
}

/**
 * The invitations waiting for `userId`'s own address: not answered, not withdrawn, not expired,
 * oldest first. The address is the account's, read here, never one the caller names.
 */
export async function invitationsFor(db: Queryable, userId: string, now = new Date()): Promise<WaitingInvitation[]> {
  const inviter = alias(users, 'inviter')
  const found = await db
    .select({
      id: libraryInvites.id,
      libraryName: libraries.name,
      invitedBy: inviter.name,
      role: libraryInvites.role,
      expiresAt: libraryInvites.expiresAt,
    })
    .from(libraryInvites)
    .innerJoin(libraries, eq(libraries.id, libraryInvites.libraryId))
    .innerJoin(inviter, eq(inviter.id, libraryInvites.invitedBy))
    .where(
      and(
        eq(libraryInvites.email, sql`(select lower(${users.email}) from ${users} where ${users.id} = ${userId})`),
        isNull(libraryInvites.acceptedAt),
        isNull(libraryInvites.revokedAt),
        gt(libraryInvites.expiresAt, now),
      ),
    )
    .orderBy(asc(libraryInvites.createdAt), asc(libraryInvites.id))
  return found.map((i) => ({ ...i, expiresAt: i.expiresAt.toISOString() }))
}

/** On a device: the invitations this device has answered and not yet heard back about. */
export async function answeredInvitations(db: Queryable): Promise<string[]> {
  const queued = await db
    .select({ args: localOutbox.args })
    .from(localOutbox)
    .where(inArray(localOutbox.name, ['acceptInvitation', 'declineInvitation']))
  return queued.map((q) => (q.args as { inviteId?: string }).inviteId).filter((id): id is string => typeof id === 'string')
}
