/**
 * Opens the device database in a browser tab: a PGlite worker shared by every tab of the app,
 * with one leader owning the database, reached through a connection that follows the leader when
 * it moves (sync/SPEC.md B8, sync/client/failover.ts).
 */
import 'client-only'
import { PGliteWorker } from '@electric-sql/pglite/worker'
import { drizzle } from 'drizzle-orm/pglite'
import type { PGlite } from '@electric-sql/pglite'
import * as schema from '@/db/schema'
import type { Db } from '@/db/types'
import { isMoveError, SharedDatabase } from './failover'

export type DeviceDatabase = { shared: SharedDatabase; db: Db }

// A connection closed because the database moved still runs PGlite's own "find the leader"
// timer once; its failure is expected and says nothing to the user.
function ignoreMoveErrors(event: PromiseRejectionEvent) {
  if (isMoveError(event.reason)) event.preventDefault()
}

/**
 * The database's worker, which closing its connection does not stop once it leads: when the
 * leader moves to this tab with work in flight, the connection that had it is closed
 * (failover.ts), but its worker has often just won the election and is opening the database for
 * every tab; stopping it would force a second election and a second open. It ends with the tab.
 */
function leaderSafeWorker(): Worker {
  const worker = new Worker(new URL('./pglite-worker.ts', import.meta.url), { type: 'module' })
  let leading = false
  worker.addEventListener('message', (event: MessageEvent<{ type?: string }>) => {
    if (event.data?.type === 'leader-now') leading = true
  })
  const terminate = worker.terminate.bind(worker)
  worker.terminate = () => {
    if (!leading) terminate()
  }
  return worker
}

export async function openDeviceDatabase(dataDir = 'idb://cadence'): Promise<DeviceDatabase> {
  // The same function each time, so opening again (a remount) adds no second listener.
  window.addEventListener('unhandledrejection', ignoreMoveErrors)
  const shared = new SharedDatabase(() => new PGliteWorker(leaderSafeWorker(), { dataDir, id: 'cadence' }))
  await shared.ready
  // The shared database speaks PGlite's query interface; drizzle only needs that.
  const db = drizzle({ client: shared as unknown as PGlite, schema, casing: 'snake_case' }) as unknown as Db
  return { shared, db }
}
