/**
 * An exercise's default rest between sets (issue 13), set in the activity editor. Each test runs
 * once with the network on and once with it off: the rest is a `setActivityRest` mutation on
 * the device database, kept across a reload either way. Text that is not a time, and a time out
 * of the mutation's bounds, are refused beside the field and change nothing.
 */
import type { Page } from '@playwright/test'
import { createExercise, expect, readyOffline, signUp, test } from './fixtures'

test.use({ viewport: { width: 390, height: 844 } })

const restField = (page: Page) => page.getByRole('form', { name: 'Rest between sets' }).getByLabel('Rest between sets (m:ss)')
const saveRest = (page: Page) => page.getByRole('form', { name: 'Rest between sets' }).getByRole('button', { name: 'Save rest' })

async function openSquatEditor(page: Page) {
  await page.getByRole('link', { name: 'Edit Squat' }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'Edit Squat' })).toBeVisible()
}

for (const network of ['online', 'offline'] as const) {
  test(`Squat's rest is set to 2:00 ${network}, refused values are shown beside the field, and a reload keeps it`, async ({
    page,
    account,
  }, testInfo) => {
    test.setTimeout(300_000)
    if (network === 'offline') await readyOffline(page, account)
    else await signUp(page, account)
    await expect(page.getByRole('heading', { level: 1, name: `${account.name}'s library` })).toBeVisible()
    await createExercise(page, 'Squat')
    await expect(page.getByTestId('sync-pending')).toHaveText('All changes synced', { timeout: 60_000 })
    if (network === 'offline') {
      await page.context().setOffline(true)
      await expect(page.getByTestId('sync-online')).toHaveText('Offline')
    }
    await openSquatEditor(page)

    // No rest of its own: the field is empty and says the default.
    await expect(restField(page)).toHaveValue('')
    await expect(restField(page)).toHaveAttribute('placeholder', '1:30 (default)')

    // Not a time: the page says so beside the field.
    await restField(page).fill('two minutes')
    await saveRest(page).click()
    await expect(restField(page)).toHaveAccessibleDescription('Rest must be a time such as 2:00 (m:ss), or empty for the default of 1:30')
    await expect(restField(page)).toHaveAttribute('aria-invalid', 'true')
    // A time, but longer than an hour: the mutation refuses it, beside the field too.
    await restField(page).fill('61:00')
    await saveRest(page).click()
    await expect(restField(page)).toHaveAccessibleDescription('Rest seconds must be at most 3600 (one hour)')
    // Neither refusal queued anything.
    await expect(page.getByTestId('sync-pending')).toHaveText('All changes synced')

    await restField(page).fill('2:00')
    await saveRest(page).click()
    await expect(page.getByText('Rest between sets: 2:00.')).toBeVisible()
    await expect(restField(page)).not.toHaveAttribute('aria-invalid')
    await expect(restField(page)).toHaveValue('2:00')
    await expect(page.getByTestId('sync-pending')).toHaveText(network === 'offline' ? '1 pending' : 'All changes synced', {
      timeout: 60_000,
    })
    await page.screenshot({ path: testInfo.outputPath(`rest-default-${network}.png`), fullPage: true })

    await page.reload()
    await expect(page.getByRole('heading', { level: 1, name: 'Edit Squat' })).toBeVisible()
    await expect(restField(page)).toHaveValue('2:00')

    // Emptied, it goes back to the default; a reload keeps that too.
    await restField(page).fill('')
    await saveRest(page).click()
    await expect(page.getByText('Rest set back to the default, 1:30.')).toBeVisible()
    await page.reload()
    await expect(page.getByRole('heading', { level: 1, name: 'Edit Squat' })).toBeVisible()
    await expect(restField(page)).toHaveValue('')

    if (network === 'offline') await page.context().setOffline(false)
    await expect(page.getByTestId('sync-pending')).toHaveText('All changes synced', { timeout: 60_000 })
  })
}
