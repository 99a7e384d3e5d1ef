/**
 * SPEC P6: an infrastructure failure is not a rejection. The push answers 5xx, records nothing
 * about its mutations, and the device keeps them queued and sends the same ids again, which the
 * server then applies.
 *
 * Harness: a server on PGlite reached through the real push handler, and a real device (its own
 * PGlite, the SyncClient and the browser's HttpTransport, its `fetch` routed to the handlers in
 * process by `sync/server/testing/fetch.ts`). The fault is injected in the server's database: a
 * trigger on `tags` raises what PostgreSQL raises when it is shutting down (57P01) or the
 * connection failed (08006), in the middle of the push's transaction, after the device row was
 * locked and before the mutation's result was written.
 */
import { eq } from 'drizzle-orm'
import { afterEach, beforeEach, expect, test, vi } from 'vitest'
import { provisionUser } from '@/db/queries/libraries'
import { devices, mutationResults, tags, users } from '@/db/schema'
import { localOutbox, localRejections } from '@/db/schema/local'
import { testPglite, type TestPglite } from '@/db/testing/pglite'
import { newId } from '@/domain/ids'
import { PROTOCOL_VERSION, endpointOf, type PushRequest } from '../protocol'
import { SyncClient, initDevice } from '../client/client'
import { HttpTransport, TransportError } from '../client/transport'
import { handlePush, type SyncService } from './http'
import { ChangeNotifier } from './live'
import { handlerFetch } from './testing/fetch'

let server: TestPglite
let service: SyncService
let userId: string
const opened: TestPglite[] = []

beforeEach(async () => {
  server = await testPglite('server')
  userId = newId()
  await server.db.insert(users).values({ id: userId, name: 'Ann', email: `ann-${userId}@example.com` })
  await provisionUser(server.db, userId, 'Ann')
  service = {
    db: server.db,
    notifier: await ChangeNotifier.start((channel, cb) => server.pg.listen(channel, cb)),
    // Who is asking is not what P6 is about (A1 is tested in http.test.ts): every request is Ann's.
    authenticate: async () => userId,
  }
})
afterEach(async () => {
  await service.notifier.close()
  await server.close()
  for (const local of opened.splice(0)) await local.close()
})

const failures = [
  { sqlstate: '57P01', what: 'the database shutting down', message: 'terminating connection due to administrator command' },
  { sqlstate: '08006', what: 'a lost connection', message: 'connection to server was lost' },
] as const

/** From now on, every insert into `tags` on the server fails as `failure` would. */
async function breakDatabase(failure: (typeof failures)[number]) {
  await server.pg.exec(`
    create function p6_fail() returns trigger language plpgsql as $$
    begin raise exception '${failure.message}' using errcode = '${failure.sqlstate}'; end $$;
    create trigger p6_fail before insert on tags for each row execute function p6_fail();
  `)
}

async function repairDatabase() {
  await server.pg.exec('drop trigger p6_fail on tags; drop function p6_fail();')
}

/** The handler logs what it could not handle; here that log is expected, once per failed request. */
function expectServerLog(times: number) {
  for (let i = 0; i < times; i++) vi.mocked(console.error).mockImplementationOnce(() => undefined)
}

function pushRequest(body: PushRequest) {
  return new Request('http://test/api/sync/push', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
}

async function serverRecords(deviceId: string) {
  return {
    results: await server.db.select().from(mutationResults).where(eq(mutationResults.deviceId, deviceId)),
    last: (await server.db.select({ last: devices.lastMutationId }).from(devices).where(eq(devices.id, deviceId)))[0]?.last ?? 0,
    tags: (await server.db.select({ name: tags.name }).from(tags).where(eq(tags.userId, userId))).map((t) => t.name),
  }
}

test.each(failures.map((f) => [f.what, f] as const))(
  '[P6] %s during a push answers 5xx and records no result; the same ids pushed again apply',
  async (_what, failure) => {
    const deviceId = newId()
    const body: PushRequest = {
      protocolVersion: PROTOCOL_VERSION,
      deviceId,
      mutations: [
        { id: 1, name: 'createTag', args: { id: newId(), name: 'Legs' } },
        { id: 2, name: 'createTag', args: { id: newId(), name: 'Push' } },
      ],
    }
    await breakDatabase(failure)
    expectServerLog(1)

    const failed = await handlePush(service, pushRequest(body))

    expect(failed.status).toBeGreaterThanOrEqual(500)
    expect(await failed.json()).toMatchObject({ type: 'error' })
    expect(await serverRecords(deviceId)).toEqual({ results: [], last: 0, tags: [] })

    await repairDatabase()
    const retried = await handlePush(service, pushRequest(body))

    expect(retried.status).toBe(200)
    expect(await retried.json()).toMatchObject({
      type: 'pushed',
      results: [
        { id: 1, status: 'applied' },
        { id: 2, status: 'applied' },
      ],
    })
    const after = await serverRecords(deviceId)
    expect(after.results.map((r) => [r.mutationId, r.status])).toEqual([
      [1, 'applied'],
      [2, 'applied'],
    ])
    expect({ last: after.last, tags: after.tags.sort() }).toEqual({ last: 2, tags: ['Legs', 'Push'] })
  },
)

/** The browser's transport, its `fetch` routed to the handlers, recording each push's mutation ids. */
function recordingTransport() {
  const pushedIds: number[][] = []
  const routed = handlerFetch(() => service, 'any')
  const transport = new HttpTransport({
    fetch: async (url, init) => {
      if (endpointOf(url) === 'push') pushedIds.push((JSON.parse(String(init.body)) as PushRequest).mutations.map((m) => m.id))
      return routed(url, init)
    },
  })
  return { transport, pushedIds }
}

test('[P6] the device keeps a push the server failed on queued, unrejected, and sends the same ids again', async () => {
  const { transport, pushedIds } = recordingTransport()
  const local = await testPglite('device')
  opened.push(local)
  const deviceId = newId()
  await initDevice(local.db, { deviceId, userId })
  const client = new SyncClient({ db: local.db, transport, deviceId, userId })
  await client.mutate('createTag', { id: newId(), name: 'Legs' })
  await breakDatabase(failures[0])
  expectServerLog(1)

  await expect(client.push()).rejects.toSatisfy((e) => e instanceof TransportError && e.kind === 'server')

  expect(await local.db.select({ id: localOutbox.mutationId, settled: localOutbox.settledSeq }).from(localOutbox)).toEqual([
    { id: 1, settled: null },
  ])
  expect(await local.db.select().from(localRejections)).toEqual([])
  expect(client.status.rejected).toEqual([])

  await repairDatabase()
  await client.sync()

  expect(pushedIds).toEqual([[1], [1]])
  expect(await local.db.select().from(localOutbox)).toEqual([])
  expect(await local.db.select().from(localRejections)).toEqual([])
  expect((await serverRecords(deviceId)).tags).toEqual(['Legs'])
  expect(await local.db.select({ name: tags.name }).from(tags)).toEqual([{ name: 'Legs' }])
})
