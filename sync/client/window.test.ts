/**
 * Storage windows (SPEC W1-W6): a device that keeps the last months of history, or a row budget,
 * holds exactly the workouts from its cut plus the last workout of each activity; the server cuts
 * snapshots and pulls to it, rows re-dated across the cut arrive and leave, narrowing never drops
 * a pending write's rows, widening fetches only the missing range, and the history endpoint
 * answers only the caller's own workouts.
 *
 * Harness: a server on PGlite behind the route handlers in process; each device is a real one
 * (its own PGlite, the SyncClient and the wire client), its requests recorded.
 */
import { sql } from 'drizzle-orm'
import { afterEach, beforeEach, expect, test } from 'vitest'
import { rows } from '@/db/rows'
import { testPglite } from '@/db/testing/pglite'
import type { Db } from '@/db/types'
import { newId } from '@/domain/ids'
import { serverRecordsFor, withServerRecords } from '@/domain/records'
import type { MutatorArgs } from '@/domain/mutators'
import { strengthActivity } from '@/domain/testing/world'
import { PROTOCOL_VERSION, syncPaths } from '../protocol'
import { historyPage } from '../server/history'
import { pull } from '../server/pull'
import { TEST_ORIGIN, handlerFetch } from '../server/testing/fetch'
import type { TestServer, TestUser } from '../server/testing/harness'
import { pgliteServer } from '../server/testing/pglite'
import { forgetBudgetCuts } from '../server/window'
import { activityRecordsOf, summaryRecords } from '@/db/queries/records'
import { heldRows } from '@/db/queries/window'
import { SyncClient, initDevice } from './client'
import { HttpTransport, type Fetch } from './transport'

let server: TestServer
let ann: TestUser
const closers: (() => Promise<void>)[] = []

beforeEach(async () => {
  server = await pgliteServer()
  ann = await server.user('Ann')
  forgetBudgetCuts()
})
afterEach(async () => {
  for (const close of closers.splice(0)) await close()
  await server.close()
})

const DAY = 86_400_000
const ago = (days: number) => new Date(Date.now() - days * DAY).toISOString()

/** One of Ann's devices, every request's path and query recorded. */
async function device(user = ann) {
  const local = await testPglite('device')
  closers.push(local.close)
  const deviceId = newId()
  await initDevice(local.db, { deviceId, userId: user.id })
  const requests: URL[] = []
  const through = handlerFetch(() => server.service, user.token)
  const recording: Fetch = (url, init) => {
    requests.push(new URL(url, TEST_ORIGIN))
    return through(url, init)
  }
  const client = new SyncClient({ db: local.db, transport: new HttpTransport({ fetch: recording }), deviceId, userId: user.id })
  return { client, db: local.db, requests, token: user.token }
}
type Device = Awaited<ReturnType<typeof device>>

/** A squat and a bench press in Ann's library, and a day that holds squats. */
async function activities(on: Device) {
  await on.client.sync()
  const squat = strengthActivity(ann.libraryId, 'Squat')
  const bench = strengthActivity(ann.libraryId, 'Bench')
  await on.client.mutate('createActivity', squat.args)
  await on.client.mutate('createActivity', bench.args)
  const day = newId()
  await on.client.mutate('createActivity', { id: day, libraryId: ann.libraryId, name: 'Leg day', kind: 'sequence', items: [] })
  return { squat: squat.ids, bench: bench.ids, day }
}
type Activities = Awaited<ReturnType<typeof activities>>

/** Logs a set of `activity` `days` ago; returns its entry id. */
async function log(on: Device, activity: Activities['squat'], days: number, reps = 5) {
  const id = newId()
  const entry: MutatorArgs<'logEntry'>['entry'] = {
    id,
    activityId: activity.id,
    performedAt: ago(days),
    values: { [activity.weight]: 100, [activity.reps]: reps },
  }
  await on.client.mutate('logEntry', { entry })
  return id
}

/** Logs a leg day of two squat sets `days` ago; returns the root's id and its sets' ids. */
async function logDay(on: Device, a: Activities, days: number) {
  const root = newId()
  const sets = [newId(), newId()]
  await on.client.mutate('logEntry', {
    entry: {
      id: root,
      activityId: a.day,
      performedAt: ago(days),
      children: sets.map((id) => ({ id, activityId: a.squat.id, values: { [a.squat.weight]: 120, [a.squat.reps]: 3 } })),
    },
  })
  return { root, sets }
}

const entryIds = async (db: Db) => new Set((await rows<{ id: string }>(db, sql`select id::text as id from entries`)).map((r) => r.id))
const valueCount = async (db: Db, entryId: string) =>
  (await rows<{ n: number }>(db, sql`select count(*)::int as n from entry_values where entry_id = ${entryId}`))[0]!.n

async function setWindow(by: Device, of: Device, window: MutatorArgs<'setDeviceWindow'>['window']) {
  await by.client.sync()
  await by.client.mutate('setDeviceWindow', { deviceId: of.client.deviceId, window })
  await by.client.sync()
}

test('[W1][W2] a windowed snapshot holds the window and the last workout of each activity, and says which window', async () => {
  const laptop = await device()
  const a = await activities(laptop)
  const recent = await log(laptop, a.squat, 20)
  const older = await log(laptop, a.squat, 60)
  const outside = await log(laptop, a.squat, 150)
  const benchOnly = await log(laptop, a.bench, 300)
  const day = await logDay(laptop, a, 40)
  await laptop.client.sync()

  const phone = await device()
  await phone.client.sync()
  await setWindow(phone, phone, { kind: 'months', months: 3 })
  // A new device with a window: its first snapshot is cut (W1).
  const fresh = await device()
  await fresh.client.sync()
  await setWindow(fresh, fresh, { kind: 'months', months: 3 })
  await fresh.client.refetch()
  const held = await entryIds(fresh.db)
  expect(held).toEqual(new Set([recent, older, benchOnly, day.root, ...day.sets]))
  expect(held.has(outside)).toBe(false)
  // A workout is never split: the leg day and both its sets, with their values (W1).
  for (const id of [...day.sets, benchOnly]) expect(await valueCount(fresh.db, id)).toBe(2)
  expect(fresh.client.status.window).toMatchObject({ setting: { kind: 'months', months: 3 }, filling: null })
  const from = new Date(fresh.client.status.window.from!)
  expect(Math.abs(from.getTime() - (Date.now() - 91 * DAY))).toBeLessThan(3 * DAY)
  expect(fresh.client.status.window.heldFrom).toBe(fresh.client.status.window.from)

  // The phone narrowed from everything by pull: it prunes to the same rows (W3).
  await phone.client.sync()
  expect(await entryIds(phone.db)).toEqual(held)
  // W6: the server's count of the window's rows is what the device holds.
  expect(await fresh.client.serverHistoryRows()).toBe((await heldRows(fresh.db)).history)
  expect(await laptop.client.serverHistoryRows()).toBe((await heldRows(laptop.db)).history)
  expect((await heldRows(laptop.db)).history).toBeGreaterThan((await heldRows(fresh.db)).history)
})

test('[W1] when the last workout of an activity is deleted, the device fetches the one before it', async () => {
  const laptop = await device()
  const a = await activities(laptop)
  await log(laptop, a.squat, 3)
  const first = await log(laptop, a.bench, 300)
  const last = await log(laptop, a.bench, 200)
  await laptop.client.sync()
  const phone = await device()
  await phone.client.sync()
  await setWindow(phone, phone, { kind: 'months', months: 3 })
  await phone.client.sync()
  expect((await entryIds(phone.db)).has(last)).toBe(true)
  expect((await entryIds(phone.db)).has(first)).toBe(false)

  await laptop.client.mutate('deleteEntry', { entryId: last })
  await laptop.client.sync()
  await phone.client.sync()
  const held = await entryIds(phone.db)
  expect(held.has(last)).toBe(false)
  expect(held.has(first)).toBe(true)
  expect(await valueCount(phone.db, first)).toBe(2)
})

test('[W2] a pull never sends an entry outside the window, and sends every delete', async () => {
  const laptop = await device()
  const a = await activities(laptop)
  await log(laptop, a.squat, 10)
  await laptop.client.sync()
  const phone = await device()
  await phone.client.sync()
  await setWindow(phone, phone, { kind: 'months', months: 3 })
  await phone.client.sync()
  const state = await rows<{ seq: string }>(phone.db, sql`select synced_seq::text as seq from local_sync_state`)
  const offset = Number(state[0]!.seq)

  // An old workout imported on the laptop, and a set inside the window.
  const old = await log(laptop, a.squat, 200)
  const inside = await log(laptop, a.squat, 5)
  await laptop.client.sync()
  const answer = await pull(server.db, { userId: ann.id, deviceId: phone.client.deviceId }, { offset, limit: 1000, v: PROTOCOL_VERSION })
  if (answer.type !== 'changes') throw new Error(answer.message)
  const values = answer.changes.filter((c) => c.table === 'entry_values').map((c) => c.key.entry_id)
  expect(values).toContain(inside)
  expect(values).not.toContain(old)
  expect(answer.window).toMatchObject({ kind: 'months', months: 3 })
  await phone.client.sync()
  // Its root came (roots always do, so re-dating is seen) and was pruned on arrival.
  expect((await entryIds(phone.db)).has(old)).toBe(false)
  expect((await entryIds(phone.db)).has(inside)).toBe(true)

  await laptop.client.mutate('deleteEntry', { entryId: inside })
  await laptop.client.sync()
  await phone.client.sync()
  expect((await entryIds(phone.db)).has(inside)).toBe(false)
})

test('[W4] a workout re-dated into the window arrives whole; one re-dated out of it leaves', async () => {
  const laptop = await device()
  const a = await activities(laptop)
  await log(laptop, a.squat, 1)
  const day = await logDay(laptop, a, 200)
  const inside = await logDay(laptop, a, 30)
  await laptop.client.sync()
  const phone = await device()
  await phone.client.sync()
  await setWindow(phone, phone, { kind: 'months', months: 3 })
  await phone.client.sync()
  expect((await entryIds(phone.db)).has(day.root)).toBe(false)

  await laptop.client.mutate('editEntry', { entryId: day.root, performedAt: ago(2) })
  await laptop.client.sync()
  await phone.client.sync()
  const held = await entryIds(phone.db)
  for (const id of [day.root, ...day.sets]) expect(held.has(id)).toBe(true)
  for (const id of day.sets) expect(await valueCount(phone.db, id)).toBe(2)
  const asked = phone.requests.filter((r) => r.pathname === syncPaths.history)
  expect(asked.map((r) => r.searchParams.get('roots'))).toContain(day.root)

  await laptop.client.mutate('editEntry', { entryId: inside.root, performedAt: ago(250) })
  await laptop.client.sync()
  await phone.client.sync()
  const after = await entryIds(phone.db)
  for (const id of [inside.root, ...inside.sets]) expect(after.has(id)).toBe(false)
  expect(await valueCount(phone.db, inside.sets[0]!)).toBe(0)
})

test('[W3] narrowing keeps a pending write’s rows until it is settled', async () => {
  const laptop = await device()
  const a = await activities(laptop)
  await log(laptop, a.squat, 1)
  const old = await log(laptop, a.squat, 200)
  await laptop.client.sync()
  const phone = await device()
  await phone.client.sync()
  expect((await entryIds(phone.db)).has(old)).toBe(true)

  // The phone edits the old set; before it pushes, the laptop narrows the phone's window.
  await phone.client.mutate('editEntry', { entryId: old, notes: 'felt heavy' })
  await setWindow(laptop, phone, { kind: 'months', months: 3 })
  await phone.client.pull()
  const [kept] = await rows<{ notes: string }>(phone.db, sql`select notes from entries where id = ${old}`)
  expect(kept?.notes).toBe('felt heavy')
  expect(await valueCount(phone.db, old)).toBe(2)

  // Settled, it goes, and the server kept the edit.
  await phone.client.sync()
  expect((await entryIds(phone.db)).has(old)).toBe(false)
  const [stored] = await rows<{ notes: string }>(server.db, sql`select notes from entries where id = ${old}`)
  expect(stored?.notes).toBe('felt heavy')
})

test('[W4] widening fetches exactly the missing range, in pages, without a snapshot', async () => {
  const laptop = await device()
  const a = await activities(laptop)
  const ids = []
  for (let days = 5; days <= 400; days += 15) ids.push({ id: await log(laptop, a.squat, days), days, at: ago(days) })
  await laptop.client.sync()
  const phone = await device()
  await phone.client.sync()
  await setWindow(phone, phone, { kind: 'months', months: 3 })
  await phone.client.sync()
  const narrow = await entryIds(phone.db)
  expect(narrow.size).toBe(ids.filter((e) => e.days < 90).length)
  const heldFrom = phone.client.status.window.heldFrom!
  phone.requests.length = 0

  await setWindow(phone, phone, { kind: 'months', months: 12 })
  await phone.client.sync()
  const wide = await entryIds(phone.db)
  expect(wide).toEqual(new Set(ids.filter((e) => e.at >= phone.client.status.window.from!).map((e) => e.id)))
  expect(wide.size).toBeGreaterThan(narrow.size + 10)
  expect(phone.client.status.window).toMatchObject({ setting: { kind: 'months', months: 12 }, filling: null })
  expect(phone.client.status.window.heldFrom).toBe(phone.client.status.window.from)
  const asked = phone.requests.filter((r) => r.pathname === syncPaths.history)
  expect(asked.length).toBeGreaterThan(0)
  // Every page asked for the range between the new cut and where the device's history began.
  for (const r of asked) {
    expect(r.searchParams.get('before')).toBe(heldFrom)
    expect(r.searchParams.get('from')).toBe(phone.client.status.window.from)
  }
  expect(phone.requests.filter((r) => r.pathname === syncPaths.snapshot)).toEqual([])

  // Everything: the rest comes the same way.
  await setWindow(phone, phone, { kind: 'all' })
  await phone.client.sync()
  expect(await entryIds(phone.db)).toEqual(new Set(ids.map((e) => e.id)))
  expect(phone.client.status.window).toMatchObject({ setting: { kind: 'all' }, from: null, heldFrom: null })
})

test('[W1] a row budget becomes a cut at a month boundary from the server’s counts', async () => {
  const laptop = await device()
  const a = await activities(laptop)
  // About 30 rows a month (ten sets of an entry and two values) for six months.
  const monthOf = (iso: string) => iso.slice(0, 7)
  const logged: { id: string; at: string }[] = []
  for (let i = 0; i < 60; i++) {
    const days = 3 + i * 3
    logged.push({ id: await log(laptop, a.squat, days), at: ago(days) })
  }
  await laptop.client.sync()
  const phone = await device()
  await phone.client.sync()
  await setWindow(phone, phone, { kind: 'rows', rows: 100 })
  await phone.client.sync()
  const window = phone.client.status.window
  expect(window.setting).toMatchObject({ kind: 'rows', rows: 100 })
  expect(window.from).toMatch(/-01T00:00:00.000Z$/)
  const held = await entryIds(phone.db)
  const expected = logged.filter((e) => e.at >= window.from!)
  // The months from the cut fit the budget; the month before would not have.
  expect(expected.length * 3).toBeLessThanOrEqual(100)
  const before = logged.filter((e) => e.at < window.from!)
  const previousMonth = monthOf(before[0]!.at)
  expect((expected.length + before.filter((e) => monthOf(e.at) === previousMonth).length) * 3).toBeGreaterThan(100)
  // The activity's latest set is inside the window, so nothing before the cut is kept.
  expect(held).toEqual(new Set(expected.map((e) => e.id)))
})

test('[W5][A2] the history endpoint answers the caller’s own workouts and refuses bad requests with 400', async () => {
  const laptop = await device()
  const a = await activities(laptop)
  const mine = await logDay(laptop, a, 100)
  await laptop.client.sync()
  const bob = await server.user('Bob')
  const bobs = await device(bob)
  await bobs.client.sync()
  const through = handlerFetch(() => server.service, ann.token)
  const get = (query: string) =>
    through(`${TEST_ORIGIN}${syncPaths.history}?v=${PROTOCOL_VERSION}&deviceId=${laptop.client.deviceId}&${query}`, {})
  const answer = await (await get(`roots=${mine.root},${newId()}`)).json()
  expect(answer.roots.map((r: { id: string }) => r.id)).toEqual([mine.root])
  expect(answer.tables.entries).toHaveLength(3)
  expect(answer.tables.entry_values).toHaveLength(4)
  // Bob names Ann's workout: it does not exist for him.
  const asBob = handlerFetch(() => server.service, bob.token)
  const his = await asBob(
    `${TEST_ORIGIN}${syncPaths.history}?v=${PROTOCOL_VERSION}&deviceId=${bobs.client.deviceId}&roots=${mine.root}`,
    {},
  )
  expect((await his.json()).roots).toEqual([])

  for (const bad of [
    '',
    `roots=${mine.root}&kept=1`,
    'roots=not-a-uuid',
    `roots=${Array.from({ length: 101 }, () => newId()).join(',')}`,
    'before=yesterday',
    `before=${ago(0)}&cursor=nonsense`,
    `before=${ago(0)}&limit=1000`,
    'count=2',
    `count=1&kept=1`,
  ]) {
    const response = await get(bad)
    expect(response.status, bad).toBe(400)
    expect((await response.json()).message, bad).toMatch(/^Invalid history/)
  }
  const anonymous = await handlerFetch(() => server.service, 'nobody')(
    `${TEST_ORIGIN}${syncPaths.history}?v=${PROTOCOL_VERSION}&deviceId=${newId()}&kept=1`,
    {},
  )
  expect(anonymous.status).toBe(401)
})

test('[W7] all-time records on a windowed device are the server’s, through deletes and new records', async () => {
  const laptop = await device()
  const a = await activities(laptop)
  const heavy = newId()
  await laptop.client.mutate('logEntry', {
    entry: { id: heavy, activityId: a.squat.id, performedAt: ago(200), values: { [a.squat.weight]: 140, [a.squat.reps]: 3 } },
  })
  await laptop.client.mutate('logEntry', {
    entry: { id: newId(), activityId: a.squat.id, performedAt: ago(150), values: { [a.squat.weight]: 120, [a.squat.reps]: 10 } },
  })
  await log(laptop, a.squat, 10, 8)
  await laptop.client.sync()
  const phone = await device()
  await phone.client.sync()
  await setWindow(phone, phone, { kind: 'months', months: 3 })
  await phone.client.sync()
  expect((await entryIds(phone.db)).has(heavy)).toBe(false)

  const brief = (list: { key: string; value: number; entryId: string; performedAt: Date }[]) =>
    list.map((r) => `${r.key}=${r.value}@${r.entryId}/${r.performedAt.toISOString()}`).sort()
  const shown = async () => {
    const heldFrom = phone.client.status.window.heldFrom
    return brief(
      withServerRecords(
        await activityRecordsOf(phone.db, ann.id, a.squat.id),
        serverRecordsFor(await summaryRecords(phone.db, ann.id, a.squat.id), heldFrom),
      ),
    )
  }
  const truth = async () => brief(await activityRecordsOf(server.db, ann.id, a.squat.id))
  // What the device alone would show is not the record: its history starts after it.
  expect(brief(await activityRecordsOf(phone.db, ann.id, a.squat.id))).not.toEqual(await truth())
  expect(await shown()).toEqual(await truth())
  expect((await shown()).find((r) => r.startsWith(`most:${a.squat.weight}=`))).toContain(`=140@${heavy}`)

  // The heaviest set is deleted elsewhere: the server recomputes, the device follows.
  await laptop.client.mutate('deleteEntry', { entryId: heavy })
  await laptop.client.sync()
  await phone.client.sync()
  expect(await shown()).toEqual(await truth())
  expect((await shown()).find((r) => r.startsWith(`most:${a.squat.weight}=`))).toContain('=120@')

  // A new record logged on the device shows at once, before it syncs, and is the server's after.
  const best = await log(phone, a.squat, 0, 30)
  expect((await shown()).find((r) => r.startsWith(`most:${a.squat.reps}=`))).toContain(`=30@${best}`)
  await phone.client.sync()
  expect(await shown()).toEqual(await truth())
})

test('[W5] a history answer is bounded in entries: a page stops early and says where to go on, named workouts come in turns', async () => {
  const laptop = await device()
  const a = await activities(laptop)
  const days = [await logDay(laptop, a, 100), await logDay(laptop, a, 110), await logDay(laptop, a, 120)]
  await laptop.client.sync()
  const who = { userId: ann.id, deviceId: laptop.client.deviceId }
  const base = { v: PROTOCOL_VERSION, deviceId: who.deviceId, limit: 50 }
  // Three entries a workout, a budget of four: one workout an answer (and always at least one).
  const first = await historyPage(server.db, who, { ...base, before: ago(0) }, { pageEntries: 4 })
  expect(first.roots.map((r) => r.id)).toEqual([days[0]!.root])
  expect(first.tables.entries).toHaveLength(3)
  expect(first.next).not.toBeNull()
  const second = await historyPage(server.db, who, { ...base, before: ago(0), cursor: first.next! }, { pageEntries: 4 })
  expect(second.roots.map((r) => r.id)).toEqual([days[1]!.root])
  const named = await historyPage(server.db, who, { ...base, roots: days.map((d) => d.root) }, { pageEntries: 7 })
  expect(named.roots).toHaveLength(2)
  expect(named.next).not.toBeNull()
  const all = await historyPage(server.db, who, { ...base, roots: days.map((d) => d.root) })
  expect(all.roots).toHaveLength(3)
  expect(all.next).toBeNull()
})
