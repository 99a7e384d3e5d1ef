/**
 * Settings → Your data (issue 15) at phone width, with the network off: after a workout logged
 * offline, each export downloads a file built from the device database, and the file holds the
 * workout (the archive verifies; each CSV has its header and one row per set).
 */
import { readFile } from 'node:fs/promises'
import AxeBuilder from '@axe-core/playwright'
import type { Download, Page } from '@playwright/test'
import { verifyArchive } from '../portability/export/archive'
import { cadenceCsvColumns } from '../portability/import/model'
import { createExercise, createWorkout, expect, readyOffline, test } from './fixtures'

test.use({ viewport: { width: 390, height: 844 }, hasTouch: true })

async function downloaded(page: Page, button: string): Promise<{ name: string; text: string }> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: button }).click()])
  const file = await (download as Download).path()
  const name = (download as Download).suggestedFilename()
  await expect(page.getByRole('status').filter({ hasText: `Downloaded ${name}.` })).toBeVisible()
  return { name, text: await readFile(file, 'utf8') }
}

const lines = (csv: string) => csv.trim().split(/\r?\n/)

test('every export downloads offline and holds the workout logged offline', async ({ page, account }, testInfo) => {
  test.setTimeout(300_000)
  await readyOffline(page, account)
  await createExercise(page, 'Squat')
  await createWorkout(page, 'Day A', 'Squat', 2)
  await expect(page.getByTestId('sync-pending')).toHaveText('All changes synced')
  await page.context().setOffline(true)

  await page.goto('/')
  await page.getByRole('link', { name: 'Log Day A' }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'Day A' })).toBeVisible()
  await page.getByLabel('Squat set 1 Weight (kg)').fill('100')
  await page.getByLabel('Squat set 1 Reps').fill('5')
  await page.getByRole('button', { name: 'Squat set 1 done' }).click()
  await page.getByLabel('Squat set 2 Weight (kg)').fill('102.5')
  await page.getByLabel('Squat set 2 Reps').fill('3')
  await page.getByRole('button', { name: 'Squat set 2 done' }).click()
  await page.getByRole('button', { name: 'Finish', exact: true }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'Day A done' })).toBeVisible()

  await page.goto('/settings')
  const section = page.getByRole('region', { name: 'Your data' })
  await expect(section).toBeVisible()
  await expect(
    section.getByRole('link', { name: /Import from Strong, Hevy, FitNotes or StrongLifts, or a Cadence archive/ }),
  ).toHaveAttribute('href', '/import')
  // Nothing sticks out of a 390 px screen.
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390)
  await expect(section.getByRole('button', { name: 'Download archive (JSON)' })).toBeEnabled()
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme })
    await section.screenshot({ path: testInfo.outputPath(`your-data-${colorScheme}.png`) })
    const { violations } = await new AxeBuilder({ page }).include('#your-data').analyze()
    expect(violations.map((v) => `${colorScheme}: ${v.id} (${v.impact}) ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([])
  }

  const archive = await downloaded(page, 'Download archive (JSON)')
  expect(archive.name).toMatch(/^cadence-\d{4}-\d{2}-\d{2}\.json$/)
  const verified = await verifyArchive(archive.text)
  const [workout] = verified.data.entries
  const activities = verified.data.libraries.flatMap((l) => l.activities)
  expect(activities.find((a) => a.id === workout?.activityId)?.name).toBe('Day A')
  expect(workout!.children.map((set) => set.values.map((v) => v.value))).toEqual([
    [100, 5],
    [102.5, 3],
  ])

  // The unit choice starts at the display unit (kg here).
  await expect(section.getByLabel('Weights in Strong and Hevy CSV')).toHaveValue('kg')
  const strong = await downloaded(page, 'Strong CSV')
  expect(strong.name).toMatch(/^cadence-strong-\d{4}-\d{2}-\d{2}\.csv$/)
  const strongLines = lines(strong.text)
  expect(strongLines[0]).toBe('Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps,Distance,Seconds,Notes,Workout Notes,RPE')
  // The duration runs from the start to the last ticked set: whole minutes, however long the test took.
  expect(strongLines.slice(1).map((l) => l.split(',').slice(1, 7))).toEqual([
    ['Day A', expect.stringMatching(/^\d+m$/), 'Squat', '1', '100', '5'],
    ['Day A', expect.stringMatching(/^\d+m$/), 'Squat', '2', '102.5', '3'],
  ])

  await section.getByLabel('Weights in Strong and Hevy CSV').selectOption('lb')
  const hevy = await downloaded(page, 'Hevy CSV')
  const hevyLines = lines(hevy.text)
  expect(hevyLines[0]).toBe(
    'title,start_time,end_time,description,exercise_title,superset_id,exercise_notes,set_index,set_type,weight_lbs,reps,distance_miles,duration_seconds,rpe',
  )
  expect(hevyLines).toHaveLength(3)
  expect(hevyLines[1]).toContain(',Squat,,,0,normal,220.462262,5,')

  const sets = await downloaded(page, 'Spreadsheet CSV (one row per set)')
  const setLines = lines(sets.text)
  expect(setLines[0]).toBe(cadenceCsvColumns.join(','))
  expect(setLines).toHaveLength(3)
  // workout_duration_seconds is empty when the last set was ticked within the start's second.
  expect(setLines[2]).toMatch(/,Day A,\d*,,Squat,,,2,normal,102\.5,3,/)
})
