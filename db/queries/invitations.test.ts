/**
 * The invitee's list of waiting invitations (sync/SPEC.md S4), read on a server-schema PGlite
 * filled through the shared mutations: it holds what waits for the caller's own address, and
 * nothing of anyone else's.
 */
import { eq } from 'drizzle-orm'
import { afterEach, beforeEach, expect, test } from 'vitest'
import { libraryInvites, users } from '@/db/schema'
import { testPglite } from '@/db/testing/pglite'
import { newId } from '@/domain/ids'
import { world, type World } from '@/domain/testing/world'
import { invitationsFor } from './invitations'

let w: World
beforeEach(async () => {
  w = world({ ...(await testPglite('server')), runtime: 'server' })
})
afterEach(() => w.close())

const emailOf = async (userId: string) => (await w.db.select({ email: users.email }).from(users).where(eq(users.id, userId)))[0]!.email

test('[S4] an invitee sees the invitations waiting for their own address, and not what was answered, expired or sent to others', async () => {
  const ann = await w.user('Ann')
  const bob = await w.user('Bob')
  const cat = await w.user('Cat')
  const club = newId()
  await w.ok(ann.id, 'createLibrary', { id: club, name: 'Club' })
  const bobsEmail = await emailOf(bob.id)
  const waiting = newId()
  const declined = newId()
  const expired = newId()
  // Written in another case: the address is matched as the account has it, whatever the case.
  await w.ok(ann.id, 'shareLibrary', { inviteId: waiting, libraryId: club, email: bobsEmail.toUpperCase(), role: 'editor' })
  await w.ok(ann.id, 'shareLibrary', { inviteId: declined, libraryId: ann.libraryId, email: bobsEmail, role: 'viewer' })
  await w.ok(bob.id, 'declineInvitation', { inviteId: declined })
  await w.ok(cat.id, 'shareLibrary', { inviteId: expired, libraryId: cat.libraryId, email: bobsEmail, role: 'viewer' })
  await w.db
    .update(libraryInvites)
    .set({ expiresAt: new Date(Date.now() - 1000) })
    .where(eq(libraryInvites.id, expired))
  // Someone else's invitation, in the same library.
  await w.ok(ann.id, 'shareLibrary', { inviteId: newId(), libraryId: club, email: await emailOf(cat.id), role: 'viewer' })

  const [sent] = await w.db.select().from(libraryInvites).where(eq(libraryInvites.id, waiting))
  expect(await invitationsFor(w.db, bob.id)).toEqual([
    { id: waiting, libraryName: 'Club', invitedBy: 'Ann', role: 'editor', expiresAt: sent!.expiresAt.toISOString() },
  ])
  expect((await invitationsFor(w.db, cat.id)).map((i) => i.libraryName)).toEqual(['Club'])
  expect(await invitationsFor(w.db, ann.id)).toEqual([])

  await w.ok(bob.id, 'acceptInvitation', { inviteId: waiting })
  expect(await invitationsFor(w.db, bob.id)).toEqual([])
})
