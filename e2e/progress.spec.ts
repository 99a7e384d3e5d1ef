/**
 * The progress page at phone width (390 × 844): a chart of one point per session with dated axes,
 * a unit and a tooltip, the metric and the range the lifter picks, the same points in a table,
 * axe in light and dark, and "not found" for an id that is malformed or not on the device. The
 * history comes from a Strong file imported on the device (dates spread over the last months,
 * warm-ups heavier than the work sets to show they are left out); the chart runs with the network
 * off as well, since the device is the database.
 */
import AxeBuilder from '@axe-core/playwright'
import type { Page } from '@playwright/test'
import { expect, readyOffline, test } from './fixtures'

test.use({ viewport: { width: 390, height: 844 }, hasTouch: true })

const daysAgo = (n: number) => {
  const d = new Date(Date.now() - n * 24 * 60 * 60 * 1000)
  const pad = (x: number) => String(x).padStart(2, '0')
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} 12:00:00`
}

/** Four sessions of one exercise: 200, 60, 20 and 3 days ago. */
function strongFile() {
  const row = (days: number, workout: string, set: string, weight: number, reps: number) =>
    `${daysAgo(days)},"${workout}",1h,"Larsen Press",${set},${weight},${reps},0,0,"","",`
  return [
    'Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps,Distance,Seconds,Notes,Workout Notes,RPE',
    row(200, 'Push A', '1', 80, 5),
    row(60, 'Push B', 'W', 150, 1),
    row(60, 'Push B', '1', 85, 5),
    row(20, 'Push C', '1', 90, 3),
    row(20, 'Push C', '2', 70, 10),
    row(3, 'Push D', 'W', 150, 1),
    row(3, 'Push D', '1', 92.5, 2),
  ].join('\n')
}

async function importHistory(page: Page) {
  await page.goto('/import')
  await expect(page.getByLabel('File to import')).toBeEnabled()
  await page.getByLabel('File to import').setInputFiles({ name: 'strong.csv', mimeType: 'text/csv', buffer: Buffer.from(strongFile()) })
  await expect(page.getByRole('heading', { level: 2, name: 'strong.csv' })).toBeFocused({ timeout: 30_000 })
  await page.getByRole('button', { name: 'Import 4 workouts' }).click()
  await expect(page.getByRole('status').filter({ hasText: 'workouts and' })).toContainText('4 workouts and 7 sets written', {
    timeout: 60_000,
  })
}

async function axe(page: Page, where: string) {
  const { violations } = await new AxeBuilder({ page }).analyze()
  const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
  expect(serious.map((v) => `${where}: ${v.id} (${v.impact}) ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([])
}

for (const network of ['online', 'offline'] as const) {
  test(`a chart of one point per session with dated axes, a tooltip, a metric and a range, and its data table (${network})`, async ({
    page,
    account,
  }, testInfo) => {
    test.setTimeout(300_000)
    await readyOffline(page, account)
    if (network === 'offline') await page.context().setOffline(true)
    await importHistory(page)

    await page.goto('/progress')
    await expect(page.getByText('Choose an exercise to see its progress.')).toBeVisible()
    const picker = page.getByLabel('Activity')
    const name = (await picker.locator('option', { hasText: /larsen/i }).textContent())!
    await picker.selectOption({ label: name })
    await expect(page.getByRole('heading', { level: 1, name: `Progress: ${name}` })).toBeVisible()
    await expect(page).toHaveURL(/\/progress\?activity=[0-9a-f-]{36}$/)

    // Top set, the first metric of a lift: one point per session (four), the warm-ups' 150 kg nowhere.
    const chart = page.getByTestId('progress-chart')
    await expect(page.getByLabel('Metric')).toHaveValue(/^max:/)
    await expect(page.getByText('4 sessions')).toBeVisible()
    await expect(chart.locator('.recharts-line-dots circle')).toHaveCount(4)
    // The axes: dates along the bottom, the unit up the side.
    const dates = chart.locator('.recharts-xAxis-tick-labels .recharts-cartesian-axis-tick-value')
    expect(await dates.count()).toBeGreaterThanOrEqual(2)
    await expect(dates.first()).toHaveText(/[A-Z][a-z]{2}/)
    await expect(chart.getByText('kg', { exact: true })).toBeVisible()
    await expect(chart.locator('.recharts-yAxis-tick-labels .recharts-cartesian-axis-tick-value').first()).toHaveText(/^\d/)

    // The tooltip of the latest session: its value and its date.
    const latest = new Date(Date.now() - 3 * 24 * 60 * 60 * 1000).toLocaleDateString('en-US', {
      weekday: 'short',
      day: 'numeric',
      month: 'short',
      year: 'numeric',
    })
    await chart.locator('.recharts-line-dots circle').last().hover()
    const tooltip = page.getByTestId('progress-tooltip')
    await expect(tooltip).toContainText('92.5 kg')
    await expect(tooltip).toContainText(latest)

    // The same points in a table, newest first.
    await page.getByText('Show data').click()
    const table = page.getByRole('table', { name: /one row per session/ })
    await expect(table.getByRole('row')).toHaveCount(5)
    await expect(table.getByRole('row').nth(1)).toContainText('92.5 kg')
    await expect(table.getByRole('row').nth(1)).toContainText(latest)
    await expect(table).not.toContainText('150 kg')
    await expect(table.getByRole('row').nth(4)).toContainText('80 kg')

    // Volume: weight × reps summed over the session's working sets (90 × 3 + 70 × 10 = 970).
    await page.getByLabel('Metric').selectOption({ label: 'Volume (weight × reps)' })
    await expect(page.getByRole('heading', { level: 2, name: 'Volume (weight × reps)' })).toBeVisible()
    await expect(table.getByRole('row').nth(2)).toContainText('970 kg')
    await expect(table.getByRole('row').nth(1)).toContainText('185 kg')

    // The range: the last month holds the sessions of 3 and 20 days ago, three months one more.
    await page.getByRole('button', { name: '1M' }).click()
    await expect(page.getByRole('button', { name: '1M' })).toHaveAttribute('aria-pressed', 'true')
    await expect(chart.locator('.recharts-line-dots circle')).toHaveCount(2)
    await expect(table.getByRole('row')).toHaveCount(3)
    await page.getByRole('button', { name: '3M' }).click()
    await expect(table.getByRole('row')).toHaveCount(4)
    await page.getByRole('button', { name: 'All' }).click()
    await expect(table.getByRole('row')).toHaveCount(5)

    // Estimated one-rep max; the records leave the warm-ups out too.
    await page.getByLabel('Metric').selectOption({ label: 'Estimated 1RM' })
    await expect(table.getByRole('row').nth(1)).toContainText('98.67 kg')
    const records = page.getByRole('region', { name: 'Personal records' })
    await expect(records).toContainText(/Heaviest \w+92\.5 kg/)
    await expect(records).toContainText('Best set volume (weight × reps)700 kg')

    await chart.locator('.recharts-line-dots circle').last().hover()
    await expect(tooltip).toBeVisible()
    await page.screenshot({ path: testInfo.outputPath(`progress-390-${network}.png`), fullPage: true })
    await axe(page, 'progress (light)')
    await page.emulateMedia({ colorScheme: 'dark' })
    await page.screenshot({ path: testInfo.outputPath(`progress-390-${network}-dark.png`), fullPage: true })
    await axe(page, 'progress (dark)')
  })
}

test('a malformed or unknown activity id shows "not found", not endless loading or a console error; none chosen shows the picker', async ({
  page,
  account,
}, testInfo) => {
  test.setTimeout(240_000)
  const errors: string[] = []
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text())
  })
  page.on('pageerror', (e) => errors.push(e.message))
  await readyOffline(page, account)
  for (const id of ['garbage', '0x50', '00000000-0000-7000-8000-000000000000']) {
    await page.goto(`/progress?activity=${id}`)
    await expect(page.getByRole('heading', { level: 1, name: 'Progress' })).toBeVisible()
    await expect(page.getByText('There is no such activity on this device.')).toBeVisible()
    await expect(page.getByText('Loading progress…')).toHaveCount(0)
    await expect(page.getByLabel('Activity')).toHaveValue('')
  }
  await page.screenshot({ path: testInfo.outputPath('progress-not-found-390.png'), fullPage: true })
  await page.goto('/progress')
  await expect(page.getByText('No exercises yet')).toBeVisible()
  await expect(page.getByText('There is no such activity on this device.')).toHaveCount(0)
  expect(errors).toEqual([])
})
