/**
 * Registering again (SPEC B15, P2): when the server's numbering of a device's mutations cannot
 * be continued from the device's outbox, because the server was restored from a backup (it
 * expects a mutation the device has already dropped) or because the device's storage was (the
 * server recorded other mutations under the ids the device now sends), the device goes on under a
 * new device id and sends its pending writes again; nothing pending is lost, nothing is applied
 * twice, and the user is told.
 *
 * Harness: a server on PGlite reached through the route handlers in process; a restore replaces
 * its database with a dump taken earlier (`backup`), as an operator would. Each device is a real
 * one (its own PGlite, the SyncClient, the browser's HttpTransport); its storage can be dumped
 * and a device reopened from the dump, as a browser whose storage went back to an earlier copy.
 * Every request is Ann's (A1 is tested in http.test.ts).
 */
import { PGlite } from '@electric-sql/pglite'
import { sql } from 'drizzle-orm'
import { afterEach, beforeEach, expect, test } from 'vitest'
import { drizzlePglite } from '@/db/pglite'
import { provisionUser } from '@/db/queries/libraries'
import { users } from '@/db/schema'
import { rows } from '@/db/rows'
import { testPglite, type TestPglite } from '@/db/testing/pglite'
import type { Db } from '@/db/types'
import { newId } from '@/domain/ids'
import type { SyncService } from '../server/http'
import { ChangeNotifier } from '../server/live'
import { markRestored } from '../server/restore'
import { handlerFetch } from '../server/testing/fetch'
import { SyncClient, initDevice } from './client'
import { Network } from './testing/network'
import { HttpTransport } from './transport'

let server: TestPglite
let service: SyncService
let userId: string
const opened: TestPglite[] = []

async function serve(database: TestPglite) {
  server = database
  service = {
    db: database.db,
    notifier: await ChangeNotifier.start((channel, cb) => database.pg.listen(channel, cb)),
    authenticate: async () => userId,
  }
}

beforeEach(async () => {
  userId = newId()
  await serve(await testPglite('server'))
  await server.db.insert(users).values({ id: userId, name: 'Ann', email: `ann-${userId}@example.com` })
  await provisionUser(server.db, userId, 'Ann')
})
afterEach(async () => {
  await service.notifier.close()
  await server.close()
  for (const database of opened.splice(0)) await database.close()
})

const open = async (dump: Blob): Promise<TestPglite> => {
  const pg = await PGlite.create({ loadDataDir: dump })
  return { pg, db: drizzlePglite(pg), close: () => pg.close() }
}

/** A copy of a database as it is now. */
const backup = (database: TestPglite) => database.pg.dumpDataDir('none')

/** The server's database is replaced by `dump`, as a restore from a backup would. */
async function restoreServer(dump: Blob) {
  await service.notifier.close()
  opened.push(server)
  await serve(await open(dump))
}

/** Ann's device on `local` (a fresh device database unless given), with a network to switch off. */
async function device(local?: TestPglite) {
  const database = local ?? (await testPglite('device'))
  opened.push(database)
  const state = await initDevice(database.db, { deviceId: newId(), userId })
  const net = new Network(handlerFetch(() => service, 'ann'))
  const client = new SyncClient({ db: database.db, transport: new HttpTransport({ fetch: net.fetch }), deviceId: state.deviceId, userId })
  return { client, local: database, net }
}

const tagNames = async (db: Db) => (await rows<{ name: string }>(db, sql`select name from tags order by name`)).map((t) => t.name)
const tag = (client: SyncClient, name: string) => client.mutate('createTag', { id: newId(), name })

test('[B15] after the server is restored from a backup that forgot writes this device had synced, the device registers anew and its pending writes reach the server', async () => {
  const { client, local, net } = await device()
  await client.sync()
  await tag(client, 'Kept')
  await client.sync()
  const before = await backup(server)
  await tag(client, 'Lost')
  await client.sync()
  // Pushed and answered, but its result not yet pulled when the server goes back.
  await tag(client, 'Answered')
  await client.push()
  net.online = false
  await tag(client, 'Offline')
  const oldId = client.deviceId

  await restoreServer(before)
  net.online = true
  await client.sync()

  // The writes still pending reached the server once each; the one the device had dropped is
  // gone from the server, and so from the device, which now shows the server's state.
  expect(await tagNames(server.db)).toEqual(['Answered', 'Kept', 'Offline'])
  expect(await tagNames(local.db)).toEqual(['Answered', 'Kept', 'Offline'])
  const status = await client.refreshStatus()
  expect(status).toMatchObject({ pending: 0, rejected: [], recovery: { reason: 'server-restored', resent: 2 } })
  expect(status.recovery?.message).toMatch(/restored from a backup.*sent its 2 changes not yet synced again.*may be missing/)
  expect(client.deviceId).not.toBe(oldId)
  const [state] = await rows<{ device_id: string }>(local.db, sql`select device_id::text from local_sync_state`)
  expect(state?.device_id).toBe(client.deviceId)
  // And it goes on syncing under its new id.
  await tag(client, 'Later')
  await client.sync()
  expect(await tagNames(server.db)).toEqual(['Answered', 'Kept', 'Later', 'Offline'])
})

test('[P2][B15] a device id the restored server has never seen starts at its first pending write; the answer’s seq tells the device the server went back', async () => {
  const before = await backup(server)
  const { client, local, net } = await device()
  await client.sync()
  await tag(client, 'Lost')
  await client.sync()
  net.online = false
  await tag(client, 'Offline')
  await restoreServer(before)
  net.online = true
  await client.sync()
  expect(await tagNames(server.db)).toEqual(['Offline'])
  // The write was applied at a seq the device had passed (the server's seqs started again): it
  // loads a snapshot rather than pull from an offset the server now uses for other commits.
  expect(await tagNames(local.db)).toEqual(['Offline'])
  expect(await client.refreshStatus()).toMatchObject({ pending: 0, recovery: { reason: 'server-restored', resent: 1 } })
})

test('[B15][P2] a device whose storage went back to an earlier copy registers anew where the server recorded another write, and nothing is lost or applied twice', async () => {
  const { client, local, net } = await device()
  await client.sync()
  await tag(client, 'A')
  await client.sync()
  // The copy is taken while B waits offline: it holds B pending, as mutation 2.
  net.online = false
  await tag(client, 'B')
  const copy = await backup(local)
  net.online = true
  await client.sync()
  await tag(client, 'C')
  await client.sync()
  expect(await tagNames(server.db)).toEqual(['A', 'B', 'C'])

  // The browser's storage goes back to the copy: B pending again, and the next write is numbered
  // 3, which the server recorded as C.
  const restored = await device(await open(copy))
  await tag(restored.client, 'D')
  await restored.client.sync()

  expect(await tagNames(server.db)).toEqual(['A', 'B', 'C', 'D'])
  expect(await tagNames(restored.local.db)).toEqual(['A', 'B', 'C', 'D'])
  const status = await restored.client.refreshStatus()
  expect(status).toMatchObject({ pending: 0, rejected: [], recovery: { reason: 'device-restored', resent: 1 } })
  expect(status.recovery?.message).toMatch(/storage was restored from an earlier copy.*nothing was lost/)
})

test('[B15][B3] a device whose storage went back does not settle a new write by the result the server recorded under its number', async () => {
  const { client, local } = await device()
  await client.sync()
  await tag(client, 'A')
  await client.sync()
  const copy = await backup(local)
  await tag(client, 'B')
  await client.sync()

  // Back to the copy: the next write is numbered 2, which the server recorded as B, and the
  // device pulls before it pushes (a pull already under way when the write was made).
  const restored = await device(await open(copy))
  await tag(restored.client, 'C')
  while (!(await restored.client.pull())) {
    /* catch up */
  }
  expect((await restored.client.refreshStatus()).pending).toBe(1)
  await restored.client.sync()
  expect(await tagNames(server.db)).toEqual(['A', 'B', 'C'])
  expect(await restored.client.refreshStatus()).toMatchObject({ pending: 0, recovery: { reason: 'device-restored', resent: 1 } })
})

test('[C4] once a restore is marked, a device with nothing pending that had synced past the backup loads the restored data and misses nothing written after', async () => {
  const phone = await device()
  const laptop = await device()
  await phone.client.sync()
  await laptop.client.sync()
  await tag(laptop.client, 'Kept')
  await laptop.client.sync()
  await phone.client.sync()
  const before = await backup(server)
  // Synced by both, then lost with the restore.
  await tag(laptop.client, 'Lost')
  await laptop.client.sync()
  await phone.client.sync()
  expect(await tagNames(phone.local.db)).toEqual(['Kept', 'Lost'])

  await restoreServer(before)
  await markRestored(server.db)
  // Written after the restore by the laptop (which registers anew: the server forgot its write).
  for (const name of ['After 1', 'After 2', 'After 3']) await tag(laptop.client, name)
  await laptop.client.sync()
  // The phone, with nothing pending, had passed the numbers the restored server now hands out.
  await phone.client.sync()
  expect(await tagNames(server.db)).toEqual(['After 1', 'After 2', 'After 3', 'Kept'])
  expect(await tagNames(phone.local.db)).toEqual(await tagNames(server.db))
  expect(await tagNames(laptop.local.db)).toEqual(await tagNames(server.db))
})

test('[C4][P2] a write the server answered and then forgot in a restore, before the device saw its result, is sent again on the refetch and reaches the server', async () => {
  const { client, local } = await device()
  await client.sync()
  const before = await backup(server)
  await tag(client, 'Answered')
  // Pushed and answered (settled on the device), its result not yet pulled.
  await client.push()
  await restoreServer(before)
  await markRestored(server.db)
  await client.sync()
  await client.sync()
  expect(await tagNames(server.db)).toEqual(['Answered'])
  expect(await tagNames(local.db)).toEqual(['Answered'])
  expect((await client.refreshStatus()).pending).toBe(0)
})
