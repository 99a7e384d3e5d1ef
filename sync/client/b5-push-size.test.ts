/**
 * Pushes within the body limit (SPEC B5, B1, A3). Each device has its own PGlite and a sync
 * client whose wire client (`HttpTransport`) reaches the route handlers in process through a
 * `fetch` that records the size of every body it carries, and can play a proxy that takes less
 * than the protocol's limit (413 above it). The invariant: whatever was queued reaches the server
 * in pushes the server takes, or is reported rejected with its reason; no write is stuck behind
 * one that cannot be sent, and a write no push could carry is refused when it is made.
 */
import { sql } from 'drizzle-orm'
import { afterEach, beforeEach, expect, test } from 'vitest'
import { localOutbox, localSyncState } from '@/db/schema/local'
import { rows } from '@/db/rows'
import { testPglite } from '@/db/testing/pglite'
import { MutationError } from '@/domain/errors'
import { newId } from '@/domain/ids'
import type { EntryInput } from '@/domain/mutators/entries'
import { strengthActivity } from '@/domain/testing/world'
import { MAX_BODY_BYTES, endpointOf } from '../protocol'
import { handlerFetch } from '../server/testing/fetch'
import type { TestServer, TestUser } from '../server/testing/harness'
import { pgliteServer } from '../server/testing/pglite'
import { SyncClient, initDevice } from './client'
import { Network } from './testing/network'
import { HttpTransport, type Fetch } from './transport'

let server: TestServer
let ann: TestUser
const closers: (() => Promise<void>)[] = []
beforeEach(async () => {
  server = await pgliteServer()
  ann = await server.user('Ann')
})
afterEach(async () => {
  for (const close of closers.splice(0)) await close()
  await server.close()
})

/**
 * Ann's device, synced, with a squat in her library. `proxyLimit`: bodies over it are answered
 * 413 before they reach the server. `pushes` records the body size and status of every push.
 */
async function device({ proxyLimit }: { proxyLimit?: number } = {}) {
  const local = await testPglite('device')
  closers.push(local.close)
  const deviceId = newId()
  await initDevice(local.db, { deviceId, userId: ann.id })
  const net = new Network(handlerFetch(() => server.service, ann.token))
  const pushes: { bytes: number; status: number }[] = []
  const recording: Fetch = async (url, init) => {
    if (endpointOf(url) !== 'push') return net.fetch(url, init)
    const bytes = Buffer.byteLength(String(init.body))
    const response =
      proxyLimit !== undefined && bytes > proxyLimit
        ? new Response('Request Entity Too Large', { status: 413 })
        : await net.fetch(url, init)
    pushes.push({ bytes, status: response.status })
    return response
  }
  const client = new SyncClient({ db: local.db, transport: new HttpTransport({ fetch: recording }), deviceId, userId: ann.id })
  const squat = strengthActivity(ann.libraryId)
  await client.sync()
  await client.mutate('createActivity', squat.args)
  await client.sync()
  pushes.length = 0
  return { client, db: local.db, net, pushes, squat: squat.ids }
}

const at = '2026-11-20T07:30:00.000Z'
const serverCount = async (table: string) =>
  (await rows<{ n: number }>(server.db, sql`select count(*)::int as n from ${sql.identifier(table)}`))[0]!.n
const serverTags = async () => (await rows<{ name: string }>(server.db, sql`select name from tags order by name`)).map((t) => t.name)

/** A workout of `sets` sets of the squat, each with a note of `noteLength` characters. */
function workout(squat: { id: string; reps: string }, sets: number, noteLength: number): EntryInput {
  return {
    id: newId(),
    activityId: squat.id,
    performedAt: at,
    values: { [squat.reps]: 1 },
    children: Array.from({ length: sets }, (_, i) => ({
      id: newId(),
      activityId: squat.id,
      notes: `Set ${i + 1}: ${'n'.repeat(noteLength)}`.slice(0, noteLength),
      values: { [squat.reps]: 5 },
    })),
  }
}

test('[B5] 100 entries logged offline with a 10,000-character note each reach the server, in pushes within the body limit', async () => {
  const { client, net, pushes, squat } = await device()
  net.online = false
  for (let i = 0; i < 100; i++) {
    await client.mutate('logEntry', {
      entry: { id: newId(), activityId: squat.id, performedAt: at, notes: 'x'.repeat(10_000), values: { [squat.reps]: i + 1 } },
    })
  }
  await client.mutate('createTag', { id: newId(), name: 'After' })
  net.online = true
  await client.sync()
  expect(await serverCount('entries')).toBe(100)
  expect(await serverTags()).toEqual(['After'])
  expect(client.status).toMatchObject({ pending: 0, rejected: [] })
  // More than one push was needed, and none was over the limit or refused.
  expect(pushes.length).toBeGreaterThan(1)
  expect(pushes.filter((p) => p.bytes > MAX_BODY_BYTES || p.status !== 200)).toEqual([])
})

test('[B5][B1] a 120-set workout with long notes, near the limit, goes in a push of its own between other writes', async () => {
  const { client, pushes, squat } = await device()
  const note = (notes: string) => ({ entry: { id: newId(), activityId: squat.id, performedAt: at, notes, values: { [squat.reps]: 3 } } })
  await client.mutate('logEntry', note('b'.repeat(10_000)))
  await client.mutate('logEntry', { entry: workout(squat, 120, 8_100) })
  await client.mutate('logEntry', note('a'.repeat(10_000)))
  await client.sync()
  expect(await serverCount('entries')).toBe(123)
  expect(client.status).toMatchObject({ pending: 0, rejected: [] })
  // Any two of them are over the limit: three pushes, the workout's alone and near the limit.
  expect(pushes.map((p) => p.status)).toEqual([200, 200, 200])
  expect(pushes[1]!.bytes).toBeGreaterThan(MAX_BODY_BYTES * 0.98)
  expect(pushes[1]!.bytes).toBeLessThanOrEqual(MAX_BODY_BYTES)
})

test('[B1] a write no push could carry is refused when it is made, with the reason, and nothing is queued', async () => {
  const { client, db, squat } = await device()
  const tooBig = workout(squat, 120, 10_000)
  const refusal = await client.mutate('logEntry', { entry: tooBig }).catch((error: unknown) => error)
  expect(refusal).toBeInstanceOf(MutationError)
  expect(refusal).toMatchObject({
    code: 'invalid_args',
    message: expect.stringMatching(/too large to sync.*at most 1,000 KB at a time\. Shorten its notes/),
  })
  expect((await client.refreshStatus()).pending).toBe(0)
  expect(await rows(db, sql`select 1 from entries`)).toEqual([])
  expect(await rows(db, sql`select 1 from local_outbox`)).toEqual([])
})

test('[B5] a queued write no push can carry (queued by an older app) is reported rejected with the reason; the writes after it sync', async () => {
  const { client, db } = await device()
  // An older app queued this without checking its size.
  const [state] = await db.select().from(localSyncState)
  await db.insert(localOutbox).values({
    mutationId: state!.nextMutationId,
    name: 'createTag',
    args: { id: newId(), name: 'Long '.repeat(250_000) },
    createdAt: new Date(at),
  })
  await db.update(localSyncState).set({ nextMutationId: state!.nextMutationId + 1 })
  await client.mutate('createTag', { id: newId(), name: 'After' })
  await client.sync()
  expect(await serverTags()).toEqual(['After'])
  const status = await client.refreshStatus()
  expect(status.pending).toBe(0)
  expect(status.rejected.map((r) => [r.name, r.code, r.message])).toEqual([
    [
      'createTag',
      'invalid_args',
      expect.stringMatching(
        /^This change is too large to sync: 1,25\d KB, and the server takes at most 1,000 KB at a time\. It was not sent\.$/,
      ),
    ],
  ])
})

test('[B5][A3] behind a proxy that takes less than the limit, pushes halve until they pass, and a write that cannot pass alone is reported rejected', async () => {
  const proxyLimit = 300_000
  const { client, pushes, squat } = await device({ proxyLimit })
  const entry = (notes: number) => ({
    entry: { id: newId(), activityId: squat.id, performedAt: at, notes: 'x'.repeat(notes), values: { [squat.reps]: 5 } },
  })
  for (let i = 0; i < 6; i++) await client.mutate('logEntry', entry(9_000))
  await client.mutate('logEntry', { entry: workout(squat, 40, 9_000) })
  for (let i = 0; i < 6; i++) await client.mutate('logEntry', entry(9_000))
  await client.sync()
  expect(await serverCount('entries')).toBe(12)
  const status = await client.refreshStatus()
  expect(status.pending).toBe(0)
  expect(status.rejected.map((r) => [r.name, r.message])).toEqual([
    ['logEntry', expect.stringMatching(/too large to sync.*It was not sent/)],
  ])
  // Refused pushes were made smaller, never sent again as they were.
  const refused = pushes.filter((p) => p.status === 413)
  expect(refused.length).toBeGreaterThan(0)
  expect(pushes.filter((p) => p.status === 200).every((p) => p.bytes <= proxyLimit)).toBe(true)
  expect(new Set(refused.map((p) => p.bytes)).size).toBe(refused.length)
})
