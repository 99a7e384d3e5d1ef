/**
 * SPEC R6: pulls answered together from one shared read get exactly what each would get alone,
 * whatever their users, scopes, offsets and limits.
 */
import { afterEach, beforeEach, expect, test } from 'vitest'
import { newId } from '@/domain/ids'
import { strengthActivity } from '@/domain/testing/world'
import { pull, pullMany, type PullQuery } from './pull'
import { readSyncState } from './state'
import type { TestServer } from './testing/harness'
import { pgliteServer } from './testing/pglite'

let server: TestServer
beforeEach(async () => {
  server = await pgliteServer()
})
afterEach(() => server.close())

test('[R6][R1][R2][R3] pulls read together answer as each pull alone would, over users, scopes, offsets and limits', async () => {
  const ann = await server.user('Ann')
  const bob = await server.user('Bob')
  const carol = await server.user('Carol')
  const annPhone = ann.device()
  const annLaptop = ann.device()
  const bobPhone = bob.device()
  const carolPhone = carol.device()

  // Ann shares her library with Bob; each logs and tags; Ann logs one workout bigger than a small limit.
  const inviteId = newId()
  await annPhone.mutate('shareLibrary', { inviteId, libraryId: ann.libraryId, email: bob.email, role: 'viewer' })
  await bobPhone.mutate('acceptInvitation', { inviteId })
  const squat = strengthActivity(ann.libraryId)
  await annPhone.mutate('createActivity', squat.args)
  await annLaptop.mutate('createTag', { id: newId(), name: 'Heavy' })
  await bobPhone.mutate('createTag', { id: newId(), name: 'Easy' })
  await carolPhone.mutate('createTag', { id: newId(), name: 'Mine' })
  await annPhone.mutate('logEntry', {
    entry: {
      id: newId(),
      activityId: squat.ids.id,
      performedAt: '2026-11-20T07:30:00.000Z',
      values: { [squat.ids.reps]: 5, [squat.ids.weight]: 100 },
    },
  })
  await bobPhone.mutate('createTag', { id: newId(), name: 'Easy' }) // refused: Bob has one already
  const { head } = await readSyncState(server.db)
  expect(head).toBeGreaterThan(5)

  const devices = [annPhone, annLaptop, bobPhone, carolPhone].map((d) => ({ userId: d.user.id, deviceId: d.id }))
  const offsets = [0, 1, Math.floor(head / 2), head - 1, head, head + 5]
  const limits = [1, 3, 1000]
  const callers = devices.flatMap((who) =>
    offsets.flatMap((offset) => limits.map((limit) => ({ who, query: { offset, limit } satisfies PullQuery }))),
  )

  const alone = await Promise.all(callers.map(({ who, query }) => pull(server.db, who, query)))
  expect(await pullMany(server.db, callers)).toEqual(alone)
  // A shared read over its cap gives up, and each caller pulls alone: the same answers.
  expect(await pullMany(server.db, callers, { cap: 2 })).toEqual(alone)

  // The answers are not all alike: scopes, offsets and limits each make a difference.
  const sizes = new Set(alone.map((a) => (a.type === 'changes' ? `${a.changes.length}@${a.offset}` : a.type)))
  expect(sizes.size).toBeGreaterThan(6)
  expect(alone.some((a) => a.type === 'must-refetch')).toBe(true)
})
