/**
 * Who may do what to a library. Runs inside mutations on both the device and the server, over
 * whatever rows the runtime holds (a device holds the memberships of every library it can read).
 *
 * - owner: everything, including sharing, publishing and deleting.
 * - editor: read, and change activities and their schemas and templates.
 * - viewer: read, and copy activities into a library of their own.
 * - anyone: read (and copy from) a published library.
 * A library the caller cannot read is reported as not found, so its existence does not leak.
 */
import { and, eq } from 'drizzle-orm'
import { libraries, libraryMembers } from '@/db/schema'
import type { Tx } from '@/db/types'
import { MutationError, notFound } from './errors'

export type Role = 'owner' | 'editor' | 'viewer' | 'public' | 'none'
export type Need = 'read' | 'edit' | 'own'

export type LibraryRow = typeof libraries.$inferSelect

export async function roleIn(
  tx: Tx,
  userId: string,
  libraryId: string,
  { lock = false }: { lock?: boolean } = {},
): Promise<{ role: Role; library?: LibraryRow }> {
  const query = tx.select().from(libraries).where(eq(libraries.id, libraryId))
  const [library] = await (lock ? query.for('no key update') : query)
  if (!library) return { role: 'none' }
  if (library.ownerId === userId) return { role: 'owner', library }
  const [member] = await tx
    .select({ role: libraryMembers.role })
    .from(libraryMembers)
    .where(and(eq(libraryMembers.libraryId, libraryId), eq(libraryMembers.userId, userId)))
  if (member) return { role: member.role, library }
  return { role: library.publishedAt ? 'public' : 'none', library }
}

const allowed: Record<Need, Role[]> = {
  read: ['owner', 'editor', 'viewer', 'public'],
  edit: ['owner', 'editor'],
  own: ['owner'],
}

const refusal: Record<Need, string> = {
  read: 'read',
  edit: 'change activities in',
  own: 'manage (only its owner can)',
}

/**
 * The library, if the caller has `need` on it; otherwise a not-found or forbidden refusal.
 *
 * A change (`edit`, `own`) locks the library's row until the transaction ends (sync/SPEC.md P7):
 * a mutator checks an invariant over several rows of a library (no template contains itself, no
 * deleted activity in a template), and two concurrent pushes that each checked before the other
 * wrote would both commit a broken library. Changes to one library therefore run one at a time;
 * each reads, after the lock, what the one before it committed.
 */
export async function requireLibrary(tx: Tx, userId: string, libraryId: string, need: Need): Promise<LibraryRow> {
  const { role, library } = await roleIn(tx, userId, libraryId, { lock: need !== 'read' })
  if (!library || role === 'none') throw notFound('The library')
  if (!allowed[need].includes(role)) {
    throw new MutationError(
      'forbidden',
      `You cannot ${refusal[need]} the library "${library.name}"${role === 'viewer' || role === 'public' ? ': you can only view it' : ''}.`,
    )
  }
  return library
}
