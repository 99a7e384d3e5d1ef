/**
 * The sync endpoints at the HTTP boundary, with real better-auth sessions (cookies from a real
 * sign-up) on PGlite: authentication, validation and size limits, and a property-based check
 * that generated garbage and hostile-but-valid payloads never cause a 5xx and never change
 * anybody's data.
 */
import fc from 'fast-check'
import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { rows } from '@/db/rows'
import { testPglite, type TestPglite } from '@/db/testing/pglite'
import { newId } from '@/domain/ids'
import { mutatorNames } from '@/domain/mutators'
import { createAuth } from '@/server/auth'
import { MAX_BODY_BYTES, MIN_PROTOCOL_VERSION, PROTOCOL_VERSION, pushResponseSchema, unsupportedVersionSchema } from '../protocol'
import { handlePull, handlePush, handleSnapshot, type SyncService } from './http'
import { ChangeNotifier } from './live'
import { replicaTables } from '@/db/schema/registry'

let t: TestPglite
let service: SyncService
const cookies: Record<'ann' | 'bob', string> = { ann: '', bob: '' }
const ids = { ann: '', bob: '', annLibrary: '' }

beforeAll(async () => {
  t = await testPglite('server')
  const auth = createAuth({ db: t.db, secret: 's'.repeat(32), baseUrl: 'http://localhost:3000', rateLimit: false })
  for (const name of ['ann', 'bob'] as const) {
    const response = await auth.handler(
      new Request('http://localhost:3000/api/auth/sign-up/email', {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: 'http://localhost:3000' },
        body: JSON.stringify({ email: `${name}@example.com`, password: 'correct horse', name }),
      }),
    )
    expect(response.status).toBe(200)
    cookies[name] = response.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ')
    ids[name] = ((await response.json()) as { user: { id: string } }).user.id
  }
  const [lib] = await rows<{ id: string }>(t.db, sql`select id from libraries where owner_id = ${ids.ann}`)
  ids.annLibrary = lib!.id
  service = {
    db: t.db,
    notifier: await ChangeNotifier.start((channel, cb) => t.pg.listen(channel, cb)),
    authenticate: async (request) => (await auth.api.getSession({ headers: request.headers }))?.user.id ?? null,
  }
})
afterAll(async () => {
  await service.notifier.close()
  await t.close()
})

const annDevice = newId()
const pushRequest = (body: unknown, cookie = cookies.ann, raw?: string) =>
  new Request('http://localhost:3000/api/sync/push', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
    body: raw ?? JSON.stringify(body),
  })
const validPush = (mutations: unknown[], deviceId = annDevice) => ({ protocolVersion: PROTOCOL_VERSION, deviceId, mutations })

test('[A1] every endpoint needs a session', async () => {
  const q = `v=${PROTOCOL_VERSION}&deviceId=${annDevice}&offset=0`
  for (const response of [
    await handlePush(service, pushRequest(validPush([{ id: 1, name: 'createTag', args: { id: newId(), name: 'x' } }]), '')),
    await handlePull(service, new Request(`http://localhost:3000/api/sync/pull?${q}`)),
    await handleSnapshot(service, new Request(`http://localhost:3000/api/sync/snapshot?${q}`)),
    await handlePull(
      service,
      new Request(`http://localhost:3000/api/sync/pull?${q}`, { headers: { cookie: 'better-auth.session_token=forged.value' } }),
    ),
  ]) {
    expect(response.status).toBe(401)
    expect(await response.json()).toEqual({ type: 'error', message: 'Sign in to sync.' })
  }
})

test('[A3] a malformed push is answered 400 with what is wrong', async () => {
  const response = await handlePush(service, pushRequest({ protocolVersion: 'one', deviceId: 'nope', mutations: [] }))
  expect(response.status).toBe(400)
  const body = (await response.json()) as { message: string; issues: string[] }
  expect(body.issues).toEqual(
    expect.arrayContaining([
      expect.stringMatching(/^protocolVersion: /),
      'deviceId: must be a UUID',
      expect.stringMatching(/^mutations: /),
    ]),
  )
  const notJson = await handlePush(service, pushRequest(undefined, cookies.ann, '{"protocolVersion":'))
  expect(notJson.status).toBe(400)
  expect(await notJson.json()).toEqual({ type: 'error', message: 'The request body is not valid JSON.' })
  const badPull = await handlePull(
    service,
    new Request(`http://localhost:3000/api/sync/pull?v=1&deviceId=${annDevice}&offset=-4`, { headers: { cookie: cookies.ann } }),
  )
  expect(badPull.status).toBe(400)
})

test('[V1] a request in a protocol version the server does not speak is answered 426 with the versions it does, and changes nothing', async () => {
  const deviceId = newId()
  for (const version of [PROTOCOL_VERSION + 1, MIN_PROTOCOL_VERSION - 1]) {
    const q = `v=${version}&deviceId=${deviceId}&offset=0`
    const headers = { cookie: cookies.ann }
    for (const response of [
      await handlePush(
        service,
        pushRequest({ ...validPush([{ id: 1, name: 'createTag', args: { id: newId(), name: 'x' } }], deviceId), protocolVersion: version }),
      ),
      await handlePull(service, new Request(`http://localhost:3000/api/sync/pull?${q}`, { headers })),
      await handleSnapshot(service, new Request(`http://localhost:3000/api/sync/snapshot?${q}`, { headers })),
    ]) {
      expect(response.status).toBe(426)
      expect(unsupportedVersionSchema.parse(await response.json())).toMatchObject({
        version,
        minVersion: MIN_PROTOCOL_VERSION,
        maxVersion: PROTOCOL_VERSION,
      })
    }
  }
  expect(await rows(t.db, sql`select 1 from devices where id = ${deviceId}`)).toEqual([])
})

test('[A3] an oversized body is answered 413 without being read whole', async () => {
  const huge = JSON.stringify(validPush([{ id: 1, name: 'createTag', args: { id: newId(), name: 'x'.repeat(MAX_BODY_BYTES) } }]))
  const response = await handlePush(service, pushRequest(undefined, cookies.ann, huge))
  expect(response.status).toBe(413)
  expect(((await response.json()) as { message: string }).message).toMatch(/over 1000000 bytes/)
})

test('[P1][A2] a signed-in user cannot use another user’s device, or write into their library', async () => {
  const bobDevice = newId()
  const first = await handlePush(
    service,
    pushRequest(validPush([{ id: 1, name: 'createTag', args: { id: newId(), name: 'bob' } }], bobDevice), cookies.bob),
  )
  expect(first.status).toBe(200)
  const hijack = await handlePush(
    service,
    pushRequest(validPush([{ id: 2, name: 'createTag', args: { id: newId(), name: 'ann' } }], bobDevice)),
  )
  expect(hijack.status).toBe(403)
  const intoAnns = await handlePush(
    service,
    pushRequest(
      validPush(
        [{ id: 2, name: 'createActivity', args: { id: newId(), libraryId: ids.annLibrary, name: 'Sneaky', kind: 'scalar' } }],
        bobDevice,
      ),
      cookies.bob,
    ),
  )
  expect(pushResponseSchema.parse(await intoAnns.json()).results).toEqual([
    { id: 2, status: 'rejected', code: 'not_found', message: 'The library was not found, or is not shared with you.' },
  ])
})

/** Everything but the bookkeeping of pushes: what a person would call their data. */
async function userData() {
  const out: Record<string, unknown> = {}
  // The devices table holds each device's push bookkeeping (last mutation id, last seen).
  for (const { table } of replicaTables.filter((t) => t.table !== 'devices')) {
    out[table] = await rows(t.db, sql`select * from ${sql.identifier(table)} order by 1`)
  }
  return out
}

test('[A2][A3] generated garbage and hostile-but-valid pushes: never a 5xx, never a change to anybody’s data', async () => {
  const before = await userData()
  const hostileIds = [ids.ann, ids.bob, ids.annLibrary, newId()]
  const arbitraryArgs = fc.oneof(
    fc.anything(),
    fc.record(
      {
        id: fc.constantFrom(...hostileIds),
        libraryId: fc.constantFrom(...hostileIds),
        activityId: fc.constantFrom(...hostileIds),
        entryId: fc.constantFrom(...hostileIds),
        userId: fc.constantFrom(...hostileIds),
        name: fc.oneof(fc.string(), fc.constant(''), fc.string({ minLength: 300, maxLength: 400 })),
        kind: fc.constantFrom('scalar', 'sequence', 'other'),
        role: fc.constantFrom('viewer', 'editor', 'owner'),
        attributes: fc.array(fc.anything(), { maxLength: 3 }),
        entry: fc.anything(),
      },
      { requiredKeys: [] },
    ),
  )
  const mutation = fc.record({
    id: fc.oneof(fc.integer(), fc.double(), fc.string(), fc.constant(1)),
    name: fc.oneof(fc.constantFrom(...mutatorNames), fc.string()),
    args: arbitraryArgs,
  })
  const body = fc.oneof(
    fc.anything(),
    fc.record({
      protocolVersion: fc.constantFrom(1, 2, '1'),
      deviceId: fc.oneof(fc.uuid(), fc.string()),
      mutations: fc.oneof(fc.array(mutation, { maxLength: 5 }), fc.anything()),
    }),
  )
  const bobDevice = newId()
  await fc.assert(
    fc.asyncProperty(body, async (payload) => {
      // Bob is the attacker: anything he sends may only ever touch Bob's own rows, so only
      // rejected or no-op outcomes are allowed on everyone else's data.
      const withDevice =
        typeof payload === 'object' && payload !== null && 'mutations' in payload ? { ...payload, deviceId: bobDevice } : payload
      const response = await handlePush(service, pushRequest(withDevice, cookies.bob))
      expect(response.status, await response.clone().text()).toBeLessThan(500)
    }),
    { numRuns: 150, seed: 4242 },
  )
  // Well-formed envelopes with the id the server expects next, so every run reaches a mutator
  // with hostile arguments (other users' ids, wrong types, huge strings).
  let next = 1
  let settled = 0
  await fc.assert(
    fc.asyncProperty(fc.constantFrom(...mutatorNames), arbitraryArgs, async (name, args) => {
      const response = await handlePush(service, pushRequest(validPush([{ id: next, name, args }], bobDevice), cookies.bob))
      expect(response.status, await response.clone().text()).toBeLessThan(500)
      if (response.status === 200) {
        next += 1
        settled += 1
      }
    }),
    { numRuns: 300, seed: 777 },
  )
  expect(settled).toBeGreaterThan(250)
  const after = await userData()
  // Bob may have created his own tags or libraries with garbage-but-valid names; Ann's data and
  // every row that is not Bob's own must be untouched.
  const notBobs = (data: Record<string, unknown>) =>
    Object.fromEntries(
      Object.entries(data).map(([table, list]) => [
        table,
        (list as Record<string, unknown>[]).filter(
          (r) =>
            r.user_id !== ids.bob &&
            r.owner_id !== ids.bob &&
            r.id !== ids.bob &&
            r.created_by !== ids.bob &&
            !(table !== 'libraries' && bobsLibraries(after).has(String(r.library_id))),
        ),
      ]),
    )
  expect(notBobs(after)).toEqual(notBobs(before))
})

function bobsLibraries(data: Record<string, unknown>): Set<string> {
  return new Set((data.libraries as { id: string; owner_id: string }[]).filter((l) => l.owner_id === ids.bob).map((l) => l.id))
}

test('[P7] a push that keeps colliding with others is answered 429 with Retry-After, never 500, and applies nothing', async () => {
  const deadlocked = Object.assign(new Error('deadlock detected'), { code: '40P01' })
  let attempts = 0
  // The database's pushes deadlock every time; everything else is the real database.
  const colliding: SyncService = {
    ...service,
    db: new Proxy(service.db, {
      get(target, property, receiver) {
        if (property !== 'transaction') return Reflect.get(target, property, receiver)
        return async () => {
          attempts++
          throw deadlocked
        }
      },
    }),
  }
  const tag = newId()
  const response = await handlePush(
    colliding,
    pushRequest(validPush([{ id: 1, name: 'createTag', args: { id: tag, name: 'x' } }], newId())),
  )
  expect(response.status).toBe(429)
  expect(response.headers.get('retry-after')).toBe('1')
  expect(((await response.json()) as { message: string }).message).toMatch(/nothing was applied/)
  expect(attempts).toBeGreaterThan(1)
  expect(await rows(t.db, sql`select 1 from tags where id = ${tag}`)).toHaveLength(0)
})
