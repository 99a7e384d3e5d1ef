/**
 * The device database's home: a dedicated worker that the leader tab starts (sync/SPEC.md B8).
 * PGlite persists in IndexedDB; the bundled device migrations run before any tab may query.
 * A device with no database yet starts from the migrated template the build ships
 * (scripts/device-template.ts), which skips initdb; without it (offline on a first visit that
 * the service worker has not cached) it creates the database from scratch. It persists to
 * IndexedDB after each statement that wrote, not after reads (persist-when-written.ts).
 */
import { PGlite } from '@electric-sql/pglite'
import { worker } from '@electric-sql/pglite/worker'
import { migrate } from '@/db/migrate'
import { deviceMigrations } from '@/db/device/migrations.generated'
import { pgliteRunner } from '@/db/pglite'
import { persistOnlyWhenWritten } from './persist-when-written'

export const DEVICE_TEMPLATE_URL = '/device-template.tar.gz'

async function template(dataDir: string): Promise<Blob | undefined> {
  if (!dataDir.startsWith('idb://')) return undefined
  const existing = await indexedDB.databases()
  if (existing.some((d) => d.name === `/pglite/${dataDir.slice('idb://'.length)}`)) return undefined
  try {
    const response = await fetch(DEVICE_TEMPLATE_URL)
    return response.ok ? await response.blob() : undefined
  } catch {
    return undefined
  }
}

void worker({
  async init(options) {
    const dataDir = options.dataDir ?? 'idb://cadence'
    const pg = await PGlite.create({ dataDir, loadDataDir: await template(dataDir) })
    persistOnlyWhenWritten(pg)
    await migrate(pgliteRunner(pg), deviceMigrations)
    return pg
  },
})
