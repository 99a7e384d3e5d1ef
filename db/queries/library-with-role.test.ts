/**
 * libraryWithRole, what `/?library=<id>` reads: the library with the user's role, or nothing
 * for a library that is not theirs, an unknown id or one that is not a UUID. On a server-schema
 * PGlite (the device holds the same tables) filled through the shared mutations.
 */
import { eq } from 'drizzle-orm'
import { afterEach, beforeEach, expect, test } from 'vitest'
import { users } from '@/db/schema'
import { testPglite } from '@/db/testing/pglite'
import { newId } from '@/domain/ids'
import { world, type World } from '@/domain/testing/world'
import { libraryWithRole } from './local'

let w: World
beforeEach(async () => {
  w = world({ ...(await testPglite('server')), runtime: 'server' })
})
afterEach(() => w.close())

test('the owner and a member get the library with their role; anyone else, an unknown or a malformed id, nothing', async () => {
  const ann = await w.user('Ann')
  const bob = await w.user('Bob')
  const eve = await w.user('Eve')
  const gym = newId()
  await w.ok(ann.id, 'createLibrary', { id: gym, name: 'Gym' })
  const [{ email }] = (await w.db.select({ email: users.email }).from(users).where(eq(users.id, bob.id))) as [{ email: string }]
  const inviteId = newId()
  await w.ok(ann.id, 'shareLibrary', { inviteId, libraryId: gym, email, role: 'editor' })
  await w.ok(bob.id, 'acceptInvitation', { inviteId })

  expect(await libraryWithRole(w.db, ann.id, gym)).toEqual({ id: gym, name: 'Gym', isDefault: false, role: 'owner' })
  expect(await libraryWithRole(w.db, ann.id, ann.libraryId)).toMatchObject({ isDefault: true, role: 'owner' })
  expect(await libraryWithRole(w.db, bob.id, gym)).toMatchObject({ id: gym, role: 'editor' })
  expect(await libraryWithRole(w.db, eve.id, gym)).toBeUndefined()
  expect(await libraryWithRole(w.db, ann.id, newId())).toBeUndefined()
  expect(await libraryWithRole(w.db, ann.id, 'garbage')).toBeUndefined()
  expect(await libraryWithRole(w.db, ann.id, "'; drop table libraries; --")).toBeUndefined()
})
