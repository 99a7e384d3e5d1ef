/**
 * Opens the device database in a browser tab: a PGlite worker shared by every tab of the app,
 * with one leader owning the database (sync/SPEC.md B8).
 */
import 'client-only'
import { PGliteWorker } from '@electric-sql/pglite/worker'
import { drizzle } from 'drizzle-orm/pglite'
import type { PGlite } from '@electric-sql/pglite'
import * as schema from '@/db/schema'
import type { Db } from '@/db/types'

export type DeviceDatabase = { pg: PGliteWorker; db: Db }

export async function openDeviceDatabase(dataDir = 'idb://cadence'): Promise<DeviceDatabase> {
  const pg = await PGliteWorker.create(new Worker(new URL('./pglite-worker.ts', import.meta.url), { type: 'module' }), {
    dataDir,
    id: 'cadence',
  })
  // PGliteWorker speaks PGlite's query interface; drizzle only needs that.
  const db = drizzle({ client: pg as unknown as PGlite, schema, casing: 'snake_case' }) as unknown as Db
  return { pg, db }
}
