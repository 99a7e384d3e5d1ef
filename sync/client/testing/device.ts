import { testPglite } from '@/db/testing/pglite'
import { newId } from '@/domain/ids'
import { handlerFetch } from '../../server/testing/fetch'
import type { TestServer, TestUser } from '../../server/testing/harness'
import { SyncClient, initDevice, type SyncClientOptions } from '../client'
import { HttpTransport } from '../transport'
import { Network, ScriptedFetch } from './network'

/**
 * A device with its own PGlite (device schema) and a sync client talking to `server` through
 * the wire client and the route handlers: over `net`, which the test may switch off, and with
 * `scripted`, through `wire`, which holds each request until the test answers it.
 */
export async function testClient(
  server: TestServer,
  user: TestUser,
  { scripted = false, ...options }: { scripted?: boolean } & Partial<Pick<SyncClientOptions, 'pushBatch' | 'pullLimit'>> = {},
) {
  const local = await testPglite('device')
  const deviceId = newId()
  await initDevice(local.db, { deviceId, userId: user.id })
  const net = new Network(handlerFetch(() => server.service, user.token))
  const wire = new ScriptedFetch(net.fetch)
  const transport = new HttpTransport({ fetch: scripted ? wire.fetch : net.fetch })
  const client = new SyncClient({ db: local.db, transport, deviceId, userId: user.id, ...options })
  return { client, db: local.db, pg: local.pg, net, wire, close: local.close }
}
