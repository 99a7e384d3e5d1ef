/**
 * History at phone width, with the network on and off: a workout grouped by exercise, each
 * exercise's sets on one line with its volume, warm-ups counted apart, a set edited; the
 * calendar of training days (months back and forth, a day chosen); a workout re-dated (a refused
 * date first), seen moving in the list and the calendar, and, offline, reaching another device
 * once back. Then axe in light and dark, and screenshots of both views.
 */
import AxeBuilder from '@axe-core/playwright'
import type { Page } from '@playwright/test'
import { createExercise, createWorkout, expect, readyOffline, signIn, test } from './fixtures'

// The page writes dates and times in the browser's locale: en-US here, and in the expectations.
test.use({ viewport: { width: 390, height: 844 }, hasTouch: true, locale: 'en-US' })

const dayLabel = (d: Date) => d.toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric' })
const pad = (n: number) => String(n).padStart(2, '0')

/** Bench press: a warm-up and three sets in "Push day", and a set logged on its own. */
async function logBench(page: Page) {
  await page.getByRole('link', { name: 'Log Push day' }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'Push day' })).toBeVisible()
  await page.getByRole('button', { name: 'Bench press set 1: Normal set. Change type' }).click()
  await expect(page.getByRole('button', { name: 'Bench press set 1: Warm-up. Change type' })).toBeVisible()
  for (const [set, weight, reps] of [
    [1, '40', '10'],
    [2, '82.5', '5'],
    [3, '82.5', '5'],
    [4, '82.5', '5'],
  ] as const) {
    await page.getByLabel(`Bench press set ${set} Weight (kg)`).fill(weight)
    await page.getByLabel(`Bench press set ${set} Reps`).fill(reps)
  }
  await page.getByRole('button', { name: 'Finish', exact: true }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'Push day done' })).toBeVisible()
  await page.getByRole('link', { name: 'Library', exact: true }).click()
  await page.getByRole('link', { name: 'Log Bench press' }).click()
  await page.getByLabel('Weight (kg)').fill('100')
  await page.getByLabel('Reps').fill('3')
  await page.getByRole('button', { name: 'Save entry' }).click()
  await expect(page.getByRole('status').filter({ hasText: 'Logged Bench press.' })).toBeVisible()
}

for (const network of ['online', 'offline'] as const) {
  test(`history by workout and exercise, the calendar, and re-dating a workout (${network})`, async ({
    page,
    account,
    browser,
  }, testInfo) => {
    test.setTimeout(360_000)
    await readyOffline(page, account)
    await createExercise(page, 'Bench press')
    await createWorkout(page, 'Push day', 'Bench press', 4)
    await expect(page.getByTestId('sync-pending')).toHaveText('All changes synced')
    if (network === 'offline') await page.context().setOffline(true)
    await logBench(page)

    // The list: one line per exercise, equal sets folded, the warm-up apart and out of the volume.
    await page.getByRole('link', { name: 'History', exact: true }).click()
    const main = page.getByRole('main')
    const push = main.getByRole('listitem', { name: 'Push day' })
    await expect(push.getByRole('button', { name: 'Bench press 3 × 5 @ 82.5 kg · 1 warm-up' })).toBeVisible()
    await expect(push).toContainText('Volume 1,238 kg')
    const alone = main.getByRole('listitem', { name: 'Logged on their own' })
    await expect(alone.getByRole('button', { name: 'Bench press 100 kg × 3' })).toBeVisible()
    await expect(alone).toContainText('Volume 300 kg')
    await expect(main.getByText('Bench press', { exact: true })).toHaveCount(2)

    // A line opens its sets; one edited, and the line lists the sets that now differ.
    await push.getByRole('button', { name: 'Bench press 3 × 5 @ 82.5 kg · 1 warm-up' }).click()
    const sets = push.getByRole('list', { name: 'Bench press sets' })
    await expect(sets.getByRole('listitem')).toHaveCount(4)
    await expect(sets.getByRole('listitem').first()).toContainText('40 kg × 10')
    await sets.getByRole('button', { name: 'Edit Bench press set 2 of Push day' }).click()
    const setForm = page.getByRole('form', { name: 'Edit Bench press set 2 of Push day' })
    await setForm.getByLabel('Reps').fill('6')
    await setForm.getByRole('button', { name: 'Save changes' }).click()
    await expect(setForm).toHaveCount(0)
    await expect(push.getByRole('button', { name: 'Bench press 82.5 kg × 5, 6, 5 · 1 warm-up' })).toBeVisible()
    await expect(push).toContainText('Volume 1,320 kg')

    // Re-dated to the 15th of last month at 18:30; an empty and a future time are refused first.
    const now = new Date()
    const target = new Date(now.getFullYear(), now.getMonth() - 1, 15, 18, 30)
    await push.getByRole('button', { name: 'Edit Push day entry' }).click()
    const form = page.getByRole('form', { name: 'Edit Push day entry' })
    const when = form.getByLabel('Date and time')
    await when.fill('')
    await form.getByRole('button', { name: 'Save changes' }).click()
    await expect(form.getByText('Enter a date and a time, such as 3 December 2026, 07:30.')).toBeVisible()
    await expect(when).toHaveAttribute('aria-invalid', 'true')
    await when.fill(`${now.getFullYear() + 1}-01-01T10:00`)
    await form.getByRole('button', { name: 'Save changes' }).click()
    await expect(form.getByText('That is in the future: enter when it was done.')).toBeVisible()
    await when.fill(`${target.getFullYear()}-${pad(target.getMonth() + 1)}-${pad(target.getDate())}T18:30`)
    await form.getByRole('button', { name: 'Save changes' }).click()
    await expect(form).toHaveCount(0)
    await expect(main.getByRole('status')).toContainText('Push day moved to')
    const longDay = target.toLocaleDateString('en-US', { weekday: 'long', year: 'numeric', month: 'long', day: 'numeric' })
    const clock = target.toLocaleTimeString('en-US', { hour: '2-digit', minute: '2-digit' })
    const moved = main.getByRole('region', { name: longDay })
    await expect(moved.getByRole('listitem', { name: 'Push day' })).toContainText(clock)
    await expect(moved.getByRole('button', { name: 'Bench press 82.5 kg × 5, 6, 5 · 1 warm-up' })).toBeVisible()
    // The workouts come newest first: the set logged today, then the moved workout.
    await expect(main.getByRole('heading', { level: 3 })).toHaveText(['Logged on their own', 'Push day'])

    // The calendar: today has one workout left, last month's 15th has the moved one.
    await page.getByRole('button', { name: 'Calendar' }).click()
    await expect(page.getByRole('button', { name: 'Calendar' })).toHaveAttribute('aria-pressed', 'true')
    await expect(page.getByRole('button', { name: `${dayLabel(now)}, 1 workout` })).toHaveAttribute('aria-pressed', 'true')
    const today = page.getByRole('region', { name: /^Workouts on / })
    await expect(today.getByRole('button', { name: 'Bench press 100 kg × 3' })).toBeVisible()
    await expect(today.getByText('Push day')).toHaveCount(0)
    if (network === 'online') await shoot(page, testInfo, 'history-calendar')
    await page.getByRole('button', { name: 'Previous month' }).click()
    const monthName = target.toLocaleDateString('en-GB', { month: 'long', year: 'numeric' })
    await expect(page.getByRole('heading', { level: 2, name: new RegExp(`^${monthName}`) })).toBeVisible()
    await page.getByRole('button', { name: `${dayLabel(target)}, 1 workout` }).click()
    const chosen = page.getByRole('region', { name: `Workouts on ${longDay}` })
    await expect(chosen.getByRole('listitem', { name: 'Push day' })).toBeVisible()
    await expect(chosen.getByRole('button', { name: 'Bench press 82.5 kg × 5, 6, 5 · 1 warm-up' })).toBeVisible()
    const before = new Date(target.getFullYear(), target.getMonth(), 14)
    await page.getByRole('button', { name: `${dayLabel(before)}, no workouts` }).click()
    await expect(page.getByRole('region', { name: /^Workouts on / })).toContainText('Nothing logged on')
    await page.getByRole('button', { name: 'Next month' }).click()
    await expect(page.getByRole('button', { name: `${dayLabel(now)}, 1 workout` })).toBeVisible()

    if (network === 'online') {
      await page.getByRole('button', { name: 'List' }).click()
      await main.getByRole('button', { name: 'Bench press 100 kg × 3' }).click()
      await shoot(page, testInfo, 'history-list')
      return
    }
    // Back online, the move reaches the server and another device: the workout on its new day.
    await page.context().setOffline(false)
    await expect(page.getByTestId('sync-pending')).toHaveText('All changes synced', { timeout: 60_000 })
    const other = await browser.newContext({ viewport: { width: 390, height: 844 } })
    const laptop = await other.newPage()
    await signIn(laptop, account)
    await expect(laptop.getByRole('heading', { level: 1, name: `${account.name}'s library` })).toBeVisible()
    await laptop.getByRole('link', { name: 'History', exact: true }).click()
    const there = laptop.getByRole('main').getByRole('region', { name: longDay })
    await expect(there.getByRole('listitem', { name: 'Push day' })).toContainText(clock, { timeout: 60_000 })
    await expect(there.getByRole('button', { name: 'Bench press 82.5 kg × 5, 6, 5 · 1 warm-up' })).toBeVisible()
    await other.close()
  })
}

/** Screenshots in light and dark, each after an axe check with no serious or critical violation. */
async function shoot(page: Page, testInfo: { outputPath: (name: string) => string }, name: string) {
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme })
    const { violations } = await new AxeBuilder({ page }).analyze()
    const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
    expect(serious.map((v) => `${name} ${scheme}: ${v.id} (${v.impact}) ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([])
    await page.screenshot({ path: testInfo.outputPath(`${name}-390-${scheme}.png`), fullPage: true })
  }
  await page.emulateMedia({ colorScheme: 'light' })
}
