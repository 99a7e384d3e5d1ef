/**
 * The photo reads pages make on the device's schema (db/queries/media.ts, sync/SPEC.md M5-M7):
 * each entry's photos in their order, and each photo's upload state as this device's queue
 * (`local_uploads`) and the server's `uploaded_at` tell it. Photos are attached through the
 * mutations, as the app attaches them; the queue rows are written as the device writes them.
 */
import { eq } from 'drizzle-orm'
import { afterEach, beforeEach, expect, test } from 'vitest'
import { testPglite } from '@/db/testing/pglite'
import { media, userSettings } from '@/db/schema'
import { localUploads } from '@/db/schema/local'
import { newId } from '@/domain/ids'
import { strengthActivity, world, type World } from '@/domain/testing/world'
import { keepsPhotoLocation, photosOfEntries } from './media'

const hex = (n: number) => n.toString(16).padStart(64, '0')
const photo = (n: number, thumb = true) => ({
  id: newId(),
  sha256: hex(n),
  ...(thumb ? { thumbSha256: hex(n + 1000) } : {}),
  mimeType: 'image/jpeg' as const,
  byteSize: 1000 + n,
  width: 2048,
  height: 1536,
})

let w: World
let ann: { id: string; libraryId: string }
let first: string
let second: string
beforeEach(async () => {
  w = world({ ...(await testPglite('device')), runtime: 'device' })
  ann = await w.user('Ann')
  const squat = strengthActivity(ann.libraryId, 'Squat')
  await w.ok(ann.id, 'createActivity', squat.args)
  first = newId()
  second = newId()
  for (const id of [first, second]) {
    await w.ok(ann.id, 'logEntry', {
      entry: { id, activityId: squat.ids.id, performedAt: '2026-11-12T07:30:00.000Z', values: { [squat.ids.reps]: 5 } },
    })
  }
})
afterEach(() => w.close())

const queue = (sha256: string, failed?: string) =>
  w.db.insert(localUploads).values({
    sha256,
    mimeType: 'image/jpeg',
    byteSize: 100,
    mutationId: 1,
    ...(failed ? { failedAt: new Date(), lastError: failed } : {}),
  })

test('[M5] photos come by entry, in the order the user set; entries without photos are absent', async () => {
  const [a, b, c] = [photo(1), photo(2), photo(3, false)]
  for (const p of [a, b]) await w.ok(ann.id, 'attachMedia', { entryId: first, photo: p })
  await w.ok(ann.id, 'attachMedia', { entryId: second, photo: c })
  await w.ok(ann.id, 'reorderMedia', { entryId: first, mediaIds: [b.id, a.id] })
  const photos = await photosOfEntries(w.db, ann.id, [first, second, newId()])
  expect([...photos.keys()].sort()).toEqual([first, second].sort())
  expect(photos.get(first)?.map((p) => p.mediaId)).toEqual([b.id, a.id])
  expect(photos.get(second)).toEqual([
    {
      mediaId: c.id,
      entryId: second,
      sha256: c.sha256,
      thumbSha256: null,
      width: 2048,
      height: 1536,
      ordinal: 0,
      uploaded: false,
      uploading: false,
      failed: null,
    },
  ])
  expect(await photosOfEntries(w.db, ann.id, [])).toEqual(new Map())
})

test('[M7] a photo is uploading while a blob of it is queued, failed with the reason a refusal gave, uploaded once the server says so', async () => {
  const [queuedImage, queuedThumb, refused, done] = [photo(1), photo(2), photo(3), photo(4)]
  for (const p of [queuedImage, queuedThumb, refused, done]) await w.ok(ann.id, 'attachMedia', { entryId: first, photo: p })
  await queue(queuedImage.sha256)
  await queue(queuedThumb.thumbSha256!)
  await queue(refused.sha256, 'The server refused this photo: it is not an image.')
  await queue(refused.thumbSha256!)
  await w.db.update(media).set({ uploadedAt: new Date() }).where(eq(media.id, done.id))
  const states = (await photosOfEntries(w.db, ann.id, [first]))
    .get(first)
    ?.map(({ uploaded, uploading, failed }) => ({ uploaded, uploading, failed }))
  expect(states).toEqual([
    { uploaded: false, uploading: true, failed: null },
    { uploaded: false, uploading: true, failed: null },
    { uploaded: false, uploading: true, failed: 'The server refused this photo: it is not an image.' },
    { uploaded: true, uploading: false, failed: null },
  ])
})

test('[M5] another user’s photos are not read, even of an entry id they name', async () => {
  await w.ok(ann.id, 'attachMedia', { entryId: first, photo: photo(1) })
  const bob = await w.user('Bob')
  expect(await photosOfEntries(w.db, bob.id, [first])).toEqual(new Map())
})

test('keepsPhotoLocation: off without a setting, as the user set it otherwise', async () => {
  expect(await keepsPhotoLocation(w.db, newId())).toBe(false)
  expect(await keepsPhotoLocation(w.db, ann.id)).toBe(false)
  await w.ok(ann.id, 'updateSettings', { keepPhotoLocation: true })
  expect(await keepsPhotoLocation(w.db, ann.id)).toBe(true)
  await w.db.update(userSettings).set({ keepPhotoLocation: null }).where(eq(userSettings.userId, ann.id))
  expect(await keepsPhotoLocation(w.db, ann.id)).toBe(false)
})
