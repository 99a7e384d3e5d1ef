import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import type { TestProject } from 'vitest/node'
import { migrate } from '../db/migrate'
import { serverMigrations } from '../db/migrations.generated'
import { deviceMigrations } from '../db/device/migrations.generated'
import { pgliteRunner } from '../db/pglite'

/**
 * A new PGlite takes seconds to initialise and migrate; loading a dump of a migrated one takes
 * a fraction of that. Build one template per schema per run and hand their paths to the tests.
 */
export default async function setup(project: TestProject) {
  const dir = await mkdtemp(join(tmpdir(), 'cadence-templates-'))
  for (const [name, migrations] of [
    ['server', serverMigrations],
    ['device', deviceMigrations],
  ] as const) {
    const pg = await PGlite.create()
    await migrate(pgliteRunner(pg), migrations)
    const dump = await pg.dumpDataDir('none')
    await pg.close()
    const file = join(dir, `${name}.tar`)
    await writeFile(file, new Uint8Array(await dump.arrayBuffer()))
    project.provide(`${name}Template`, file)
  }
  return () => rm(dir, { recursive: true, force: true })
}

declare module 'vitest' {
  export interface ProvidedContext {
    serverTemplate: string
    deviceTemplate: string
  }
}
