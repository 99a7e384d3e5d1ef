/**
 * Hostile and slow clients against a real server process on PostgreSQL (sync/SPEC.md A3, A4, A8,
 * A9): the app's own composition root in its own Node process (`testing/instance.ts`), spoken to
 * over real sockets. Generated garbage and inputs built to hurt (NUL characters, trees a thousand
 * levels deep, bodies over the limit) never get a 5xx; a dozen snapshots nobody reads and a dozen
 * HEADs leave another user's pull and sign-in answering within 2 s, and no transaction idle.
 */
import { request as httpRequest, type ClientRequest } from 'node:http'
import fc from 'fast-check'
import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { rows } from '@/db/rows'
import { testPostgres, type TestPostgres } from '@/db/testing/postgres'
import { newId } from '@/domain/ids'
import { MAX_BODY_BYTES, PROTOCOL_VERSION, queryString, syncPaths } from '../protocol'
import { PUBLIC_ORIGIN, startInstance, type Instance } from './testing/instance-process'

type Account = { id: string; email: string; cookie: string }

let database: TestPostgres
let server: Instance
let ann: Account
let bob: Account

async function signUp(name: string): Promise<Account> {
  const email = `${name}-${newId()}@example.com`
  const response = await fetch(`${server.url}/api/auth/sign-up/email`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: PUBLIC_ORIGIN },
    body: JSON.stringify({ email, password: 'correct horse battery', name }),
  })
  expect(response.status).toBe(200)
  const cookie = response.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ')
  return { id: ((await response.json()) as { user: { id: string } }).user.id, email, cookie }
}

beforeAll(async () => {
  database = await testPostgres({ migrated: false })
  server = await startInstance('hostile', database.url)
  ann = await signUp('ann')
  bob = await signUp('bob')
}, 60_000)

afterAll(async () => {
  await server?.stop()
  await database?.close()
})

const push = (who: Account, body: string) =>
  fetch(`${server.url}${syncPaths.push}`, { method: 'POST', headers: { 'content-type': 'application/json', cookie: who.cookie }, body })

/** A valid push of one mutation with `args`, as text (so it may hold anything). */
const pushOf = (deviceId: string, id: number, name: string, args: unknown) =>
  JSON.stringify({ protocolVersion: PROTOCOL_VERSION, deviceId, mutations: [{ id, name, args }] })

function nested(depth: number): Record<string, unknown> {
  let entry: Record<string, unknown> = { id: newId(), activityId: newId() }
  for (let level = 1; level < depth; level++) entry = { id: newId(), activityId: newId(), children: [entry] }
  return { ...entry, performedAt: '2026-11-20T07:30:00.000Z' }
}

describe('a real server process on PostgreSQL', { timeout: 180_000 }, () => {
  test('[A3][A4] generated garbage and inputs built to hurt never get a 5xx, and every answer is short', async () => {
    const statuses = new Map<number, number>()
    const note = async (response: Response) => {
      statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1)
      const text = await response.text()
      expect(response.status, text.slice(0, 300)).toBeLessThan(500)
      expect(text.length).toBeLessThan(20_000)
    }
    const device = newId()
    let next = 1
    // Built to hurt: each was a 500 or a stall once (issue 12).
    const hurtful = [
      pushOf(device, next++, 'logEntry', { entry: nested(1000) }),
      pushOf(device, next++, 'logEntry', { entry: nested(700) }),
      pushOf(device, next++, 'createTag', { id: newId(), name: 'nul\u0000' }),
      pushOf(device, next++, 'create\u0000Tag', {}),
      JSON.stringify({ protocolVersion: PROTOCOL_VERSION, deviceId: newId(), deviceName: 'phone\u0000', mutations: [] }),
      pushOf(device, next++, 'createTag', { id: newId(), name: '\uD800' }),
      pushOf(device, next++, 'logEntry', {
        entry: { ...nested(1), children: Array.from({ length: 3000 }, () => ({ id: 'x', activityId: 'y' })) },
      }),
      `{"protocolVersion":1,"deviceId":"${device}","mutations":[${'['.repeat(50_000)}`,
      'x'.repeat(MAX_BODY_BYTES + 10),
    ]
    for (const body of hurtful) await note(await push(ann, body))

    // Generated: any JSON at all, and pushes whose mutations hold any JSON.
    const anyPush = fc.record({
      protocolVersion: fc.oneof(fc.constant(PROTOCOL_VERSION), fc.anything()),
      deviceId: fc.oneof(fc.constant(device), fc.uuid(), fc.string()),
      mutations: fc.array(fc.record({ id: fc.oneof(fc.nat(), fc.anything()), name: fc.string(), args: fc.jsonValue() }), { maxLength: 4 }),
    })
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.jsonValue(), anyPush), async (body) => note(await push(ann, JSON.stringify(body) ?? 'null'))),
      { numRuns: 150, seed: 20261201 },
    )
    // Query strings of the reads, generated.
    await fc.assert(
      fc.asyncProperty(
        fc.boolean(),
        fc.dictionary(fc.constantFrom('v', 'deviceId', 'offset', 'limit', 'waitMs', 'since'), fc.string()),
        async (isPull, query) => {
          const path = isPull ? syncPaths.pull : syncPaths.snapshot
          const url = `${server.url}${path}?${new URLSearchParams(query)}`
          await note(await fetch(url, { headers: { cookie: ann.cookie } }))
        },
      ),
      { numRuns: 60, seed: 20261202 },
    )
    expect(statuses.get(400) ?? 0).toBeGreaterThan(50)
    expect(statuses.get(413) ?? 0).toBeGreaterThan(0)
    // Bob's data was never touched: he has only what sign-up made.
    const [{ n }] = (await rows<{ n: number }>(database.db, sql`select count(*)::int as n from tags where user_id = ${bob.id}`)) as [
      { n: number },
    ]
    expect(n).toBe(0)
  })

  test('[A8][A9] a dozen unread snapshots and HEADs: another user’s pull and sign-in answer within 2 s; no transaction is left idle', async () => {
    await database.db.execute(
      sql`insert into tags (id, user_id, name) select gen_random_uuid(), ${ann.id}, 'tag ' || g from generate_series(1, 20000) g`,
    )
    const open: ClientRequest[] = []
    const unread = (method: 'GET' | 'HEAD') =>
      new Promise<number>((resolve, reject) => {
        const query = queryString({ v: PROTOCOL_VERSION, deviceId: newId(), since: 0 })
        const req = httpRequest(`${server.url}${syncPaths.snapshot}?${query}`, { method, headers: { cookie: ann.cookie } }, (res) => {
          // Never read: the body waits in the socket, as a phone that went into a tunnel would.
          res.pause()
          resolve(res.statusCode ?? 0)
        })
        req.on('error', reject)
        req.end()
        open.push(req)
      })
    try {
      const statuses = await Promise.all([
        ...Array.from({ length: 12 }, () => unread('GET')),
        ...Array.from({ length: 12 }, () => unread('HEAD')),
      ])
      expect(statuses.every((s) => s === 200 || s === 429)).toBe(true)
      expect(statuses.filter((s) => s === 200).length).toBeGreaterThan(0)
      await new Promise((resolve) => setTimeout(resolve, 1500))

      let started = performance.now()
      const pull = await fetch(
        `${server.url}${syncPaths.pull}?${queryString({ v: PROTOCOL_VERSION, deviceId: newId(), offset: 0, limit: 100, waitMs: 0 })}`,
        {
          headers: { cookie: bob.cookie },
        },
      )
      expect(pull.status).toBe(200)
      await pull.text()
      const pullMs = performance.now() - started
      started = performance.now()
      const signIn = await fetch(`${server.url}/api/auth/sign-in/email`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: PUBLIC_ORIGIN },
        body: JSON.stringify({ email: bob.email, password: 'correct horse battery' }),
      })
      expect(signIn.status).toBe(200)
      const signInMs = performance.now() - started
      console.log(`while 24 snapshot requests sat unread: pull ${pullMs.toFixed(0)} ms, sign-in ${signInMs.toFixed(0)} ms`)
      expect(pullMs).toBeLessThan(2000)
      expect(signInMs).toBeLessThan(2000)

      const idle = await rows<{ state: string; seconds: number }>(
        database.db,
        sql`select state, extract(epoch from now() - state_change)::float as seconds from pg_stat_activity
             where datname = current_database() and state like 'idle in transaction%' and pid <> pg_backend_pid()`,
      )
      expect(idle.filter((s) => s.seconds > 1)).toEqual([])
    } finally {
      for (const req of open) req.destroy()
    }
  })
})
