/**
 * M5 cold start, in headless Chromium against the production app (`next start`, PostgreSQL)
 * holding the five-year account; each figure is the app's time over a floor measured in the same
 * run, in the same browser, on the same origin (goal: at most 1.5×).
 *
 * - Initial sync. App: a new browser profile with the user's session cookie navigates to `/`;
 *   the clock runs from navigation start until the sync status bar first shows a last-synced
 *   time with no load in progress (the snapshot's transaction has committed). Floor: another new
 *   profile opens the floor page (bench/m5-floor.ts), which makes the device database from the
 *   same template, downloads the same snapshot from /api/sync/snapshot and bulk-inserts its rows
 *   raw; the clock runs from navigation start until that transaction has committed.
 * - Cold start. App: a fresh browser launch on the profile the app synced into navigates to
 *   `/history`; the clock runs from navigation start until the first history entry (an `li` of the
 *   list) is in the DOM. Floor: a fresh launch on the same profile opens the floor page, which
 *   opens the same IndexedDB PGlite in the page (no worker) and runs the same `history` query;
 *   the clock stops when the query returns. One untimed launch of each first, then the timed
 *   ones interleaved, app then floor.
 *
 * Both clocks are the page's `performance.now()`, ms since navigation start. Medians are
 * reported, with every run.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type BrowserContext, type Page } from '@playwright/test'
import { build } from 'esbuild'
import { countRows } from './data'
import { percentile, printTable, round, type Row } from './lib'
import { appDir, ensureBuilt, seedAccount, signUp, startApp, type AppUser } from './m5-app'
import type { FloorResult } from './m5-floor'

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const ARGS = ['--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run']
const WAIT_MS = 15 * 60_000

type Clock = { doneMs: number }
type Watch = 'synced' | 'history'

/** The floor page's script and the app's own PGlite assets, which the floor loads too. */
async function floorBundle(dir: string) {
  const out = await build({
    entryPoints: [join(import.meta.dirname, 'm5-floor.ts')],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'error',
    define: { 'process.env.NODE_ENV': '"production"' },
    // PGlite imports Node's modules only when it runs in Node.
    external: ['node:*'],
  })
  const media = await readdir(join(dir, '.next', 'static', 'media'))
  const asset = (pattern: RegExp) => {
    const name = media.find((f) => pattern.test(f))
    if (!name) throw new Error(`the build has no ${pattern} in .next/static/media`)
    return `/_next/static/media/${name}`
  }
  return {
    script: out.outputFiles[0]!.text,
    wasm: asset(/^pglite\..*wasm$/),
    data: asset(/^pglite\..*data$/),
    initdb: asset(/^initdb\..*wasm$/),
  }
}
type Floor = Awaited<ReturnType<typeof floorBundle>>

/** Where the floor page lives on the app's origin; the benchmark's route answers it. */
const FLOOR = '/__bench'

export async function launch(profile: string, baseURL: string, floor?: Floor): Promise<BrowserContext> {
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: ARGS, baseURL })
  if (floor) {
    await context.route(`**${FLOOR}/floor.js`, (route) => route.fulfill({ contentType: 'text/javascript', body: floor.script }))
    await context.route(`**${FLOOR}/floor.html*`, (route) =>
      route.fulfill({
        contentType: 'text/html',
        body: `<!doctype html><title>M5 floor</title><script type="module" src="${FLOOR}/floor.js"></script>`,
      }),
    )
  }
  return context
}

export async function signIn(context: BrowserContext, user: AppUser, baseUrl: string) {
  const response = await context.request.post('/api/auth/sign-in/email', {
    data: { email: user.email, password: user.password },
    headers: { origin: baseUrl },
  })
  if (!response.ok()) throw new Error(`sign-in answered ${response.status()}: ${await response.text()}`)
}

/**
 * Runs in the app's page before any of its scripts (a string: the benchmark's own functions are
 * transpiled with helpers the page lacks): records in `window.__m5` when `what` first shows in the
 * DOM, in ms since navigation start.
 */
export const watchFor = (what: Watch) => `(() => {
  const what = ${JSON.stringify(what)}
  const seen = () => {
    if (what === 'history') return document.querySelector('section[aria-labelledby="history-heading"] li') !== null
    const status = document.querySelector('[role="status"][aria-label="Sync status"]')?.textContent ?? ''
    return status.includes('Last synced') && !status.includes('Last synced never') && !status.includes('Loading')
  }
  const observer = new MutationObserver(() => {
    if (!seen()) return
    window.__m5 = { doneMs: performance.now() }
    observer.disconnect()
  })
  observer.observe(document, { childList: true, subtree: true, characterData: true })
})()`

/** Opens `url` and waits for the page's `window.__m5`; fails at once on an uncaught error in the page. */
export async function visit<T>(page: Page, url: string): Promise<T> {
  const errors: string[] = []
  page.on('pageerror', (e) => errors.push(e.message))
  await page.goto(url)
  const deadline = Date.now() + WAIT_MS
  for (;;) {
    const value = (await page.evaluate(() => (window as unknown as { __m5?: unknown }).__m5)) as T | { error: string } | undefined
    if (value && typeof value === 'object' && 'error' in value) throw new Error(`floor page: ${value.error}`)
    if (value) return value
    if (errors.length > 0) throw new Error(`the page failed: ${errors.join('\n')}`)
    if (Date.now() > deadline) throw new Error(`nothing within ${WAIT_MS / 1000} s on ${page.url()}`)
    await page.waitForTimeout(100)
  }
}

type Snapshot = { startMs: number; endMs: number }
type AppClock = Clock & { controlled: boolean; snapshot?: Snapshot }

/**
 * One timed visit of the app: `path` until `what` shows. Then, like a user's visit, it waits for
 * the service worker to be active and the sync loop to be idle (its first long poll sent), so
 * the browser closes on a settled device, as a returning one's.
 */
async function appVisit(context: BrowserContext, path: string, what: Watch): Promise<AppClock> {
  const page = await context.newPage()
  await page.addInitScript({ content: watchFor(what) })
  const idle = page.waitForRequest((r) => r.url().includes('/api/sync/pull') && new URL(r.url()).searchParams.get('waitMs') !== '0', {
    timeout: WAIT_MS,
  })
  idle.catch(() => undefined) // awaited below; if the visit fails first, the browser's closing rejects it
  const clock = await visit<Clock>(page, path)
  await idle
  return page.evaluate(async (clock) => {
    const controlled = Boolean(navigator.serviceWorker.controller)
    await navigator.serviceWorker.ready
    // The snapshot's request, on the same clock: sent, and its last byte received.
    const entry = performance.getEntriesByType('resource').find((e) => e.name.includes('/api/sync/snapshot')) as
      PerformanceResourceTiming | undefined
    const snapshot = entry ? { startMs: entry.startTime, endMs: entry.responseEnd } : undefined
    return { ...clock, controlled, snapshot }
  }, clock)
}

async function floorVisit(context: BrowserContext, query: Record<string, string>): Promise<FloorResult> {
  const page = await context.newPage()
  // The app's service worker controls its origin on a synced profile and would answer the floor
  // page's requests itself, unseen by the route: this page bypasses it (PGlite's files then come
  // from the browser's HTTP cache or the server).
  const cdp = await context.newCDPSession(page)
  await cdp.send('Network.enable')
  await cdp.send('Network.setBypassServiceWorker', { bypass: true })
  return visit<FloorResult>(page, `${FLOOR}/floor.html?${new URLSearchParams(query)}`)
}

async function withBrowser<T>(
  profile: string,
  baseUrl: string,
  floor: Floor | undefined,
  fn: (context: BrowserContext) => Promise<T>,
): Promise<T> {
  const context = await launch(profile, baseUrl, floor)
  try {
    return await fn(context)
  } finally {
    await context.close()
  }
}

const median = (xs: number[]) => round(percentile(xs, 50), 0)
const runs = (xs: { doneMs: number }[]) => xs.map((x) => round(x.doneMs, 0))

/** Median ms of each phase: from the previous mark (navigation start for the first) to its own. */
function phases(marks: Record<string, number>[], names: string[]): Record<string, number> {
  return Object.fromEntries(names.map((name, i) => [name, median(marks.map((m) => m[name]! - (i === 0 ? 0 : m[names[i - 1]!]!)))]))
}
const shown = (p: Record<string, number>) =>
  Object.entries(p)
    .map(([name, ms]) => `${name} +${ms}`)
    .join(' · ')

type Context = { baseUrl: string; user: AppUser; floor: Floor; assets: Record<string, string>; newProfile(): string }

/** Initial sync, `n` times: each run a new profile for the app, then a new one for the floor. */
async function initialSync(ctx: Context, n: number) {
  const app: AppClock[] = []
  const floor: FloorResult[] = []
  let profile = ''
  for (let i = 0; i < n; i++) {
    profile = ctx.newProfile()
    app.push(
      await withBrowser(profile, ctx.baseUrl, undefined, async (context) => {
        await signIn(context, ctx.user, ctx.baseUrl)
        return appVisit(context, '/', 'synced')
      }),
    )
    floor.push(
      await withBrowser(ctx.newProfile(), ctx.baseUrl, ctx.floor, async (context) => {
        await signIn(context, ctx.user, ctx.baseUrl)
        return floorVisit(context, { mode: 'initial', ...ctx.assets })
      }),
    )
    console.log(`  initial sync ${i + 1}/${n}: app ${Math.round(app[i]!.doneMs)} ms, floor ${Math.round(floor[i]!.doneMs)} ms`)
  }
  return { app, floor, profile }
}

/** Cold start on a synced profile, a fresh browser launch each time: one untimed pair, then `n` timed, app then floor. */
async function coldStart(ctx: Context, profile: string, n: number) {
  const app: AppClock[] = []
  const floor: FloorResult[] = []
  for (let i = -1; i < n; i++) {
    const a = await withBrowser(profile, ctx.baseUrl, undefined, (context) => appVisit(context, '/history', 'history'))
    const f = await withBrowser(profile, ctx.baseUrl, ctx.floor, (context) =>
      floorVisit(context, { mode: 'history', user: ctx.user.id, ...ctx.assets }),
    )
    if (i < 0) continue
    app.push(a)
    floor.push(f)
    console.log(`  cold start ${i + 1}/${n}: app ${Math.round(a.doneMs)} ms, floor ${Math.round(f.doneMs)} ms`)
  }
  return { app, floor }
}

export async function m5({ scale, initialRuns = 3, coldRuns = 5 }: { scale: number; initialRuns?: number; coldRuns?: number }) {
  const dir = appDir()
  ensureBuilt(dir)
  const floor = await floorBundle(dir)
  const app = await startApp(dir)
  const profiles = await mkdtemp(join(tmpdir(), 'cadence-m5-'))
  let n = 0
  try {
    const user = await signUp(app.baseUrl, 'Athlete')
    const account = await seedAccount(app.database, user, scale)
    const counts = countRows(account.workouts)
    console.log(
      `M5: app in ${dir} on ${app.baseUrl}; seeded ${counts.workouts} workouts (${counts.entries} entries, ${counts.values} values)`,
    )
    const ctx: Context = {
      baseUrl: app.baseUrl,
      user,
      floor,
      assets: { wasm: floor.wasm, data: floor.data, initdb: floor.initdb },
      newProfile: () => join(profiles, `profile-${++n}`),
    }
    const initial = await initialSync(ctx, initialRuns)
    const cold = await coldStart(ctx, initial.profile, coldRuns)

    // The app's device must hold what the floor loaded, and its history must be the floor's.
    const loaded = initial.floor[0]!.entries
    if (loaded !== counts.entries || cold.floor.some((f) => f.entries !== loaded || f.roots !== Math.min(100, counts.workouts))) {
      throw new Error(
        `M5: the devices differ: ${JSON.stringify({ seeded: counts.entries, floorLoaded: loaded, appDevice: cold.floor.map((f) => ({ entries: f.entries, roots: f.roots })) })}`,
      )
    }
    return report(counts, initial, cold)
  } finally {
    await app.close()
    await rm(profiles, { recursive: true, force: true })
  }
}

function report(
  counts: ReturnType<typeof countRows>,
  initial: Awaited<ReturnType<typeof initialSync>>,
  cold: Awaited<ReturnType<typeof coldStart>>,
) {
  const ms = {
    initialApp: median(initial.app.map((r) => r.doneMs)),
    initialFloor: median(initial.floor.map((r) => r.doneMs)),
    coldApp: median(cold.app.map((r) => r.doneMs)),
    coldFloor: median(cold.floor.map((r) => r.doneMs)),
  }
  const appMarks = initial.app.flatMap((r) =>
    r.snapshot ? [{ 'snapshot sent': r.snapshot.startMs, 'snapshot received': r.snapshot.endMs, synced: r.doneMs }] : [],
  )
  const res = {
    goal: '<= 1.5',
    workouts: counts.workouts,
    entries: counts.entries,
    snapshotRows: initial.floor[0]!.rows,
    initialSync: {
      ratio: round(ms.initialApp / ms.initialFloor, 2),
      app: {
        medianMs: ms.initialApp,
        runsMs: runs(initial.app),
        phases: phases(appMarks, ['snapshot sent', 'snapshot received', 'synced']),
      },
      floor: {
        medianMs: ms.initialFloor,
        runsMs: runs(initial.floor),
        phases: phases(
          initial.floor.map((r) => r.steps),
          ['opened', 'downloaded', 'inserted'],
        ),
      },
    },
    coldStart: {
      ratio: round(ms.coldApp / ms.coldFloor, 2),
      app: { medianMs: ms.coldApp, runsMs: runs(cold.app), serviceWorker: cold.app.every((r) => r.controlled) },
      floor: {
        medianMs: ms.coldFloor,
        runsMs: runs(cold.floor),
        phases: phases(
          cold.floor.map((r) => r.steps),
          ['opened', 'queried'],
        ),
      },
    },
  }
  const table: Row[] = [
    {
      measure: 'initial sync',
      path: 'app: / until synced',
      'median ms': ms.initialApp,
      runs: res.initialSync.app.runsMs.join(', '),
      phases: shown(res.initialSync.app.phases),
      ratio: res.initialSync.ratio,
    },
    {
      measure: 'initial sync',
      path: 'floor: template, snapshot, raw COPY',
      'median ms': ms.initialFloor,
      runs: res.initialSync.floor.runsMs.join(', '),
      phases: shown(res.initialSync.floor.phases),
      ratio: 1,
    },
    {
      measure: 'cold start',
      path: 'app: /history until first entry',
      'median ms': ms.coldApp,
      runs: res.coldStart.app.runsMs.join(', '),
      phases: res.coldStart.app.serviceWorker ? '(page under the service worker)' : '(not always under the service worker)',
      ratio: res.coldStart.ratio,
    },
    {
      measure: 'cold start',
      path: 'floor: open PGlite, history query',
      'median ms': ms.coldFloor,
      runs: res.coldStart.floor.runsMs.join(', '),
      phases: shown(res.coldStart.floor.phases),
      ratio: 1,
    },
  ]
  printTable(
    `M5 cold start (${counts.workouts} workouts, ${res.snapshotRows} snapshot rows; ms since navigation start; goal ratio <= 1.5)`,
    table,
  )
  return res
}
