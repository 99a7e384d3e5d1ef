/**
 * Builds the device database template the browser starts from: a PGlite data directory with the
 * device migrations applied, dumped as a tarball into public/. A new device loads it in well under
 * a second instead of running initdb and every migration in WebAssembly (10 s or more on a slow
 * phone). The worker still runs the migrator after loading, so a template older than the app
 * only costs the migrations it lacks. Run by `npm run build` and `npm run dev`.
 */
import { mkdir, writeFile } from 'node:fs/promises'
import { PGlite } from '@electric-sql/pglite'
import { deviceMigrations } from '@/db/device/migrations.generated'
import { migrate } from '@/db/migrate'
import { pgliteRunner } from '@/db/pglite'

const out = 'public/device-template.tar.gz'
const pg = await PGlite.create()
await migrate(pgliteRunner(pg), deviceMigrations)
const dump = await pg.dumpDataDir('gzip')
await mkdir('public', { recursive: true })
await writeFile(out, Buffer.from(await dump.arrayBuffer()))
await pg.close()
console.log(`device template: ${out} (${(dump.size / 1024).toFixed(0)} KiB, ${deviceMigrations.length} migrations)`)
