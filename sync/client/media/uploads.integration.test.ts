/**
 * A photo from one device to another through the real server (sync/SPEC.md M6-M10).
 *
 * Harness: a sync server on PGlite; two devices of one user, each its own device-schema PGlite
 * with a SyncClient, a DevicePhotos, an UploadQueue and a MemoryBlobStore, all speaking through
 * the one wire client (`HttpTransport`) whose `fetch` hands sync requests to the sync route
 * handlers and `/api/media/<sha>` to the media handlers, in process. Device A's network can be
 * switched off; every media request is counted. The queue and the sync client are driven by
 * hand, one step at a time. Invariants: an upload never goes before the server has its attach;
 * each blob reaches the server once; `uploaded_at` comes from the server to both devices by
 * pull; the other device downloads the thumbnail, then the image, and keeps them.
 */
import { eq } from 'drizzle-orm'
import { afterEach, beforeEach, expect, test } from 'vitest'
import { media } from '@/db/schema'
import { testPglite } from '@/db/testing/pglite'
import type { Db } from '@/db/types'
import { newId } from '@/domain/ids'
import { sha256Hex } from '@/domain/media'
import { strengthActivity } from '@/domain/testing/world'
import type { PreparedPhoto } from '@/media/prepare'
import { mediaPathPrefix } from '../../protocol'
import { handleMediaGet, handleMediaPut } from '../../server/media'
import { TEST_ORIGIN, handlerFetch } from '../../server/testing/fetch'
import type { TestServer, TestUser } from '../../server/testing/harness'
import { pgliteServer } from '../../server/testing/pglite'
import { SyncClient, initDevice } from '../client'
import { HttpTransport, type Fetch } from '../transport'
import { MemoryBlobStore } from './blob-store'
import { DevicePhotos } from './photos'
import { UploadQueue } from './uploads'

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

/** Media requests that reached the server, as `METHOD <sha>`. */
let mediaRequests: string[]

/** The network of one device: sync and media to their handlers, as `user`; off when `online` is false. */
function network(user: TestUser) {
  const net = { online: true }
  const sync = handlerFetch(() => server.service, user.token)
  const fetch: Fetch = async (url, init) => {
    if (!net.online) throw new TypeError('fetch failed: the network is off')
    const path = new URL(url, TEST_ORIGIN).pathname
    if (!path.startsWith(mediaPathPrefix)) return sync(url, init)
    const headers = new Headers(init.headers)
    headers.set('authorization', `Bearer ${user.token}`)
    const request = new Request(new URL(url, TEST_ORIGIN), { ...init, headers })
    const sha = path.slice(mediaPathPrefix.length)
    mediaRequests.push(`${request.method} ${sha}`)
    return request.method === 'PUT' ? handleMediaPut(server.service, request, sha) : handleMediaGet(server.service, request, sha)
  }
  return { net, fetch }
}

async function device(user: TestUser) {
  const local = await testPglite('device')
  closers.push(local.close)
  const deviceId = newId()
  await initDevice(local.db, { deviceId, userId: user.id })
  const { net, fetch } = network(user)
  const transport = new HttpTransport({ fetch })
  const client = new SyncClient({ db: local.db, transport, deviceId, userId: user.id })
  const blobs = new MemoryBlobStore()
  const photos = new DevicePhotos({ db: local.db, blobs, transport, mutate: (n, a, o) => client.mutate(n, a, o) })
  const uploads = new UploadQueue({ db: local.db, blobs, transport, sweep: () => photos.sweep() })
  return { db: local.db, net, client, blobs, photos, uploads }
}

/** Bytes that are a JPEG by their first bytes, as the server checks them. */
async function blobOf(seed: number, size: number) {
  const bytes = new Uint8Array(size)
  for (let i = 0; i < size; i++) bytes[i] = (seed * 17 + i * 3) & 0xff
  bytes.set([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, seed & 0xff])
  return { bytes, sha256: await sha256Hex(bytes), mimeType: 'image/jpeg' as const }
}

const uploadedAt = async (db: Db, mediaId: string) => (await db.select().from(media).where(eq(media.id, mediaId)))[0]?.uploadedAt

test('[M7] a photo attached offline on A uploads once after its attach is pushed; uploaded_at reaches A and B by pull; B loads the thumbnail, then the image', async () => {
  mediaRequests = []
  const a = await device(ann)
  const b = await device(ann)
  const squat = strengthActivity(ann.libraryId)
  const entryId = newId()
  await a.client.sync()
  await a.client.mutate('createActivity', squat.args)
  await a.client.mutate('logEntry', {
    entry: { id: entryId, activityId: squat.ids.id, performedAt: '2026-11-20T07:30:00.000Z', values: { [squat.ids.reps]: 5 } },
  })
  await a.client.sync()
  await b.client.sync()

  // Offline on A: the photo is there at once, and its upload waits for its attach.
  a.net.online = false
  const photo: PreparedPhoto = { image: await blobOf(1, 60_000), thumbnail: await blobOf(2, 6_000), width: 2048, height: 1536 }
  const mediaId = await a.photos.attach(entryId, photo)
  expect(await a.photos.load(photo.thumbnail.sha256)).not.toBeNull()
  expect(await a.uploads.runOnce()).toMatchObject({ uploaded: 0, waiting: 2 })

  // Online, not pushed yet: still waiting. Pushed (and settled by the pull): both go, once each.
  a.net.online = true
  expect(await a.uploads.runOnce()).toMatchObject({ uploaded: 0, waiting: 2 })
  expect(mediaRequests).toEqual([])
  await a.client.sync()
  expect(await a.uploads.runOnce()).toMatchObject({ uploaded: 2, waiting: 0, stopped: null })
  expect(await a.uploads.runOnce()).toMatchObject({ uploaded: 0, waiting: 0 })
  expect(mediaRequests).toEqual([`PUT ${photo.thumbnail.sha256}`, `PUT ${photo.image.sha256}`])
  expect((await a.client.refreshStatus()).uploads).toEqual({ pending: 0, failed: 0 })

  // uploaded_at is the server's write: A hears it by pull, B too (with the photo itself).
  expect(await uploadedAt(a.db, mediaId)).toBeNull()
  await a.client.sync()
  expect(await uploadedAt(a.db, mediaId)).toBeInstanceOf(Date)
  await b.client.sync()
  expect(await uploadedAt(b.db, mediaId)).toBeInstanceOf(Date)

  // B shows the thumbnail first, then the image when opened; both are kept.
  mediaRequests = []
  const thumbnail = await b.photos.load(photo.thumbnail.sha256)
  expect(new Uint8Array(await thumbnail!.arrayBuffer())).toEqual(photo.thumbnail.bytes)
  const image = await b.photos.load(photo.image.sha256)
  expect(new Uint8Array(await image!.arrayBuffer())).toEqual(photo.image.bytes)
  expect(image!.type).toBe('image/jpeg')
  expect(mediaRequests).toEqual([`GET ${photo.thumbnail.sha256}`, `GET ${photo.image.sha256}`])
  expect(await b.photos.load(photo.image.sha256)).not.toBeNull()
  expect(mediaRequests).toHaveLength(2)
  expect((await b.photos.usage()).usedBytes).toBe(66_000)
}, 120_000)

test('[M7] [M12] a photo removed before its upload: the server answers 404 for its blobs, their entries end, and its bytes are swept once the removal has synced', async () => {
  mediaRequests = []
  const a = await device(ann)
  const squat = strengthActivity(ann.libraryId)
  const entryId = newId()
  await a.client.sync()
  await a.client.mutate('createActivity', squat.args)
  await a.client.mutate('logEntry', {
    entry: { id: entryId, activityId: squat.ids.id, performedAt: '2026-11-20T07:30:00.000Z', values: { [squat.ids.reps]: 5 } },
  })
  const photo: PreparedPhoto = { image: await blobOf(3, 20_000), thumbnail: await blobOf(4, 2_000), width: 800, height: 600 }
  const mediaId = await a.photos.attach(entryId, photo)
  await a.photos.detach(entryId, mediaId)
  await a.client.sync()

  expect(await a.uploads.runOnce()).toMatchObject({ uploaded: 0, dropped: 2 })
  // What a 404 answered is the whole of it: the server has no photo naming the bytes.
  expect(mediaRequests).toEqual([`PUT ${photo.thumbnail.sha256}`, `PUT ${photo.image.sha256}`])
  expect(await a.blobs.keys()).toEqual([])
  expect((await a.photos.usage()).usedBytes).toBe(0)
}, 120_000)
