/**
 * Importing another app's history at phone width, with the network off: pick a Strong export,
 * see the preview (counts, dates, the unit question, where each exercise goes, the rows left
 * out), confirm, see the workouts in history; a re-import skips them (SPEC I2); undo deletes
 * them, showing how many are left (I3); imported again and back online, a second device gets them
 * (I1). Along the way: the kg/lb choice keeps a changed mapping and the focus, and each stage's
 * heading takes the focus. Screenshots at 390 px, light and dark.
 */
import type { Page } from '@playwright/test'
import { expect, readyOffline, signIn, test } from './fixtures'

test.use({ viewport: { width: 390, height: 844 }, hasTouch: true })

/** A Strong export (comma variant: no unit) written for this test: quoted notes with a comma, quotes and a newline, a warm-up, a rest timer row, a row it cannot read. */
const strong = [
  'Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps,Distance,Seconds,Notes,Workout Notes,RPE',
  '2025-07-21 18:00:00,"Push Day",1h 5m,"Bench Press (Barbell)",W,40,10,0,0,"","",',
  '2025-07-21 18:00:00,"Push Day",1h 5m,"Bench Press (Barbell)",1,80,5,0,0,"Paused, then ""fast""","Good day',
  'felt strong",8',
  '2025-07-21 18:00:00,"Push Day",1h 5m,"Bench Press (Barbell)",Rest Timer,0,0,0,120,"","",',
  '2025-07-21 18:00:00,"Push Day",1h 5m,"Bench Press (Barbell)",2,abc,5,0,0,"","",',
  '2025-07-23 19:16:49,"Leg Day",45m,"Squat (Barbell)",1,100,5,0,0,"","",',
  '2025-07-23 19:16:49,"Leg Day",45m,"Squat (Barbell)",2,100,5,0,0,"","",',
  '2025-07-23 19:16:49,"Leg Day",45m,"Morning Mystery Move",1,0,12,0,0,"","",',
].join('\n')

async function pick(page: Page) {
  await page.goto('/import')
  await expect(page.getByRole('heading', { level: 1, name: 'Import history' })).toBeVisible()
  // Enabled once the page has hydrated and the device database is open.
  await expect(page.getByLabel('File to import')).toBeEnabled()
  await page.getByLabel('File to import').setInputFiles({ name: 'strong.csv', mimeType: 'text/csv', buffer: Buffer.from(strong) })
  // The preview's heading takes the focus from the file input, which is gone.
  await expect(page.getByRole('heading', { level: 2, name: 'strong.csv' })).toBeFocused({ timeout: 30_000 })
}

/** Every text the page's live status regions showed from now on (even for a moment), read with `statusTexts`. */
async function recordStatus(page: Page) {
  await page.evaluate(() => {
    const seen: string[] = []
    ;(window as unknown as { statusTexts: string[] }).statusTexts = seen
    const note = () => document.querySelectorAll('[role="status"]').forEach((e) => seen.push(e.textContent ?? ''))
    new MutationObserver(note).observe(document.body, { subtree: true, childList: true, characterData: true })
  })
}
const statusTexts = (page: Page) => page.evaluate(() => (window as unknown as { statusTexts: string[] }).statusTexts)

test('[I1] [I2] [I3] import a Strong file offline: preview, confirm, history, re-import skips, undo; a second device gets it', async ({
  page,
  account,
  browser,
}, testInfo) => {
  test.setTimeout(300_000)
  await readyOffline(page, account)
  await expect(page.getByTestId('sync-pending')).toHaveText('All changes synced')
  await page.context().setOffline(true)

  await pick(page)
  const facts = page.getByRole('definition')
  await expect(page.getByLabel('What the file holds')).toContainText('Strong')
  await expect(facts.nth(1)).toHaveText('2') // workouts
  await expect(facts.nth(2)).toHaveText('3') // exercises
  await expect(facts.nth(3)).toHaveText('5') // sets: the unreadable row is left out
  await expect(page.getByText('This file does not say its weight unit')).toBeVisible()
  await expect(page.getByLabel('Kilograms (kg)')).toBeChecked()
  await page.getByText(/row could not be read/).click()
  await expect(page.getByRole('list', { name: 'Rows left out' })).toContainText('Row 5')
  // Each exercise of the file has a place: the catalogue knows bench press and squat; the mystery move is new.
  const mapping = page.getByRole('region', { name: /Exercises/ })
  await expect(mapping.getByRole('combobox', { name: 'Import “Morning Mystery Move” as' })).toHaveValue('new')
  await expect(mapping.getByRole('combobox', { name: 'Import “Bench Press (Barbell)” as' })).toContainText('New: Bench press (barbell)')
  await page.screenshot({ path: testInfo.outputPath('import-preview-390.png'), fullPage: true })
  await page.emulateMedia({ colorScheme: 'dark' })
  await page.screenshot({ path: testInfo.outputPath('import-preview-390-dark.png'), fullPage: true })
  await page.emulateMedia({ colorScheme: 'light' })

  // The unit question reads the file again; a mapping the user changed stays, and so does the focus.
  const mystery = mapping.getByRole('combobox', { name: 'Import “Morning Mystery Move” as' })
  const rereading = page.getByRole('group', { name: 'This file does not say its weight unit' }).getByRole('status')
  await mystery.selectOption({ label: 'Leave out' })
  await recordStatus(page)
  await page.getByLabel('Pounds (lb)').check()
  await expect(page.getByLabel('Pounds (lb)')).toBeChecked()
  await expect.poll(() => statusTexts(page)).toContain('Reading the file again in pounds…')
  await expect(rereading).toHaveText('')
  await expect(mystery).toHaveValue('skip')
  await expect(page.getByLabel('Pounds (lb)')).toBeFocused()
  await page.getByLabel('Kilograms (kg)').check()
  await expect(page.getByLabel('Kilograms (kg)')).toBeFocused()
  await expect(mystery).toHaveValue('skip')
  await mystery.selectOption('new')

  await page.getByRole('button', { name: 'Import 2 workouts' }).click()
  await expect(page.getByRole('status').filter({ hasText: 'workouts and' })).toContainText('2 workouts and 5 sets written', {
    timeout: 60_000,
  })
  await expect(page.getByRole('heading', { level: 2, name: 'Imported strong.csv' })).toBeFocused()
  await page.emulateMedia({ colorScheme: 'dark' })
  await page.screenshot({ path: testInfo.outputPath('import-done-390-dark.png'), fullPage: true })
  await page.emulateMedia({ colorScheme: 'light' })
  await page.getByRole('link', { name: 'See history' }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'History' })).toBeVisible()
  await expect(page.getByText('Push Day')).toBeVisible()
  await expect(page.getByText('Leg Day')).toBeVisible()
  await expect(page.getByText('Paused, then "fast"')).toBeVisible()

  // The same file again: both workouts are here, nothing to write.
  await pick(page)
  await expect(page.getByText('2 of its workouts were imported before and will be skipped.')).toBeVisible()
  await expect(page.getByRole('button', { name: 'Nothing new to import' })).toBeDisabled()

  // Undo: it says what goes, counts down the workouts left, and ends with the notice.
  await page.getByRole('button', { name: 'Choose another file' }).click()
  await page.getByRole('button', { name: 'Undo the import of strong.csv' }).click()
  await expect(page.getByRole('group', { name: 'Undo the import of strong.csv' })).toContainText(
    'with any edits made to them since the import',
  )
  await expect(page.getByRole('button', { name: 'Keep' })).toBeFocused()
  await recordStatus(page)
  await page.getByRole('button', { name: 'Delete its 2 workouts' }).click()
  await expect(page.getByRole('status').filter({ hasText: 'Undone' })).toHaveText('Undone: the workouts of strong.csv are deleted.')
  expect(await statusTexts(page)).toContain('Deleting… 2 of 2 workouts left')
  await expect(page.getByRole('region', { name: 'Your imports' })).toContainText('undone')
  await expect(page.getByRole('button', { name: 'Undo the import of strong.csv' })).toHaveCount(0)
  await page.goto('/history')
  await expect(page.getByText('Nothing logged yet.')).toBeVisible()

  // Imported again, in pounds this time; then online, it reaches the server and another device.
  await pick(page)
  await page.getByLabel('Pounds (lb)').check()
  await expect(page.getByLabel('Pounds (lb)')).toBeChecked()
  await page.getByRole('button', { name: 'Import 2 workouts' }).click()
  await expect(page.getByRole('status').filter({ hasText: 'workouts and' })).toContainText('2 workouts and 5 sets written', {
    timeout: 60_000,
  })
  await page.context().setOffline(false)
  await expect(page.getByTestId('sync-pending')).toHaveText('All changes synced', { timeout: 60_000 })

  const other = await browser.newContext({ viewport: { width: 390, height: 844 } })
  const laptop = await other.newPage()
  await signIn(laptop, account)
  await expect(laptop.getByRole('heading', { level: 1, name: `${account.name}'s library` })).toBeVisible()
  await laptop.goto('/history')
  await expect(laptop.getByText('Push Day')).toBeVisible({ timeout: 60_000 })
  await expect(laptop.getByText('Paused, then "fast"')).toBeVisible()
  // 80 lb, shown in the account's kilograms.
  await expect(laptop.getByText(/36\.29 kg × 5/).first()).toBeVisible()
  await laptop.goto('/import')
  await expect(laptop.getByRole('region', { name: 'Your imports' })).toContainText('undone')
  await other.close()
})
