/**
 * What the photo tests of the device share: JPEG-looking blobs, and a device database holding
 * one user and one entry of theirs, with a SyncClient over it that is never started (its `mutate`
 * writes the outbox; a test "pushes" by deleting outbox rows).
 */
import { testPglite, type TestPglite } from '@/db/testing/pglite'
import { newId } from '@/domain/ids'
import { sha256Hex } from '@/domain/media'
import { strengthActivity, world } from '@/domain/testing/world'
import type { PreparedBlob, PreparedPhoto } from '@/media/prepare'
import { SyncClient, initDevice } from '../client'
import type { Transport } from '../transport'

/** A JPEG-looking blob of `size` bytes (its magic number, then bytes from `seed`), different for each `seed`. */
export async function blobOf(seed: number, size: number): Promise<PreparedBlob> {
  const bytes = new Uint8Array(size)
  for (let i = 0; i < size; i++) bytes[i] = (seed * 31 + i * 7) & 0xff
  bytes.set([0xff, 0xd8, 0xff, 0xe0, seed & 0xff, (seed >> 8) & 0xff])
  return { bytes, sha256: await sha256Hex(bytes), mimeType: 'image/jpeg' }
}

/** A prepared photo of two such blobs. */
export async function photoOf(seed: number, { image = 4000, thumbnail = 500 } = {}): Promise<PreparedPhoto> {
  return { image: await blobOf(seed * 2, image), thumbnail: await blobOf(seed * 2 + 1, thumbnail), width: 2048, height: 1536 }
}

/** A sync transport for tests that never sync. */
export const noSync: Transport = {
  push: () => Promise.reject(new Error('not in this test')),
  pull: () => Promise.reject(new Error('not in this test')),
  snapshot: () => Promise.reject(new Error('not in this test')),
}

/** A device database with Ann, a Squat of hers and one entry of it, as the server's rows would arrive. */
export async function deviceWithEntry(): Promise<{ local: TestPglite; client: SyncClient; userId: string; entryId: string }> {
  const local = await testPglite('device')
  const w = world({ ...local, runtime: 'device' })
  const ann = await w.user('Ann')
  const squat = strengthActivity(ann.libraryId, 'Squat')
  await w.ok(ann.id, 'createActivity', squat.args)
  const entryId = newId()
  await w.ok(ann.id, 'logEntry', {
    entry: { id: entryId, activityId: squat.ids.id, performedAt: '2026-11-12T07:30:00.000Z', values: { [squat.ids.reps]: 5 } },
  })
  await initDevice(local.db, { deviceId: newId(), userId: ann.id })
  const client = new SyncClient({ db: local.db, transport: noSync, deviceId: newId(), userId: ann.id })
  return { local, client, userId: ann.id, entryId }
}
