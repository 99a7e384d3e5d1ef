import { getTableConfig } from 'drizzle-orm/pg-core'
import * as serverSchema from '@/db/schema'
import { localTables, replicaTables, tablesIn } from '@/db/schema/registry'
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

export const quote = (name: string) => `"${name.replace(/"/g, '""')}"`
export { replicaTables }
/** Every server table, synced or not, but the one-row sync state (reset in place). */
export const serverTables = tablesIn(serverSchema)
  .map((t) => getTableConfig(t).name)
  .filter((name) => name !== 'sync_state')

/** Empties the server: deletes rather than truncates (much faster on PGlite), with triggers off. */
export async function resetServer(pg: TestPglite['pg']) {
  const tables = serverTables
  await pg.exec(
    `set session_replication_role = replica; ${tables.map((t) => `delete from ${quote(t)};`).join(' ')}
     set session_replication_role = origin; update sync_state set seq = 0, horizon_seq = 0, compacted_at = null where id = 1;`,
  )
}

/** Empties a device (it has no foreign keys, and its undo triggers record only when asked). */
export async function resetDevice(pg: TestPglite['pg']) {
  const tables = [...replicaTables, ...localTables].map((t) => t.table)
  await pg.exec(tables.map((t) => `delete from ${quote(t)};`).join(' '))
}
