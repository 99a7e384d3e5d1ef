import { and, count, eq, inArray, isNull } from 'drizzle-orm'
import { z } from 'zod'
import { activities, entries, libraries, libraryInvites, libraryMembers, memberRoles, users } from '@/db/schema'
import { libraryDeletion } from '@/db/schema/registry'
import { requireLibrary } from '../access'
import type { Tx } from '@/db/types'
import { MutationError, invalidArgs, notFound } from '../errors'
import { defineMutator, descriptionSchema, idSchema, nameSchema } from './define'

const roleSchema = z.enum(memberRoles, 'must be viewer or editor')
const INVITE_DAYS = 30

export const createLibrary = defineMutator(
  'createLibrary',
  z.object({ id: idSchema, name: nameSchema, description: descriptionSchema.optional() }),
  async ({ tx, userId, now }, args) => {
    await tx.insert(libraries).values({
      id: args.id,
      ownerId: userId,
      name: args.name,
      description: args.description ?? '',
      createdAt: now,
      updatedAt: now,
    })
  },
)

export const renameLibrary = defineMutator(
  'renameLibrary',
  z.object({ libraryId: idSchema, name: nameSchema, description: descriptionSchema.optional() }),
  async ({ tx, userId, now }, args) => {
    await requireLibrary(tx, userId, args.libraryId, 'own')
    await tx
      .update(libraries)
      .set({ name: args.name, ...(args.description === undefined ? {} : { description: args.description }), updatedAt: now })
      .where(eq(libraries.id, args.libraryId))
  },
)

/**
 * Deletes a library and its activities. Refused for the default library, and for a library whose
 * activities have logged entries: deleting it would delete what was logged.
 */
export const deleteLibrary = defineMutator('deleteLibrary', z.object({ libraryId: idSchema }), async ({ tx, userId }, args) => {
  const library = await requireLibrary(tx, userId, args.libraryId, 'own')
  if (library.isDefault) {
    throw new MutationError('in_use', `"${library.name}" is your default library and cannot be deleted.`)
  }
  const [logged] = await tx
    .select({ n: count() })
    .from(entries)
    .where(inArray(entries.activityId, tx.select({ id: activities.id }).from(activities).where(eq(activities.libraryId, library.id))))
  if (logged && logged.n > 0) {
    throw new MutationError(
      'in_use',
      `"${library.name}" cannot be deleted: ${logged.n} logged ${logged.n === 1 ? 'entry uses' : 'entries use'} its activities (an activity moved to another library leaves what was logged with it here). Delete those entries first, or keep the library.`,
    )
  }
  // Every row of the library goes explicitly, in the registry's order: the device's schema has
  // no foreign keys to cascade, and both runtimes must delete the same rows (SPEC S1, D1).
  for (const step of libraryDeletion) {
    const inLibrary = step.via
      ? inArray(step.column, tx.select({ key: step.via.key }).from(step.via.table).where(eq(step.via.scope, library.id)))
      : eq(step.column, library.id)
    await tx.delete(step.table).where(inLibrary)
  }
})

/**
 * Invites someone to a library by email (SPEC S4). The invitation is a row the owner's device
 * writes offline; it grants nothing until the invitee accepts it ({@link acceptInvitation}), so
 * nothing lands on an account's devices without its yes. The server does exactly what the
 * device does, and never looks the address up: the owner's answer, and every row the owner can
 * see, are the same whether the address has an account or not. A new invitation replaces the
 * one still waiting for the same address, so the owner sees one line per person.
 */
export const shareLibrary = defineMutator(
  'shareLibrary',
  z.object({ inviteId: idSchema, libraryId: idSchema, email: z.email('must be an email address'), role: roleSchema }),
  async ({ tx, userId, now }, args) => {
    const library = await requireLibrary(tx, userId, args.libraryId, 'own')
    const email = args.email.toLowerCase()
    // The owner knows their own address: refusing it tells them nothing they did not know.
    if ((await emailOf(tx, userId)) === email) {
      throw invalidArgs([{ path: ['email'], message: 'You own this library already; share it with someone else.' }])
    }
    await tx.delete(libraryInvites).where(and(eq(libraryInvites.libraryId, library.id), eq(libraryInvites.email, email), waiting()))
    await tx.insert(libraryInvites).values({
      id: args.inviteId,
      libraryId: library.id,
      email,
      role: args.role,
      invitedBy: userId,
      expiresAt: new Date(now.getTime() + INVITE_DAYS * 86_400_000),
      createdAt: now,
    })
  },
)

/** An invitation nobody has answered or withdrawn yet (it may have expired). */
const waiting = () => and(isNull(libraryInvites.acceptedAt), isNull(libraryInvites.revokedAt))

/** The caller's account address, lower-cased as invitations store it (undefined before a device's first sync). */
async function emailOf(tx: Tx, userId: string): Promise<string | undefined> {
  const [me] = await tx.select({ email: users.email }).from(users).where(eq(users.id, userId))
  return me?.email.toLowerCase()
}

/**
 * The invitation `inviteId` if it is to the caller's own address, locked until the transaction
 * ends (a second acceptance, or the owner replacing it, waits and then sees this one's answer).
 * Anyone else's invitation, a withdrawn one or none at all is "not found": an id confirms nothing.
 */
async function ownInvitation(tx: Tx, userId: string, inviteId: string) {
  const [invite] = await tx.select().from(libraryInvites).where(eq(libraryInvites.id, inviteId)).for('update')
  const email = await emailOf(tx, userId)
  if (!invite || invite.revokedAt || email === undefined || invite.email !== email) throw notFound('The invitation')
  return invite
}

/**
 * The invitee says yes: the membership is granted in the same transaction, through the
 * membership row, so the grant is captured like any other (SPEC S2). Accepting again changes
 * nothing. On the invitee's device the invitation is usually not there (it is in the library's
 * scope): the device queues the acceptance for the server to judge (SPEC B10).
 */
export const acceptInvitation = defineMutator('acceptInvitation', z.object({ inviteId: idSchema }), async ({ tx, userId, now }, args) => {
  const invite = await ownInvitation(tx, userId, args.inviteId)
  if (invite.acceptedAt) return
  if (invite.expiresAt.getTime() <= now.getTime()) {
    throw new MutationError('not_found', 'The invitation has expired: ask its owner to share the library again.')
  }
  await acceptInvite(tx, invite, userId, now)
})

/** The invitee says no: the invitation is gone, for the owner too, without saying why. */
export const declineInvitation = defineMutator('declineInvitation', z.object({ inviteId: idSchema }), async ({ tx, userId }, args) => {
  const invite = await ownInvitation(tx, userId, args.inviteId)
  if (invite.acceptedAt) throw notFound('The invitation')
  await tx.delete(libraryInvites).where(eq(libraryInvites.id, invite.id))
})

/**
 * Turns an accepted invitation into a membership (or updates the role of an existing one), and
 * answers every other invitation still waiting for the same address in that library, so the
 * owner's list keeps one line per person.
 */
async function acceptInvite(tx: Tx, invite: typeof libraryInvites.$inferSelect, inviteeId: string, now: Date) {
  await tx
    .insert(libraryMembers)
    .values({
      libraryId: invite.libraryId,
      userId: inviteeId,
      role: invite.role,
      grantedBy: invite.invitedBy,
      createdAt: now,
      updatedAt: now,
    })
    .onConflictDoUpdate({ target: [libraryMembers.libraryId, libraryMembers.userId], set: { role: invite.role, updatedAt: now } })
  await tx.update(libraryInvites).set({ acceptedAt: now }).where(eq(libraryInvites.id, invite.id))
  await tx
    .delete(libraryInvites)
    .where(and(eq(libraryInvites.libraryId, invite.libraryId), eq(libraryInvites.email, invite.email), waiting()))
}

async function requireMember(tx: Tx, libraryId: string, memberId: string) {
  const [member] = await tx
    .select()
    .from(libraryMembers)
    .where(and(eq(libraryMembers.libraryId, libraryId), eq(libraryMembers.userId, memberId)))
  if (!member) throw notFound('That member')
  return member
}

export const changeMemberRole = defineMutator(
  'changeMemberRole',
  z.object({ libraryId: idSchema, userId: idSchema, role: roleSchema }),
  async ({ tx, userId, now }, args) => {
    await requireLibrary(tx, userId, args.libraryId, 'own')
    await requireMember(tx, args.libraryId, args.userId)
    await tx
      .update(libraryMembers)
      .set({ role: args.role, updatedAt: now })
      .where(and(eq(libraryMembers.libraryId, args.libraryId), eq(libraryMembers.userId, args.userId)))
  },
)

export const revokeMember = defineMutator(
  'revokeMember',
  z.object({ libraryId: idSchema, userId: idSchema }),
  async ({ tx, userId }, args) => {
    await requireLibrary(tx, userId, args.libraryId, 'own')
    await requireMember(tx, args.libraryId, args.userId)
    await tx.delete(libraryMembers).where(and(eq(libraryMembers.libraryId, args.libraryId), eq(libraryMembers.userId, args.userId)))
  },
)

export const publishLibrary = defineMutator('publishLibrary', z.object({ libraryId: idSchema }), async ({ tx, userId, now }, args) => {
  const library = await requireLibrary(tx, userId, args.libraryId, 'own')
  if (library.publishedAt) return
  await tx.update(libraries).set({ publishedAt: now, updatedAt: now }).where(eq(libraries.id, library.id))
})

export const unpublishLibrary = defineMutator('unpublishLibrary', z.object({ libraryId: idSchema }), async ({ tx, userId, now }, args) => {
  await requireLibrary(tx, userId, args.libraryId, 'own')
  await tx.update(libraries).set({ publishedAt: null, updatedAt: now }).where(eq(libraries.id, args.libraryId))
})
