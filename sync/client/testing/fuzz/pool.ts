import { syncTables } from '@/db/schema/synced'
import { testPglite, type TestPglite } from '@/db/testing/pglite'
import { SimServer } from './server'

export type FuzzEnv = {
  serverDb: TestPglite
  server: SimServer
  deviceDbs: TestPglite[]
  /** Set when a seed hung: its operations may still hold the databases; make a new pool. */
  poisoned: boolean
  close(): Promise<void>
}

/** One server database and `devices` device databases, reused by every seed. */
export async function fuzzEnv({ devices = 4 } = {}): Promise<FuzzEnv> {
  const serverDb = await testPglite('server')
  const deviceDbs: TestPglite[] = []
  for (let i = 0; i < devices; i++) deviceDbs.push(await testPglite('device'))
  const server = await SimServer.start(serverDb.db, (channel, cb) => serverDb.pg.listen(channel, cb))
  return {
    serverDb,
    server,
    deviceDbs,
    poisoned: false,
    async close() {
      await server.close()
      for (const d of deviceDbs) await d.close()
      await serverDb.close()
    },
  }
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`
/** The synced tables a device holds as rows (results it settles, never stores). */
export const replicaTables = syncTables.filter((t) => t.scope !== 'device')
const serverOnlyTables = ['change_log', 'change_transactions', 'sessions', 'accounts', 'verifications', 'media_blobs', 'rate_limits']

/** Empties the server: deletes rather than truncates (much faster on PGlite), with triggers off. */
export async function resetServer(pg: TestPglite['pg']) {
  const tables = [...syncTables.map((t) => t.table), ...serverOnlyTables]
  await pg.exec(
    `set session_replication_role = replica; ${tables.map((t) => `delete from ${quote(t)};`).join(' ')}
     set session_replication_role = origin; update sync_state set seq = 0, horizon_seq = 0, compacted_at = null where id = 1;`,
  )
}

/** Empties a device (it has no foreign keys, and its undo triggers record only when asked). */
export async function resetDevice(pg: TestPglite['pg']) {
  const tables = [...replicaTables.map((t) => t.table), 'local_outbox', 'local_rejections', 'local_sync_state', 'local_undo']
  await pg.exec(tables.map((t) => `delete from ${quote(t)};`).join(' '))
}
