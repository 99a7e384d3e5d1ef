/**
 * Photo bytes under concurrency on real PostgreSQL (sync/SPEC.md M8, M12), with a pool of
 * several connections so requests really overlap: uploads of one blob by two users at once,
 * uploads of a photo's two blobs at once, and garbage collection racing photos being attached
 * and uploaded. Requests go straight to `handleMediaPut` as web `Request`s; photos are attached
 * with the real mutators through the push endpoint, or, where a test must hold an attach's
 * transaction open, by inserting its row from a connection of the test's own.
 *
 * The invariants: one `media_blobs` row per hash whatever the overlap, no 5xx, every photo
 * whose blobs are held is marked uploaded; and the collection never deletes bytes that a
 * photo committed before (or while) it runs names.
 */
import { createHash } from 'node:crypto'
import { sql } from 'drizzle-orm'
import { afterEach, beforeEach, expect, test } from 'vitest'
import { rows } from '@/db/rows'
import type { TestPostgres } from '@/db/testing/postgres'
import { newId } from '@/domain/ids'
import { strengthActivity } from '@/domain/testing/world'
import { mediaPath } from '../protocol'
import { handleMediaPut } from './media'
import { collectMedia } from './media-gc'
import { deferred, untilWaiting } from './testing/concurrency'
import type { TestServer, TestUser } from './testing/harness'
import { postgresServer } from './testing/postgres'

let server: TestServer
let database: TestPostgres
let ann: TestUser
let bob: TestUser
beforeEach(async () => {
  ;({ server, database } = await postgresServer({ max: 12 }))
  ann = await server.user('Ann')
  bob = await server.user('Bob')
})
afterEach(async () => {
  await server.close()
})

const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex')
function jpeg(seed: number, n = 200_000): Uint8Array {
  const bytes = new Uint8Array(n + 8)
  bytes.set([0xff, 0xd8, 0xff, 0xe0])
  new DataView(bytes.buffer).setUint32(4, seed)
  for (let i = 0; i < n; i++) bytes[i + 8] = (seed * 31 + i * 7) & 0xff
  return bytes
}

/** An entry of the user's, logged through the push endpoint. */
async function entryOf(user: TestUser): Promise<string> {
  const device = user.device()
  const squat = strengthActivity(user.libraryId)
  expect(await device.mutate('createActivity', squat.args)).toMatchObject({ status: 'applied' })
  const id = newId()
  const entry = { id, activityId: squat.ids.id, performedAt: '2026-11-20T07:30:00.000Z', values: { [squat.ids.reps]: 5 } }
  expect(await device.mutate('logEntry', { entry })).toMatchObject({ status: 'applied' })
  return id
}

/** Attaches a photo of `image` (and `thumbnail`) to the entry; the photo's id and how to remove it. */
async function attach(user: TestUser, entryId: string, image: Uint8Array, thumbnail?: Uint8Array) {
  const photo = {
    id: newId(),
    sha256: sha(image),
    ...(thumbnail ? { thumbSha256: sha(thumbnail) } : {}),
    mimeType: 'image/jpeg' as const,
    byteSize: image.byteLength,
  }
  const device = user.device()
  expect(await device.mutate('attachMedia', { entryId, photo })).toMatchObject({ status: 'applied' })
  return { id: photo.id, detach: () => device.mutate('detachMedia', { entryId, mediaId: photo.id }) }
}

/** Uploads the bytes as the user; the status and the result said. */
async function upload(user: TestUser, bytes: Uint8Array): Promise<{ status: number; result?: string; message?: string }> {
  const hash = sha(bytes)
  const request = new Request(`http://cadence.test${mediaPath(hash)}`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${user.token}` },
    body: bytes as BodyInit,
  })
  const response = await handleMediaPut(server.service, request, hash)
  return { status: response.status, ...((await response.json()) as { result?: string; message?: string }) }
}

async function blobsNamed(hash: string): Promise<number> {
  const [row] = await rows<{ n: number }>(server.db, sql`select count(*)::int as n from media_blobs where sha256 = ${hash}`)
  return row!.n
}

/** Photos marked uploaded whose image or thumbnail the server does not hold: must be none. */
async function uploadedWithoutBytes(): Promise<string[]> {
  const found = await rows<{ id: string }>(
    server.db,
    sql`select m.id from media m
         where m.uploaded_at is not null
           and (not exists (select 1 from media_blobs b where b.sha256 = m.sha256)
                or (m.thumb_sha256 is not null and not exists (select 1 from media_blobs b where b.sha256 = m.thumb_sha256)))`,
  )
  return found.map((r) => r.id)
}

test('[M8] eight PUTs of one blob at once by two users store it once and mark every photo of both uploaded, with no 5xx', async () => {
  const image = jpeg(1)
  const photos = [
    ...(await Promise.all([0, 1].map(async () => attach(ann, await entryOf(ann), image)))),
    ...(await Promise.all([0, 1].map(async () => attach(bob, await entryOf(bob), image)))),
  ]
  // A device uploads one blob at a time; here each account sends four at once.
  server.service.limits = { mediaUploadsAtOnce: 8, mediaUploadsPerUser: 8 }
  const answers = await Promise.all(Array.from({ length: 8 }, (_, i) => upload(i % 2 === 0 ? ann : bob, image))).finally(() => {
    server.service.limits = undefined
  })
  // Each is stored for its sender (201), or held for one who had proved holding it (200).
  expect(answers.every((a) => (a.status === 201 && a.result === 'stored') || (a.status === 200 && a.result === 'held'))).toBe(true)
  expect(await blobsNamed(sha(image))).toBe(1)
  const [marked] = await rows<{ n: number }>(
    server.db,
    sql`select count(*)::int as n from media where id in (${sql.join(
      photos.map((p) => sql`${p.id}`),
      sql`, `,
    )}) and uploaded_at is not null`,
  )
  expect(marked!.n).toBe(4)
})

test('[M8] a photo whose image and thumbnail are uploaded at the same moment is marked uploaded, every time', async () => {
  const entryId = await entryOf(ann)
  const pairs = Array.from({ length: 10 }, (_, i) => ({ image: jpeg(100 + i), thumbnail: jpeg(200 + i, 20_000) }))
  const photos = []
  for (const { image, thumbnail } of pairs) photos.push(await attach(ann, entryId, image, thumbnail))
  // Each pair's two uploads overlap: of two statements that each see only their own blob, the
  // later one to mark must see both.
  server.service.limits = { mediaUploadsAtOnce: 20, mediaUploadsPerUser: 20 }
  const answers = await Promise.all(pairs.flatMap(({ image, thumbnail }) => [upload(ann, image), upload(ann, thumbnail)])).finally(() => {
    server.service.limits = undefined
  })
  expect(answers.every((a) => a.status === 201)).toBe(true)
  const [unmarked] = await rows<{ n: number }>(
    server.db,
    sql`select count(*)::int as n from media where user_id = ${ann.id} and uploaded_at is null`,
  )
  expect(unmarked!.n).toBe(0)
})

test('[M12] a collection that finds an attach of the bytes in flight waits for it, and keeps the bytes', async () => {
  const image = jpeg(300)
  const first = await attach(ann, await entryOf(ann), image)
  expect((await upload(ann, image)).status).toBe(201)
  await first.detach()
  // Marked 30 days ago: due for deletion under a grace of 7.
  const grace = 7 * 86_400_000
  expect(await collectMedia(server.db, { graceMs: grace, now: new Date(Date.now() - 30 * 86_400_000) })).toMatchObject({ marked: 1 })
  // An attach whose transaction has written its photo and not yet committed.
  const inserted = deferred()
  const commit = deferred()
  const attachDone = database.client.begin(async (tx) => {
    await tx`insert into media (id, user_id, sha256, mime_type, byte_size) values (${newId()}, ${bob.id}, ${sha(image)}, 'image/jpeg', ${image.byteLength})`
    inserted.resolve()
    await commit.promise
  })
  try {
    await inserted.promise
    // Given up on after its lock timeout: the page waits for the next run, the bytes stay.
    expect(await collectMedia(server.db, { graceMs: grace, lockTimeoutMs: 100 })).toMatchObject({ deleted: 0, deferred: 1 })
    expect(await blobsNamed(sha(image))).toBe(1)
    // Waiting for the attach: it commits, the deletion sees its photo and keeps the bytes.
    const collecting = collectMedia(server.db, { graceMs: grace, lockTimeoutMs: 10_000 })
    expect(await untilWaiting(server.db, 1, [collecting])).toBe('waiting')
    commit.resolve()
    await attachDone
    expect(await collecting).toMatchObject({ deleted: 0, deferred: 0 })
    expect(await blobsNamed(sha(image))).toBe(1)
  } finally {
    commit.resolve()
    await attachDone
  }
  // Without the photo the same collection deletes them: the test above is not vacuous.
  await database.client`delete from media where user_id = ${bob.id}`
  expect(await collectMedia(server.db, { graceMs: grace })).toMatchObject({ deleted: 1 })
})

test('[M12][M8] collections racing attaches and uploads of unreferenced bytes never leave a photo marked uploaded without them', async () => {
  const blobs = Array.from({ length: 12 }, (_, i) => jpeg(400 + i, 20_000))
  // Every blob held and unreferenced, past any grace period.
  const entry = await entryOf(ann)
  for (const bytes of blobs) {
    const photo = await attach(ann, entry, bytes)
    expect((await upload(ann, bytes)).status).toBe(201)
    await photo.detach()
  }
  const [annsEntry, bobsEntry] = [await entryOf(ann), await entryOf(bob)]
  let running = true
  const collections = (async () => {
    const results = []
    while (running) results.push(await collectMedia(server.db, { graceMs: 0, pageSize: 3 }))
    return results
  })()
  const users = [
    { user: ann, entry: annsEntry },
    { user: bob, entry: bobsEntry },
  ]
  const answers = await Promise.all(
    blobs.map(async (bytes, i) => {
      const { user, entry } = users[i % 2]!
      await attach(user, entry, bytes)
      return upload(user, bytes)
    }),
  )
  running = false
  const results = await collections
  expect(answers.filter((a) => a.status >= 300)).toEqual([])
  expect(results.length).toBeGreaterThan(0)
  expect(await uploadedWithoutBytes()).toEqual([])
  // Bytes deleted before their photo committed were stored again by its upload, read in full
  // because no photo of the user's was uploaded: every one is held, and stays held.
  await collectMedia(server.db, { graceMs: 0 })
  for (const bytes of blobs) expect(await blobsNamed(sha(bytes))).toBe(1)
  const [unmarked] = await rows<{ n: number }>(server.db, sql`select count(*)::int as n from media where uploaded_at is null`)
  expect(unmarked!.n).toBe(0)
})
