/**
 * Managing libraries and activities at phone width, with the network off: a library renamed,
 * deleted after a yes (and refused while entries use it; the default never), a second library
 * opened and filled, an activity moved (its history and the entry logged before the move kept)
 * and copied between libraries, an activity deleted; a missing, malformed, unknown or deleted
 * activity id shows "not found". Back online, the server has every change.
 */
import AxeBuilder from '@axe-core/playwright'
import type { Page } from '@playwright/test'
import { createExercise, expect, readyOffline, test } from './fixtures'

test.use({ viewport: { width: 390, height: 844 }, hasTouch: true })

const nav = (page: Page, label: string) => page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: label, exact: true })

/** Creates a library on the Libraries page and waits for its card. */
async function createLibrary(page: Page, name: string) {
  await page.getByLabel('New library').fill(name)
  await page.getByRole('button', { name: 'Create' }).click()
  await expect(page.getByRole('article', { name, exact: true })).toBeVisible()
}

/** Logs one set of a strength exercise from its library page. */
async function logSet(page: Page, exercise: string, weight: string, reps: string) {
  await page.getByRole('link', { name: `Log ${exercise}` }).click()
  await page.getByLabel('Weight (kg)').fill(weight)
  await page.getByLabel('Reps').fill(reps)
  await page.getByRole('button', { name: 'Save entry' }).click()
  await expect(page.getByRole('status').filter({ hasText: `Logged ${exercise}.` })).toBeVisible()
}

test('libraries are renamed, opened and filled, and deleted after a yes; one in use and the default are not', async ({
  page,
  context,
  account,
}, testInfo) => {
  test.setTimeout(300_000)
  await readyOffline(page, account)
  await nav(page, 'Libraries').click()
  await expect(page.getByRole('heading', { level: 1, name: 'Libraries' })).toBeVisible()
  await context.setOffline(true)
  await expect(page.getByTestId('sync-online')).toHaveText('Offline')

  const mine = page.getByRole('article', { name: "Ann's library" })
  await expect(mine).toContainText('your default library')
  await expect(mine.getByRole('button', { name: /Delete/ })).toHaveCount(0)

  await createLibrary(page, 'Climbing')
  const climbing = page.getByRole('article', { name: 'Climbing', exact: true })
  await climbing.getByLabel('Name of Climbing').fill('Bouldering')
  await climbing.getByRole('button', { name: 'Rename' }).click()
  await expect(page.getByRole('status').filter({ hasText: 'Renamed to Bouldering.' })).toBeVisible()
  const bouldering = page.getByRole('article', { name: 'Bouldering', exact: true })
  await expect(bouldering).toContainText('0 activities')
  await expect(page.getByRole('article', { name: 'Climbing', exact: true })).toHaveCount(0)

  // Opened, the library page shows it and adds to it; the default library has none of it.
  await bouldering.getByRole('link', { name: 'Open Bouldering' }).click()
  await expect(page).toHaveURL(/\/\?library=[0-9a-f-]{36}$/)
  await expect(page.getByRole('heading', { level: 1, name: 'Bouldering' })).toBeVisible()
  await createExercise(page, 'Hangboard')
  await logSet(page, 'Hangboard', '10', '6')
  await nav(page, 'Library').click()
  await expect(page.getByRole('heading', { level: 1, name: "Ann's library" })).toBeVisible()
  await expect(page.getByRole('link', { name: 'Log Hangboard' })).toHaveCount(0)

  // In use: refused, with the reason, and kept.
  await nav(page, 'Libraries').click()
  await expect(bouldering).toContainText('1 activity')
  page.once('dialog', (dialog) => void dialog.accept())
  await bouldering.getByRole('button', { name: 'Delete Bouldering' }).click()
  await expect(
    page.getByRole('alert').filter({ hasText: '"Bouldering" cannot be deleted: 1 logged entry uses its activities' }),
  ).toBeVisible()
  await expect(bouldering).toBeVisible()

  // No at the confirmation keeps it; yes deletes it.
  await createLibrary(page, 'Spare')
  const spare = page.getByRole('article', { name: 'Spare', exact: true })
  let asked = ''
  page.once('dialog', (dialog) => {
    asked = dialog.message()
    void dialog.dismiss()
  })
  await spare.getByRole('button', { name: 'Delete Spare' }).click()
  await expect.poll(() => asked).toBe('Delete Spare? This cannot be undone.')
  await expect(spare).toBeVisible()
  page.once('dialog', (dialog) => void dialog.accept())
  await spare.getByRole('button', { name: 'Delete Spare' }).click()
  await expect(page.getByRole('status').filter({ hasText: 'Spare deleted.' })).toBeVisible()
  await expect(spare).toHaveCount(0)

  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme })
    await page.screenshot({ path: testInfo.outputPath(`libraries-390-${scheme}.png`), fullPage: true, animations: 'disabled' })
    const { violations } = await new AxeBuilder({ page }).analyze()
    expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${scheme}: ${v.id}`)).toEqual([])
  }
  await page.emulateMedia({ colorScheme: 'light' })

  await context.setOffline(false)
  await expect(page.getByTestId('sync-pending')).toHaveText('All changes synced', { timeout: 60_000 })
  await page.reload()
  await expect(page.getByRole('article', { name: 'Bouldering', exact: true })).toBeVisible()
  await expect(page.getByRole('article', { name: 'Spare', exact: true })).toHaveCount(0)
})

test('an activity is moved (keeping its history) and copied between libraries, and deleted', async ({
  page,
  context,
  account,
}, testInfo) => {
  test.setTimeout(300_000)
  await readyOffline(page, account)
  await createExercise(page, 'Squat')
  await createExercise(page, 'Band pull-apart')
  await nav(page, 'Libraries').click()
  await createLibrary(page, 'Travel')
  await context.setOffline(true)
  await expect(page.getByTestId('sync-online')).toHaveText('Offline')

  await nav(page, 'Library').click()
  await logSet(page, 'Squat', '100', '5')

  // Moved: gone from here, in Travel, and the set logged before the move is still in history.
  await nav(page, 'Library').click()
  await page.getByRole('link', { name: 'Edit Squat' }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'Edit Squat' })).toBeVisible()
  const before = page.url()
  const transfer = page.getByRole('form', { name: 'Copy or move to another library' })
  await transfer.getByLabel('To library').selectOption({ label: 'Travel' })
  await transfer.getByRole('button', { name: 'Move', exact: true }).click()
  await expect(page.getByRole('status').filter({ hasText: 'Squat moved to Travel.' })).toBeVisible()
  await expect(page).not.toHaveURL(before)
  await expect(page.getByRole('heading', { level: 1, name: 'Edit Squat' })).toBeVisible()
  await expect(page.getByText('In Travel.')).toBeVisible()
  await page.screenshot({ path: testInfo.outputPath('activity-390-moved.png'), fullPage: true, animations: 'disabled' })
  await nav(page, 'Library').click()
  await expect(page.getByRole('link', { name: 'Log Band pull-apart' })).toBeVisible()
  await expect(page.getByRole('link', { name: 'Log Squat' })).toHaveCount(0)
  await nav(page, 'History').click()
  await expect(page.getByRole('main').getByText(/Squat/).first()).toBeVisible()
  await expect(page.getByRole('main')).toContainText('100')
  // The original's page now says it is gone.
  await page.goto(before)
  await expect(page.getByText('There is no such activity on this device.')).toBeVisible()

  // Copied: in both libraries.
  await nav(page, 'Library').click()
  await page.getByRole('link', { name: 'Edit Band pull-apart' }).click()
  await transfer.getByLabel('To library').selectOption({ label: 'Travel' })
  await transfer.getByRole('button', { name: 'Copy', exact: true }).click()
  await expect(page.getByRole('status').filter({ hasText: 'A copy of Band pull-apart is in Travel.' })).toBeVisible()
  await nav(page, 'Libraries').click()
  await page.getByRole('link', { name: 'Open Travel' }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'Travel' })).toBeVisible()
  const travel = page.getByRole('list', { name: 'Activities' })
  await expect(travel.getByText('Squat', { exact: true })).toBeVisible()
  await expect(travel.getByText('Band pull-apart', { exact: true })).toBeVisible()
  // The moved squat is logged in its new library and its last time carries over.
  await page.getByRole('link', { name: 'Log Squat' }).click()
  await expect(page.getByText(/Last time \(.*\):.*100/)).toBeVisible()

  // Deleted, after a yes: back to its library, which no longer lists it; the copy in Travel stays.
  await nav(page, 'Library').click()
  await page.getByRole('link', { name: 'Edit Band pull-apart' }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'Edit Band pull-apart' })).toBeVisible()
  let asked = ''
  page.once('dialog', (dialog) => {
    asked = dialog.message()
    void dialog.accept()
  })
  await page.getByRole('button', { name: 'Delete Band pull-apart' }).click()
  await expect(page.getByRole('heading', { level: 1, name: "Ann's library" })).toBeVisible()
  expect(asked).toContain('Delete Band pull-apart?')
  await expect(page.getByRole('link', { name: 'Log Band pull-apart' })).toHaveCount(0)
  await nav(page, 'Libraries').click()
  await page.getByRole('link', { name: 'Open Travel' }).click()
  await expect(page.getByRole('list', { name: 'Activities' }).getByText('Band pull-apart', { exact: true })).toBeVisible()

  await context.setOffline(false)
  await expect(page.getByTestId('sync-pending')).toHaveText('All changes synced', { timeout: 60_000 })
  await expect(page.getByRole('region', { name: 'Rejected changes' })).toHaveCount(0)
})

test('an activity page with a missing, malformed or unknown id says not found, online and offline', async ({ page, context, account }) => {
  test.setTimeout(240_000)
  const errors: string[] = []
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text())
  })
  page.on('pageerror', (error) => errors.push(error.message))
  await readyOffline(page, account)
  const paths = ['/activity', '/activity?id=garbage', '/activity?id=0x50', `/activity?id=${crypto.randomUUID()}`]
  for (const path of paths) {
    await page.goto(path)
    await expect(page.getByText('There is no such activity on this device.')).toBeVisible()
    await expect(page.getByText('Loading…')).toHaveCount(0)
  }
  expect(errors).toEqual([])
  // Offline the browser reports the failed requests of sync itself: only the page is checked.
  await context.setOffline(true)
  for (const path of paths) {
    await page.goto(path)
    await expect(page.getByText('There is no such activity on this device.')).toBeVisible()
    await expect(page.getByText('Loading…')).toHaveCount(0)
  }
  await page.getByRole('link', { name: 'Back to the library' }).click()
  await expect(page.getByRole('heading', { level: 1, name: "Ann's library" })).toBeVisible()
})
