import { and, count, eq, inArray } from 'drizzle-orm'
import { z } from 'zod'
import { activities, entries, libraries, libraryInvites, libraryMembers, memberRoles, users } from '@/db/schema'
import { libraryDeletion } from '@/db/schema/registry'
import { requireLibrary } from '../access'
import { MutationError, notFound } from '../errors'
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
      `"${library.name}" cannot be deleted: ${logged.n} logged ${logged.n === 1 ? 'entry uses' : 'entries use'} its activities. Delete those entries first, or keep the library.`,
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
 * Shares a library by email. The invitation is a row the device can write offline; the server
 * turns it into a membership at once when the email belongs to an account. An invitation to an
 * address without an account only waits: nothing accepts it when that person signs up yet.
 */
export const shareLibrary = defineMutator(
  'shareLibrary',
  z.object({ inviteId: idSchema, libraryId: idSchema, email: z.email('must be an email address'), role: roleSchema }),
  async ({ tx, userId, now, runtime }, args) => {
    const library = await requireLibrary(tx, userId, args.libraryId, 'own')
    const email = args.email.toLowerCase()
    await tx.insert(libraryInvites).values({
      id: args.inviteId,
      libraryId: library.id,
      email,
      role: args.role,
      invitedBy: userId,
      expiresAt: new Date(now.getTime() + INVITE_DAYS * 86_400_000),
      createdAt: now,
    })
    if (runtime !== 'server') return
    const [invitee] = await tx.select({ id: users.id }).from(users).where(eq(users.email, email))
    if (!invitee) return
    if (invitee.id === userId) throw new MutationError('invalid_args', 'You own this library already; share it with someone else.')
    await acceptInvite(tx, args.inviteId, invitee.id, now)
  },
)

/** Turns an invitation into a membership (or updates the role of an existing one). */
export async function acceptInvite(tx: Parameters<typeof requireLibrary>[0], inviteId: string, inviteeId: string, now: Date) {
  const [invite] = await tx.select().from(libraryInvites).where(eq(libraryInvites.id, inviteId))
  if (!invite) throw notFound('The invitation')
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
  await tx.update(libraryInvites).set({ acceptedAt: now }).where(eq(libraryInvites.id, inviteId))
}

async function requireMember(tx: Parameters<typeof requireLibrary>[0], libraryId: string, memberId: string) {
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
