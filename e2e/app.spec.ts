/**
 * The app on local data: logging with the network off, another device catching up, every page
 * opening offline from the service worker, installability, and screenshots of the main pages.
 */
import { chromium, type BrowserContext, type Page } from '@playwright/test'
import { createExercise, createWorkout, expect, readyOffline, signIn, signUp, test } from './fixtures'

async function offline(context: BrowserContext, page: Page) {
  await context.setOffline(true)
  await page.reload()
  await expect(page.getByTestId('sync-online')).toHaveText('Offline')
}

test('logs an entry and a whole workout with the network off; another device gets both when it returns', async ({
  context,
  page,
  account,
  browser,
}) => {
  // Two devices, offline and back, edits and a delete: minutes on a loaded two-core machine.
  test.setTimeout(360_000)
  await readyOffline(page, account)
  await createExercise(page, 'Back squat')
  await createWorkout(page, 'Leg day', 'Back squat', 2)
  await expect(page.getByTestId('sync-pending')).toHaveText('All changes synced')

  await offline(context, page)
  await expect(page.getByRole('heading', { level: 1, name: "Ann's library" })).toBeVisible()
  await page.getByRole('link', { name: 'Log Back squat' }).click()
  await page.getByLabel('Weight (kg)').fill('100')
  await page.getByLabel('Reps').fill('5')
  await page.getByRole('button', { name: 'Save entry' }).click()
  await expect(page.getByRole('status').filter({ hasText: 'Logged Back squat.' })).toBeVisible()

  await page.getByRole('link', { name: 'Library' }).click()
  await page.getByRole('link', { name: 'Log Leg day' }).click()
  // Never done as a workout: "previous" is the last time the exercise was done at all, the entry
  // logged above, for its first set; the second has none.
  await expect(page.getByRole('button', { name: 'Back squat set 1: last time 100 × 5. Copy' })).toBeVisible()
  await expect(page.getByRole('button', { name: 'Back squat set 2: nothing last time' })).toBeDisabled()
  await expect(page.getByTestId('set-row')).toHaveCount(2)
  for (const [i, weight] of ['60', '80'].entries()) {
    await page.getByLabel(`Back squat set ${i + 1} Weight (kg)`).fill(weight)
    await page.getByLabel(`Back squat set ${i + 1} Reps`).fill('8')
  }
  await page.getByRole('button', { name: 'Back squat set 1 done' }).click()
  await expect(page.getByRole('timer')).toContainText('Rest')
  await page.getByRole('button', { name: 'Finish', exact: true }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'Leg day done' })).toBeVisible()
  await expect(page.getByTestId('sync-pending')).toHaveText('2 pending')

  // Offline reload: both entries are still there, read from the device database.
  await page.goto('/history').catch(() => undefined)
  await page.reload()
  const history = page.getByRole('main')
  // Each exercise's sets on one line: the set logged on its own, and the workout's two.
  await expect(history.getByRole('button', { name: 'Back squat 100 kg × 5' })).toBeVisible()
  await expect(history.getByText('Leg day')).toBeVisible()
  await expect(history.getByRole('button', { name: 'Back squat 60 kg × 8, 80 kg × 8' })).toBeVisible()

  // Edit offline: the squat entry had 5 reps, it was 6.
  await history.getByRole('button', { name: 'Back squat 100 kg × 5' }).click()
  await page.getByRole('button', { name: 'Edit Back squat set 1' }).click()
  const editor = page.getByRole('form', { name: 'Edit Back squat set 1' })
  await editor.getByLabel('Reps').fill('6')
  await editor.getByLabel('Notes').fill('Felt strong')
  await editor.getByRole('button', { name: 'Save changes' }).click()
  await expect(history.getByRole('button', { name: 'Back squat 100 kg × 6' })).toBeVisible()

  await context.setOffline(false)
  await expect(page.getByTestId('sync-pending')).toHaveText('All changes synced', { timeout: 60_000 })

  const other = await browser.newContext()
  const laptop = await other.newPage()
  await signIn(laptop, account)
  await expect(laptop.getByRole('heading', { level: 1, name: "Ann's library" })).toBeVisible()
  await laptop.getByRole('link', { name: 'History' }).click()
  await expect(laptop.getByRole('main').getByText('Leg day')).toBeVisible()
  await expect(laptop.getByRole('main').getByRole('button', { name: 'Back squat 100 kg × 6' })).toBeVisible()
  await expect(laptop.getByRole('main').getByText('Felt strong')).toBeVisible()
  // "Previous" on the other device: last time is the workout logged offline.
  await laptop.getByRole('link', { name: 'Library' }).click()
  await laptop.getByRole('link', { name: 'Log Leg day' }).click()
  await expect(laptop.getByRole('button', { name: 'Back squat set 2: last time 80 × 8. Copy' })).toBeVisible()
  // A delete on one device reaches the other, live: the whole workout goes, sets included.
  await laptop.getByRole('link', { name: 'History' }).click()
  laptop.once('dialog', (dialog) => void dialog.accept())
  await laptop.getByRole('button', { name: 'Delete Leg day entry' }).click()
  await expect(laptop.getByRole('main').getByText('Leg day')).toHaveCount(0)
  await expect(history.getByText('Leg day')).toHaveCount(0, { timeout: 60_000 })
  await expect(history.getByText('Back squat', { exact: true })).toBeVisible()
  await other.close()
})

test('Chromium finds the app installable', async ({ account, baseURL }, testInfo) => {
  // Installability needs a real profile: every context of a plain launch is incognito.
  const context = await chromium.launchPersistentContext(testInfo.outputPath('profile'), {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    baseURL,
    args: ['--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  })
  const page = context.pages()[0] ?? (await context.newPage())
  await readyOffline(page, account)
  const cdp = await context.newCDPSession(page)
  const { installabilityErrors } = (await cdp.send('Page.getInstallabilityErrors')) as { installabilityErrors: unknown[] }
  expect(installabilityErrors).toEqual([])
  await context.close()
})

test('every main page opens with the network off, even one never visited', async ({ context, page, account }) => {
  test.setTimeout(240_000)
  await readyOffline(page, account)

  await context.setOffline(true)
  for (const [path, heading] of [
    ['/history', 'History'],
    ['/progress', 'Progress'],
    ['/settings', 'Settings'],
    ['/libraries', 'Libraries'],
    ['/log', 'Log'],
    ['/', "Ann's library"],
  ] as const) {
    const response = await page.goto(path)
    // The page came from the service worker's cache: the network really was off.
    expect(response?.headers()['x-cadence-shell']).toBe('offline')
    await expect(page.getByRole('heading', { level: 1, name: heading })).toBeVisible()
    await expect(page.getByTestId('sync-online')).toHaveText('Offline')
  }
})

for (const viewport of [
  { name: 'phone', width: 390, height: 844 },
  { name: 'desktop', width: 1280, height: 800 },
]) {
  test(`screenshots of the main pages on a ${viewport.name}`, async ({ browser }, testInfo) => {
    const context = await browser.newContext({ viewport })
    const page = await context.newPage()
    const account = { name: 'Ann', email: `ann-shots-${viewport.name}-${Date.now()}@example.com`, password: 'correct horse battery' }
    await signUp(page, account)
    await expect(page.getByRole('heading', { level: 1, name: "Ann's library" })).toBeVisible()
    await createExercise(page, 'Bench press')
    await page.getByRole('link', { name: 'Log Bench press' }).click()
    await page.getByLabel('Weight (kg)').fill('70')
    await page.getByLabel('Reps').fill('5')
    await page.getByRole('button', { name: 'Save entry' }).click()
    await expect(page.getByRole('status').filter({ hasText: 'Logged Bench press.' })).toBeVisible()
    for (const [path, heading] of [
      ['/', "Ann's library"],
      ['/history', 'History'],
      ['/settings', 'Settings'],
    ] as const) {
      await page.goto(path)
      await expect(page.getByRole('heading', { level: 1, name: heading })).toBeVisible()
      await page.screenshot({
        path: testInfo.outputPath(`${viewport.name}${path === '/' ? '-library' : path.replace('/', '-')}.png`),
        fullPage: true,
      })
    }
    await page.goto(`/progress`)
    await page.getByLabel('Activity').selectOption({ label: 'Bench press' })
    const records = page.getByRole('definition')
    await expect(page.getByText('Heaviest Weight')).toBeVisible()
    await expect(records.filter({ hasText: '70 kg' })).toHaveCount(1)
    // Estimated one-rep max (Epley) of 70 kg × 5, not only the heaviest weight.
    await expect(page.getByText('Estimated one-rep max')).toBeVisible()
    await expect(records.filter({ hasText: '81.67 kg' })).toHaveCount(1)
    await page.screenshot({ path: testInfo.outputPath(`${viewport.name}-progress.png`), fullPage: true })
    await context.close()
  })
}
