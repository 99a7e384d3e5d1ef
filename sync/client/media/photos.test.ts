/**
 * DevicePhotos over a real device database (sync/SPEC.md M6, M10, M11, M12).
 *
 * Harness: a device-schema PGlite with a user and an entry written as the server's rows would
 * arrive, a SyncClient over it that is never started (its `mutate` writes the outbox; the test
 * "syncs" by deleting outbox rows, and marks a photo uploaded as the server's write would), a
 * MemoryBlobStore, and a media transport of this file's own: a map of the bytes the server holds,
 * which can be switched off. The clock is the test's. Invariants: an attach is one transaction
 * or nothing; the cache never evicts bytes the server may not hold; bytes go once nothing names
 * them and the outbox is empty.
 */
import { eq, sql } from 'drizzle-orm'
import { afterEach, beforeEach, expect, test } from 'vitest'
import { rows } from '@/db/rows'
import { media } from '@/db/schema'
import { localMediaCache, localOutbox, localUploads } from '@/db/schema/local'
import type { TestPglite } from '@/db/testing/pglite'
import { MutationError } from '@/domain/errors'
import { newId } from '@/domain/ids'
import type { PreparedPhoto } from '@/media/prepare'
import type { SyncClient } from '../client'
import { TransportError, type MediaTransport } from '../transport'
import { MemoryBlobStore, type BlobStore } from './blob-store'
import { DevicePhotos, FALLBACK_BUDGET, MAX_DOWNLOADS, ORPHAN_AGE_MS, type DevicePhotosOptions } from './photos'
import { blobOf, deviceWithEntry, photoOf } from './testing'

const MiB = 1024 * 1024

/** The server's blobs, as far as downloads see them. */
class FakeMedia implements MediaTransport {
  readonly held = new Map<string, Uint8Array>()
  online = true
  gets = 0
  /** What the next downloads answer instead of the held bytes (a server sending other bytes). */
  tamper = false

  async putMedia(sha256: string, bytes: Uint8Array): Promise<'stored' | 'held'> {
    if (!this.online) throw new TransportError('offline', 'The server cannot be reached.')
    const had = this.held.has(sha256)
    this.held.set(sha256, bytes)
    return had ? 'held' : 'stored'
  }

  async getMedia(sha256: string): Promise<Blob | null> {
    this.gets++
    if (!this.online) throw new TransportError('offline', 'The server cannot be reached.')
    const bytes = this.held.get(sha256)
    if (!bytes) return null
    return new Blob([(this.tamper ? bytes.map((b) => b ^ 1) : bytes) as BlobPart], { type: 'image/jpeg' })
  }
}

let local: TestPglite
let client: SyncClient
let blobs: BlobStore
let server: FakeMedia
let clock: Date
let entryId: string

beforeEach(async () => {
  ;({ local, client, entryId } = await deviceWithEntry())
  clock = new Date('2026-11-12T08:00:00.000Z')
  blobs = new MemoryBlobStore(() => clock)
  server = new FakeMedia()
})
afterEach(() => local.close())

function photos(options: Partial<DevicePhotosOptions> = {}) {
  return new DevicePhotos({
    db: local.db,
    blobs,
    transport: server,
    mutate: (name, args, mutateOptions) => client.mutate(name, args, mutateOptions),
    now: () => clock,
    ...options,
  })
}

const later = (ms: number) => (clock = new Date(clock.getTime() + ms))
const count = async (table: string) =>
  (await rows<{ n: number }>(local.db, sql`select count(*)::int as n from ${sql.identifier(table)}`))[0]!.n
const storeKeys = async () => (await blobs.keys()).map((k) => k.sha256).sort()
const cacheKeys = async () => (await local.db.select().from(localMediaCache)).map((r) => r.sha256).sort()
/** What the server's answers do to the device: the outbox applied, and `uploaded_at` arrived. */
const synced = () => local.db.delete(localOutbox)
const uploadsDone = () => local.db.delete(localUploads)
const markUploaded = (sha256: string) => local.db.update(media).set({ uploadedAt: clock }).where(eq(media.sha256, sha256))

test('[M6] attaching puts both blobs in the store, then writes the photo, both upload entries (thumbnail first) and both index rows with its mutation', async () => {
  const device = photos()
  const photo = await photoOf(1)
  const mediaId = await device.attach(entryId, photo)

  const [outbox] = await local.db.select().from(localOutbox)
  expect(outbox).toMatchObject({ name: 'attachMedia' })
  const [row] = await local.db.select().from(media).where(eq(media.id, mediaId))
  expect(row).toMatchObject({
    sha256: photo.image.sha256,
    thumbSha256: photo.thumbnail.sha256,
    byteSize: 4000,
    width: 2048,
    height: 1536,
    uploadedAt: null,
  })
  const uploads = await local.db.select().from(localUploads).orderBy(localUploads.id)
  expect(uploads.map((u) => [u.sha256, u.byteSize, u.mutationId])).toEqual([
    [photo.thumbnail.sha256, 500, outbox!.mutationId],
    [photo.image.sha256, 4000, outbox!.mutationId],
  ])
  expect(await cacheKeys()).toEqual([photo.image.sha256, photo.thumbnail.sha256].sort())
  expect(await storeKeys()).toEqual([photo.image.sha256, photo.thumbnail.sha256].sort())
  expect(new Uint8Array(await (await blobs.get(photo.image.sha256))!.arrayBuffer())).toEqual(photo.image.bytes)
})

test('[M6] an attach whose device bookkeeping fails leaves nothing: no photo, no outbox entry, nothing queued, no bytes', async () => {
  // The store fails inside the attach's transaction, after the first upload entry was written.
  let checks = 0
  const failing: BlobStore = Object.assign(Object.create(blobs) as BlobStore, {
    has: async (sha256: string) => {
      if (++checks === 2) throw new Error('The storage failed.')
      return blobs.has(sha256)
    },
  })
  const device = photos({ blobs: failing })
  await expect(device.attach(entryId, await photoOf(1))).rejects.toThrow('The storage failed.')
  expect(await count('media')).toBe(0)
  expect(await count('entry_media')).toBe(0)
  expect(await count('local_outbox')).toBe(0)
  expect(await count('local_uploads')).toBe(0)
  expect(await count('local_media_cache')).toBe(0)
  expect(await storeKeys()).toEqual([])
})

test('[M6] a refused attach (an entry this device does not have) queues nothing and keeps no bytes', async () => {
  const device = photos()
  await expect(device.attach(newId(), await photoOf(1))).rejects.toBeInstanceOf(MutationError)
  expect(await count('local_outbox')).toBe(0)
  expect(await count('local_uploads')).toBe(0)
  expect(await storeKeys()).toEqual([])
})

test('[M6] bytes another photo already holds stay when an attach of the same bytes fails', async () => {
  const device = photos()
  const photo = await photoOf(1)
  await device.attach(entryId, photo)
  await expect(device.attach(newId(), photo)).rejects.toBeInstanceOf(MutationError)
  expect(await storeKeys()).toEqual([photo.image.sha256, photo.thumbnail.sha256].sort())
})

test('[M10] a blob is read from the cache when there, else downloaded once, kept and indexed; offline or not on the server it is null', async () => {
  const device = photos()
  const mine = await photoOf(1)
  await device.attach(entryId, mine)
  server.online = false
  expect(await device.load(mine.thumbnail.sha256)).not.toBeNull()
  expect(server.gets).toBe(0)

  const theirs = await blobOf(77, 3000)
  expect(await device.load(theirs.sha256)).toBeNull()
  server.online = true
  expect(await device.load(theirs.sha256)).toBeNull()
  server.held.set(theirs.sha256, theirs.bytes)
  const [first, second] = await Promise.all([device.load(theirs.sha256), device.load(theirs.sha256)])
  expect(new Uint8Array(await first!.arrayBuffer())).toEqual(theirs.bytes)
  expect(second).toBe(first)
  expect(first!.type).toBe('image/jpeg')
  expect(await cacheKeys()).toContain(theirs.sha256)

  server.online = false
  expect(await device.load(theirs.sha256)).not.toBeNull()
  expect(server.gets).toBe(3)
  expect(await device.load('not-a-hash')).toBeNull()
})

test('[M10] a page of thumbnails downloads at most four at once; the rest wait their turn, and a failed one passes its place on', async () => {
  const theirs = await Promise.all(Array.from({ length: 11 }, (_, i) => blobOf(100 + i, 2000)))
  for (const blob of theirs) server.held.set(blob.sha256, blob.bytes)
  let inFlight = 0
  let most = 0
  const answers: (() => void)[] = []
  const slow: MediaTransport = {
    putMedia: (sha256, bytes) => server.putMedia(sha256, bytes),
    getMedia: async (sha256) => {
      most = Math.max(most, ++inFlight)
      await new Promise<void>((resolve) => answers.push(resolve))
      inFlight--
      if (sha256 === theirs[0]!.sha256) throw new TransportError('busy', 'The server is busy.', undefined, 1000)
      return server.getMedia(sha256)
    },
  }
  const device = photos({ transport: slow })
  let settled = false
  const loads = Promise.all(theirs.map((blob) => device.load(blob.sha256))).finally(() => (settled = true))
  // The server answers one request every few milliseconds, whichever came first.
  while (!settled) {
    await new Promise((resolve) => setTimeout(resolve, 5))
    answers.shift()?.()
  }
  const loaded = await loads
  expect(most).toBe(MAX_DOWNLOADS)
  expect(loaded[0]).toBeNull()
  expect(loaded.slice(1).every((blob) => blob !== null)).toBe(true)
})

test('[M10] bytes that do not hash to their name are not kept', async () => {
  const device = photos()
  const theirs = await blobOf(5, 1000)
  server.held.set(theirs.sha256, theirs.bytes)
  server.tamper = true
  expect(await device.load(theirs.sha256)).toBeNull()
  expect(await storeKeys()).toEqual([])
  expect(await cacheKeys()).toEqual([])
})

test('[M11] the default budget is a fifth of the quota within 50 MiB and 1 GiB, 200 MiB without an estimate; a set budget replaces it until cleared', async () => {
  const budgetFor = async (estimate?: DevicePhotosOptions['estimate']) => (await photos({ estimate }).usage()).budgetBytes
  expect(await budgetFor(async () => ({ quota: 1000 * MiB }))).toBe(200 * MiB)
  expect(await budgetFor(async () => ({ quota: 100 * 1024 * MiB }))).toBe(1024 * MiB)
  expect(await budgetFor(async () => ({ quota: 100 * MiB }))).toBe(50 * MiB)
  expect(await budgetFor(async () => ({}))).toBe(FALLBACK_BUDGET)
  expect(await budgetFor(undefined)).toBe(FALLBACK_BUDGET)
  expect(await budgetFor(() => Promise.reject(new Error('no storage manager')))).toBe(FALLBACK_BUDGET)

  const device = photos({ estimate: async () => ({ quota: 1000 * MiB }) })
  await device.setBudget(80 * MiB)
  expect(await device.usage()).toMatchObject({ budgetBytes: 80 * MiB, budgetIsDefault: false, defaultBudgetBytes: 200 * MiB })
  await device.setBudget(null)
  expect(await device.usage()).toMatchObject({ budgetBytes: 200 * MiB, budgetIsDefault: true })
  await expect(device.setBudget(-1)).rejects.toThrow('a whole number of bytes')
  await expect(device.setBudget(1.5)).rejects.toThrow(RangeError)
})

test('[M11] usage counts the cache, the uploads waiting and those refused with their reason', async () => {
  const device = photos()
  const photo = await photoOf(1)
  await device.attach(entryId, photo)
  await local.db
    .update(localUploads)
    .set({ failedAt: clock, lastError: 'The server refused this photo: it is not an image.' })
    .where(eq(localUploads.sha256, photo.image.sha256))
  expect(await device.usage()).toMatchObject({
    usedBytes: 4500,
    pendingUploads: 1,
    pendingBytes: 500,
    failedUploads: [{ sha256: photo.image.sha256, error: 'The server refused this photo: it is not an image.' }],
  })
})

test('[M11] eviction never drops bytes still queued, nor those of a photo the server does not hold yet', async () => {
  const device = photos()
  const [a, b] = [await photoOf(1), await photoOf(2)]
  await device.attach(entryId, a)
  await device.attach(entryId, b)
  await device.setBudget(0)
  // Queued: over budget, and kept.
  expect(await device.enforceBudget()).toBe(0)
  expect(await storeKeys()).toHaveLength(4)

  // Uploaded (the queue is done) but the server's uploaded_at has not arrived: kept.
  await synced()
  await uploadsDone()
  expect(await device.enforceBudget()).toBe(0)
  expect(await storeKeys()).toHaveLength(4)

  // Photo a is held by the server: its bytes may go, b's stay.
  await markUploaded(a.image.sha256)
  expect(await device.enforceBudget()).toBe(4500)
  expect(await storeKeys()).toEqual([b.image.sha256, b.thumbnail.sha256].sort())
  expect(await cacheKeys()).toEqual([b.image.sha256, b.thumbnail.sha256].sort())
  // Evicted bytes come back from the server when a page shows them again.
  server.held.set(a.thumbnail.sha256, a.thumbnail.bytes)
  expect(await device.load(a.thumbnail.sha256)).not.toBeNull()
})

test('[M11] bytes that held the cache over its budget while they waited go at the sweep after their upload', async () => {
  const device = photos()
  const photo = await photoOf(3)
  await device.setBudget(0)
  await device.attach(entryId, photo)
  expect(await storeKeys()).toHaveLength(2)
  // The upload round ends, the outbox is empty, the server's uploaded_at has arrived.
  await synced()
  await uploadsDone()
  await markUploaded(photo.image.sha256)
  await device.sweep()
  expect(await storeKeys()).toEqual([])
  expect((await device.usage()).usedBytes).toBe(0)
})

test('[M11] over budget, the least recently viewed blobs go first; a view within a minute of the last does not count', async () => {
  const device = photos()
  const shown = [await photoOf(1), await photoOf(2), await photoOf(3)]
  for (const photo of shown) await device.attach(entryId, photo)
  await synced()
  await uploadsDone()
  for (const photo of shown) await markUploaded(photo.image.sha256)
  const [a, b, c] = shown as [PreparedPhoto, PreparedPhoto, PreparedPhoto]

  // Views: a's image, c's 20 s later, a's again 20 s after that (within a minute of its last
  // view: not noted, so a's stays older than c's), b's a few minutes on; the thumbnails last.
  later(2 * 60_000)
  await device.load(a.image.sha256)
  later(20_000)
  await device.load(c.image.sha256)
  later(20_000)
  await device.load(a.image.sha256)
  later(2 * 60_000)
  await device.load(b.image.sha256)
  later(2 * 60_000)
  for (const photo of [a, b, c]) await device.load(photo.thumbnail.sha256)

  const thumbnails = [a, b, c].map((p) => p.thumbnail.sha256)
  await device.setBudget(3 * 500 + 2 * 4000)
  expect(await storeKeys()).toEqual([b.image.sha256, c.image.sha256, ...thumbnails].sort())
  await device.setBudget(3 * 500 + 4000)
  expect(await storeKeys()).toEqual([b.image.sha256, ...thumbnails].sort())
  expect(await device.usage()).toMatchObject({ usedBytes: 5500 })
  await device.setBudget(3 * 500 + 4000 - 1)
  expect(await storeKeys()).toEqual([...thumbnails].sort())
})

test('[M12] once a removal has synced, the photo’s cached bytes and any upload entry go; not while the outbox holds it', async () => {
  const device = photos()
  const [kept, removed] = [await photoOf(1), await photoOf(2)]
  await device.attach(entryId, kept)
  const removedId = await device.attach(entryId, removed)
  await synced()
  await device.detach(entryId, removedId)

  expect(await device.sweep()).toEqual({ cached: 0, uploads: 0, orphans: 0 })
  expect(await storeKeys()).toHaveLength(4)

  await synced()
  expect(await device.sweep()).toMatchObject({ cached: 2, uploads: 2 })
  expect(await storeKeys()).toEqual([kept.image.sha256, kept.thumbnail.sha256].sort())
  expect(await cacheKeys()).toEqual([kept.image.sha256, kept.thumbnail.sha256].sort())
  expect((await local.db.select().from(localUploads)).map((u) => u.sha256).sort()).toEqual(
    [kept.image.sha256, kept.thumbnail.sha256].sort(),
  )
})

test('[M12] bytes a crash left without their transaction go once an hour old; newer ones and indexed ones stay', async () => {
  const device = photos()
  const photo = await photoOf(1)
  await device.attach(entryId, photo)
  await synced()
  const lost = await blobOf(90, 100)
  await blobs.put(lost.sha256, lost.bytes, lost.mimeType)
  later(ORPHAN_AGE_MS - 1000)
  const fresh = await blobOf(91, 100)
  await blobs.put(fresh.sha256, fresh.bytes, fresh.mimeType)
  later(2000)

  expect(await device.sweep()).toEqual({ cached: 0, uploads: 0, orphans: 1 })
  expect(await storeKeys()).toEqual([photo.image.sha256, photo.thumbnail.sha256, fresh.sha256].sort())
  // The fresh bytes are over an hour old now, but the store was listed less than an hour ago.
  later(ORPHAN_AGE_MS - 1)
  expect((await device.sweep()).orphans).toBe(0)
  later(1)
  expect((await device.sweep()).orphans).toBe(1)
  expect(await storeKeys()).toEqual([photo.image.sha256, photo.thumbnail.sha256].sort())
})

test('[M6] attaching bytes a sweep took meanwhile puts them back in the attach’s own transaction', async () => {
  const photo = await photoOf(1)
  // A store that loses the bytes right after they are put: what an eviction in between does.
  const leaky: BlobStore = Object.assign(Object.create(blobs) as BlobStore, {
    put: async (sha256: string, bytes: Uint8Array, type: string) => {
      await blobs.put(sha256, bytes, type)
      if (!leaked.has(sha256)) {
        leaked.add(sha256)
        await blobs.delete(sha256)
      }
    },
  })
  const leaked = new Set<string>()
  await photos({ blobs: leaky }).attach(entryId, photo)
  expect(await storeKeys()).toEqual([photo.image.sha256, photo.thumbnail.sha256].sort())
})
