/**
 * The Serwist service worker (pwa/sw.ts, public/sw.js as scripts/build-service-worker.ts writes
 * it): what it downloads on a first install and on a deploy, and what it serves offline.
 *
 * Requests are observed from the browser's side: Playwright reports every fetch a service worker
 * makes on the context, with `request.serviceWorker()` set. Only the precache and the pages'
 * network-first routes fetch from the worker (everything else goes straight to the network), so
 * outside navigations those requests are exactly what the worker downloads into its precache.
 */
import { execFileSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import type { BrowserContext, Page } from '@playwright/test'
import { expect, readyOffline, test } from './fixtures'

type Entry = { url: string; revision: string | null }

/** The precache list the build injected into public/sw.js. */
function precacheList(): Entry[] {
  const source = readFileSync('public/sw.js', 'utf8')
  const start = source.indexOf('[{"')
  let depth = 0
  for (let i = start; i < source.length; i += 1) {
    if (source[i] === '[') depth += 1
    else if (source[i] === ']' && --depth === 0) return JSON.parse(source.slice(start, i + 1)) as Entry[]
  }
  throw new Error('public/sw.js holds no precache list')
}

/** The key Serwist stores an entry under: its URL, plus its revision if it has one. */
function cacheKey(entry: Entry): string {
  if (entry.revision === null) return entry.url
  return `${entry.url}${entry.url.includes('?') ? '&' : '?'}__WB_REVISION__=${entry.revision}`
}

/** Every URL (path and query) this context's service workers fetch from now on. */
function workerFetches(context: BrowserContext): string[] {
  const seen: string[] = []
  context.on('request', (request) => {
    if (!request.serviceWorker()) return
    const url = new URL(request.url())
    seen.push(url.pathname + url.search)
  })
  return seen
}

/** The precache's keys (path and query), as the page's worker stored them. */
function precached(page: Page): Promise<string[]> {
  return page.evaluate(async () => {
    const names = (await caches.keys()).filter((name) => name.includes('precache'))
    const keys = await Promise.all(names.map(async (name) => (await (await caches.open(name)).keys()).map((r) => new URL(r.url))))
    return keys.flat().map((url) => url.pathname + url.search)
  })
}

test('a deploy that changed one file downloads that file alone; the rest stays in the precache', async ({ context, page, account }) => {
  test.setTimeout(300_000)
  const first = precacheList()
  const fetches = workerFetches(context)
  await readyOffline(page, account)

  // The first install downloads the whole list, PGlite's .wasm and .data and the device template included.
  await expect.poll(() => precached(page).then((keys) => keys.length), { timeout: 120_000 }).toBe(first.length)
  for (const entry of first) expect(fetches).toContain(entry.url)
  expect(first.some((e) => e.url.endsWith('.wasm'))).toBe(true)
  expect(first.some((e) => e.url.endsWith('.data'))).toBe(true)
  expect(first.find((e) => e.url === '/device-template.tar.gz')?.revision).toMatch(/^[0-9a-f]{32}$/)

  const icon = 'public/icons/maskable-512.png'
  const worker = readFileSync('public/sw.js')
  const iconBytes = readFileSync(icon)
  try {
    // "Deploy": one public file changed, and the worker written again from the same build by the build's own script.
    writeFileSync(icon, Buffer.concat([iconBytes, Buffer.from('deploy 2')]))
    execFileSync('node_modules/.bin/tsx', ['scripts/build-service-worker.ts'], { stdio: 'pipe' })
    const second = precacheList()
    const changed = second.filter((e) => first.find((f) => f.url === e.url)?.revision !== e.revision)
    expect(changed.map((e) => e.url)).toEqual(['/icons/maskable-512.png'])
    expect(second.map((e) => e.url).sort()).toEqual(first.map((e) => e.url).sort())

    fetches.length = 0
    await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.update())
    const prompt = page.getByRole('alert').filter({ hasText: 'A new version of Cadence is ready.' })
    await expect(prompt).toBeVisible({ timeout: 120_000 })
    // The new worker is installed (it waits): it fetched the changed file, and nothing else.
    expect(fetches.filter((url) => url !== '/sw.js')).toEqual(['/icons/maskable-512.png'])

    await Promise.all([page.waitForEvent('load'), prompt.getByRole('button', { name: 'Update' }).click()])
    await expect(page.getByRole('heading', { level: 1, name: `${account.name}'s library` })).toBeVisible()
    // Activated: the precache holds the new list (the old icon's entry is gone), and the reload
    // fetched none of it again (the page itself, network first, is no precache entry).
    await expect.poll(async () => (await precached(page)).sort()).toEqual(second.map(cacheKey).sort())
    const listed = new Set(second.map((e) => e.url))
    expect(fetches.filter((url) => listed.has(url))).toEqual(['/icons/maskable-512.png'])
  } finally {
    writeFileSync(icon, iconBytes)
    writeFileSync('public/sw.js', worker)
  }
})

test('offline, the links of the app move client-side: no page load, no console error', async ({ context, page, account }) => {
  test.setTimeout(240_000)
  await readyOffline(page, account)
  // Opened offline, so nothing Next prefetched online helps: every move needs the worker.
  await context.setOffline(true)
  await page.goto('/history')
  await expect(page.getByRole('heading', { level: 1, name: 'History' })).toBeVisible()
  const errors: string[] = []
  page.on('console', (message) => {
    // The sync engine's own requests fail offline, and it waits for the network: not a navigation's error.
    if (message.type() === 'error' && !new URL(message.location().url || page.url()).pathname.startsWith('/api/')) {
      errors.push(`${message.text()} (${message.location().url})`)
    }
  })
  page.on('pageerror', (error) => errors.push(error.message))
  const loads: string[] = []
  page.on('load', () => loads.push(page.url()))
  const payloads: string[] = []
  page.on('response', (response) => {
    const request = response.request()
    const prefetch = request.headers()['next-router-prefetch'] ?? request.headers()['next-router-segment-prefetch']
    if (request.headers()['rsc'] === '1' && !prefetch && response.fromServiceWorker()) payloads.push(new URL(response.url()).pathname)
  })

  await page.evaluate(() => ((window as unknown as { marker: string }).marker = 'this document'))
  const nav = page.getByRole('navigation', { name: 'Main' })
  for (const [link, heading] of [
    ['Progress', 'Progress'],
    ['Settings', 'Settings'],
    ['Libraries', 'Libraries'],
    ['Library', `${account.name}'s library`],
  ] as const) {
    await nav.getByRole('link', { name: link, exact: true }).click()
    await expect(page.getByRole('heading', { level: 1, name: heading })).toBeVisible()
    await expect(page.getByTestId('sync-online')).toHaveText('Offline')
    expect(await page.evaluate(() => (window as unknown as { marker?: string }).marker)).toBe('this document')
  }
  expect(loads).toEqual([])
  expect(errors).toEqual([])
  // Each move was given its page's payload by the worker (the precached RSC shell).
  expect(payloads).toEqual(['/progress', '/settings', '/libraries', '/'])
})

test('persistent storage is asked for at the first sync, and Settings shows the answer', async ({ page, account }) => {
  // The browser's answer is stubbed: headless Chromium decides it by site engagement, not by the app.
  await page.addInitScript(() => {
    let persisted = false
    const asked: string[] = []
    ;(window as unknown as { persistAsked: string[] }).persistAsked = asked
    navigator.storage.persisted = async () => persisted
    navigator.storage.persist = async () => {
      asked.push(new Date().toISOString())
      persisted = true
      return true
    }
  })
  await readyOffline(page, account)
  // Asked once the first sync succeeded (readyOffline reloaded the page: once per page).
  await expect.poll(() => page.evaluate(() => (window as unknown as { persistAsked: string[] }).persistAsked.length)).toBe(1)
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings', exact: true }).click()
  await expect(page.getByTestId('storage-persistence')).toContainText('Storage: persistent')
})

test('Settings says when the browser may clear the data', async ({ page, account }) => {
  await page.addInitScript(() => {
    navigator.storage.persisted = async () => false
    navigator.storage.persist = async () => false
  })
  await readyOffline(page, account)
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings', exact: true }).click()
  const storage = page.getByTestId('storage-persistence')
  await expect(storage).toContainText('Storage: may be cleared by the browser')
  await expect(storage).toContainText(/Using \d+\.\d MB of \d+\.\d MB available\./)
  await storage.scrollIntoViewIfNeeded()
  await page.screenshot({ path: test.info().outputPath('settings-storage.png') })
})
