/**
 * Several server instances on one PostgreSQL (SPEC A6). Two Node processes each run the app's
 * composition root (`server/index.ts`: configuration from the environment, migrations, pool,
 * better-auth, one LISTEN) behind a small `node:http` adapter to the route handlers
 * (`testing/instance.ts`), on one fresh database that both migrate at once as they start. Nothing
 * links the two processes but PostgreSQL: sessions are rows in it, a push commits in it, and a
 * long-poll on the other process learns of that commit only from the `cadence_log` NOTIFY (L5).
 *
 * Devices are the real thing over the wire: a `SyncClient` on its own PGlite with the device
 * schema, its `HttpTransport` sending through Node's `fetch` to an instance with the session
 * cookie that sign-up (through an instance's `/api/auth`) set. A device either sticks to one
 * instance or goes round-robin between them, as behind a load balancer with no sticky sessions.
 *
 * The invariant checked after each scenario: every device holds exactly the server's rows of its
 * scopes (owned and shared libraries, its user), with nothing pending, at the server's head.
 */
import { randomBytes } from 'node:crypto'
import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { rows } from '@/db/rows'
import { testPglite, type TestPglite } from '@/db/testing/pglite'
import { testPostgres, type TestPostgres } from '@/db/testing/postgres'
import { picture } from '@/db/testing/scope-picture'
import type { Db } from '@/db/types'
import { newId } from '@/domain/ids'
import { strengthActivity } from '@/domain/testing/world'
import { mulberry32 } from '@/test/random'
import { PROTOCOL_VERSION, queryString, syncPaths } from '../protocol'
import { SyncClient, initDevice } from '../client/client'
import { readState } from '../client/replica'
import { HttpTransport, type Fetch } from '../client/transport'
import { scopesOf } from './scopes'
import { readSyncState } from './state'
import { PUBLIC_ORIGIN, startInstance, type Instance } from './testing/instance-process'

/** Longer than any bound below, so a device that answered in time was woken, not timed out. */
const LIVE_WAIT_MS = 20_000
/** The wake-up bound across instances: generous for two shared cores. */
const WAKE_BOUND_MS = 3_000

let database: TestPostgres
let db: Db
let one: Instance
let two: Instance
const locals: TestPglite[] = []
const clients: SyncClient[] = []

beforeAll(async () => {
  // Unmigrated: both instances run the migrations as they start, at once (README: advisory lock).
  database = await testPostgres({ migrated: false })
  db = database.db
  ;[one, two] = await Promise.all([startInstance('instance 1', database.url), startInstance('instance 2', database.url)])
})

afterAll(async () => {
  await Promise.all(clients.map((c) => c.stop()))
  await Promise.all([one?.stop(), two?.stop()])
  for (const local of locals) await local.close()
  await database?.close()
})

// Accounts and devices ---------------------------------------------------------------------------

type Account = { id: string; email: string; cookie: string; libraryId: string }

/** Signs up through `instance`'s better-auth, as the sign-up page would; keeps the session cookie. */
async function signUp(instance: Instance, name: string): Promise<Account> {
  const email = `${name.toLowerCase()}-${newId()}@example.com`
  const response = await fetch(`${instance.url}/api/auth/sign-up/email`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: PUBLIC_ORIGIN },
    body: JSON.stringify({ email, password: 'correct horse battery', name }),
  })
  expect(response.status).toBe(200)
  const cookie = response.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ')
  const { user } = (await response.json()) as { user: { id: string } }
  const [library] = await rows<{ id: string }>(db, sql`select id::text as id from libraries where owner_id = ${user.id}`)
  return { id: user.id, email, cookie, libraryId: library!.id }
}

/** Which instance a device's next request goes to. */
type Route = () => Instance
const stickTo =
  (instance: Instance): Route =>
  () =>
    instance
/** A load balancer without sticky sessions: each request to the next instance. */
function roundRobin(first: number): Route {
  let n = first
  return () => [one, two][n++ % 2]!
}

type TestDevice = { name: string; id: string; account: Account; db: Db; client: SyncClient; served: Map<string, number> }

/** A device of `account` with its own PGlite, its requests sent by `route`, signed in by cookie. */
async function device(name: string, account: Account, route: Route): Promise<TestDevice> {
  const local = await testPglite('device')
  locals.push(local)
  const id = newId()
  await initDevice(local.db, { deviceId: id, userId: account.id })
  const served = new Map<string, number>()
  const send: Fetch = (url, init) => {
    const instance = route()
    served.set(instance.name, (served.get(instance.name) ?? 0) + 1)
    const headers = new Headers(init.headers)
    headers.set('cookie', account.cookie)
    return fetch(`${instance.url}${url}`, { ...init, headers })
  }
  const client = new SyncClient({
    db: local.db,
    transport: new HttpTransport({ fetch: send }),
    deviceId: id,
    userId: account.id,
    deviceName: name,
  })
  clients.push(client)
  return { name, id, account, db: local.db, client, served }
}

// Waiting and comparing --------------------------------------------------------------------------

async function until(what: string, condition: () => Promise<boolean>, ms = 20_000): Promise<number> {
  const deadline = performance.now() + ms
  while (!(await condition())) {
    if (performance.now() > deadline) throw new Error(`timed out waiting until ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
  return performance.now()
}

const holds = async (d: TestDevice, table: string, id: string) =>
  (await rows(d.db, sql`select 1 from ${sql.identifier(table)} where id = ${id}`)).length > 0

/** A device's long-poll is waiting on `instance` (`n` of them). */
const waitingOn = (instance: Instance, n = 1) =>
  until(`${n} long-poll(s) wait on ${instance.name}`, async () => (await instance.stats()).waiting >= n)

/** Every device at the server's head with nothing in its outbox. */
async function settled(devices: TestDevice[]): Promise<boolean> {
  const { head } = await readSyncState(db)
  for (const d of devices) {
    const state = await readState(d.db)
    const [pending] = await rows<{ n: number }>(d.db, sql`select count(*)::int as n from local_outbox`)
    if (state.syncedSeq !== head || pending!.n > 0) return false
  }
  return true
}

/** The device holds exactly the server's rows of its scopes. */
async function expectConverged(d: TestDevice) {
  const scopes = await scopesOf(db, d.account.id, d.id)
  expect(await picture(d.db), `${d.name}'s replica`).toEqual(await picture(db, scopes))
}

const stats = (xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b)
  return `min ${sorted[0]!.toFixed(0)} / median ${sorted[Math.floor(sorted.length / 2)]!.toFixed(0)} / max ${sorted.at(-1)!.toFixed(0)} ms`
}

/**
 * A library shared by `owner` and accepted by the invitee (SPEC S4: nothing is granted without
 * the invitee's yes), each through a push from their device: the grant commits
 * on the instance `accepting` sends to. The accepting device does not hold the invitation (it is in the
 * library's scope), so it queues the acceptance for the server to judge (B10).
 */
async function grant(owner: TestDevice, libraryId: string, accepting: TestDevice) {
  const inviteId = newId()
  await owner.client.mutate('shareLibrary', { inviteId, libraryId, email: accepting.account.email, role: 'viewer' })
  await owner.client.push()
  await accepting.client.mutate('acceptInvitation', { inviteId }, { queueIfNotFound: true })
  const accepted = performance.now()
  await accepting.client.push()
  const [member] = await rows(db, sql`select 1 from library_members where library_id = ${libraryId} and user_id = ${accepting.account.id}`)
  expect(member, 'the invitee is a member once the acceptance is pushed').toBeDefined()
  return accepted
}

// The scenarios ------------------------------------------------------------------------------------

// Each test does seconds of PGlite work; with other suites on the same two cores one took 21 s.
describe('several server instances on one PostgreSQL', { timeout: 60_000 }, () => {
  test('[A6][R4][L5] a write pushed to one instance reaches a device long-polling the other within the wake-up, both ways', async () => {
    const ann = await signUp(one, 'Ann')
    const writers = {
      [one.name]: await device('writer on 1', ann, stickTo(one)),
      [two.name]: await device('writer on 2', ann, stickTo(two)),
    }
    const live = { [one.name]: await device('live on 1', ann, stickTo(one)), [two.name]: await device('live on 2', ann, stickTo(two)) }
    for (const d of [...Object.values(writers), ...Object.values(live)]) await d.client.sync()
    for (const d of Object.values(live)) d.client.start({ liveWaitMs: LIVE_WAIT_MS })

    const latencies: Record<string, { fromPush: number[]; fromResponse: number[] }> = {}
    for (let round = 0; round < 8; round++) {
      const [from, to] = round % 2 === 0 ? [one, two] : [two, one]
      const writer = writers[from.name]!
      const reader = live[to.name]!
      await Promise.all([waitingOn(one), waitingOn(two)])
      const tag = newId()
      await writer.client.mutate('createTag', { id: tag, name: `Round ${round}` })
      const pushStarted = performance.now()
      await writer.client.push()
      const pushAnswered = performance.now()
      const arrived = await until(`the tag reaches ${reader.name}`, () => holds(reader, 'tags', tag), WAKE_BOUND_MS + 2_000)
      const measured = (latencies[`${from.name} -> ${to.name}`] ??= { fromPush: [], fromResponse: [] })
      measured.fromPush.push(arrived - pushStarted)
      measured.fromResponse.push(arrived - pushAnswered)
    }

    for (const [route, { fromPush, fromResponse }] of Object.entries(latencies)) {
      console.log(
        `[A6] push on ${route}, live device's replica holds it: from push start ${stats(fromPush)}; ` +
          `from push response ${stats(fromResponse)} (below 0: before the pusher had its answer)`,
      )
      // Woken by the commit's NOTIFY, not by the end of the 20 s wait.
      expect(Math.max(...fromPush), route).toBeLessThan(WAKE_BOUND_MS)
    }
    await until('the live devices settle', () => settled(Object.values(live)))
    for (const d of Object.values(live)) await d.client.stop()
    for (const d of Object.values(writers)) await d.client.sync()
    for (const d of [...Object.values(writers), ...Object.values(live)]) await expectConverged(d)
  })

  test('[A6][P2] pushes of four devices of one user, interleaved across both instances, leave no gaps: every device converges', async () => {
    const ann = await signUp(two, 'Ann')
    const devices = [
      await device('sticks to 1', ann, stickTo(one)),
      await device('sticks to 2', ann, stickTo(two)),
      await device('round-robin from 1', ann, roundRobin(0)),
      await device('round-robin from 2', ann, roundRobin(1)),
    ]
    for (const d of devices) await d.client.sync()
    const squat = strengthActivity(ann.libraryId, 'Squat')
    await devices[0]!.client.mutate('createActivity', squat.args)
    for (const d of devices) await d.client.sync()
    for (const d of devices) d.client.start({ liveWaitMs: LIVE_WAIT_MS })

    // Each device writes on its own clock; some writes touch the same rows (the activity's and
    // the library's names), so the end state depends on the server's order being everyone's.
    const rng = mulberry32(6)
    const WRITES = 8
    await Promise.all(
      devices.map(async (d, n) => {
        for (let k = 0; k < WRITES; k++) {
          await new Promise((resolve) => setTimeout(resolve, Math.floor(rng() * 100)))
          const label = `${n}.${k}`
          switch ((n + k) % 4) {
            case 0:
              await d.client.mutate('createTag', { id: newId(), name: `Tag ${label}` })
              break
            case 1:
              await d.client.mutate('renameActivity', { activityId: squat.ids.id, name: `Squat ${label}` })
              break
            case 2:
              await d.client.mutate('logEntry', {
                entry: {
                  id: newId(),
                  activityId: squat.ids.id,
                  performedAt: new Date().toISOString(),
                  values: { [squat.ids.reps]: k + 1 },
                },
              })
              break
            default:
              await d.client.mutate('renameLibrary', { libraryId: ann.libraryId, name: `Library ${label}` })
          }
        }
      }),
    )
    await until('every device settles', () => settled(devices), 30_000)
    for (const d of devices) await d.client.stop()

    // No gaps: each device's mutations (1..WRITES, and the first device's activity before them)
    // were applied once, in its order (P2), on whichever instance each push reached.
    for (const d of devices) {
      const results = await rows<{ id: number; status: string }>(
        db,
        sql`select mutation_id::int as id, status from mutation_results where device_id = ${d.id} order by mutation_id`,
      )
      const expected = Array.from({ length: d === devices[0] ? WRITES + 1 : WRITES }, (_, i) => ({ id: i + 1, status: 'applied' }))
      expect(results, d.name).toEqual(expected)
    }
    console.log(
      `[A6] requests per instance: ${devices.map((d) => `${d.name}: ${JSON.stringify(Object.fromEntries(d.served))}`).join('; ')}`,
    )
    expect(Object.fromEntries(devices[2]!.served)).toMatchObject({ [one.name]: expect.any(Number), [two.name]: expect.any(Number) })
    expect(Object.fromEntries(devices[3]!.served)).toMatchObject({ [one.name]: expect.any(Number), [two.name]: expect.any(Number) })
    for (const d of devices) await expectConverged(d)
  })

  test('[A6][S2] a grant accepted through one instance reaches the member’s device long-polling the other, and the library’s later changes follow', async () => {
    const ann = await signUp(one, 'Ann')
    const bob = await signUp(two, 'Bob')
    const owner = await device('Ann on 1', ann, stickTo(one))
    const member = await device('Bob on 2', bob, stickTo(two))
    const bobsPhone = await device('Bob’s phone on 1', bob, stickTo(one))
    const club = newId()
    const press = strengthActivity(club, 'Bench press')
    await owner.client.mutate('createLibrary', { id: club, name: 'Club' })
    await owner.client.mutate('createActivity', press.args)
    for (const d of [owner, member, bobsPhone]) await d.client.sync()
    expect(await holds(member, 'libraries', club)).toBe(false)
    member.client.start({ liveWaitMs: LIVE_WAIT_MS })
    await waitingOn(two)

    const granted = await grant(owner, club, bobsPhone)
    const arrived = await until(
      'the library reaches Bob',
      async () => (await holds(member, 'libraries', club)) && holds(member, 'activities', press.ids.id),
      WAKE_BOUND_MS + 2_000,
    )
    console.log(
      `[A6] acceptance pushed on instance 1 -> Bob's live device on instance 2 holds the library: ${(arrived - granted).toFixed(0)} ms`,
    )
    expect(arrived - granted).toBeLessThan(WAKE_BOUND_MS)

    // From the grant on, the library's own scope brings its changes to Bob's poll on instance 2.
    await waitingOn(two)
    await owner.client.mutate('renameActivity', { activityId: press.ids.id, name: 'Paused bench press' })
    const renamed = performance.now()
    await owner.client.push()
    const seen = await until(
      'the rename reaches Bob',
      async () => {
        const [row] = await rows<{ name: string }>(member.db, sql`select name from activities where id = ${press.ids.id}`)
        return row?.name === 'Paused bench press'
      },
      WAKE_BOUND_MS + 2_000,
    )
    expect(seen - renamed).toBeLessThan(WAKE_BOUND_MS)

    await member.client.stop()
    for (const d of [owner, member, bobsPhone]) await d.client.sync()
    for (const d of [owner, member, bobsPhone]) await expectConverged(d)
  })

  test('[A6][A1] a session is honoured by every instance with the same BETTER_AUTH_SECRET, and refused by one with another', async () => {
    const ann = await signUp(one, 'Ann')
    const other = await startInstance('instance with another secret', database.url, randomBytes(32).toString('base64url'))
    try {
      const pull = (instance: Instance) =>
        fetch(
          `${instance.url}${syncPaths.pull}?${queryString({ v: PROTOCOL_VERSION, deviceId: newId(), offset: 0, limit: 10, waitMs: 0 })}`,
          {
            headers: { cookie: ann.cookie },
          },
        )
      expect((await pull(one)).status).toBe(200)
      expect((await pull(two)).status).toBe(200)
      const refused = await pull(other)
      expect(refused.status).toBe(401)
      expect(await refused.json()).toMatchObject({ message: 'Sign in to sync.' })
    } finally {
      await other.stop()
    }
  })
})
