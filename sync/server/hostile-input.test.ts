/**
 * Inputs built to hurt the server, at the HTTP boundary with real sessions on PGlite
 * (sync/SPEC.md A4, A5): deep and wide trees, NUL characters, other users' row ids. Each gets a
 * small, clear answer; none a 5xx; none changes anybody's data.
 */
import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { rows } from '@/db/rows'
import { testPglite, type TestPglite } from '@/db/testing/pglite'
import { takenIdMessage } from '@/domain/apply'
import { newId } from '@/domain/ids'
import { createAuth } from '@/server/auth'
import { PROTOCOL_VERSION, pushResponseSchema, type MutationResult } from '../protocol'
import { handlePush, type SyncService } from './http'
import { ChangeNotifier } from './live'

let t: TestPglite
let service: SyncService
const users = { ann: { cookie: '', id: '', device: newId() }, bob: { cookie: '', id: '', device: newId() } }
let nextId = { ann: 1, bob: 1 }

beforeAll(async () => {
  t = await testPglite('server')
  const auth = createAuth({ db: t.db, secret: 's'.repeat(32), baseUrl: 'http://localhost:3000', rateLimit: false })
  for (const name of ['ann', 'bob'] as const) {
    const response = await auth.handler(
      new Request('http://localhost:3000/api/auth/sign-up/email', {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: 'http://localhost:3000' },
        body: JSON.stringify({ email: `${name}-hostile@example.com`, password: 'correct horse', name }),
      }),
    )
    expect(response.status).toBe(200)
    users[name].cookie = response.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ')
    users[name].id = ((await response.json()) as { user: { id: string } }).user.id
  }
  nextId = { ann: 1, bob: 1 }
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

async function send(who: 'ann' | 'bob', body: unknown): Promise<Response> {
  return handlePush(
    service,
    new Request('http://localhost:3000/api/sync/push', {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: users[who].cookie },
      body: JSON.stringify(body),
    }),
  )
}

/** Pushes one mutation as the user's next; returns its result and the answer's size. */
async function pushOne(who: 'ann' | 'bob', name: string, args: unknown): Promise<{ result: MutationResult; bytes: number }> {
  const response = await send(who, {
    protocolVersion: PROTOCOL_VERSION,
    deviceId: users[who].device,
    mutations: [{ id: nextId[who]++, name, args }],
  })
  expect(response.status).toBe(200)
  const text = await response.text()
  return { result: pushResponseSchema.parse(JSON.parse(text)).results[0]!, bytes: text.length }
}

const at = '2026-11-20T07:30:00.000Z'
function nested(depth: number, node: (level: number) => Record<string, unknown>) {
  let entry: Record<string, unknown> = node(depth)
  for (let level = depth - 1; level >= 1; level--) entry = { ...node(level), children: [entry] }
  return entry
}

test('[A4] an entry tree 500 or 1,000 levels deep is refused at once with a short message, not a 500', async () => {
  for (const depth of [500, 1000, 2000]) {
    // Bare nodes, and nodes that would each be valid but for the depth.
    for (const node of [() => ({}), () => ({ id: newId(), activityId: newId(), performedAt: at })]) {
      const { result, bytes } = await pushOne('ann', 'logEntry', { entry: nested(depth, node) })
      expect(result).toMatchObject({ status: 'rejected', code: 'invalid_args' })
      expect(result.status === 'rejected' && result.message).toMatch(/nested more than 40 levels/)
      expect(bytes).toBeLessThan(2000)
    }
  }
})

test('[A4] a wide tree of bad nodes names its first ten problems and counts the rest', async () => {
  const children = Array.from({ length: 1500 }, () => ({ id: 'not an id', activityId: newId() }))
  const { result, bytes } = await pushOne('ann', 'logEntry', { entry: { id: newId(), activityId: newId(), performedAt: at, children } })
  expect(result.status).toBe('rejected')
  const message = result.status === 'rejected' ? result.message : ''
  expect(message).toMatch(/And 1490 more problems$/)
  expect(message.split('. ').length).toBe(11)
  expect(bytes).toBeLessThan(5000)
})

test('[A4] a NUL or a lone surrogate anywhere in the arguments is refused with its path; in a device name it is dropped', async () => {
  const tag = newId()
  for (const args of [
    { id: tag, name: 'heavy\u0000' },
    { id: tag, name: 'heavy\uD800' },
    { id: tag, name: 'heavy', color: '\u0000' },
    { id: tag, name: 'heavy', ['\u0000']: 1 },
  ]) {
    const { result } = await pushOne('ann', 'createTag', args)
    expect(result).toMatchObject({ status: 'rejected', code: 'invalid_args' })
    expect(result.status === 'rejected' && result.message).toMatch(/NUL characters or broken Unicode/)
  }
  // A value of an entry (a string the schemas take as it is) too.
  const { result } = await pushOne('ann', 'logEntry', {
    entry: { id: newId(), activityId: newId(), performedAt: at, values: { [newId()]: 'bad\u0000' } },
  })
  expect(result.status === 'rejected' && result.message).toMatch(/^Entry values .* must not contain NUL/)
  expect(await rows(t.db, sql`select 1 from tags where id = ${tag}`)).toHaveLength(0)

  // A new device registers with its first push's name.
  const phone = newId()
  const named = await send('ann', {
    protocolVersion: PROTOCOL_VERSION,
    deviceId: phone,
    deviceName: 'Ann\u0000s phone\uDC00',
    mutations: [{ id: 1, name: 'createTag', args: { id: newId(), name: 'named' } }],
  })
  expect(named.status).toBe(200)
  const [device] = await rows<{ name: string }>(t.db, sql`select name from devices where id = ${phone}`)
  expect(device?.name).toBe('Anns phone')
})

test('[A4] a mutation name that is not an identifier is a malformed push (400), never stored', async () => {
  for (const name of ['create\u0000Tag', 'drop table', '', 'x'.repeat(65)]) {
    const response = await send('ann', {
      protocolVersion: PROTOCOL_VERSION,
      deviceId: users.ann.device,
      mutations: [{ id: nextId.ann, name, args: {} }],
    })
    expect(response.status).toBe(400)
    expect(((await response.json()) as { message: string }).message).toBeTruthy()
  }
})

test('[A5] an id another user’s row has is refused in the same words as any taken id, without confirming the row', async () => {
  const annTag = newId()
  expect((await pushOne('ann', 'createTag', { id: annTag, name: 'mine' })).result.status).toBe('applied')
  const theirs = (await pushOne('bob', 'createTag', { id: annTag, name: 'theirs' })).result
  const own = (await pushOne('ann', 'createTag', { id: annTag, name: 'again' })).result
  expect(theirs).toMatchObject({ status: 'rejected', code: 'conflict', message: takenIdMessage })
  expect(own).toMatchObject({ status: 'rejected', code: 'conflict', message: takenIdMessage })
  expect(JSON.stringify(theirs)).not.toContain(annTag)
  const [tag] = await rows<{ name: string; user_id: string }>(t.db, sql`select name, user_id from tags where id = ${annTag}`)
  expect(tag).toEqual({ name: 'mine', user_id: users.ann.id })
})
