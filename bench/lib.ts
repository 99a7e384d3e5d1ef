/**
 * Small helpers shared by the benchmarks: a seeded random source, timing and percentiles, the
 * printed table, `bench/results.json`, and the databases (device PGlite from a migrated template,
 * a throwaway PostgreSQL database named `cadence_bench_*`).
 */
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import { deviceMigrations } from '@/db/device/migrations.generated'
import { migrate } from '@/db/migrate'
import { serverMigrations } from '@/db/migrations.generated'
import { drizzlePglite, pgliteRunner } from '@/db/pglite'
import type { Db } from '@/db/types'
import { mulberry32 } from '@/test/random'
import { testPostgres, type TestPostgres } from '@/db/testing/postgres'

// Random ---------------------------------------------------------------------------------------

/** mulberry32: a tiny seeded generator, so every run measures the same data. */
export function rng(seed: number) {
  const next = mulberry32(seed)
  return {
    next,
    int: (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!,
    /** A UUIDv7 for the given time, with seeded random bits (what `newId()` makes on a device). */
    uuid7(ms: number) {
      const hex = (n: number, width: number) => Math.floor(n).toString(16).padStart(width, '0').slice(-width)
      const time = hex(ms, 12)
      const r = () => hex(next() * 0x10000, 4)
      const variant = (8 + Math.floor(next() * 4)).toString(16) + hex(next() * 0x1000, 3)
      return `${time.slice(0, 8)}-${time.slice(8)}-7${hex(next() * 0x1000, 3)}-${variant}-${r()}${r()}${r()}`
    },
  }
}
export type Rng = ReturnType<typeof rng>

// Timing and statistics ------------------------------------------------------------------------

export const now = () => performance.now()

export async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = now()
  const value = await fn()
  return { ms: now() - start, value }
}

export function percentile(samples: number[], p: number): number {
  if (samples.length === 0) return NaN
  const sorted = [...samples].sort((a, b) => a - b)
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))
  return sorted[i]!
}

export function latencies(samples: number[]) {
  return {
    p50: round(percentile(samples, 50)),
    p95: round(percentile(samples, 95)),
    p99: round(percentile(samples, 99)),
    n: samples.length,
  }
}

export const round = (x: number, digits = 2) => Number(x.toFixed(digits))

// Output ---------------------------------------------------------------------------------------

export type Row = Record<string, string | number | boolean | null>

export function printTable(title: string, rows: Row[]) {
  console.log(`\n${title}`)
  if (rows.length === 0) return
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))]
  const cell = (v: unknown) => (v === undefined || v === null ? '' : String(v))
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => cell(r[c]).length)))
  const line = (values: string[]) => `| ${values.map((v, i) => v.padEnd(widths[i]!)).join(' | ')} |`
  console.log(line(columns))
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`)
  for (const r of rows) console.log(line(columns.map((c) => cell(r[c]))))
}

const resultsFile = join(import.meta.dirname, 'results.json')

/** Merges one measure's results into bench/results.json. */
export async function saveResults(measure: string, result: unknown, meta: Record<string, unknown>) {
  let all: Record<string, unknown> = {}
  try {
    all = JSON.parse(await readFile(resultsFile, 'utf8')) as Record<string, unknown>
  } catch {
    // first run
  }
  all[measure] = { ...meta, at: new Date().toISOString(), result }
  await writeFile(resultsFile, `${JSON.stringify(all, null, 2)}\n`)
}

// Databases ------------------------------------------------------------------------------------

const templates = new Map<string, Promise<Blob>>()

/**
 * A fresh in-memory PGlite with the device (or server) schema. The first call migrates one and
 * dumps it; later ones load the dump, as test/global-setup.ts does (~0.7 s instead of 2-4 s).
 */
export async function freshPglite(kind: 'device' | 'server' = 'device'): Promise<{ pg: PGlite; db: Db; close(): Promise<void> }> {
  let template = templates.get(kind)
  if (!template) {
    template = (async () => {
      const pg = await PGlite.create()
      await migrate(pgliteRunner(pg), kind === 'device' ? deviceMigrations : serverMigrations)
      const dump = await pg.dumpDataDir('none')
      await pg.close()
      return dump
    })()
    templates.set(kind, template)
  }
  const pg = await PGlite.create({ loadDataDir: await template })
  return { pg, db: drizzlePglite(pg), close: () => pg.close() }
}

/** Loads a PGlite from a dump taken with `pg.dumpDataDir('none')`. */
export async function loadPglite(dump: Blob) {
  const pg = await PGlite.create({ loadDataDir: dump })
  return { pg, db: drizzlePglite(pg), close: () => pg.close() }
}

export const databaseUrl = () =>
  process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'

export type BenchPostgres = TestPostgres

/** A new migrated database `cadence_bench_*` on the PostgreSQL server, dropped on close. */
export const freshPostgres = ({ max = 10 } = {}): Promise<BenchPostgres> =>
  testPostgres({ max, baseUrl: databaseUrl(), prefix: 'cadence_bench' })
