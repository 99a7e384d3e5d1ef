/**
 * A storage window at phone width (SPEC W1, W3, W5, W6): a year of history imported, this device
 * set to keep the last 3 months in Settings; the older workouts leave it, except the last of each
 * exercise; history says where it stops and that the rest is on the server; offline it says what
 * is missing; online, "keep 3 more months" and "keep all history" bring older workouts back
 * without a new snapshot. Screenshots at 390 px, light and dark.
 */
import type { Page } from '@playwright/test'
import { expect, readyOffline, test } from './fixtures'

test.use({ viewport: { width: 390, height: 844 }, hasTouch: true })

/** Full-page screenshots of what is on screen, light then dark (`<path>-light.png`, `<path>-dark.png`). */
async function shots(page: Page, path: string) {
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme })
    await page.screenshot({ path: `${path}-${scheme}.png`, fullPage: true })
  }
  await page.emulateMedia({ colorScheme: 'light' })
}

const DAY = 86_400_000
/** A Strong date `days` ago, at 18:00 local to the file. */
const strongDate = (days: number) => `${new Date(Date.now() - days * DAY).toISOString().slice(0, 10)} 18:00:00`

/** Four workouts: two leg days inside 3 months, two push days 8 and 14 months back. */
const strong = [
  'Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps,Distance,Seconds,Notes,Workout Notes,RPE',
  `${strongDate(14)},"Leg Day",45m,"Squat (Barbell)",1,100,5,0,0,"","",`,
  `${strongDate(60)},"Leg Day",45m,"Squat (Barbell)",1,95,5,0,0,"","",`,
  `${strongDate(240)},"Push Day",1h,"Bench Press (Barbell)",1,80,5,0,0,"","",`,
  `${strongDate(420)},"Push Day",1h,"Bench Press (Barbell)",1,70,5,0,0,"","",`,
].join('\n')

async function importFile(page: Page) {
  await page.goto('/import')
  await expect(page.getByLabel('File to import')).toBeEnabled()
  await page.getByLabel('File to import').setInputFiles({ name: 'strong.csv', mimeType: 'text/csv', buffer: Buffer.from(strong) })
  await page.getByRole('button', { name: 'Import 4 workouts' }).click()
  await expect(page.getByRole('status').filter({ hasText: 'workouts and' })).toContainText('4 workouts and 4 sets written', {
    timeout: 60_000,
  })
}

const synced = (page: Page) => expect(page.getByTestId('sync-pending')).toHaveText('All changes synced', { timeout: 60_000 })

test('[W1] [W3] [W5] [W6] keep 3 months on this device: older history leaves it, says so, and comes back on demand', async ({
  page,
  account,
}, testInfo) => {
  test.setTimeout(300_000)
  await readyOffline(page, account)
  await importFile(page)
  await synced(page)
  await page.goto('/history')
  await expect(page.getByText('Push Day')).toHaveCount(2)
  await expect(page.getByRole('region', { name: 'Older history' })).toHaveCount(0)

  await page.goto('/settings')
  const held = page.getByTestId('history-on-device')
  await expect(held).toContainText('Every workout is kept here.')
  const mine = page.getByRole('listitem').filter({ hasText: 'This device' })
  await mine.getByLabel('History kept').selectOption({ label: 'Last 3 months' })
  await synced(page)
  await expect(held).toContainText('Last 3 months', { timeout: 30_000 })
  await expect(held).toContainText(/Workouts from .* are kept here; older ones are on the server/, { timeout: 30_000 })
  await expect(held).toContainText(/rows of history here/)
  // W6: the server's count of the window's rows, beside the device's own.
  const here = (await held.textContent())!.match(/([\d,]+) rows of history here/)![1]
  await expect(held).toContainText(`The server counts ${here} rows of history for this device.`, { timeout: 30_000 })
  await shots(page, testInfo.outputPath('window-settings-390'))

  // History keeps the window and the last push day (the bench press's last workout), not the older one.
  await page.goto('/history')
  await expect(page.getByText('Leg Day')).toHaveCount(2)
  await expect(page.getByText('Push Day')).toHaveCount(1, { timeout: 30_000 })
  const older = page.getByRole('region', { name: 'Older history' })
  await expect(older).toContainText('Older history is on the server.')
  await expect(older).toContainText(/keeps workouts from .* on/)
  await shots(page, testInfo.outputPath('window-history-390'))

  // Offline: what is missing, and since when.
  await page.context().setOffline(true)
  await expect(older).toContainText(/You are offline: connect to fetch workouts from before/, { timeout: 30_000 })
  await expect(older.getByRole('button', { name: 'Keep 3 more months here' })).toHaveCount(0)
  await page.context().setOffline(false)

  // Online: three more months, then everything, fetched in pages (no new snapshot).
  const snapshots: string[] = []
  page.on('request', (r) => {
    if (r.url().includes('/api/sync/snapshot')) snapshots.push(r.url())
  })
  const boundary = await older.getByText(/keeps workouts from/).textContent()
  await older.getByRole('button', { name: 'Keep 3 more months here' }).click({ timeout: 30_000 })
  // The boundary moves three months back once the server's answer carries the wider window.
  await expect(older.getByText(/keeps workouts from/)).not.toHaveText(boundary!, { timeout: 30_000 })
  await synced(page)
  await page.goto('/settings')
  await expect(held).toContainText('Last 6 months', { timeout: 30_000 })
  await page.goto('/history')
  await page.getByRole('region', { name: 'Older history' }).getByRole('button', { name: 'Keep all history here' }).click()
  await expect(page.getByText('Push Day')).toHaveCount(2, { timeout: 30_000 })
  await expect(page.getByRole('region', { name: 'Older history' })).toHaveCount(0, { timeout: 30_000 })
  expect(snapshots).toEqual([])
})
