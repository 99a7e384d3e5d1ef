/**
 * SPEC P1: the server notes when each device last synced (`devices.last_seen_at`, shown on the
 * settings page as "Last synced") when one of its pulls is answered or pushes settles, at most
 * once every ten minutes. A write to `devices` is a change
 * in the user's scope that wakes every long-poll of the user's devices, so the tests watch the
 * change log and the long-polls: a device polling in a loop must not write a change per poll.
 * Devices talk to a PGlite server through the wire client and the handlers (`testing/harness`).
 */
import { sql } from 'drizzle-orm'
import { afterEach, beforeEach, expect, test } from 'vitest'
import { rows } from '@/db/rows'
import { newId } from '@/domain/ids'
import { syncPaths } from '@/sync/protocol'
import { LAST_SYNCED_EVERY_MS } from './devices'
import { handlerFetch } from './testing/fetch'
import type { TestDevice, TestServer, TestUser } from './testing/harness'
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

async function lastSeen(device: TestDevice): Promise<Date | null> {
  const [row] = await rows<{ at: string | null }>(server.db, sql`select last_seen_at::text as at from devices where id = ${device.id}`)
  return row?.at ? new Date(row.at) : null
}

/** Changes the log holds for the device's row. */
async function deviceChanges(device: TestDevice): Promise<number> {
  const [row] = await rows<{ n: number }>(
    server.db,
    sql`select count(*)::int as n from change_log where table_name = 'devices' and key->>'id' = ${device.id}`,
  )
  return row!.n
}

/** As if the device had last been seen `hours` ago: the capture triggers are off for this write. */
async function seenHoursAgo(device: TestDevice, hours: number) {
  await server.db.transaction(async (tx) => {
    await tx.execute(sql`set local session_replication_role = replica`)
    await tx.execute(sql`update devices set last_seen_at = now() - ${hours} * interval '1 hour' where id = ${device.id}`)
  })
}

test('[P1] a device has synced at its first answered pull; its requests within ten minutes write nothing', async () => {
  const phone = ann.device()
  await phone.catchUp()
  const first = await lastSeen(phone)
  expect(Math.abs(first!.getTime() - Date.now())).toBeLessThan(60_000)
  const changes = await deviceChanges(phone)
  for (let i = 0; i < 5; i++) await phone.pullOnce({ waitMs: 10 })
  await phone.snapshot()
  expect(await lastSeen(phone)).toEqual(first)
  expect(await deviceChanges(phone)).toBe(changes)
})

test('[P1] a device that last synced over ten minutes ago is noted again at its next pull or push, once', async () => {
  const phone = ann.device()
  await phone.catchUp()
  await seenHoursAgo(phone, 2)
  const changes = await deviceChanges(phone)
  const before = Date.now()
  await phone.pullOnce()
  const seen = await lastSeen(phone)
  expect(seen!.getTime()).toBeGreaterThan(before - 60_000)
  expect(await deviceChanges(phone)).toBe(changes + 1)
  await phone.pullOnce()
  expect(await deviceChanges(phone)).toBe(changes + 1)

  await seenHoursAgo(phone, 2)
  await phone.mutate('createTag', { id: newId(), name: 'Heavy' })
  expect((await lastSeen(phone))!.getTime()).toBeGreaterThan(before - 60_000)
})

test('[P1] the throttle is ten minutes: 9 minutes old is kept, 11 minutes old is written', async () => {
  expect(LAST_SYNCED_EVERY_MS).toBe(10 * 60_000)
  const phone = ann.device()
  await phone.catchUp()
  await seenHoursAgo(phone, 9 / 60)
  const kept = await lastSeen(phone)
  await phone.pullOnce()
  expect(await lastSeen(phone)).toEqual(kept)
  await seenHoursAgo(phone, 11 / 60)
  await phone.pullOnce()
  expect(Date.now() - (await lastSeen(phone))!.getTime()).toBeLessThan(60_000)
})

test('[P1] a request that fails is not a sync: a push refused for its protocol version writes nothing', async () => {
  const phone = ann.device()
  await phone.catchUp()
  await seenHoursAgo(phone, 2)
  const before = await lastSeen(phone)
  const refused = await handlerFetch(() => phone.service, ann.token)(syncPaths.push, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ protocolVersion: 0, deviceId: phone.id, mutations: [] }),
  })
  expect(refused.status).not.toBe(200)
  expect(await lastSeen(phone)).toEqual(before)
})

test('[P1] the last sync time reaches the user’s other devices as a row of `devices`', async () => {
  const phone = ann.device()
  const laptop = ann.device()
  await phone.catchUp()
  await laptop.catchUp()
  const synced = await lastSeen(phone)
  const row = [...laptop.replica.rows.values()].find((r) => r.table === 'devices' && r.row.id === phone.id)
  expect(new Date(String(row!.row.lastSeenAt ?? row!.row.last_seen_at)).getTime()).toBe(synced!.getTime())
})

test('[P1] seeing a device wakes its user’s other long-polls once, and no long-poll wakes itself', async () => {
  const phone = ann.device()
  const laptop = ann.device()
  await phone.catchUp()
  await laptop.catchUp()
  await phone.catchUp() // the laptop's own registration
  await laptop.catchUp() // the laptop's own first sync, noted after its first pull read
  await seenHoursAgo(phone, 2)

  const woken = laptop.pullOnce({ waitMs: 10_000 })
  // The phone's pull writes its last_seen_at and gets that change straight back.
  const own = await phone.pullOnce({ waitMs: 10_000 })
  expect(own.type === 'changes' && own.changes.map((c) => [c.table, c.key.id])).toEqual([['devices', phone.id]])
  const other = await woken
  expect(other.type === 'changes' && other.changes.map((c) => [c.table, c.key.id])).toEqual([['devices', phone.id]])

  // Both poll again: nothing wakes either before its wait ends.
  const started = performance.now()
  const [again, laptopAgain] = await Promise.all([phone.pullOnce({ waitMs: 300 }), laptop.pullOnce({ waitMs: 300 })])
  expect(performance.now() - started).toBeGreaterThanOrEqual(250)
  expect([again, laptopAgain].map((r) => r.type === 'changes' && r.changes.length)).toEqual([0, 0])
})
