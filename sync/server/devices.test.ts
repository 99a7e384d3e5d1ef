/**
 * SPEC P1: the server notes when each device was last seen (`devices.last_seen_at`, shown on the
 * settings page) on its pulls and pushes, at most once an hour. A write to `devices` is a change
 * in the user's scope that wakes every long-poll of the user's devices, so the tests watch the
 * change log and the long-polls: a device polling in a loop must not write a change per poll.
 * Devices talk to a PGlite server through the wire client and the handlers (`testing/harness`).
 */
import { sql } from 'drizzle-orm'
import { afterEach, beforeEach, expect, test } from 'vitest'
import { rows } from '@/db/rows'
import { newId } from '@/domain/ids'
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

test('[P1] a device is seen at its first request; its requests within the hour write nothing', async () => {
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

test('[P1] a device unseen for an hour is seen again at its next pull or push, once', async () => {
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

test('[P1] seeing a device wakes its user’s other long-polls once, and no long-poll wakes itself', async () => {
  const phone = ann.device()
  const laptop = ann.device()
  await phone.catchUp()
  await laptop.catchUp()
  await phone.catchUp() // the laptop's own registration
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
