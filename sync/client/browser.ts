/**
 * Opens the device in a browser tab: a PGlite worker shared by every tab of the app, with one
 * leader owning the database, reached through a connection that follows the leader when it moves
 * (sync/SPEC.md B8, sync/client/failover.ts); and the {@link Device} over it, wired to the
 * browser's Web Locks, BroadcastChannel, online events and the HTTP transport.
 */
import 'client-only'
import { PGliteWorker } from '@electric-sql/pglite/worker'
import { drizzle } from 'drizzle-orm/pglite'
import type { PGlite } from '@electric-sql/pglite'
import * as schema from '@/db/schema'
import type { Db } from '@/db/types'
import { openDevice, type Device, type DeviceDatabase } from './device'
import { isMoveError, SharedDatabase } from './failover'
import { CacheStorageBlobStore, MemoryBlobStore } from './media/blob-store'
import { HttpTransport } from './transport'

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

async function openDeviceDatabase(dataDir: string): Promise<DeviceDatabase> {
  // The same function each time, so opening again (a remount) adds no second listener.
  window.addEventListener('unhandledrejection', ignoreMoveErrors)
  const shared = new SharedDatabase(() => new PGliteWorker(leaderSafeWorker(), { dataDir, id: 'cadence' }))
  try {
    await shared.ready
  } catch (error) {
    await shared.close()
    throw error
  }
  // The shared database speaks PGlite's query interface; drizzle only needs that.
  const db = drizzle({ client: shared as unknown as PGlite, schema, casing: 'snake_case' }) as unknown as Db
  return {
    db,
    listen: (channel, callback) => shared.listen(channel, callback),
    onMoved: (callback) => shared.onMoved(callback),
    close: () => shared.close(),
  }
}

/**
 * The user of the server's session, or null when nobody is signed in. Throws when that cannot be
 * told (offline, or the server failing): a device that holds an account then opens as it is.
 */
async function sessionUser(): Promise<string | null> {
  const response = await fetch('/api/auth/get-session', { credentials: 'same-origin', cache: 'no-store' })
  if (!response.ok) throw new Error(`The session could not be read (${response.status}).`)
  const session = (await response.json()) as { user?: { id?: string } } | null
  return session?.user?.id ?? null
}

/**
 * Opens this tab's device: null when nobody is signed in on it. `endSession` signs out of the
 * server once a sign-out from this tab has cleared the device.
 */
export async function openBrowserDevice({
  endSession,
  dataDir = 'idb://cadence',
}: { endSession?: () => Promise<void>; dataDir?: string } = {}): Promise<Device | null> {
  return openDevice({
    database: await openDeviceDatabase(dataDir),
    transport: new HttpTransport(),
    // Photo bytes in Cache Storage (SPEC M6); a browser without it (an insecure origin) keeps
    // them for the page's life only.
    blobs: typeof caches === 'undefined' ? new MemoryBlobStore() : new CacheStorageBlobStore(caches),
    estimate: () => navigator.storage?.estimate?.() ?? Promise.resolve({}),
    locks: navigator.locks,
    channel: (name) => new BroadcastChannel(name),
    onOnline: (listener) => {
      window.addEventListener('online', listener)
      return () => window.removeEventListener('online', listener)
    },
    sessionUser,
    endSession,
    deviceName: navigator.userAgent.slice(0, 200),
  })
}
