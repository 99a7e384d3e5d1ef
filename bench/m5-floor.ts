/**
 * M5's floor page, run in Chromium on the app's origin (the benchmark bundles it with esbuild and
 * serves it under /__bench/, past the app's service worker): the app's PGlite, IndexedDB database
 * and queries with nothing of the app around them (no Next.js, React, worker, migrator or sync
 * client). PGlite's .wasm and .data files are the ones the app's build serves (their URLs come in
 * the query: `wasm`, `initdb`, `data`), so both load the same bytes.
 *
 * - `?mode=initial`: a new device database from the app's device template, then the snapshot
 *   downloaded from the real /api/sync/snapshot (the session cookie of the page) and its rows
 *   loaded raw by `COPY … FROM '/dev/blob'`, in one transaction (`rawCopy`, M1's baseline: the
 *   fastest way PGlite loads rows).
 * - `?mode=history&user=…`: opens the device database the app left in IndexedDB and runs the
 *   history page's query (`history` of db/queries/local.ts, the very function the page calls).
 *
 * When done it sets `window.__m5` to its clock readings, in ms since navigation start (the same
 * clock the benchmark reads in the app's pages), or to `{ error }`.
 */
import { PGlite } from '@electric-sql/pglite'
import { history } from '@/db/queries/local'
import { drizzlePglite } from '@/db/pglite'
import { newId } from '@/domain/ids'
import { PROTOCOL_VERSION, type SnapshotLine } from '@/sync/protocol'
import { rawCopy } from './raw-insert'

/** The database the app opens (sync/client/browser.ts) and the template a new device starts from (sync/client/pglite-worker.ts). */
const DATA_DIR = 'idb://cadence'
const TEMPLATE_URL = '/device-template.tar.gz'

export type FloorResult = {
  /** ms since navigation start when the work was done: the rows committed, or the history read. */
  doneMs: number
  /** ms since navigation start at the end of each step. */
  steps: Record<string, number>
  /** Entries in the device database afterwards (read after the clock stopped). */
  entries: number
  /** Root entries the history query returned (history mode). */
  roots?: number
  /** Rows the snapshot held (initial mode). */
  rows?: number
}

async function entryCount(pg: PGlite) {
  const result = await pg.query<{ n: number }>('select count(*)::int as n from entries')
  return result.rows[0]!.n
}

/** The snapshot's rows by table, as one download parsed line by line. */
async function downloadSnapshot() {
  const query = new URLSearchParams({ v: String(PROTOCOL_VERSION), deviceId: newId(), since: '0' })
  const response = await fetch(`/api/sync/snapshot?${query}`, { credentials: 'same-origin', cache: 'no-store' })
  if (!response.ok) throw new Error(`the snapshot answered ${response.status}`)
  const rows = new Map<string, Record<string, unknown>[]>()
  for (const text of (await response.text()).split('\n')) {
    if (!text) continue
    const line = JSON.parse(text) as SnapshotLine
    // This device's own mutation results settle its outbox; a new device has none.
    if (line.type !== 'rows' || line.table === 'mutation_results') continue
    const list = rows.get(line.table) ?? []
    for (const row of line.rows) list.push(row)
    rows.set(line.table, list)
  }
  return rows
}

/** PGlite's files from the app's build, fetched and compiled as PGlite does by itself. */
async function pgliteFiles(params: URLSearchParams) {
  const [pgliteWasmModule, initdbWasmModule, fsBundle] = await Promise.all([
    WebAssembly.compileStreaming(fetch(params.get('wasm')!)),
    WebAssembly.compileStreaming(fetch(params.get('initdb')!)),
    fetch(params.get('data')!).then((r) => r.blob()),
  ])
  return { pgliteWasmModule, initdbWasmModule, fsBundle }
}

async function initialSync(params: URLSearchParams): Promise<FloorResult> {
  const steps: Record<string, number> = {}
  const [files, template] = await Promise.all([pgliteFiles(params), fetch(TEMPLATE_URL).then((r) => r.blob())])
  const pg = await PGlite.create({ ...files, dataDir: DATA_DIR, loadDataDir: template })
  steps.opened = performance.now()
  const rows = await downloadSnapshot()
  steps.downloaded = performance.now()
  await rawCopy(pg, rows)
  const doneMs = (steps.inserted = performance.now())
  const result = { doneMs, steps, entries: await entryCount(pg), rows: [...rows.values()].reduce((n, l) => n + l.length, 0) }
  await pg.close()
  return result
}

async function coldHistory(params: URLSearchParams, userId: string): Promise<FloorResult> {
  const steps: Record<string, number> = {}
  const pg = await PGlite.create({ ...(await pgliteFiles(params)), dataDir: DATA_DIR })
  steps.opened = performance.now()
  const found = await history(drizzlePglite(pg), userId)
  const doneMs = (steps.queried = performance.now())
  const result = { doneMs, steps, entries: await entryCount(pg), roots: found.roots.length }
  await pg.close()
  return result
}

async function main(): Promise<FloorResult> {
  const params = new URLSearchParams(location.search)
  if (params.get('mode') === 'initial') return initialSync(params)
  const user = params.get('user')
  if (params.get('mode') === 'history' && user) return coldHistory(params, user)
  throw new Error(`unknown floor page: ${location.search}`)
}

const done = (value: FloorResult | { error: string }) => {
  ;(window as unknown as { __m5: typeof value }).__m5 = value
}
main().then(done, (error: unknown) => done({ error: error instanceof Error ? error.message : String(error) }))
