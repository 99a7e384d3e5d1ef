/**
 * The activity editor and two devices editing offline. Every change is a mutation on the device
 * database; the devices converge through the server once they are back online.
 */
import type { Page } from '@playwright/test'
import { createExercise, createWorkout, expect, signIn, signUp, test, type Account } from './fixtures'

/** A new account with two exercises, Squat and Lunge, and a workout "Legs" of `sets` squats. */
async function signUpWithLegs(page: Page, account: Account, sets: number) {
  await signUp(page, account)
  await expect(page.getByRole('heading', { level: 1, name: `${account.name}'s library` })).toBeVisible()
  await createExercise(page, 'Squat')
  await createExercise(page, 'Lunge')
  await createWorkout(page, 'Legs', 'Squat', sets)
}

test('the activity editor renames, appends and retires fields, explains why none can be removed, and shows a workout template', async ({
  page,
  account,
}) => {
  test.setTimeout(300_000)
  await signUpWithLegs(page, account, 3)

  await page.getByRole('link', { name: 'Edit Squat' }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'Edit Squat' })).toBeVisible()
  await expect(page.getByText(/not removed, re-typed or re-ordered: entries you already logged use them/)).toBeVisible()
  await page.getByLabel('New field').fill('RPE')
  await page.getByLabel('Kind').selectOption('number')
  await page.getByRole('button', { name: 'Add field' }).click()
  await expect(page.getByRole('list', { name: 'Fields' }).getByRole('listitem')).toHaveCount(3)
  await page.getByRole('button', { name: 'Retire Reps' }).click()
  await expect(page.getByRole('button', { name: 'Restore Reps' })).toBeVisible()
  const name = page.getByRole('form', { name: 'Rename', exact: true }).getByLabel('Name')
  await name.fill('Back squat')
  await page.getByRole('form', { name: 'Rename', exact: true }).getByRole('button', { name: 'Rename' }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'Edit Back squat' })).toBeVisible()

  // A retired field is hidden for new entries; the new one is there.
  await page.getByRole('link', { name: 'Library' }).click()
  await page.getByRole('link', { name: 'Log Back squat' }).click()
  await expect(page.getByLabel('RPE')).toBeVisible()
  await expect(page.getByLabel('Reps')).toHaveCount(0)

  // A workout's template is shown with its version.
  await page.getByRole('link', { name: 'Library' }).click()
  await page.getByRole('link', { name: 'Edit Legs' }).click()
  await expect(page.getByRole('list', { name: 'Template' }).getByRole('listitem')).toHaveText([/^Back squat × 3/])
  await expect(page.getByRole('heading', { name: /Template/ })).toContainText('version 1')
})

test('two devices of one user edit offline, come back, and converge', async ({ browser, account }) => {
  test.setTimeout(300_000)
  const phoneContext = await browser.newContext()
  const phone = await phoneContext.newPage()
  await signUp(phone, account)
  await expect(phone.getByRole('heading', { level: 1, name: "Ann's library" })).toBeVisible()
  await createExercise(phone, 'Squat')
  await expect(phone.getByTestId('sync-pending')).toHaveText('All changes synced')

  const laptopContext = await browser.newContext()
  const laptop = await laptopContext.newPage()
  await signIn(laptop, account)
  await expect(laptop.getByRole('list', { name: 'Activities' }).getByText('Squat', { exact: true })).toBeVisible()

  await phoneContext.setOffline(true)
  await laptopContext.setOffline(true)
  // The phone logs a set; the laptop renames the exercise and logs another.
  await phone.getByRole('link', { name: 'Log Squat' }).click()
  await phone.getByLabel('Weight (kg)').fill('100')
  await phone.getByLabel('Reps').fill('5')
  await phone.getByRole('button', { name: 'Save entry' }).click()
  await expect(phone.getByRole('status').filter({ hasText: 'Logged Squat.' })).toBeVisible()
  await laptop.getByRole('link', { name: 'Edit Squat' }).click()
  await laptop.getByRole('form', { name: 'Rename', exact: true }).getByLabel('Name').fill('Back squat')
  await laptop.getByRole('form', { name: 'Rename', exact: true }).getByRole('button', { name: 'Rename' }).click()
  await expect(laptop.getByRole('heading', { level: 1, name: 'Edit Back squat' })).toBeVisible()
  await laptop.getByRole('link', { name: 'Library' }).click()
  await laptop.getByRole('link', { name: 'Log Back squat' }).click()
  await laptop.getByLabel('Weight (kg)').fill('90')
  await laptop.getByLabel('Reps').fill('3')
  await laptop.getByRole('button', { name: 'Save entry' }).click()
  await expect(laptop.getByRole('status').filter({ hasText: 'Logged Back squat.' })).toBeVisible()

  await phoneContext.setOffline(false)
  await laptopContext.setOffline(false)
  for (const device of [phone, laptop]) {
    await device.getByRole('link', { name: 'History' }).click()
    const main = device.getByRole('main')
    // Both sets, of the renamed exercise, on its one line (in the order they were logged).
    await expect(main.getByRole('button', { name: /^Back squat (100 kg × 5, 90 kg × 3|90 kg × 3, 100 kg × 5)$/ })).toBeVisible({
      timeout: 60_000,
    })
    await expect(device.getByTestId('sync-pending')).toHaveText('All changes synced')
  }
  await phoneContext.close()
  await laptopContext.close()
})

/** Opens the history editor on the Squat entry, types `value` into `field` and saves. */
async function editSquat(page: Page, field: string, value: string) {
  await page.getByRole('link', { name: 'History' }).click()
  // The exercise's line opens its sets (it stays open from an earlier edit).
  const line = page.getByRole('main').getByRole('button', { name: /^Squat / })
  if ((await line.getAttribute('aria-expanded')) === 'false') await line.click()
  await page.getByRole('button', { name: 'Edit Squat set 1' }).click()
  const form = page.getByRole('form', { name: 'Edit Squat set 1' })
  await form.getByLabel(field).fill(value)
  await form.getByRole('button', { name: 'Save changes' }).click()
  await expect(form).toHaveCount(0)
}

test('[B14] two devices edit one entry offline: different fields both survive; of the same field the later wins and the other device is told', async ({
  browser,
  account,
}) => {
  test.setTimeout(300_000)
  const phoneContext = await browser.newContext()
  const phone = await phoneContext.newPage()
  await signUp(phone, account)
  await expect(phone.getByRole('heading', { level: 1, name: "Ann's library" })).toBeVisible()
  await createExercise(phone, 'Squat')
  await phone.getByRole('link', { name: 'Log Squat' }).click()
  await phone.getByLabel('Weight (kg)').fill('130')
  await phone.getByLabel('Reps').fill('7')
  await phone.getByRole('button', { name: 'Save entry' }).click()
  await expect(phone.getByRole('status').filter({ hasText: 'Logged Squat.' })).toBeVisible()
  await expect(phone.getByTestId('sync-pending')).toHaveText('All changes synced')
  const laptopContext = await browser.newContext()
  const laptop = await laptopContext.newPage()
  await signIn(laptop, account)
  await laptop.getByRole('link', { name: 'History' }).click()
  await expect(laptop.getByRole('main').getByRole('button', { name: 'Squat 130 kg × 7' })).toBeVisible({ timeout: 60_000 })

  // Different fields: the phone changes Reps, the laptop Weight.
  await phoneContext.setOffline(true)
  await laptopContext.setOffline(true)
  await editSquat(phone, 'Reps', '9')
  await editSquat(laptop, 'Weight (kg)', '140')
  await phoneContext.setOffline(false)
  await expect(phone.getByTestId('sync-pending')).toHaveText('All changes synced', { timeout: 60_000 })
  await laptopContext.setOffline(false)
  for (const device of [laptop, phone]) {
    await expect(device.getByRole('main').getByRole('button', { name: 'Squat 140 kg × 9' })).toBeVisible({ timeout: 60_000 })
    await expect(device.getByTestId('sync-pending')).toHaveText('All changes synced', { timeout: 60_000 })
  }

  // The same field: the phone's Reps 10 reaches the server first, the laptop's 8 after it.
  await phoneContext.setOffline(true)
  await laptopContext.setOffline(true)
  await editSquat(phone, 'Reps', '10')
  await editSquat(laptop, 'Reps', '8')
  await phoneContext.setOffline(false)
  await expect(phone.getByTestId('sync-pending')).toHaveText('All changes synced', { timeout: 60_000 })
  await laptopContext.setOffline(false)
  for (const device of [laptop, phone]) {
    await expect(device.getByRole('main').getByRole('button', { name: 'Squat 140 kg × 8' })).toBeVisible({ timeout: 60_000 })
  }
  const replaced = phone.getByRole('region', { name: 'Edits replaced by another device' })
  await expect(replaced).toContainText(/Your Reps 10 on Squat \(.+\) was replaced by 8 from another device\./)
  await expect(laptop.getByRole('region', { name: 'Edits replaced by another device' })).toHaveCount(0)
  await replaced.getByRole('button', { name: /^Dismiss/ }).click()
  await expect(replaced).toHaveCount(0)
  await phoneContext.close()
  await laptopContext.close()
})

test("a workout's template is rebuilt in the editor, each change a new version, and the next workout follows it", async ({
  page,
  account,
}) => {
  test.setTimeout(300_000)
  await signUpWithLegs(page, account, 1)

  // Log it once, so the next workout has a "last time" to compare with.
  await page.getByRole('link', { name: 'Log Legs' }).click()
  await page.getByLabel('Squat set 1 Weight (kg)').fill('100')
  await page.getByLabel('Squat set 1 Reps').fill('5')
  await page.getByRole('button', { name: 'Finish', exact: true }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'Legs done' })).toBeVisible()

  await page.getByRole('link', { name: 'Library' }).click()
  await page.getByRole('link', { name: 'Edit Legs' }).click()
  const template = page.getByRole('list', { name: 'Template' }).getByRole('listitem')
  await expect(template).toHaveCount(1)
  const add = page.getByRole('form', { name: 'Add to the template' })
  await add.getByLabel('Exercise', { exact: true }).fill('Lunge')
  await add.getByRole('list', { name: 'Your exercises' }).getByRole('button', { name: 'Lunge', exact: true }).click()
  await add.getByLabel('Sets').fill('2')
  await add.getByRole('button', { name: 'Add to template' }).click()
  await expect(page.getByRole('status').filter({ hasText: 'Lunge added to the template.' })).toBeVisible()
  await expect(template).toHaveCount(2)
  await expect(page.getByRole('heading', { name: /Template/ })).toContainText('version 2')

  await page.getByRole('button', { name: 'Move Lunge (2 of 2) up' }).click()
  await expect(template.first()).toContainText('Lunge × 2')
  await expect(page.getByRole('heading', { name: /Template/ })).toContainText('version 3')
  await page.getByRole('button', { name: 'Remove Squat (2 of 2)' }).click()
  await expect(template).toHaveCount(1)
  await expect(template.first()).toContainText('Lunge × 2')
  await expect(page.getByRole('heading', { name: /Template/ })).toContainText('version 4')

  // The changes are on this device's database: they survive a reload.
  await page.reload()
  await expect(page.getByRole('list', { name: 'Template' }).getByRole('listitem')).toHaveCount(1)

  // The workout follows the new template, and says the lunge was not in the last one.
  await page.getByRole('link', { name: 'Library' }).click()
  await page.getByRole('link', { name: 'Log Legs' }).click()
  await expect(page.getByTestId('set-row')).toHaveCount(2)
  await expect(page.getByTestId('set-row').first()).toHaveAccessibleName('Lunge set 1')
  await expect(page.getByText('Not in your last Legs.')).toBeVisible()
  await expect(page.getByTestId('sync-pending')).toHaveText('All changes synced', { timeout: 60_000 })
})
