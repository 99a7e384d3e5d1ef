/**
 * The device half of sync, step by step. Each device has its own PGlite (device schema) and a
 * sync client; the server is a real sync server on PGlite, reached through the device's wire
 * client (`HttpTransport`) with its `fetch` routed to the HTTP handlers in process. With the
 * scripted fetch every request waits until the test delivers, drops, duplicates or reorders it,
 * and the test asserts after each step on what the device's user would see.
 */
import { sql } from 'drizzle-orm'
import { afterEach, beforeEach, expect, test, vi } from 'vitest'
import { rows } from '@/db/rows'
import type { Db } from '@/db/types'
import { MutationError } from '@/domain/errors'
import { newId } from '@/domain/ids'
import { strengthActivity } from '@/domain/testing/world'
import { compact } from '../server/compact'
import type { TestServer, TestUser } from '../server/testing/harness'
import { pgliteServer } from '../server/testing/pglite'
import { testClient } from './testing/device'

let server: TestServer
let ann: TestUser
let bob: TestUser
const closers: (() => Promise<void>)[] = []
beforeEach(async () => {
  server = await pgliteServer()
  ann = await server.user('Ann')
  bob = await server.user('Bob')
})
afterEach(async () => {
  for (const close of closers.splice(0)) await close()
  await server.close()
})

async function device(user: TestUser, options: Parameters<typeof testClient>[2] = {}) {
  const d = await testClient(server, user, options)
  closers.push(d.close)
  return d
}

const at = '2026-11-20T07:30:00.000Z'
const names = async (db: Db, table: string) =>
  (await rows<{ name: string }>(db, sql`select name from ${sql.identifier(table)} order by name`)).map((r) => r.name)

/** Ann's phone and laptop, both synced, with a squat the phone created. */
async function phoneAndLaptop() {
  const phone = await device(ann)
  const laptop = await device(ann)
  const squat = strengthActivity(ann.libraryId)
  await phone.client.sync()
  await phone.client.mutate('createActivity', squat.args)
  await phone.client.sync()
  await laptop.client.sync()
  return { phone, laptop, squat }
}

test('[B1] a mutation changes the device at once and is queued in the same transaction; a refused one queues nothing', async () => {
  const { client, db } = await device(ann)
  await client.sync()
  await client.mutate('createTag', { id: newId(), name: 'Heavy' })
  expect(await names(db, 'tags')).toEqual(['Heavy'])
  expect(client.status.pending).toBe(1)
  await expect(client.mutate('createTag', { id: newId(), name: 'Heavy' })).rejects.toBeInstanceOf(MutationError)
  expect(client.status.pending).toBe(1)
  expect(await names(db, 'tags')).toEqual(['Heavy'])
})

test('[B1] a status read that began before a write committed does not undo its count: no "all synced" beside the new row', async () => {
  const { client, db } = await device(ann)
  await client.sync()
  const seen: number[] = []
  client.subscribe(() => seen.push(client.status.pending))
  // The status read counts the outbox before the write, and its answer arrives after it.
  let release!: () => void
  const released = new Promise<void>((resolve) => (release = resolve))
  let counted!: () => void
  const countDone = new Promise<void>((resolve) => (counted = resolve))
  type Query = PromiseLike<unknown> & object
  const select = db.select.bind(db) as unknown as (...args: unknown[]) => { from: (...args: unknown[]) => Query }
  let delayNext = true
  vi.spyOn(db, 'select').mockImplementation(((...args: unknown[]) => {
    const builder = select(...args)
    if (!delayNext) return builder
    delayNext = false
    const from = builder.from.bind(builder)
    return Object.assign(builder, {
      from: (...fromArgs: unknown[]) => {
        const query = from(...fromArgs)
        const then = query.then.bind(query)
        return Object.assign(query, {
          then: (ok: (v: unknown) => unknown, fail: (e: unknown) => unknown) =>
            then(async (v) => (counted(), await released, v)).then(ok, fail),
        })
      },
    })
  }) as never)
  const reading = client.refreshStatus()
  await countDone
  await client.mutate('createTag', { id: newId(), name: 'Heavy' })
  release()
  await reading
  vi.restoreAllMocks()
  // Once counted, the write is never shown as synced: nothing was pushed.
  expect(seen).toContain(1)
  expect(seen.slice(seen.indexOf(1))).not.toContain(0)
  expect(client.status.pending).toBe(1)
})

test('[B3][B5] an acknowledged write leaves the outbox once the synced offset passes its ack', async () => {
  const { client, db, wire } = await device(ann, { scripted: true })
  const syncing = client.refetch()
  await wire.waitFor(1)
  await wire.deliver()
  await syncing
  await client.mutate('createTag', { id: newId(), name: 'PR' })
  const pushing = client.push()
  await wire.waitFor(1)
  await wire.deliver()
  expect(await pushing).toBe(1)
  // The push answered, but the write stays until the stream brings its result.
  expect((await client.refreshStatus()).pending).toBe(1)
  const pulling = client.pull()
  await wire.waitFor(1)
  await wire.deliver()
  await pulling
  expect(client.status.pending).toBe(0)
  expect(await names(db, 'tags')).toEqual(['PR'])
})

test('[B2] pending writes are replayed on top of new server state', async () => {
  const { phone, laptop, squat } = await phoneAndLaptop()
  // The phone logs offline; meanwhile the laptop renames the activity.
  phone.net.online = false
  const entry = newId()
  await phone.client.mutate('logEntry', {
    entry: { id: entry, activityId: squat.ids.id, performedAt: at, values: { [squat.ids.reps]: 5 } },
  })
  await laptop.client.mutate('renameActivity', { activityId: squat.ids.id, name: 'Pause squat' })
  await laptop.client.sync()
  await expect(phone.client.push()).rejects.toThrow(/cannot be reached/)
  expect(phone.client.status.online).toBe(false)
  phone.net.online = true
  await phone.client.pull()
  expect(await names(phone.db, 'activities')).toEqual(['Pause squat'])
  expect((await rows(phone.db, sql`select id from entries`)).length).toBe(1)
  expect(phone.client.status.pending).toBe(1)
  await phone.client.sync()
  expect(phone.client.status.pending).toBe(0)
  await laptop.client.sync()
  expect((await rows<{ id: string }>(laptop.db, sql`select id from entries`)).map((r) => r.id)).toEqual([entry])
})

const undoIds = async (db: Db) =>
  (await rows<{ id: string }>(db, sql`select id::text as id from local_undo order by local_undo.id`)).map((r) => r.id)

test('[B11] a batch that touches nothing a pending write touched goes in beside it, without a revert and replay', async () => {
  const { phone, laptop, squat } = await phoneAndLaptop()
  phone.net.online = false
  const mine = newId()
  await phone.client.mutate('logEntry', { entry: { id: mine, activityId: squat.ids.id, performedAt: at, values: { [squat.ids.reps]: 5 } } })
  const recorded = await undoIds(phone.db)
  expect(recorded.length).toBeGreaterThan(0)
  // The laptop logs another entry and a tag: rows the phone's pending write never touched.
  const theirs = newId()
  await laptop.client.mutate('logEntry', {
    entry: { id: theirs, activityId: squat.ids.id, performedAt: at, values: { [squat.ids.reps]: 8 } },
  })
  await laptop.client.mutate('createTag', { id: newId(), name: 'Heavy' })
  await laptop.client.sync()

  phone.net.online = true
  await phone.client.pull()
  // Nothing was reverted and replayed: the undo log is the one the write recorded, not a new one.
  expect(await undoIds(phone.db)).toEqual(recorded)
  expect((await rows<{ id: string }>(phone.db, sql`select id from entries order by id`)).map((r) => r.id).sort()).toEqual(
    [mine, theirs].sort(),
  )
  expect(await names(phone.db, 'tags')).toEqual(['Heavy'])
  expect(phone.client.status.pending).toBe(1)
  // The write's own result then comes back with its rows: that batch rebases as usual.
  await phone.client.sync()
  expect(phone.client.status.pending).toBe(0)
  expect(await undoIds(phone.db)).toEqual([])
  await laptop.client.sync()
  expect((await rows<{ id: string }>(laptop.db, sql`select id from entries`)).length).toBe(2)
})

test('[B16] the results of the oldest pending writes settle beside the later ones, without a revert and replay', async () => {
  // One mutation a push and one server transaction a pull: each pull settles the oldest write.
  const phone = await device(ann, { pushBatch: 1, pullLimit: 1 })
  const laptop = await device(ann)
  const squat = strengthActivity(ann.libraryId)
  await phone.client.sync()
  await phone.client.mutate('createActivity', squat.args)
  await phone.client.sync()
  const ids = [newId(), newId(), newId()]
  for (const [i, id] of ids.entries()) {
    await phone.client.mutate('logEntry', { entry: { id, activityId: squat.ids.id, performedAt: at, values: { [squat.ids.reps]: 5 + i } } })
  }
  const recorded = await undoIds(phone.db)
  const perWrite = recorded.length / 3
  await phone.client.push()
  expect(phone.client.status.pending).toBe(3)

  await phone.client.pull()
  // The first write is settled; the other two kept the undo records their first run made.
  expect(phone.client.status.pending).toBe(2)
  expect(await undoIds(phone.db)).toEqual(recorded.slice(perWrite))
  await phone.client.pull()
  expect(await undoIds(phone.db)).toEqual(recorded.slice(2 * perWrite))
  await phone.client.sync()
  expect(phone.client.status.pending).toBe(0)
  expect(await undoIds(phone.db)).toEqual([])
  await laptop.client.sync()
  const reps = async (db: Db) =>
    (await rows<{ id: string; num: number }>(db, sql`select entry_id as id, num from entry_values order by entry_id`)).map(
      (r) => `${r.id}:${r.num}`,
    )
  expect(await reps(phone.db)).toEqual(await reps(laptop.db))
  expect(await reps(phone.db)).toHaveLength(3)
})

test("[B16][B2] a later pending write that touched a settled write's rows is replayed on the server's images", async () => {
  const phone = await device(ann, { pushBatch: 1, pullLimit: 1 })
  const squat = strengthActivity(ann.libraryId)
  await phone.client.sync()
  await phone.client.mutate('createActivity', squat.args)
  await phone.client.sync()
  const id = newId()
  await phone.client.mutate('logEntry', { entry: { id, activityId: squat.ids.id, performedAt: at, values: { [squat.ids.reps]: 5 } } })
  await phone.client.mutate('editEntry', { entryId: id, notes: 'felt easy' })
  const recorded = await undoIds(phone.db)
  await phone.client.push()
  await phone.client.pull()
  expect(phone.client.status.pending).toBe(1)
  // Rebased: the edit ran again, recorded afresh, on the entry as the server stored it.
  const rerecorded = await undoIds(phone.db)
  expect(rerecorded.some((r) => recorded.includes(r))).toBe(false)
  const [entry] = await rows<{ notes: string }>(phone.db, sql`select notes from entries where id = ${id}`)
  expect(entry?.notes).toBe('felt easy')
  await phone.client.sync()
  expect(phone.client.status.pending).toBe(0)
})

test('[B11][B2] a batch that changes a row a pending write touched is applied by revert and replay', async () => {
  const { phone, laptop, squat } = await phoneAndLaptop()
  phone.net.online = false
  // Both rename the same activity; the phone's is pending when the laptop's arrives.
  await phone.client.mutate('renameActivity', { activityId: squat.ids.id, name: 'Front squat' })
  const recorded = await undoIds(phone.db)
  await laptop.client.mutate('renameActivity', { activityId: squat.ids.id, name: 'Pause squat' })
  await laptop.client.sync()
  phone.net.online = true
  await phone.client.pull()
  // Replayed on top of the laptop's rename: the phone's pending rename shows, recorded afresh.
  expect(await names(phone.db, 'activities')).toEqual(['Front squat'])
  const rerecorded = await undoIds(phone.db)
  expect(rerecorded).toHaveLength(recorded.length)
  expect(rerecorded).not.toEqual(recorded)
  const [before] = await rows<{ name: string }>(phone.db, sql`select before->>'name' as name from local_undo`)
  expect(before?.name).toBe('Pause squat')
  await phone.client.sync()
  await laptop.client.sync()
  expect(await names(laptop.db, 'activities')).toEqual(['Front squat'])
})

test('[B11][B2] a batch beside pending writes may take a name they freed; the later rebase still reverts cleanly', async () => {
  const phone = await device(ann)
  const laptop = await device(ann)
  await phone.client.sync()
  await laptop.client.sync()
  // Offline, the phone makes a tag "Heavy" and deletes it again: both writes pending.
  phone.net.online = false
  const mine = newId()
  await phone.client.mutate('createTag', { id: mine, name: 'Heavy' })
  await phone.client.mutate('deleteTag', { tagId: mine })
  // The laptop's own "Heavy" reaches the server first, and the phone pulls it beside its writes.
  const theirs = newId()
  await laptop.client.mutate('createTag', { id: theirs, name: 'Heavy' })
  await laptop.client.sync()
  phone.net.online = true
  await phone.client.pull()
  expect(await names(phone.db, 'tags')).toEqual(['Heavy'])
  // The phone's writes are refused (the name is taken, then there is nothing to delete); their
  // results rebase the phone, whose revert must not bring its "Heavy" back beside the laptop's.
  await phone.client.sync()
  expect(phone.client.status.pending).toBe(0)
  expect((await rows<{ id: string }>(phone.db, sql`select id from tags`)).map((r) => r.id)).toEqual([theirs])
  expect(phone.client.status.rejected.map((r) => r.code)).toEqual(['conflict', 'not_found'])
})

test('[P2][B5] a lost push, a lost answer and a duplicated push each end with the write applied exactly once', async () => {
  const { client, db, wire } = await device(ann, { scripted: true })
  let step: Promise<unknown> = client.refetch()
  await wire.waitFor(1)
  await wire.deliver()
  await step
  await client.mutate('createTag', { id: newId(), name: 'A' })
  await client.mutate('createTag', { id: newId(), name: 'B' })

  step = client.push()
  await wire.waitFor(1)
  await wire.dropRequest()
  await expect(step).rejects.toThrow(/cannot be reached/)
  expect(await rows(server.db, sql`select 1 from tags`)).toHaveLength(0)

  step = client.push()
  await wire.waitFor(1)
  await wire.dropResponse()
  await expect(step).rejects.toThrow(/cannot be reached/)
  expect(await rows(server.db, sql`select 1 from tags`)).toHaveLength(2)

  step = client.push()
  await wire.waitFor(1)
  await wire.duplicate()
  await step
  expect(await rows(server.db, sql`select 1 from tags`)).toHaveLength(2)

  step = client.pull()
  await wire.waitFor(1)
  await wire.deliver()
  await step
  expect(client.status.pending).toBe(0)
  expect(await names(db, 'tags')).toEqual(['A', 'B'])
})

test('[B4] a rejected write is reported with its reason; a later write that depended on it is rejected too', async () => {
  const phone = await device(ann)
  const laptop = await device(ann)
  await phone.client.sync()
  const squat = strengthActivity(ann.libraryId)
  await phone.client.mutate('createActivity', squat.args)
  const entry = newId()
  await phone.client.mutate('logEntry', {
    entry: { id: entry, activityId: squat.ids.id, performedAt: at, values: { [squat.ids.reps]: 5 } },
  })
  await phone.client.sync()
  await laptop.client.sync()
  // Both devices create a tag called "PR" offline; the laptop's reaches the server first.
  const phoneTag = newId()
  await phone.client.mutate('createTag', { id: phoneTag, name: 'PR' })
  await phone.client.mutate('tagEntry', { entryId: entry, tagId: phoneTag })
  await laptop.client.mutate('createTag', { id: newId(), name: 'PR' })
  await laptop.client.sync()
  await phone.client.sync()
  const status = await phone.client.refreshStatus()
  expect(status.pending).toBe(0)
  expect(status.rejected.map((r) => [r.name, r.code, r.message])).toEqual([
    ['createTag', 'conflict', 'You have a tag called "PR" already.'],
    ['tagEntry', 'not_found', 'The tag was not found, or is not shared with you.'],
  ])
  // The device shows the server's truth: one "PR" tag (the laptop's), nothing tagged.
  expect(await names(phone.db, 'tags')).toEqual(['PR'])
  expect(await rows(phone.db, sql`select * from entry_tags`)).toEqual([])
  await phone.client.dismissRejection(status.rejected[0]!.mutationId)
  expect((await phone.client.refreshStatus()).rejected).toHaveLength(1)
})

test('[B6][C2] a device behind the horizon refetches and keeps its pending writes', async () => {
  const phone = await device(ann)
  const laptop = await device(ann)
  await phone.client.sync()
  await laptop.client.sync()
  phone.net.online = false
  await phone.client.mutate('createTag', { id: newId(), name: 'Offline' })
  for (let i = 0; i < 3; i++) await laptop.client.mutate('createTag', { id: newId(), name: `L${i}` })
  await laptop.client.sync()
  const { horizon } = await compact(server.db, { keepDays: 0, keepTransactions: 0, now: new Date(Date.now() + 1000) })
  expect(horizon).toBeGreaterThan(0)
  phone.net.online = true
  await phone.client.pull()
  expect(await names(phone.db, 'tags')).toEqual(['L0', 'L1', 'L2', 'Offline'])
  expect(phone.client.status.pending).toBe(1)
  await phone.client.sync()
  await laptop.client.sync()
  expect(await names(laptop.db, 'tags')).toEqual(['L0', 'L1', 'L2', 'Offline'])
})

test('[S3][B7] losing a library deletes its rows from the device and rejects a pending write into it', async () => {
  const annPhone = await device(ann)
  const bobPhone = await device(bob)
  const squat = strengthActivity(ann.libraryId)
  await annPhone.client.sync()
  await annPhone.client.mutate('createActivity', squat.args)
  const inviteId = newId()
  await annPhone.client.mutate('shareLibrary', { inviteId, libraryId: ann.libraryId, email: bob.email, role: 'editor' })
  await annPhone.client.sync()
  // S4: Bob's device cannot see the invitation (it is in Ann's library); it queues his yes (B10).
  await bobPhone.client.mutate('acceptInvitation', { inviteId }, { queueIfNotFound: true })
  await bobPhone.client.sync()
  await annPhone.client.sync()
  expect(await names(bobPhone.db, 'activities')).toEqual(['Back squat'])
  bobPhone.net.online = false
  await bobPhone.client.mutate('renameActivity', { activityId: squat.ids.id, name: 'Bob’s squat' })
  expect(await names(bobPhone.db, 'activities')).toEqual(['Bob’s squat'])
  await annPhone.client.mutate('revokeMember', { libraryId: ann.libraryId, userId: bob.id })
  await annPhone.client.sync()
  bobPhone.net.online = true
  await bobPhone.client.sync()
  expect(await names(bobPhone.db, 'activities')).toEqual([])
  expect((await rows<{ id: string }>(bobPhone.db, sql`select id from libraries`)).map((l) => l.id)).toEqual([bob.libraryId])
  const status = await bobPhone.client.refreshStatus()
  expect(status.rejected.map((r) => [r.name, r.code])).toEqual([['renameActivity', 'not_found']])
  expect(status.pending).toBe(0)
})

test('[B2] an interrupted snapshot leaves the device as it was, pending writes included', async () => {
  const { client, db, net } = await device(ann)
  await client.sync()
  await client.mutate('createTag', { id: newId(), name: 'Kept' })
  const before = await rows(db, sql`select * from tags`)
  // The network drops after the first line of the snapshot.
  net.cutAfter = 1
  await expect(client.refetch()).rejects.toThrow(/interrupted/)
  expect(await rows(db, sql`select * from tags`)).toEqual(before)
  expect((await client.refreshStatus()).pending).toBe(1)
  await client.sync()
  expect(await names(db, 'tags')).toEqual(['Kept'])
  expect(client.status.pending).toBe(0)
})

test('[B10] copying a public activity the device cannot see is queued for the server, applied there, and the copy arrives', async () => {
  const squat = strengthActivity(bob.libraryId, 'Catalogue squat')
  const bobDevice = bob.device()
  await bobDevice.mutate('createActivity', squat.args)
  await bobDevice.mutate('publishLibrary', { libraryId: bob.libraryId })
  const { client, db } = await device(ann)
  await client.sync()
  const copy = { id: newId(), sourceActivityId: squat.ids.id, libraryId: ann.libraryId }
  // Without the option the device refuses what it cannot see, and queues nothing.
  await expect(client.mutate('addActivityToLibrary', copy)).rejects.toBeInstanceOf(MutationError)
  expect(client.status.pending).toBe(0)
  await client.mutate('addActivityToLibrary', copy, { queueIfNotFound: true })
  expect(client.status.pending).toBe(1)
  await client.sync()
  expect(client.status.pending).toBe(0)
  expect(client.status.rejected).toEqual([])
  expect(await names(db, 'activities')).toEqual(['Catalogue squat'])
})

async function until(what: string, condition: () => boolean, ms = 10_000) {
  const deadline = performance.now() + ms
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting until ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
}

test('[B6] a snapshot this device fails to store is a local error in the status, not the network’s, and is tried again only after the longest back-off', async () => {
  const { client, db } = await device(ann)
  // The device's own database refuses what the server sends (a bug of the app, a damaged store).
  await db.execute(sql`alter table tags add constraint broken check (name = '')`)
  await ann.device().mutate('createTag', { id: newId(), name: 'Heavy' })
  let attempts = 0
  let loading = false
  client.subscribe(() => {
    if (client.status.loading && !loading) attempts++
    loading = client.status.loading !== null
  })
  client.start({ maxBackoffMs: 60_000 })
  try {
    await until('the failure is reported', () => client.status.localError !== null)
    expect(client.status).toMatchObject({
      online: true,
      incompatible: null,
      localError: expect.stringMatching(
        /^This device could not store what it synced \(.*violates check constraint "broken"\)\. Your changes are kept/,
      ),
    })
    // Trying again at once would fail the same way: the loop waits as long as it ever does.
    await new Promise((resolve) => setTimeout(resolve, 1500))
    expect(attempts).toBe(1)
    // Once the device can store it (the next app version, say), a kick syncs and clears the error.
    await db.execute(sql`alter table tags drop constraint broken`)
    client.kick()
    await until('the device syncs', () => client.status.localError === null && client.status.lastSyncedAt !== null)
    expect(await names(db, 'tags')).toEqual(['Heavy'])
    expect(attempts).toBe(2)
  } finally {
    await client.stop()
  }
})
