import { testPglite } from '@/db/testing/pglite'
import { newId } from '@/domain/ids'
import type { TestServer, TestUser } from '../../server/testing/harness'
import { SyncClient, initDevice } from '../client'
import { DirectTransport, ScriptedTransport } from './transports'

/** A device with its own PGlite (device schema) and a sync client talking to `server`. */
export async function testClient(server: TestServer, user: TestUser, { scripted = false } = {}) {
  const local = await testPglite('device')
  const deviceId = newId()
  await initDevice(local.db, { deviceId, userId: user.id })
  const direct = new DirectTransport(() => server.service, user.token)
  const wire = new ScriptedTransport(direct)
  const client = new SyncClient({ db: local.db, transport: scripted ? wire : direct, deviceId, userId: user.id })
  return { client, db: local.db, pg: local.pg, direct, wire, close: local.close }
}
