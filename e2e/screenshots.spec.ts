/**
 * Every main page as a user sees it, on an account with six weeks of training imported: at
 * 390 × 844 (a phone) and 1280 × 800 (a laptop), light and dark. Each page is kept as a test
 * artifact (`<page>-<width>-<scheme>.png` in the test's output folder) to be looked at, and each
 * is checked with axe: no serious or critical violation, in either scheme, at either width.
 */
import AxeBuilder from '@axe-core/playwright'
import type { Page } from '@playwright/test'
import { expect, signUp, test } from './fixtures'

/** A Strong export of six weeks ending yesterday: three lifts twice a week, getting stronger, and a warm-up each time. */
function recentStrongFile(now = new Date()): string {
  const header = 'Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps,Distance,Seconds,Notes,Workout Notes,RPE'
  const pad = (n: number) => String(n).padStart(2, '0')
  const rows = [header]
  for (let week = 0; week < 6; week++) {
    for (const [offset, name, lifts] of [
      [0, 'Push Day', ['Bench Press (Barbell)', 'Overhead Press (Barbell)']],
      [3, 'Leg Day', ['Squat (Barbell)', 'Deadlift (Barbell)']],
    ] as const) {
      const day = new Date(now.getTime() - ((5 - week) * 7 + (6 - offset)) * 86_400_000)
      const date = `${day.getFullYear()}-${pad(day.getMonth() + 1)}-${pad(day.getDate())} 18:00:00`
      lifts.forEach((lift, i) => {
        const base = [60, 40, 100, 120][i + (offset === 0 ? 0 : 2)]! + week * 2.5
        rows.push(`${date},"${name}",1h 2m,"${lift}",W,${base / 2},10,0,0,"","",`)
        for (let set = 1; set <= 3; set++)
          rows.push(`${date},"${name}",1h 2m,"${lift}",${set},${base},${5 + (set === 1 ? 1 : 0)},0,0,"","",8`)
      })
    }
  }
  return rows.join('\n')
}

async function importHistory(page: Page) {
  await page.goto('/import')
  await expect(page.getByLabel('File to import')).toBeEnabled()
  await page
    .getByLabel('File to import')
    .setInputFiles({ name: 'strong.csv', mimeType: 'text/csv', buffer: Buffer.from(recentStrongFile()) })
  await page.getByRole('button', { name: 'Import 12 workouts' }).click()
  await expect(page.getByRole('status').filter({ hasText: 'workouts and' })).toContainText('12 workouts', { timeout: 60_000 })
}

/** The page is shown once its heading is and nothing says it is still loading. */
async function settled(page: Page) {
  await expect(page.getByRole('heading', { level: 1 }).first()).toBeVisible()
  await expect(page.getByText(/Loading/)).toHaveCount(0)
}

/**
 * Opens each page at both sizes in both schemes, keeps a full-page screenshot of each and returns
 * axe's serious and critical violations, one line each.
 */
async function sweep(page: Page, pages: readonly (readonly [string, string])[], output: (file: string) => string) {
  const problems: string[] = []
  for (const [width, height] of [
    [390, 844],
    [1280, 800],
  ] as const) {
    await page.setViewportSize({ width, height })
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme })
      for (const [name, path] of pages) {
        await page.goto(path)
        await settled(page)
        await page.screenshot({ path: output(`${name}-${width}-${scheme}.png`), fullPage: true })
        const { violations } = await new AxeBuilder({ page }).analyze()
        for (const v of violations.filter((x) => x.impact === 'serious' || x.impact === 'critical')) {
          problems.push(`${name} ${width} ${scheme}: ${v.id} (${v.impact}) ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)
        }
      }
    }
  }
  return problems
}

test('every main page at phone and laptop width, light and dark: screenshots kept, no serious accessibility violation', async ({
  page,
  account,
}, testInfo) => {
  test.setTimeout(420_000)
  await signUp(page, account)
  await expect(page.getByRole('heading', { level: 1, name: `${account.name}'s library` })).toBeVisible()
  await importHistory(page)
  await page.goto('/')
  await settled(page)
  const logHref = await page.locator('a[href^="/log?activity="]').first().getAttribute('href')
  const activity = new URL(logHref!, 'http://x').searchParams.get('activity')!

  const pages = [
    ['library', '/'],
    ['libraries', '/libraries'],
    ['history', '/history'],
    ['progress', `/progress?activity=${activity}`],
    ['log', `/log?activity=${activity}`],
    ['import', '/import'],
    ['settings', '/settings'],
  ] as const
  const problems = await sweep(page, pages, (file) => testInfo.outputPath(file))

  // Signed out: the pages a visitor sees.
  await expect(page.getByTestId('sync-pending')).toHaveText('All changes synced', { timeout: 60_000 })
  await page.getByRole('button', { name: 'Sign out' }).click()
  await expect(page).toHaveURL(/\/sign-in$/)
  problems.push(
    ...(await sweep(
      page,
      [
        ['sign-in', '/sign-in'],
        ['sign-up', '/sign-up'],
      ],
      (file) => testInfo.outputPath(file),
    )),
  )
  expect(problems).toEqual([])
})
