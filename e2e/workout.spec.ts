/**
 * The workout screen at phone width (390 × 844), as a lifter uses it between sets: the compact
 * set table, ticking sets with the pinned rest timer, "previous", the finish summary. Each test
 * also runs with the network off (the device is the database; nothing here needs the server).
 */
import type { Page } from '@playwright/test'
import { createExercise, expect, readyOffline, test } from './fixtures'

test.use({ viewport: { width: 390, height: 844 }, hasTouch: true })

/** A workout of `sets` sets of each exercise, made from the library page. */
async function createWorkoutOf(page: Page, name: string, exercises: string[], sets: number) {
  await page.getByLabel('New activity').fill(name)
  await page.getByLabel('Type').selectOption('workout')
  for (const exercise of exercises) {
    await page.getByLabel(exercise, { exact: true }).check()
    await page.getByLabel(`Sets of ${exercise}`).fill(String(sets))
  }
  await page.getByRole('button', { name: 'Add' }).click()
  await expect(page.getByRole('list', { name: 'Activities' }).getByText(name, { exact: true })).toBeVisible()
}

async function start(page: Page, workout: string) {
  await page.goto('/')
  await page.getByRole('link', { name: `Log ${workout}` }).click()
  await expect(page.getByRole('heading', { level: 1, name: workout })).toBeVisible()
}

/** Fills one set's weight and reps. */
async function fillSet(page: Page, exercise: string, set: number, weight: string, reps: string) {
  await page.getByLabel(`${exercise} set ${set} Weight (kg)`).fill(weight)
  await page.getByLabel(`${exercise} set ${set} Reps`).fill(reps)
}

for (const network of ['online', 'offline'] as const) {
  test(`a 3 × 3 workout fits one 390 × 844 screen; ticking a set starts the pinned rest timer, which adjusts and survives a reload (${network})`, async ({
    page,
    account,
  }, testInfo) => {
    test.setTimeout(300_000)
    await readyOffline(page, account)
    for (const name of ['Squat', 'Bench press', 'Row']) await createExercise(page, name)
    await createWorkoutOf(page, 'Day A', ['Squat', 'Bench press', 'Row'], 3)
    await expect(page.getByTestId('sync-pending')).toHaveText('All changes synced')
    if (network === 'offline') await page.context().setOffline(true)

    await start(page, 'Day A')
    const rows = page.getByTestId('set-row')
    await expect(rows).toHaveCount(9)
    // Measured: the last set's row and the finish button are inside the first screen.
    const last = await rows.nth(8).boundingBox()
    const finish = await page.getByRole('button', { name: 'Finish', exact: true }).boundingBox()
    const scrollHeight = await page.evaluate(() => document.scrollingElement!.scrollTop)
    expect(scrollHeight).toBe(0)
    expect(last!.y + last!.height).toBeLessThanOrEqual(844)
    expect(finish!.y).toBeGreaterThanOrEqual(0)
    const bottom = String(Math.round(last!.y + last!.height))
    testInfo.annotations.push({ type: 'last set row bottom (px of 844)', description: bottom })
    console.log(`[workout] 3 × 3 at 390 × 844 (${network}): the last set row ends at ${bottom} px`)
    await page.screenshot({ path: testInfo.outputPath(`workout-3x3-${network}.png`) })

    // Numeric keyboards.
    await expect(page.getByLabel('Squat set 1 Weight (kg)')).toHaveAttribute('inputmode', 'decimal')
    await expect(page.getByLabel('Squat set 1 Reps')).toHaveAttribute('inputmode', 'numeric')

    await fillSet(page, 'Squat', 1, '100', '5')
    // The stepper moves the weight by the smallest plate pair (2 × 1.25 kg).
    await page.getByLabel('Squat set 1 Weight (kg)').focus()
    await page.getByRole('button', { name: 'Weight plus 2.5' }).click()
    await expect(page.getByLabel('Squat set 1 Weight (kg)')).toHaveValue('102.5')
    await page.getByRole('button', { name: 'Weight minus 2.5' }).click()
    await expect(page.getByLabel('Squat set 1 Weight (kg)')).toHaveValue('100')

    await page.getByRole('button', { name: 'Squat set 1 done' }).click()
    await expect(page.getByRole('button', { name: 'Squat set 1 done' })).toHaveAttribute('aria-pressed', 'true')
    // Focus moves to the next set.
    await expect(page.getByLabel('Squat set 2 Weight (kg)')).toBeFocused()
    const timer = page.getByRole('timer', { name: 'Rest timer' })
    await expect(timer).toContainText(/Rest 1:(2|3)\d/)
    await page.getByRole('button', { name: '15 seconds more rest' }).click()
    await expect(timer).toContainText(/Rest 1:(4|3)\d/)
    await page.getByRole('button', { name: '15 seconds less rest' }).click()
    await page.getByRole('button', { name: '15 seconds less rest' }).click()
    await expect(timer).toContainText(/Rest 1:(1|0)\d/)

    // Pinned: scrolled to the bottom, the timer is still on screen.
    await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight))
    const pinned = await timer.boundingBox()
    expect(pinned!.y).toBeGreaterThanOrEqual(0)
    expect(pinned!.y).toBeLessThan(100)

    // A reload keeps the ticked set and the rest under way.
    await page.reload()
    await expect(page.getByRole('heading', { level: 1, name: 'Day A' })).toBeVisible()
    await expect(page.getByRole('button', { name: 'Squat set 1 done' })).toHaveAttribute('aria-pressed', 'true')
    await expect(page.getByLabel('Squat set 1 Weight (kg)')).toHaveValue('100')
    await expect(timer).toContainText(/Rest (1:0\d|0:\d\d)/)
    await page.getByRole('button', { name: 'Skip' }).click()
    await expect(timer).toHaveCount(0)
  })

  test(`"previous" is per exercise and per set after a workout where a set was skipped and one added; the finish summary shows a PR badge (${network})`, async ({
    page,
    account,
  }) => {
    test.setTimeout(300_000)
    await readyOffline(page, account)
    for (const name of ['Squat', 'Row']) await createExercise(page, name)
    await createWorkoutOf(page, 'Day B', ['Squat'], 3)
    await expect(page.getByTestId('sync-pending')).toHaveText('All changes synced')
    if (network === 'offline') await page.context().setOffline(true)

    // Last time: squat sets 1 and 2 done, set 3 skipped, and an extra set added of a new exercise.
    await start(page, 'Day B')
    await fillSet(page, 'Squat', 1, '100', '5')
    await page.getByRole('button', { name: 'Squat set 1 done' }).click()
    await fillSet(page, 'Squat', 2, '105', '4')
    await page.getByRole('button', { name: 'Squat set 2 done' }).click()
    await page.getByLabel('Exercise to add').fill('Row')
    await page.getByRole('list', { name: 'Your exercises' }).getByRole('button', { name: 'Row', exact: true }).click()
    await fillSet(page, 'Row', 1, '60', '10')
    await page.getByRole('button', { name: 'Row set 1 done' }).click()
    await page.getByRole('button', { name: 'Finish', exact: true }).click()
    await expect(page.getByRole('heading', { level: 1, name: 'Day B done' })).toBeVisible()
    await expect(page.getByText('No new records this time.')).toBeVisible()
    await page.getByRole('button', { name: 'Start again' }).click()

    // This time every squat set has its hint by position; the third has none.
    await expect(page.getByRole('heading', { level: 1, name: 'Day B' })).toBeVisible()
    await expect(page.getByRole('button', { name: 'Squat set 1: last time 100 × 5. Copy' })).toBeVisible()
    await expect(page.getByRole('button', { name: 'Squat set 2: last time 105 × 4. Copy' })).toBeVisible()
    await expect(page.getByRole('button', { name: 'Squat set 3: nothing last time' })).toBeDisabled()
    await expect(page.getByText('The template changed since last time')).toHaveCount(0)
    // Tapping "previous" copies it.
    await page.getByRole('button', { name: 'Squat set 2: last time 105 × 4. Copy' }).click()
    await expect(page.getByLabel('Squat set 2 Weight (kg)')).toHaveValue('105')
    await expect(page.getByLabel('Squat set 2 Reps')).toHaveValue('4')
    await page.getByRole('button', { name: 'Squat set 2 done' }).click()
    await fillSet(page, 'Squat', 3, '110', '3')
    await page.getByRole('button', { name: 'Squat set 3 done' }).click()
    // A fourth set, from the exercise's menu, for the template to keep.
    await page.getByLabel('Squat options').click()
    await page.getByRole('button', { name: 'Add a set' }).click()
    await expect(page.getByRole('table', { name: 'Sets of Squat' }).getByTestId('set-row')).toHaveCount(4)
    await page.getByRole('button', { name: 'Finish', exact: true }).click()

    // 110 kg beats 105 kg: a record, with its badge.
    await expect(page.getByRole('heading', { level: 1, name: 'Day B done' })).toBeVisible()
    const records = page.getByRole('region', { name: 'Personal records' })
    await expect(records.getByText('PR').first()).toBeVisible()
    await expect(records).toContainText('Heaviest Weight 110 kg')
    await expect(records).toContainText('was 105 kg')

    // The workout's shape becomes the template, and a new template.
    await page.getByRole('button', { name: 'Update Day B to this workout' }).click()
    await expect(page.getByRole('status').filter({ hasText: 'Day B now follows this workout.' })).toBeVisible()
    await page.getByLabel('New template name').fill('Day B heavy')
    await page.getByRole('button', { name: 'Save as template' }).click()
    await expect(page.getByRole('status').filter({ hasText: 'Saved as Day B heavy.' })).toBeVisible()
    await page.getByRole('link', { name: 'Library' }).click()
    await expect(page.getByRole('list', { name: 'Activities' }).getByText('Day B heavy', { exact: true })).toBeVisible()
    await page.getByRole('link', { name: 'Log Day B', exact: true }).click()
    await expect(page.getByRole('table', { name: 'Sets of Squat' }).getByTestId('set-row')).toHaveCount(4)
  })
}
