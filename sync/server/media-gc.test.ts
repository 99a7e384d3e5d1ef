/**
 * Garbage collection of photo bytes (sync/SPEC.md M12) on PGlite: photos are attached and
 * removed with the real mutators through the push endpoint and their bytes uploaded through
 * `handleMediaPut`; `collectMedia` runs with a chosen clock. The invariant: bytes a photo names
 * (as its image or its thumbnail) are never deleted, and bytes none names go only once they
 * have been unreferenced for the whole grace period. Racing an attach is in media.pg.test.ts.
 */
import { createHash } from 'node:crypto'
import { sql } from 'drizzle-orm'
import { afterEach, beforeEach, expect, test } from 'vitest'
import { rows } from '@/db/rows'
import { newId } from '@/domain/ids'
import { strengthActivity } from '@/domain/testing/world'
import { mediaPath } from '../protocol'
import { handleMediaPut } from './media'
import { collectMedia } from './media-gc'
import type { TestServer, TestUser } from './testing/harness'
import { pgliteServer } from './testing/pglite'

let server: TestServer
let ann: TestUser
beforeEach(async () => {
  server = await pgliteServer()
  ann = await server.user('Ann')
})
afterEach(async () => {
  await server.close()
})

const DAY = 86_400_000
const GRACE = 7 * DAY
const t0 = new Date('2026-12-01T00:00:00.000Z')
const later = (ms: number) => new Date(t0.getTime() + ms)

const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex')
function jpeg(seed: number, n = 1000): Uint8Array {
  const bytes = new Uint8Array(n + 8)
  bytes.set([0xff, 0xd8, 0xff, 0xe0])
  new DataView(bytes.buffer).setUint32(4, seed)
  for (let i = 0; i < n; i++) bytes[i + 8] = (seed * 31 + i * 7) & 0xff
  return bytes
}

/** A photo of the bytes on a new entry of Ann's; its entry and its id. */
async function attach(image: Uint8Array, thumbnail?: Uint8Array) {
  const device = ann.device()
  const squat = strengthActivity(ann.libraryId)
  expect(await device.mutate('createActivity', squat.args)).toMatchObject({ status: 'applied' })
  const entryId = newId()
  const entry = { id: entryId, activityId: squat.ids.id, performedAt: '2026-11-20T07:30:00.000Z', values: { [squat.ids.reps]: 5 } }
  expect(await device.mutate('logEntry', { entry })).toMatchObject({ status: 'applied' })
  const photo = {
    id: newId(),
    sha256: sha(image),
    ...(thumbnail ? { thumbSha256: sha(thumbnail) } : {}),
    mimeType: 'image/jpeg' as const,
    byteSize: image.byteLength,
  }
  expect(await device.mutate('attachMedia', { entryId, photo })).toMatchObject({ status: 'applied' })
  return { entryId, mediaId: photo.id, detach: () => device.mutate('detachMedia', { entryId, mediaId: photo.id }) }
}

async function upload(bytes: Uint8Array) {
  const hash = sha(bytes)
  const request = new Request(`http://cadence.test${mediaPath(hash)}`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${ann.token}` },
    body: bytes as BodyInit,
  })
  return (await handleMediaPut(server.service, request, hash)).status
}

/** The blob's mark, or 'gone' when the server no longer holds it. */
async function blob(bytes: Uint8Array): Promise<Date | null | 'gone'> {
  const [row] = await rows<{ unreferenced_since: string | null }>(
    server.db,
    sql`select unreferenced_since from media_blobs where sha256 = ${sha(bytes)}`,
  )
  if (!row) return 'gone'
  return row.unreferenced_since === null ? null : new Date(row.unreferenced_since)
}

test('[M12] bytes no photo names are marked, kept through the grace period, then deleted', async () => {
  const image = jpeg(1)
  const photo = await attach(image)
  expect(await upload(image)).toBe(201)
  expect(await collectMedia(server.db, { graceMs: GRACE, now: t0 })).toMatchObject({ marked: 0, deleted: 0 })
  expect(await photo.detach()).toMatchObject({ status: 'applied' })
  expect(await collectMedia(server.db, { graceMs: GRACE, now: t0 })).toEqual({
    marked: 1,
    cleared: 0,
    deleted: 0,
    deletedBytes: 0,
    deferred: 0,
  })
  expect(await blob(image)).toEqual(t0)
  // Marked once: a later run keeps the first time it was found unreferenced.
  expect(await collectMedia(server.db, { graceMs: GRACE, now: later(GRACE - 1) })).toMatchObject({ marked: 0, deleted: 0 })
  expect(await blob(image)).toEqual(t0)
  expect(await collectMedia(server.db, { graceMs: GRACE, now: later(GRACE) })).toEqual({
    marked: 0,
    cleared: 0,
    deleted: 1,
    deletedBytes: image.byteLength,
    deferred: 0,
  })
  expect(await blob(image)).toBe('gone')
})

test('[M12] bytes a photo names, as its image or as its thumbnail, are never marked or deleted', async () => {
  const image = jpeg(2)
  const thumbnail = jpeg(3, 200)
  await attach(image, thumbnail)
  expect(await upload(image)).toBe(201)
  expect(await upload(thumbnail)).toBe(201)
  for (const days of [0, 8, 365]) {
    expect(await collectMedia(server.db, { graceMs: 0, now: later(days * DAY) })).toMatchObject({ marked: 0, deleted: 0 })
  }
  expect(await blob(image)).toBeNull()
  expect(await blob(thumbnail)).toBeNull()
})

test('[M12] a reference found again clears the mark, and the grace starts over if it is lost again', async () => {
  const image = jpeg(4)
  const first = await attach(image)
  expect(await upload(image)).toBe(201)
  await first.detach()
  await collectMedia(server.db, { graceMs: GRACE, now: t0 })
  expect(await blob(image)).toEqual(t0)
  const second = await attach(image)
  expect(await collectMedia(server.db, { graceMs: GRACE, now: later(GRACE + DAY) })).toMatchObject({ cleared: 1, deleted: 0 })
  expect(await blob(image)).toBeNull()
  await second.detach()
  expect(await collectMedia(server.db, { graceMs: GRACE, now: later(GRACE + 2 * DAY) })).toMatchObject({ marked: 1, deleted: 0 })
  expect(await collectMedia(server.db, { graceMs: GRACE, now: later(2 * GRACE + DAY) })).toMatchObject({ deleted: 0 })
  expect(await collectMedia(server.db, { graceMs: GRACE, now: later(2 * GRACE + 2 * DAY) })).toMatchObject({ deleted: 1 })
})

test('[M8][M12] an upload of marked bytes for a new photo clears the mark', async () => {
  const image = jpeg(5)
  const first = await attach(image)
  expect(await upload(image)).toBe(201)
  await first.detach()
  await collectMedia(server.db, { graceMs: GRACE, now: t0 })
  await attach(image)
  expect(await upload(image)).toBe(200)
  expect(await blob(image)).toBeNull()
})

test('[M12] the collection goes through every page, each statement bounded by the page size', async () => {
  const kept = [jpeg(10), jpeg(11)]
  const dropped = [jpeg(12), jpeg(13), jpeg(14), jpeg(15), jpeg(16)]
  for (const bytes of kept) {
    await attach(bytes)
    expect(await upload(bytes)).toBe(201)
  }
  for (const bytes of dropped) {
    const photo = await attach(bytes)
    expect(await upload(bytes)).toBe(201)
    await photo.detach()
  }
  expect(await collectMedia(server.db, { graceMs: 0, now: t0, pageSize: 2 })).toEqual({
    marked: 5,
    cleared: 0,
    deleted: 5,
    deletedBytes: dropped.reduce((sum, b) => sum + b.byteLength, 0),
    deferred: 0,
  })
  for (const bytes of kept) expect(await blob(bytes)).toBeNull()
  for (const bytes of dropped) expect(await blob(bytes)).toBe('gone')
})
