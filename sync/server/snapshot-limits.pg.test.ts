/**
 * Slow, absent and departing readers on real PostgreSQL (SPEC N2, A8, A9). Requests go straight
 * to the route handlers as web `Request`s, and a test that plays a client that never reads simply
 * never touches the answer's body: the harshest reader there is (a socket would at least take
 * the kernel's buffers). Other users' requests then go through the same service and pool, and
 * sign-in through better-auth on the same database, each bounded by a clock; `pg_stat_activity`
 * is asked whether any transaction was left waiting.
 *
 * Before these rules, each unread snapshot held its repeatable-read transaction, and with it one
 * of the pool's ten connections, for as long as its reader did not read: for ever.
 */
import { sql } from 'drizzle-orm'
import { afterEach, beforeEach, expect, test } from 'vitest'
import { connectPostgres, drizzlePostgres, postgresRunner } from '@/db/postgres'
import { rows } from '@/db/rows'
import type { TestPostgres } from '@/db/testing/postgres'
import type { Db } from '@/db/types'
import { newId } from '@/domain/ids'
import { createAuth, type Auth } from '@/server/auth'
import { PROTOCOL_VERSION, queryString, syncPaths } from '../protocol'
import { handlePull, handleSnapshot, snapshotsRunning, type SyncService } from './http'
import { SYNC_LIMITS } from './limits'
import { deferred, sleep } from './testing/concurrency'
import { TEST_ORIGIN } from './testing/fetch'
import type { TestServer, TestUser } from './testing/harness'
import { largeAccount } from './testing/large-account'
import { postgresServer } from './testing/postgres'

let server: TestServer
let database: TestPostgres
let ann: TestUser
let bob: TestUser
beforeEach(async () => {
  ;({ server, database } = await postgresServer())
  ann = await server.user('Ann')
  bob = await server.user('Bob')
})
afterEach(async () => {
  await server.close()
})

const BASE = 'http://localhost:3000'

/** A snapshot request of `user` for a new device, as a device's first sync sends it. */
function snapshotRequest(user: TestUser, init: { method?: string; signal?: AbortSignal } = {}) {
  const query = queryString({ v: PROTOCOL_VERSION, deviceId: newId(), since: 0 })
  return new Request(`${TEST_ORIGIN}${syncPaths.snapshot}?${query}`, { ...init, headers: { authorization: `Bearer ${user.token}` } })
}

function pullRequest(user: TestUser) {
  const query = queryString({ v: PROTOCOL_VERSION, deviceId: newId(), offset: 0, limit: 100, waitMs: 0 })
  return new Request(`${TEST_ORIGIN}${syncPaths.pull}?${query}`, { headers: { authorization: `Bearer ${user.token}` } })
}

/** `promise`, or a failure naming `what` once `ms` have passed. */
async function within<T>(ms: number, what: string, promise: Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms)))
  try {
    return await Promise.race([promise, late])
  } finally {
    clearTimeout(timer)
  }
}

/** Sessions of the test database inside a transaction and idle there for more than `seconds`. */
async function idleInTransaction(db: Db, seconds = 1): Promise<string[]> {
  const found = await rows<{ query: string }>(
    db,
    sql`select query from pg_stat_activity
        where datname = current_database() and state like 'idle in transaction%'
          and state_change < clock_timestamp() - make_interval(secs => ${seconds})`,
  )
  return found.map((f) => f.query)
}

/** A signed-up account on better-auth over the test database, and a way to sign it in. */
async function accountWithPassword(auth: Auth) {
  const email = `cat-${newId()}@example.com`
  const post = (path: string, body: unknown) =>
    auth.handler(
      new Request(`${BASE}/api/auth/${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: BASE },
        body: JSON.stringify(body),
      }),
    )
  expect((await post('sign-up/email', { email, password: 'correct horse', name: 'Cat' })).status).toBe(200)
  return { signIn: () => post('sign-in/email', { email, password: 'correct horse' }) }
}

const cancel = (responses: Response[]) => Promise.all(responses.map((r) => r.body?.cancel().catch(() => undefined)))

test('[A8][A9] a dozen unread snapshots and HEADs of a large account: another user pulls and a third signs in within 2 s, and no transaction waits on a reader', async () => {
  const auth = createAuth({ db: server.db, secret: 's'.repeat(32), baseUrl: BASE, rateLimit: false })
  const cat = await accountWithPassword(auth)
  expect((await largeAccount(ann, 10_000)).rows).toBeGreaterThanOrEqual(20_000)

  const gets = await within(
    10_000,
    'twelve snapshot GETs',
    Promise.all(Array.from({ length: 12 }, () => handleSnapshot(server.service, snapshotRequest(ann)))),
  )
  const heads = await within(
    10_000,
    'twelve snapshot HEADs',
    Promise.all(Array.from({ length: 12 }, () => handleSnapshot(server.service, snapshotRequest(ann, { method: 'HEAD' })))),
  )
  // Two stream (a user's share); the rest are refused with when to come back, in words.
  const statuses = gets.map((r) => r.status).sort()
  expect(statuses).toEqual([...Array(2).fill(200), ...Array(10).fill(429)])
  const refused = gets.find((r) => r.status === 429)!
  expect(refused.headers.get('retry-after')).toBe(String(SYNC_LIMITS.retryAfterSeconds))
  expect(await refused.json()).toMatchObject({ type: 'error', message: expect.stringMatching(/^Too many snapshots .* Retry shortly\.$/) })
  expect(heads.map((r) => [r.status, r.body])).toEqual(Array(12).fill([200, null]))
  expect(snapshotsRunning(server.service, ann.id)).toBe(2)

  const bobs = await within(2_000, "another user's pull", handlePull(server.service, pullRequest(bob)))
  expect(bobs.status).toBe(200)
  const signedIn = await within(2_000, 'a sign-in', cat.signIn())
  expect(signedIn.status).toBe(200)

  await sleep(1_200)
  expect(await idleInTransaction(server.db)).toEqual([])
  await cancel(gets)
  expect(snapshotsRunning(server.service)).toBe(0)
})

test('[A8] a client that hangs up ends its snapshot at once: 5 ms after sending, or after the first line', async () => {
  await largeAccount(ann, 10_000)
  const early = new AbortController()
  setTimeout(() => early.abort(), 5)
  // Its answer is never read, as nobody is there to read it.
  const gone = await within(
    10_000,
    'a snapshot aborted after 5 ms',
    handleSnapshot(server.service, snapshotRequest(ann, { signal: early.signal })),
  )
  await sleep(100)
  expect(snapshotsRunning(server.service, ann.id)).toBe(0)

  const late = new AbortController()
  const response = await handleSnapshot(server.service, snapshotRequest(ann, { signal: late.signal }))
  const reader = response.body!.getReader()
  const first = new TextDecoder().decode((await reader.read()).value)
  const begin = JSON.parse(first.split('\n')[0]!) as { type: string; rows: number }
  expect(begin.type).toBe('snapshot-begin')
  expect(begin.rows).toBeGreaterThanOrEqual(20_000)
  late.abort()
  await expect(reader.read()).rejects.toThrow()
  expect(snapshotsRunning(server.service, ann.id)).toBe(0)

  await sleep(1_200)
  expect(await idleInTransaction(server.db)).toEqual([])
  await cancel([gone])
})

test('[A8] a reader that takes nothing is cut after the stall limit and its place given back; a HEAD opens nothing', async () => {
  server.service.limits = { snapshotStallMs: 300 }
  await largeAccount(ann, 2_000)
  const head = await handleSnapshot(server.service, snapshotRequest(ann, { method: 'HEAD' }))
  expect([head.status, head.headers.get('content-type'), head.body]).toEqual([200, 'application/x-ndjson', null])
  expect(snapshotsRunning(server.service)).toBe(0)

  const unread = await handleSnapshot(server.service, snapshotRequest(ann))
  expect(snapshotsRunning(server.service, ann.id)).toBe(1)
  await sleep(700)
  expect(snapshotsRunning(server.service, ann.id)).toBe(0)
  // A reader that comes back finds the stream cut (the device retries the snapshot whole).
  await expect(unread.body!.getReader().read()).rejects.toThrow(/took nothing for 300 ms/)
})

test('[A9] a pull or a snapshot queued behind a busy pool is answered 503 with Retry-After at its deadline, and lets go once it runs', async () => {
  const client = connectPostgres(database.url, { max: 1 })
  const busy: SyncService = { ...server.service, db: drizzlePostgres(client), limits: { requestDeadlineMs: 300 } }
  const held = deferred()
  const holding = client.begin(async (tx) => {
    await tx`select 1`
    await held.promise
  })
  try {
    const [pulled, snapshot] = await within(
      2_000,
      'requests behind a held pool',
      Promise.all([handlePull(busy, pullRequest(bob)), handleSnapshot(busy, snapshotRequest(ann))]),
    )
    for (const response of [pulled, snapshot]) {
      expect(response.status).toBe(503)
      expect(response.headers.get('retry-after')).toBe(String(SYNC_LIMITS.retryAfterSeconds))
      expect(await response.json()).toMatchObject({ type: 'error', message: expect.stringMatching(/within 300 ms; nothing was lost/) })
    }
  } finally {
    held.resolve()
    await holding
  }
  // The snapshot queued behind the pool reads its start once it can, then gives its place back.
  await sleep(500)
  expect(snapshotsRunning(busy)).toBe(0)
  await client.end({ timeout: 5 })
})

test('[A9] every server connection bounds its transactions: a statement over the limit is cancelled, a transaction left idle is ended', async () => {
  const [settings] = await rows<{ statement: string; idle: string }>(
    server.db,
    sql`select current_setting('statement_timeout') as statement, current_setting('idle_in_transaction_session_timeout') as idle`,
  )
  expect(settings).toEqual({ statement: '1min', idle: '10s' })

  const client = connectPostgres(database.url, { max: 1, statementMs: 200, idleInTransactionMs: 300 })
  try {
    await expect(client`select pg_sleep(1)`).rejects.toMatchObject({ code: '57014' })
    const idle = client.begin(async (tx) => {
      await tx`select 1`
      await sleep(1_000)
      await tx`select 1`
    })
    await expect(idle).rejects.toThrow()
    expect(await rows(drizzlePostgres(client), sql`select 1 as ok`)).toEqual([{ ok: 1 }])
    // Migrations alone lift the statement limit: one may rewrite a large table.
    await postgresRunner(client).transaction((tx) => tx.exec('select pg_sleep(0.4)'))
  } finally {
    await client.end({ timeout: 5 })
  }
})
