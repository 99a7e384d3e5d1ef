/**
 * The wire client (`HttpTransport`) against the route handlers in process, through a `fetch`
 * that records what crosses it: what a device sends and receives is only what sync/protocol.ts
 * declares; and what a device does when the server speaks no version it does (SPEC V1, V2).
 * Each device has its own PGlite and a `SyncClient`; the server is a sync server on PGlite.
 */
import { afterEach, beforeEach, expect, test } from 'vitest'
import { testPglite } from '@/db/testing/pglite'
import { newId } from '@/domain/ids'
import {
  PROTOCOL_VERSION,
  contentTypes,
  endpointOf,
  pullRequestSchema,
  snapshotRequestSchema,
  historyRequestSchema,
  syncHeaders,
  syncPaths,
  syncStatuses,
  type SyncEndpoint,
} from '../protocol'
import { compact } from '../server/compact'
import { TEST_ORIGIN, handlerFetch } from '../server/testing/fetch'
import type { TestServer, TestUser } from '../server/testing/harness'
import { pgliteServer } from '../server/testing/pglite'
import { SyncClient, initDevice } from './client'
import { HttpTransport, TransportError, retryAfterMs, type Fetch } from './transport'

let server: TestServer
let ann: TestUser
const closers: (() => Promise<void>)[] = []
beforeEach(async () => {
  server = await pgliteServer()
  ann = await server.user('Ann')
})
afterEach(async () => {
  for (const close of closers.splice(0)) await close()
  await server.close()
})

type Exchange = {
  endpoint: SyncEndpoint | undefined
  path: string
  query: string[]
  requestHeaders: string[]
  status: number
  responseHeaders: Record<string, string>
}

/** A device of `user` whose every exchange with the server is recorded. */
async function device(user: TestUser) {
  const local = await testPglite('device')
  closers.push(local.close)
  const deviceId = newId()
  await initDevice(local.db, { deviceId, userId: user.id })
  const exchanges: Exchange[] = []
  const server_ = handlerFetch(() => server.service, user.token)
  const recording: Fetch = async (url, init) => {
    const parsed = new URL(url, TEST_ORIGIN)
    const requestHeaders = [...new Headers(init.headers).keys()]
    const response = await server_(url, init)
    exchanges.push({
      endpoint: endpointOf(url),
      path: parsed.pathname,
      query: [...parsed.searchParams.keys()].sort(),
      requestHeaders,
      status: response.status,
      responseHeaders: Object.fromEntries(response.headers),
    })
    return response
  }
  const transport = new HttpTransport({ fetch: recording })
  const client = new SyncClient({ db: local.db, transport, deviceId, userId: user.id })
  return { client, exchanges, transport }
}

async function until(what: string, condition: () => boolean, ms = 10_000) {
  const deadline = performance.now() + ms
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting until ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
}
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

test('[V1][C3] the wire carries only the paths, parameters, headers and statuses sync/protocol.ts declares', async () => {
  const phone = await device(ann)
  const laptop = await device(ann)
  await phone.client.sync()
  await laptop.client.sync()
  await phone.client.mutate('createTag', { id: newId(), name: 'Heavy' })
  await phone.client.sync()
  for (let i = 0; i < 3; i++) await laptop.client.mutate('createTag', { id: newId(), name: `L${i}` })
  await laptop.client.sync()
  // The phone is left behind the horizon: its next pull is answered 409 and it refetches.
  await compact(server.db, { keepDays: 0, keepTransactions: 0, now: new Date(Date.now() + 1000) })
  await phone.client.sync()
  // W5: a page of older history, as a windowed device asks for one.
  await phone.transport.history({ deviceId: phone.client.deviceId, before: new Date().toISOString(), limit: 10 })

  const all = [...phone.exchanges, ...laptop.exchanges]
  expect(new Set(all.map((e) => e.endpoint))).toEqual(new Set(Object.keys(syncPaths)))
  expect(all.filter((e) => !e.endpoint).map((e) => e.path)).toEqual([])
  const declaredQuery: Record<SyncEndpoint, string[]> = {
    push: [],
    pull: Object.keys(pullRequestSchema.shape).sort(),
    snapshot: Object.keys(snapshotRequestSchema.shape).sort(),
    history: Object.keys(historyRequestSchema.shape).sort(),
  }
  // A history request names one of its ways (W5): its parameters are a subset of the schema's.
  const sendsAll = (e: (typeof all)[number]) => e.endpoint !== 'history'
  expect(
    all.filter(
      (e) =>
        e.endpoint &&
        (sendsAll(e)
          ? JSON.stringify(e.query) !== JSON.stringify(declaredQuery[e.endpoint])
          : e.query.some((name) => !declaredQuery.history.includes(name))),
    ),
  ).toEqual([])
  expect(new Set(all.flatMap((e) => e.requestHeaders))).toEqual(new Set(['content-type']))
  expect(new Set(all.map((e) => e.status))).toEqual(new Set([200, syncStatuses.mustRefetch]))
  const generic = new Set(['content-type', 'cache-control'])
  const own = Object.values(syncHeaders) as string[]
  expect(all.flatMap((e) => Object.keys(e.responseHeaders)).filter((h) => !generic.has(h) && !own.includes(h))).toEqual([])
  expect(new Set(all.map((e) => e.responseHeaders['content-type']))).toEqual(new Set(Object.values(contentTypes)))
  // C3: every pull and push answer advertises the horizon.
  expect(
    all.filter((e) => (e.endpoint === 'pull' || e.endpoint === 'push') && e.responseHeaders[syncHeaders.horizon] === undefined),
  ).toEqual([])
})

test('[V2] a server newer than the app: the status says to update the app, and the loop waits instead of retrying at once', async () => {
  server.service.versions = { min: PROTOCOL_VERSION + 1, max: PROTOCOL_VERSION + 2 }
  const { client, exchanges } = await device(ann)
  await client.mutate('createTag', { id: newId(), name: 'Offline' })
  client.start({ maxBackoffMs: 60_000 })
  try {
    await until('the device learns it is out of date', () => client.status.incompatible !== null)
    expect(client.status).toMatchObject({ incompatible: 'update-app', online: true, pending: 1 })
    expect(client.status.lastError).toMatch(/out of date.*Reload the app/)
    expect(exchanges.map((e) => [e.endpoint, e.status])).toEqual([['push', syncStatuses.unsupportedVersion]])
    // A failure of the network would be retried after 1 s; this one waits for the longest back-off.
    await sleep(1500)
    expect(exchanges).toHaveLength(1)
    // A kick (a local write, reconnecting) tries once more, then waits again.
    client.kick()
    await until('the kicked attempt', () => exchanges.length === 2)
    await sleep(300)
    expect(exchanges).toHaveLength(2)
    // Once the server serves this version again, the next attempt syncs and clears the status.
    server.service.versions = undefined
    client.kick()
    await until('the device syncs', () => client.status.pending === 0)
    expect(client.status).toMatchObject({ incompatible: null, lastError: null })
  } finally {
    await client.stop()
  }
})

test('[V2] a server older than the app: the status says the server is behind, and the loop waits', async () => {
  server.service.versions = { min: PROTOCOL_VERSION - 1, max: PROTOCOL_VERSION - 1 }
  const { client, exchanges } = await device(ann)
  client.start({ maxBackoffMs: 60_000 })
  try {
    await until('the device learns the server is behind', () => client.status.incompatible !== null)
    expect(client.status).toMatchObject({ incompatible: 'server-behind', online: true })
    expect(client.status.lastError).toMatch(/older Cadence than this app/)
    // A new device asks for its first snapshot; that is refused, and not asked again for a while.
    expect(exchanges.map((e) => [e.endpoint, e.status])).toEqual([['snapshot', syncStatuses.unsupportedVersion]])
    await sleep(1500)
    expect(exchanges).toHaveLength(1)
  } finally {
    await client.stop()
  }
})

test('[B6] a snapshot line or an answer this app cannot read is the server’s failure, never the network’s; what the device fails to store is its own', async () => {
  const answering =
    (body: string, type: string = contentTypes.ndjson): Fetch =>
    async () =>
      new Response(body, { status: 200, headers: { 'content-type': type } })
  const begin = JSON.stringify({ type: 'snapshot-begin', protocolVersion: PROTOCOL_VERSION, offset: 0, horizon: 0, scopes: [] })
  const ignore = async () => undefined
  for (const body of [`${begin}\n{"type":"rows","table":1}\n`, `${begin}\nnot json\n`]) {
    const transport = new HttpTransport({ fetch: answering(body) })
    await expect(transport.snapshot({ deviceId: newId() }, ignore)).rejects.toMatchObject({ name: 'TransportError', kind: 'server' })
  }
  const push = new HttpTransport({ fetch: answering('{"type":"pushed"}', contentTypes.json) })
  await expect(push.push({ protocolVersion: PROTOCOL_VERSION, deviceId: newId(), mutations: [] })).rejects.toMatchObject({
    name: 'TransportError',
    kind: 'server',
  })
  const failure = new Error('the device database failed')
  const transport = new HttpTransport({ fetch: answering(`${begin}\n`) })
  await expect(
    transport.snapshot({ deviceId: newId() }, async () => {
      throw failure
    }),
  ).rejects.toBe(failure)
})

test('[A8][P7] a busy server (429, or 503 with Retry-After) is waited for as long as it asked, and is not taken for a lost session', async () => {
  expect(retryAfterMs('2')).toBe(2000)
  expect(retryAfterMs(new Date(Date.now() + 3000).toUTCString())).toBeGreaterThan(1000)
  expect(retryAfterMs('soon')).toBeUndefined()
  expect(retryAfterMs('99999')).toBe(300_000)

  const times: number[] = []
  let busy = 1
  const answers: Fetch = async (url, init) => {
    times.push(performance.now())
    if (busy-- > 0) {
      return Response.json(
        { type: 'error', message: 'Too many snapshots at once; retrying shortly.' },
        { status: 429, headers: { 'retry-after': '2' } },
      )
    }
    return handlerFetch(() => server.service, ann.token)(url, init)
  }
  const local = await testPglite('device')
  closers.push(local.close)
  const deviceId = newId()
  await initDevice(local.db, { deviceId, userId: ann.id })
  const client = new SyncClient({ db: local.db, transport: new HttpTransport({ fetch: answers }), deviceId, userId: ann.id })
  await client.mutate('createTag', { id: newId(), name: 'Busy' })
  const failure = await client.push().catch((error: unknown) => error)
  expect(failure).toBeInstanceOf(TransportError)
  expect(failure).toMatchObject({ kind: 'busy', retryAfterMs: 2000 })
  expect(client.status).toMatchObject({ online: true, lastError: 'Too many snapshots at once; retrying shortly.' })

  busy = 1
  times.length = 0
  client.start()
  try {
    await until('the device syncs', () => client.status.pending === 0)
    // The loop came back after the 2 s the server asked for, not after its own first 1 s back-off.
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(1900)
  } finally {
    await client.stop()
  }
})
