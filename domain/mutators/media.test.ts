/**
 * attachMedia, detachMedia and reorderMedia on a device-schema and a server-schema PGlite
 * (sync/SPEC.md M5, M12): the photo's metadata is the argument, a photo goes with its last link,
 * and the order is what the user set.
 */
import { asc, eq } from 'drizzle-orm'
import { afterEach, describe, expect, test } from 'vitest'
import { testPglite } from '@/db/testing/pglite'
import * as s from '@/db/schema'
import { newId } from '../ids'
import { MAX_PHOTOS_PER_ENTRY } from '../media'
import { strengthActivity, world, type World } from '../testing/world'

let w: World | undefined
afterEach(async () => {
  await w?.close()
  w = undefined
})

const hex = (n: number) => n.toString(16).padStart(64, '0')
const photo = (n: number) => ({ id: newId(), sha256: hex(n), thumbSha256: hex(n + 1000), mimeType: 'image/jpeg' as const, byteSize: 1234 })

async function setUp(kind: 'server' | 'device') {
  w = world({ ...(await testPglite(kind)), runtime: kind })
  const ann = await w.user('Ann')
  const squat = strengthActivity(ann.libraryId, 'Squat')
  await w.ok(ann.id, 'createActivity', squat.args)
  const entryId = newId()
  await w.ok(ann.id, 'logEntry', {
    entry: {
      id: entryId,
      activityId: squat.ids.id,
      performedAt: '2026-11-12T07:30:00.000Z',
      values: { [squat.ids.weight]: 100, [squat.ids.reps]: 5 },
    },
  })
  return { w, ann, entryId }
}

const linksOf = (w: World, entryId: string) =>
  w.db.select().from(s.entryMedia).where(eq(s.entryMedia.entryId, entryId)).orderBy(asc(s.entryMedia.ordinal))

describe.each(['server', 'device'] as const)('on a %s schema', (kind) => {
  test('[M5] attaching writes the photo’s metadata, not uploaded, after the entry’s other photos', async () => {
    const { w, ann, entryId } = await setUp(kind)
    const first = photo(1)
    const second = { ...photo(2), width: 2048, height: 1536 }
    await w.ok(ann.id, 'attachMedia', { entryId, photo: first })
    await w.ok(ann.id, 'attachMedia', { entryId, photo: second })
    const [row] = await w.db.select().from(s.media).where(eq(s.media.id, second.id))
    expect(row).toMatchObject({ userId: ann.id, sha256: hex(2), thumbSha256: hex(1002), width: 2048, height: 1536, uploadedAt: null })
    expect((await linksOf(w, entryId)).map((l) => [l.mediaId, l.ordinal])).toEqual([
      [first.id, 0],
      [second.id, 1],
    ])
  })

  test('[M5] someone else’s entry is not found, and a bad hash or a non-image type is refused with its reason', async () => {
    const { w, ann, entryId } = await setUp(kind)
    const bob = await w.user('Bob')
    expect(await w.run(bob.id, 'attachMedia', { entryId, photo: photo(1) })).toMatchObject({ status: 'rejected', code: 'not_found' })
    const bad = await w.run(ann.id, 'attachMedia', { entryId, photo: { ...photo(1), sha256: 'ABC' } })
    expect(bad).toMatchObject({ status: 'rejected', code: 'invalid_args' })
    expect(bad.status === 'rejected' && bad.message).toMatch(/SHA-256/)
    const pdf = await w.run(ann.id, 'attachMedia', { entryId, photo: { ...photo(1), mimeType: 'application/pdf' as 'image/jpeg' } })
    expect(pdf).toMatchObject({ status: 'rejected', code: 'invalid_args' })
    expect(await w.db.select().from(s.media)).toEqual([])
  })

  test(`[M5] an entry holds at most ${MAX_PHOTOS_PER_ENTRY} photos`, async () => {
    const { w, ann, entryId } = await setUp(kind)
    for (let i = 0; i < MAX_PHOTOS_PER_ENTRY; i++) await w.ok(ann.id, 'attachMedia', { entryId, photo: photo(i) })
    const over = await w.run(ann.id, 'attachMedia', { entryId, photo: photo(99) })
    expect(over).toMatchObject({ status: 'rejected', code: 'invalid_args' })
  })

  test('[M12] removing a photo deletes it with its last link; deleting the entry deletes its photos', async () => {
    const { w, ann, entryId } = await setUp(kind)
    const [a, b] = [photo(1), photo(2)]
    await w.ok(ann.id, 'attachMedia', { entryId, photo: a })
    await w.ok(ann.id, 'attachMedia', { entryId, photo: b })
    await w.ok(ann.id, 'detachMedia', { entryId, mediaId: a.id })
    expect((await w.db.select().from(s.media)).map((m) => m.id)).toEqual([b.id])
    expect(await w.run(ann.id, 'detachMedia', { entryId, mediaId: a.id })).toMatchObject({ status: 'rejected', code: 'not_found' })
    await w.ok(ann.id, 'deleteEntry', { entryId })
    expect(await w.db.select().from(s.media)).toEqual([])
    expect(await w.db.select().from(s.entryMedia)).toEqual([])
  })

  test('[M5] reordering puts the named photos first, in that order; one it does not name keeps its place after them', async () => {
    const { w, ann, entryId } = await setUp(kind)
    const [a, b, c] = [photo(1), photo(2), photo(3)]
    for (const p of [a, b, c]) await w.ok(ann.id, 'attachMedia', { entryId, photo: p })
    // Another device attached `c` after this one read [a, b].
    await w.ok(ann.id, 'reorderMedia', { entryId, mediaIds: [b.id, a.id] })
    expect((await linksOf(w, entryId)).map((l) => l.mediaId)).toEqual([b.id, a.id, c.id])
    const twice = await w.run(ann.id, 'reorderMedia', { entryId, mediaIds: [a.id, a.id] })
    expect(twice).toMatchObject({ status: 'rejected', code: 'invalid_args' })
  })
})
