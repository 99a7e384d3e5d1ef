/**
 * A new deploy: the installed service worker finds a new version, the page offers it, and the
 * switch happens only when the user asks. The first install never reloads the page.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import type { Page } from '@playwright/test'
import { expect, signUp, test } from './fixtures'

const worker = 'public/sw.js'

/** Marks this document, so a test can tell whether the page has been reloaded since. */
async function mark(page: Page) {
  return page.evaluate(() => ((window as unknown as { marker: number }).marker = Math.random()))
}
function marker(page: Page) {
  return page.evaluate(() => (window as unknown as { marker?: number }).marker ?? null)
}

test('a new version is offered, and taken only when the user asks', async ({ page, account }) => {
  test.setTimeout(300_000)
  await signUp(page, account)
  await expect(page.getByRole('heading', { level: 1, name: "Ann's library" })).toBeVisible()
  // The first worker installs and claims this page; that must not reload it (the user may be typing).
  const first = await mark(page)
  await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null), { timeout: 120_000 }).toBe(true)
  expect(await marker(page)).toBe(first)
  // Serwist's precache, one for every version (each keeps the entries whose revision it shares).
  // (And the device's photo cache, once the device has opened it.)
  const before = (await page.evaluate(() => caches.keys())).filter((key) => key !== 'cadence-media')
  expect(before).toEqual([expect.stringMatching(/precache/)])
  // What the hand-written worker before Serwist left: a cache per build, which the next worker deletes.
  await page.evaluate(async () => (await caches.open('cadence-old-build')).put('/old', new Response('old')))
  // The device's photo cache, which may hold photos still to upload (SPEC M6): no update touches it.
  // (Stamped as the device stamps a blob it stores: one of no photo's, left unstamped, is swept as
  // a crash's leftover.)
  await page.evaluate(async () => {
    const headers = { 'x-cadence-stored-at': new Date().toISOString() }
    await (await caches.open('cadence-media')).put('/media-cache/kept', new Response('photo', { headers }))
  })
  const second = await mark(page)

  const original = readFileSync(worker, 'utf8')
  try {
    // "Deploy" a new build: the worker's bytes change.
    writeFileSync(worker, `${original}\n// deploy 2\n`)
    await page.evaluate(async () => {
      const registration = await navigator.serviceWorker.getRegistration()
      await registration?.update()
    })
    const prompt = page.getByRole('alert').filter({ hasText: 'A new version of Cadence is ready.' })
    await expect(prompt).toBeVisible({ timeout: 120_000 })
    // Not taken yet: the old version still serves this page, and the page was not reloaded.
    expect(await marker(page)).toBe(second)

    // Taken: the new worker takes over and the page reloads once.
    await Promise.all([page.waitForEvent('load'), prompt.getByRole('button', { name: 'Update' }).click()])
    expect(await marker(page)).toBeNull()
    await expect(page.getByRole('heading', { level: 1, name: "Ann's library" })).toBeVisible()
    await expect(prompt).toBeHidden()
    // The new version kept the precache and the photos, and deleted the old worker's cache.
    await expect.poll(() => page.evaluate(() => caches.keys().then((keys) => keys.sort()))).toEqual([...before, 'cadence-media'].sort())
    expect(await page.evaluate(async () => (await (await caches.open('cadence-media')).match('/media-cache/kept'))?.text())).toBe('photo')
  } finally {
    writeFileSync(worker, original)
  }
})
