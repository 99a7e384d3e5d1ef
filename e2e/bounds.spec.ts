/**
 * Plausible bounds and empty entries (issue 14), at phone width: the log form, the workout
 * screen, the history's entry editor and the rest field each refuse 1e12 kg, 1e9 reps, RPE 15,
 * 0x50, a rest of 99:99 and an entry with nothing in it, with the message beside the field (or
 * the set), and queue nothing. Runs once online and once with the network off after
 * readyOffline. Also: /log with a bad id says "not found", and Settings → Devices says when each
 * device last synced.
 */
import type { Page } from '@playwright/test'
import { createExercise, createWorkout, expect, readyOffline, signIn, signUp, test } from './fixtures'

test.use({ viewport: { width: 390, height: 844 }, hasTouch: true })

const weightMax = 'Weight must be at most 1,000 kg'
const repsMax = 'Reps must be at most 1,000'
const rpeRange = 'RPE must be from 1 to 10, in halves (such as 7.5)'
const notANumber = 'Weight must be a number, such as 82.5'

async function addRpe(page: Page) {
  await page.getByRole('link', { name: 'Edit Squat' }).click()
  await page.getByLabel('New field').fill('RPE')
  await page.getByLabel('Kind').selectOption('number')
  await page.getByRole('button', { name: 'Add field' }).click()
  await expect(page.getByRole('list', { name: 'Fields' }).getByRole('listitem')).toHaveCount(3)
}

const library = async (page: Page) => {
  await page.getByRole('link', { name: 'Library' }).first().click()
  await expect(page.getByRole('heading', { level: 1, name: "Ann's library" })).toBeVisible()
}

for (const network of ['online', 'offline'] as const) {
  test(`out-of-bounds values and empty entries are refused with their messages, nothing queued (${network})`, async ({
    page,
    account,
  }, testInfo) => {
    test.setTimeout(300_000)
    await readyOffline(page, account)
    await createExercise(page, 'Squat')
    await createWorkout(page, 'Legs', 'Squat', 1)
    await addRpe(page)
    await expect(page.getByTestId('sync-pending')).toHaveText('All changes synced', { timeout: 60_000 })
    if (network === 'offline') {
      await page.context().setOffline(true)
      await expect(page.getByTestId('sync-online')).toHaveText('Offline')
    }

    // The rest field: 99:99 is not a time.
    const rest = page.getByRole('form', { name: 'Rest between sets' })
    await rest.getByLabel('Rest between sets (m:ss)').fill('99:99')
    await rest.getByRole('button', { name: 'Save rest' }).click()
    await expect(rest.getByLabel('Rest between sets (m:ss)')).toHaveAccessibleDescription(
      'Rest: 99:99 is not a time; minutes and seconds go up to 59',
    )

    // The log form.
    await library(page)
    await page.getByRole('link', { name: 'Log Squat' }).click()
    const form = page.getByRole('form', { name: 'Log Squat' })
    await expect(form.getByRole('button', { name: 'Save entry' })).toBeEnabled()
    await form.getByRole('button', { name: 'Save entry' }).click()
    await expect(page.getByText('Fill in at least one field before saving.')).toBeVisible()
    await form.getByLabel('Weight (kg)').fill('1000000000000')
    await form.getByLabel('Reps').fill('1000000000')
    await form.getByLabel('RPE').fill('15')
    await form.getByRole('button', { name: 'Save entry' }).click()
    await expect(form.getByLabel('Weight (kg)')).toHaveAccessibleDescription(weightMax)
    await expect(form.getByLabel('Reps')).toHaveAccessibleDescription(repsMax)
    await expect(form.getByLabel('RPE')).toHaveAccessibleDescription(rpeRange)
    await page.screenshot({ path: testInfo.outputPath(`bounds-log-form-${network}.png`), fullPage: true })
    for (const text of ['0x50', '1e12', 'Infinity', 'abc']) {
      await form.getByLabel('Weight (kg)').fill(text)
      await form.getByLabel('Reps').fill('5')
      await form.getByLabel('RPE').fill('8.5')
      await form.getByRole('button', { name: 'Save entry' }).click()
      await expect(form.getByLabel('Weight (kg)')).toHaveAccessibleDescription(notANumber)
      await expect(form.getByLabel('RPE')).not.toHaveAttribute('aria-invalid')
    }

    // The workout screen: nothing ticked, a ticked empty set, then values out of bounds.
    await library(page)
    await page.getByRole('link', { name: 'Log Legs' }).click()
    await expect(page.getByRole('heading', { level: 1, name: 'Legs' })).toBeVisible()
    const finish = page.getByRole('button', { name: 'Finish', exact: true })
    await finish.click()
    await expect(page.getByText('Tick or fill in at least one set before finishing.')).toBeVisible()
    await page.getByRole('button', { name: 'Squat set 1 done' }).click()
    await finish.click()
    await expect(page.getByRole('alert').filter({ hasText: 'Set 1: This set is ticked but empty: fill it in or untick it.' })).toBeVisible()
    await page.getByLabel('Squat set 1 Weight (kg)').fill('1000000000000')
    await page.getByLabel('Squat set 1 Reps').fill('1000000000')
    await page.getByLabel('Squat set 1 RPE').fill('15')
    await finish.click()
    for (const message of [weightMax, repsMax, rpeRange]) {
      await expect(page.getByRole('alert').filter({ hasText: `Set 1: ${message}` })).toBeVisible()
    }
    await page.screenshot({ path: testInfo.outputPath(`bounds-workout-${network}.png`), fullPage: true })
    await page.getByLabel('Squat set 1 Weight (kg)').fill('0x50')
    await page.getByLabel('Squat set 1 Reps').fill('5')
    await page.getByLabel('Squat set 1 RPE').fill('8')
    await finish.click()
    await expect(page.getByRole('alert').filter({ hasText: `Set 1: ${notANumber}` })).toBeVisible()
    await expect(page.getByRole('main').getByRole('alert')).toHaveCount(1)
    // None of the refusals queued anything.
    await expect(page.getByTestId('sync-pending')).toHaveText('All changes synced')
    await page.getByLabel('Squat set 1 Weight (kg)').fill('100')
    await finish.click()
    await expect(page.getByTestId('sync-pending')).toHaveText(network === 'offline' ? '1 pending' : 'All changes synced', {
      timeout: 60_000,
    })

    // The history's entry editor.
    await page.getByRole('link', { name: 'History' }).first().click()
    // Until the history page replaces the workout, the workout's own "Squat set 1 …" buttons match
    // too: wait for the page, and take only a line that opens and closes.
    await expect(page).toHaveURL(/\/history/)
    const line = page
      .getByRole('main')
      .locator('button[aria-expanded]')
      .filter({ hasText: /^\W*Squat / })
    if ((await line.getAttribute('aria-expanded')) === 'false') await line.click()
    await page.getByRole('button', { name: 'Edit Squat set 1' }).click()
    const edit = page.getByRole('form', { name: 'Edit Squat set 1' })
    await edit.getByLabel('Weight (kg)').fill('1000000000000')
    await edit.getByLabel('RPE').fill('15')
    await edit.getByRole('button', { name: 'Save changes' }).click()
    await expect(edit.getByLabel('Weight (kg)')).toHaveAccessibleDescription(weightMax)
    await expect(edit.getByLabel('RPE')).toHaveAccessibleDescription(rpeRange)
    await edit.getByLabel('Weight (kg)').fill('0x50')
    await edit.getByRole('button', { name: 'Save changes' }).click()
    await expect(edit.getByLabel('Weight (kg)')).toHaveAccessibleDescription(notANumber)
    for (const field of ['Weight (kg)', 'Reps', 'RPE']) await edit.getByLabel(field).fill('')
    await edit.getByRole('button', { name: 'Save changes' }).click()
    await expect(edit.getByLabel('Weight (kg)')).toHaveAccessibleDescription(
      'Nothing would be left of this entry: fill in at least one field or a note, or delete it.',
    )
    await page.screenshot({ path: testInfo.outputPath(`bounds-entry-edit-${network}.png`), fullPage: true })
    await expect(page.getByTestId('sync-pending')).toHaveText(network === 'offline' ? '1 pending' : 'All changes synced')

    if (network === 'offline') {
      await page.context().setOffline(false)
      await expect(page.getByTestId('sync-pending')).toHaveText('All changes synced', { timeout: 60_000 })
    }
  })
}

test('/log with a missing, malformed or unknown activity id says there is no such activity, without a console error', async ({
  page,
  account,
}, testInfo) => {
  test.setTimeout(180_000)
  await signUp(page, account)
  await expect(page.getByRole('heading', { level: 1, name: "Ann's library" })).toBeVisible()
  const errors: string[] = []
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text())
  })
  for (const path of ['/log?activity=', '/log?activity=garbage', '/log?activity=0192f0c4-0000-7000-8000-000000000000']) {
    await page.goto(path)
    await expect(page.getByRole('heading', { level: 1, name: 'Activity not found' })).toBeVisible()
    await expect(page.getByText('There is no such activity on this device.')).toBeVisible()
    await expect(page.getByText('Loading…')).toHaveCount(0)
  }
  await page.screenshot({ path: testInfo.outputPath('log-not-found.png'), fullPage: true })
  // Without the parameter, /log is the list of activities to log.
  await page.goto('/log')
  await expect(page.getByRole('heading', { level: 1, name: 'Log' })).toBeVisible()
  expect(errors).toEqual([])
})

test('Settings → Devices marks this device and says when each device last synced', async ({ browser, page, account }, testInfo) => {
  test.setTimeout(180_000)
  await signUp(page, account)
  await expect(page.getByRole('heading', { level: 1, name: "Ann's library" })).toBeVisible()
  const laptopContext = await browser.newContext()
  const laptop = await laptopContext.newPage()
  await signIn(laptop, account)
  await expect(laptop.getByRole('heading', { level: 1, name: "Ann's library" })).toBeVisible()
  await expect(laptop.getByTestId('sync-pending')).toHaveText('All changes synced', { timeout: 60_000 })

  await page.getByRole('link', { name: 'Settings' }).first().click()
  const devices = page.getByRole('region', { name: 'Devices' }).getByRole('listitem')
  await expect(devices).toHaveCount(2, { timeout: 60_000 })
  await expect(devices.filter({ hasText: 'This device' })).toHaveCount(1)
  for (const device of await devices.all()) await expect(device).toContainText(/Last synced just now \(.+\)/, { timeout: 60_000 })
  await page.screenshot({ path: testInfo.outputPath('settings-devices.png'), fullPage: true })
  await laptopContext.close()
})
