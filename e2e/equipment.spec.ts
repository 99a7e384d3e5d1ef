/**
 * The equipment editor on the settings page (issue 13): the bars and plates the workout screen's
 * calculators load. Each test runs once with the network on and once with it off: an edit is an
 * `updateSettings` mutation on the device database, kept across a reload either way, and another
 * device of the account receives it once this one is online. A refused value is shown beside its
 * field and changes nothing. Screenshots at phone size, light and dark, are kept as artifacts.
 */
import type { Browser, Locator, Page } from '@playwright/test'
import { expect, readyOffline, signIn, signUp, test, type Account } from './fixtures'

const phone = { width: 390, height: 844 }
test.use({ viewport: phone })

const editor = (page: Page) => page.getByRole('region', { name: 'Bars and plates' })

/** The weights in the plate rows, top to bottom, as their fields hold them. */
const plateWeights = (section: Locator) =>
  section.getByLabel(/^Plate \d+ weight$/).evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value))

async function openSettings(page: Page) {
  await page.goto('/settings#equipment')
  await expect(page.getByRole('heading', { level: 1, name: 'Settings' })).toBeVisible()
  await expect(editor(page).getByLabel('Bar 1 name')).toBeVisible()
}

/** Another device of the account (its own browser context) opens the settings page. */
async function otherDevice(browser: Browser, account: Account) {
  const context = await browser.newContext({ viewport: phone })
  const page = await context.newPage()
  await signIn(page, account)
  await expect(page.getByRole('heading', { level: 1, name: `${account.name}'s library` })).toBeVisible()
  await openSettings(page)
  return { context, page }
}

for (const network of ['online', 'offline'] as const) {
  test(`bars and plates are edited ${network}, refused values are shown beside their fields, and the edit reaches another device`, async ({
    page,
    account,
    browser,
  }, testInfo) => {
    test.setTimeout(360_000)
    if (network === 'offline') {
      await readyOffline(page, account)
      await page.context().setOffline(true)
    } else {
      await signUp(page, account)
      await expect(page.getByRole('heading', { level: 1, name: `${account.name}'s library` })).toBeVisible()
    }

    // The workout screen links to /settings#equipment: the section is scrolled to.
    await openSettings(page)
    if (network === 'offline') await expect(page.getByTestId('sync-online')).toHaveText('Offline')
    const section = editor(page)
    await expect.poll(() => section.evaluate((el) => Math.round(el.getBoundingClientRect().top))).toBeLessThan(40)
    await expect(section.getByText('These are the defaults for kg.')).toBeVisible()
    await expect(section.getByLabel('Bar 1 name')).toHaveValue('Barbell')
    await expect(section.getByLabel('Bar 1 weight')).toHaveValue('20')
    await expect(section.getByLabel('Bar 1 unit')).toHaveValue('kg')
    await expect.poll(() => plateWeights(section)).toEqual(['25', '20', '15', '10', '5', '2.5', '1.25'])
    await expect(section.getByLabel('Plate 1 pairs')).toHaveValue('6')
    const save = section.getByRole('button', { name: 'Save bars and plates' })
    await expect(save).toBeDisabled()

    // Refused by the mutation: each problem beside its field (its accessible description), nothing saved.
    await section.getByLabel('Bar 1 name').fill('')
    await section.getByLabel('Plate 1 weight').fill('0')
    await section.getByLabel('Plate 2 weight').fill('100')
    await save.click()
    await expect(section.getByLabel('Bar 1 name')).toHaveAccessibleDescription('Equipment bars 1 name must not be blank')
    await expect(section.getByLabel('Plate 1 weight')).toHaveAccessibleDescription('Equipment plates 1 weight must be more than 0')
    await expect(section.getByLabel('Plate 2 weight')).toHaveAccessibleDescription(
      'Equipment plates 2 weight must be at most 50 kg (110 lb)',
    )
    await expect(section.getByLabel('Plate 2 weight')).toHaveAttribute('aria-invalid', 'true')
    await expect(section.getByLabel('Plate 3 weight')).not.toHaveAttribute('aria-invalid')
    await page.screenshot({ path: testInfo.outputPath(`equipment-${network}-errors-light.png`), fullPage: true, animations: 'disabled' })

    // Two bars of one name, and a weight the page cannot read as a number.
    await section.getByLabel('Bar 1 name').fill('Barbell')
    await section.getByLabel('Plate 1 weight').fill('25')
    await section.getByLabel('Plate 2 weight').fill('20')
    await section.getByRole('button', { name: 'Add a bar' }).click()
    await section.getByLabel('Bar 2 name').fill('barbell')
    await section.getByLabel('Bar 2 weight').fill('ten')
    await save.click()
    await expect(section.getByLabel('Bar 2 weight')).toHaveAccessibleDescription('Bar 2 weight must be a number, such as 20')
    await section.getByLabel('Bar 2 weight').fill('10')
    await save.click()
    await expect(section.getByLabel('Bar 2 name')).toHaveAccessibleDescription('Equipment bars 2 name is the name of bar 1 already')
    await expect(section.getByLabel('Bar 1 name')).not.toHaveAttribute('aria-invalid')

    await page.reload()
    await expect(section.getByLabel('Bar 1 name')).toHaveValue('Barbell')
    await expect(section.getByLabel('Bar 2 name')).toHaveCount(0)
    await expect.poll(() => plateWeights(section)).toEqual(['25', '20', '15', '10', '5', '2.5', '1.25'])
    if (network === 'online') await expect(page.getByTestId('sync-pending')).toHaveText('All changes synced')

    // The edit: a 15 kg bar, no 25 kg plates. Kept across a reload.
    await section.getByLabel('Bar 1 weight').fill('15')
    await section.getByRole('button', { name: 'Remove the 25 kg plates' }).click()
    await expect.poll(() => plateWeights(section)).toEqual(['20', '15', '10', '5', '2.5', '1.25'])
    await save.click()
    await expect(section.getByRole('status')).toHaveText('Saved your bars and plates.')
    await expect(save).toBeDisabled()
    await expect(section.getByText('These are the defaults for kg.')).toHaveCount(0)
    await expect(page.getByTestId('sync-pending')).toHaveText(network === 'offline' ? '1 pending' : 'All changes synced')
    await page.reload()
    await expect(section.getByLabel('Bar 1 weight')).toHaveValue('15')
    await expect.poll(() => plateWeights(section)).toEqual(['20', '15', '10', '5', '2.5', '1.25'])
    await expect(section.getByLabel('Plate 1 pairs')).toHaveValue('2')

    await page.screenshot({ path: testInfo.outputPath(`equipment-${network}-light.png`), fullPage: true, animations: 'disabled' })
    await page.emulateMedia({ colorScheme: 'dark' })
    await page.screenshot({ path: testInfo.outputPath(`equipment-${network}-dark.png`), fullPage: true, animations: 'disabled' })
    await page.emulateMedia({ colorScheme: 'light' })

    // Online again: another device of the account gets the edit.
    if (network === 'offline') await page.context().setOffline(false)
    await expect(page.getByTestId('sync-pending')).toHaveText('All changes synced', { timeout: 60_000 })
    const other = await otherDevice(browser, account)
    const elsewhere = editor(other.page)
    await expect(elsewhere.getByLabel('Bar 1 weight')).toHaveValue('15')
    await expect.poll(() => plateWeights(elsewhere)).toEqual(['20', '15', '10', '5', '2.5', '1.25'])

    // Reset there (after a confirmation): the first device follows, live, back on the defaults.
    await elsewhere.getByRole('button', { name: 'Reset to the defaults' }).click()
    await elsewhere.getByRole('group', { name: 'Reset to the defaults' }).getByRole('button', { name: 'Reset' }).click()
    await expect(elsewhere.getByRole('status')).toHaveText('Back to the defaults for kg.')
    await expect(elsewhere.getByLabel('Bar 1 weight')).toHaveValue('20')
    await expect(section.getByLabel('Bar 1 weight')).toHaveValue('20', { timeout: 60_000 })
    await expect.poll(() => plateWeights(section), { timeout: 60_000 }).toEqual(['25', '20', '15', '10', '5', '2.5', '1.25'])
    await expect(section.getByText('These are the defaults for kg.')).toBeVisible()
    await other.context.close()
  })
}
