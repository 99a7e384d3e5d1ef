/**
 * The upload queue over a real device database (sync/SPEC.md M7), and the device running it
 * (B8, B13).
 *
 * Harness: a device-schema PGlite with a user and an entry as the server's rows would arrive; a
 * SyncClient that is never started writes the outbox when DevicePhotos attaches, and the test
 * "pushes" by deleting outbox rows. The server's blob endpoint is a fake media transport that
 * answers each PUT from a script (stored unless told otherwise) and records what reached it. The
 * queue's clock is the test's; `runOnce` is driven by hand, except where the loop itself is the
 * subject. Invariants: one blob at a time, in the order attached, never before its attach left the
 * outbox; a failure backs off and holds the queue; the queue's state is its table, so another
 * queue over the same database continues.
 */
import { eq, sql } from 'drizzle-orm'
import { afterEach, beforeEach, expect, test, vi } from 'vitest'
import { rows } from '@/db/rows'
import { localOutbox, localSyncState, localUploads } from '@/db/schema/local'
import type { TestPglite } from '@/db/testing/pglite'
import { sha256Hex } from '@/domain/media'
import type { SyncClient } from '../client'
import { openDevice, type ChannelLike, type LockManagerLike } from '../device'
import type { PullResponse } from '../../protocol'
import { TransportError, type MediaTransport, type Transport } from '../transport'
import { MemoryBlobStore } from './blob-store'
import { DevicePhotos } from './photos'
import { deviceWithEntry, photoOf } from './testing'
import { UploadQueue, backoffMs, type UploadQueueOptions } from './uploads'

/** Blobs the size of a small photo's. */
const photoOfSize = (seed: number) => photoOf(seed, { image: 3000, thumbnail: 300 })

type Answer = 'stored' | 'held' | TransportError

/** The server's PUT endpoint: answers from `script` (then `stored`), recording each request. */
class FakeMedia implements MediaTransport {
  readonly puts: string[] = []
  readonly held = new Map<string, Uint8Array>()
  script: Answer[] = []

  async putMedia(sha256: string, bytes: Uint8Array): Promise<'stored' | 'held'> {
    this.puts.push(sha256)
    const answer = this.script.shift() ?? 'stored'
    if (answer instanceof TransportError) throw answer
    expect(await sha256Hex(bytes)).toBe(sha256)
    this.held.set(sha256, bytes)
    return answer
  }

  async getMedia(sha256: string): Promise<Blob | null> {
    const bytes = this.held.get(sha256)
    return bytes ? new Blob([bytes as BlobPart], { type: 'image/jpeg' }) : null
  }
}

const offline = () => new TransportError('offline', 'The server cannot be reached.')

let local: TestPglite
let client: SyncClient
let blobs: MemoryBlobStore
let server: FakeMedia
let clock: Date
let userId: string
let entryId: string

beforeEach(async () => {
  ;({ local, client, userId, entryId } = await deviceWithEntry())
  clock = new Date('2026-11-12T08:00:00.000Z')
  blobs = new MemoryBlobStore(() => clock)
  server = new FakeMedia()
})
afterEach(() => local.close())

const photos = () =>
  new DevicePhotos({ db: local.db, blobs, transport: server, mutate: (n, a, o) => client.mutate(n, a, o), now: () => clock })
const queue = (options: Partial<UploadQueueOptions> = {}) =>
  new UploadQueue({ db: local.db, blobs, transport: server, now: () => clock, ...options })
const later = (ms: number) => (clock = new Date(clock.getTime() + ms))
/** The server applied every attach: the outbox is empty. */
const pushed = () => local.db.delete(localOutbox)
const entries = () => local.db.select().from(localUploads).orderBy(localUploads.id)

test('[M7] an upload waits until its attach has left the outbox, then goes thumbnail first, one blob at a time', async () => {
  const photo = await photoOfSize(1)
  await photos().attach(entryId, photo)
  const uploads = queue()

  expect(await uploads.runOnce()).toMatchObject({ uploaded: 0, waiting: 2 })
  expect(server.puts).toEqual([])

  await pushed()
  expect(await uploads.runOnce()).toMatchObject({ uploaded: 2, waiting: 0 })
  expect(server.puts).toEqual([photo.thumbnail.sha256, photo.image.sha256])
  expect(await entries()).toEqual([])
  // The bytes stay cached: uploading is not evicting.
  expect(await blobs.has(photo.image.sha256)).toBe(true)
})

test('[M7] photos go in the order attached; one whose attach is still queued waits without holding up the others', async () => {
  const [a, b, c] = [await photoOfSize(1), await photoOfSize(2), await photoOfSize(3)]
  await photos().attach(entryId, a)
  await photos().attach(entryId, b)
  await pushed()
  await photos().attach(entryId, c)
  expect(await queue().runOnce()).toMatchObject({ uploaded: 4, waiting: 2 })
  expect(server.puts).toEqual([a.thumbnail.sha256, a.image.sha256, b.thumbnail.sha256, b.image.sha256])
})

test('[M7] a failure backs off 1 s doubling to 30 s, holding every upload, and honours Retry-After; then the blob goes once', async () => {
  const photo = await photoOfSize(1)
  await photos().attach(entryId, photo)
  await pushed()
  const uploads = queue()
  server.script = [
    offline(),
    offline(),
    new TransportError('server', 'The server failed (500).'),
    offline(),
    offline(),
    offline(),
    offline(),
  ]

  const waits: number[] = []
  for (let attempt = 1; attempt <= 7; attempt++) {
    const round = await uploads.runOnce()
    expect(round.stopped).toBe('backoff')
    const wait = round.retryAt!.getTime() - clock.getTime()
    waits.push(wait)
    // Held: neither this blob nor the next is tried before then.
    later(wait - 1)
    expect(await uploads.runOnce()).toMatchObject({ stopped: 'backoff', uploaded: 0 })
    later(1)
  }
  expect(waits).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000])
  expect(server.puts).toEqual(Array(7).fill(photo.thumbnail.sha256))
  expect((await entries())[0]).toMatchObject({ attempts: 7, lastError: 'The server cannot be reached.', failedAt: null })

  // A busy server asks for 45 s: not sooner, though the backoff would say 30.
  server.script = [new TransportError('busy', 'The server is busy.', undefined, 45_000)]
  const busy = await uploads.runOnce()
  expect(busy.retryAt!.getTime() - clock.getTime()).toBe(45_000)
  later(45_000)
  expect(await uploads.runOnce()).toMatchObject({ uploaded: 2, stopped: null })
  expect(server.puts.filter((sha) => sha === photo.image.sha256)).toHaveLength(1)
  expect(await entries()).toEqual([])
  expect(backoffMs(1)).toBe(1000)
})

test('[M7] reconnecting ends the wait at once', async () => {
  await photos().attach(entryId, await photoOfSize(1))
  await pushed()
  const uploads = queue()
  server.script = [offline()]
  expect(await uploads.runOnce()).toMatchObject({ stopped: 'backoff' })
  later(100)
  expect(await uploads.runOnce()).toMatchObject({ stopped: 'backoff', uploaded: 0 })
  expect(await uploads.runOnce({ retry: true })).toMatchObject({ uploaded: 2 })
})

test('[M7] stored, held and 404 end an entry; another refusal keeps it failed with the server’s words; bytes gone from the store fail it', async () => {
  const [a, b, c] = [await photoOfSize(1), await photoOfSize(2), await photoOfSize(3)]
  for (const photo of [a, b, c]) await photos().attach(entryId, photo)
  await pushed()
  await blobs.delete(c.thumbnail.sha256)
  server.script = [
    'stored',
    'held',
    new TransportError('not-found', 'No photo of this account has these bytes.'),
    new TransportError('refused', 'These bytes are not a JPEG, PNG, WebP or GIF image.'),
  ]
  expect(await queue().runOnce()).toMatchObject({ uploaded: 3, dropped: 1, failed: 2 })
  expect(server.puts).toEqual([a.thumbnail.sha256, a.image.sha256, b.thumbnail.sha256, b.image.sha256, c.image.sha256])
  const left = await entries()
  expect(left.map((e) => [e.sha256, e.lastError])).toEqual([
    [b.image.sha256, 'These bytes are not a JPEG, PNG, WebP or GIF image.'],
    [c.thumbnail.sha256, expect.stringMatching(/no longer on this device.*Remove the photo and attach it again/)],
  ])
  expect(left.every((e) => e.failedAt !== null)).toBe(true)
  // Failed entries are not tried again.
  expect(await queue().runOnce()).toMatchObject({ uploaded: 0, failed: 0 })
  expect(await photos().usage()).toMatchObject({
    pendingUploads: 0,
    failedUploads: [{ sha256: b.image.sha256 }, { sha256: c.thumbnail.sha256 }],
  })
})

test('[M7] the queue resumes where another left it: a new queue over the same database keeps the backoff and uploads what is left', async () => {
  const photo = await photoOfSize(1)
  await photos().attach(entryId, photo)
  await pushed()
  server.script = ['stored', offline()]
  expect(await queue().runOnce()).toMatchObject({ uploaded: 1, stopped: 'backoff' })

  // "Reload": new objects over the same database and store.
  const reloaded = queue()
  later(500)
  expect(await reloaded.runOnce()).toMatchObject({ uploaded: 0, retryAt: new Date(clock.getTime() + 500) })
  later(500)
  expect(await reloaded.runOnce()).toMatchObject({ uploaded: 1 })
  expect(server.puts).toEqual([photo.thumbnail.sha256, photo.image.sha256, photo.image.sha256])
  expect(await entries()).toEqual([])
})

test('[M7] the same bytes attached again while their upload is in flight keep their own upload, whatever the older request’s answer', async () => {
  for (const answer of ['stored', new TransportError('not-found', 'No photo of this account has these bytes.')] as const) {
    await local.db.delete(localUploads)
    server.puts.length = 0
    const photo = await photoOfSize(answer === 'stored' ? 1 : 2)
    await photos().attach(entryId, photo)
    await pushed()
    // The thumbnail's PUT is answered only once the same photo has been attached again.
    let answered: () => void = () => undefined
    const gate = new Promise<void>((resolve) => (answered = resolve))
    let again: Promise<unknown> | undefined
    const slow: MediaTransport = {
      putMedia: async (sha256, bytes) => {
        if (again === undefined) {
          again = photos().attach(entryId, photo)
          await again
          await gate
          if (answer instanceof TransportError) throw answer
          return answer
        }
        return server.putMedia(sha256, bytes)
      },
      getMedia: (sha256) => server.getMedia(sha256),
    }
    const round = queue({ transport: slow }).runOnce()
    await vi.waitFor(() => expect(again).toBeDefined())
    await again
    answered()
    await round
    // The second attach's entries are still queued, not ended by answers to the first's requests
    // (before, a 404 or a stored thumbnail deleted the row the second attach had taken over).
    expect((await entries()).map((e) => e.sha256)).toEqual([photo.thumbnail.sha256, photo.image.sha256])
    server.puts.length = 0
    await pushed()
    expect(await queue().runOnce()).toMatchObject({ uploaded: 2 })
    expect(server.puts).toEqual([photo.thumbnail.sha256, photo.image.sha256])
    expect(await entries()).toEqual([])
  }
})

test('[M12] a round that found the outbox empty sweeps; one with writes still queued does not', async () => {
  const sweep = vi.fn(async () => undefined)
  await photos().attach(entryId, await photoOfSize(1))
  await queue({ sweep }).runOnce()
  expect(sweep).not.toHaveBeenCalled()
  await pushed()
  await queue({ sweep }).runOnce()
  expect(sweep).toHaveBeenCalledTimes(1)
})

test('[M7] running, the queue uploads after a kick, stops on 401 until kicked again, and stops cleanly', async () => {
  const photo = await photoOfSize(1)
  await photos().attach(entryId, photo)
  const uploads = new UploadQueue({ db: local.db, blobs, transport: server })
  uploads.start()
  await new Promise((resolve) => setTimeout(resolve, 100))
  expect(server.puts).toEqual([])

  server.script = [new TransportError('auth', 'Signed out: sign in again to upload photos.')]
  await pushed()
  uploads.kick()
  await vi.waitFor(() => expect(server.puts).toHaveLength(1))
  await new Promise((resolve) => setTimeout(resolve, 200))
  expect(server.puts).toHaveLength(1)

  uploads.kick()
  await vi.waitFor(() => expect(server.puts).toEqual([photo.thumbnail.sha256, photo.thumbnail.sha256, photo.image.sha256]))
  await vi.waitFor(async () => expect(await entries()).toEqual([]))
  await uploads.stop()
})

// The device runs the queue ------------------------------------------------------------------------

/** One tab's fakes: a lock granted at once, a channel nobody else hears, a transport that idles. */
async function deviceOptions(media: MediaTransport) {
  // The device has synced up to now (offset 0): it pulls, rather than replace its rows with a snapshot.
  await local.db.update(localSyncState).set({ syncedSeq: 0 })
  const locks: LockManagerLike = { request: (_name, _options, callback) => callback() }
  const channel = (): ChannelLike => ({ postMessage() {}, addEventListener() {}, removeEventListener() {}, close() {} })
  const idle: PullResponse = { type: 'changes', changes: [], offset: 0, head: 0, upToDate: true, horizon: 0 }
  let seq = 0
  const transport: Transport & MediaTransport = {
    push: async (request) => ({
      type: 'pushed',
      results: request.mutations.map((m) => ({ id: m.id, status: 'applied', seq: ++seq })),
      horizon: 0,
    }),
    pull: async ({ waitMs = 0, signal }) =>
      waitMs === 0
        ? idle
        : new Promise((_resolve, reject) => signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')))),
    snapshot: () => Promise.reject(new Error('a device that has synced does not ask for a snapshot')),
    putMedia: (sha256, bytes, mimeType, signal) => media.putMedia(sha256, bytes, mimeType, signal),
    getMedia: (sha256, signal) => media.getMedia(sha256, signal),
  }
  return {
    database: {
      db: local.db,
      listen: async (name: string, callback: (payload: string) => void) => {
        const unlisten = await local.pg.listen(name, callback)
        return () => void unlisten()
      },
      onMoved: () => () => {},
      close: async () => {},
    },
    transport,
    blobs,
    locks,
    channel,
    onOnline: () => () => {},
    sessionUser: async () => userId,
    loop: { liveWaitMs: 60_000 },
  }
}

test('[M7] the leading tab uploads a photo once its attach is pushed; sign-out clears every cached blob (M12, B13)', async () => {
  const device = await openDevice(await deviceOptions(server))
  expect(device).not.toBeNull()
  await vi.waitFor(() => expect(device!.status.leader).toBe(true))
  const photo = await photoOfSize(1)
  await device!.photos.attach(entryId, photo)
  // The loop pushes the attach; the settled outbox entry leaves only with the stream's record,
  // which this transport never sends: the test settles it as a pull would.
  await vi.waitFor(async () => expect((await local.db.select().from(localOutbox))[0]?.settledSeq).toBeGreaterThan(0))
  expect(server.puts).toEqual([])
  await pushed()
  await vi.waitFor(() => expect(server.puts).toEqual([photo.thumbnail.sha256, photo.image.sha256]))
  await vi.waitFor(async () => expect(await entries()).toEqual([]))
  expect((await blobs.keys()).length).toBe(2)

  await device!.signOut()
  expect(await blobs.keys()).toEqual([])
  expect((await rows<{ n: number }>(local.db, sql`select count(*)::int as n from local_media_cache`))[0]!.n).toBe(0)
  await device!.close()
})

test('[M7] [M12] an idle leader does not wake its upload queue with its own sweep: a round or two, not a loop', async () => {
  const sweep = vi.spyOn(DevicePhotos.prototype, 'sweep')
  const notified: string[] = []
  const unlisten = await local.pg.listen('cadence_local', (table) => notified.push(table))
  try {
    const device = await openDevice(await deviceOptions(server))
    await vi.waitFor(() => expect(device!.status.leader).toBe(true))
    await vi.waitFor(() => expect(sweep).toHaveBeenCalled())
    await new Promise((resolve) => setTimeout(resolve, 2000))
    // Before, each sweep's empty delete notified local_uploads, which kicked the queue into the
    // next round: hundreds of sweeps in these two seconds.
    expect(sweep.mock.calls.length).toBeLessThanOrEqual(3)
    expect(notified.filter((t) => t === 'local_uploads' || t === 'local_media_cache')).toEqual([])
    await device!.close()
  } finally {
    sweep.mockRestore()
    await unlisten()
  }
})

test('[M7] a photo attached in a tab that does not lead is uploaded by the leader', async () => {
  const options = await deviceOptions(server)
  const leader = await openDevice(options)
  await vi.waitFor(() => expect(leader!.status.leader).toBe(true))
  // A second tab: its lock request waits behind the leader's.
  let waiting: (() => void) | undefined
  const follower = await openDevice({
    ...options,
    locks: { request: (_n, _o, callback) => new Promise<void>((resolve) => (waiting = () => void callback().then(resolve))) },
  })
  expect(follower!.status.leader).toBe(false)
  const photo = await photoOfSize(2)
  await follower!.photos.attach(entryId, photo)
  await vi.waitFor(async () => expect((await local.db.select().from(localOutbox))[0]?.settledSeq).toBeGreaterThan(0))
  await local.db.delete(localOutbox).where(eq(localOutbox.name, 'attachMedia'))
  await vi.waitFor(() => expect(server.puts).toEqual([photo.thumbnail.sha256, photo.image.sha256]))
  await follower!.close()
  await leader!.close()
  expect(waiting).toBeDefined()
})
