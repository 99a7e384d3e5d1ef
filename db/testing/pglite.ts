/**
 * Test databases on PGlite, started from the migrated templates that test/global-setup.ts
 * builds once per run.
 */
import { readFile } from 'node:fs/promises'
import { PGlite } from '@electric-sql/pglite'
import { inject } from 'vitest'
import { drizzlePglite } from '../pglite'
import type { Db } from '../types'

const cache = new Map<string, Promise<Blob>>()

function template(kind: 'server' | 'device'): Promise<Blob> {
  const file = inject(kind === 'server' ? 'serverTemplate' : 'deviceTemplate')
  let blob = cache.get(file)
  if (!blob) {
    blob = readFile(file).then((bytes) => new Blob([bytes]))
    cache.set(file, blob)
  }
  return blob
}

export type TestPglite = { pg: PGlite; db: Db; close(): Promise<void> }

/** A fresh, migrated PGlite with the server schema (or the device schema). */
export async function testPglite(kind: 'server' | 'device' = 'server'): Promise<TestPglite> {
  const pg = await PGlite.create({ loadDataDir: await template(kind) })
  return { pg, db: drizzlePglite(pg), close: () => pg.close() }
}
