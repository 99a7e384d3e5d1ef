/**
 * The exercise catalogue at phone width: a new account finds an exercise and adds it in one tap
 * (an addCatalogueExercise mutation, so it works offline too), the workout's add-exercise
 * search, duplicate names warned about and told apart, and `/?library=<id>` filling a second
 * library. Each runs online and, after readyOffline, with the network off.
 */
import AxeBuilder from '@axe-core/playwright'
import type { Page } from '@playwright/test'
import { createExercise, createWorkout, expect, readyOffline, signUp, test } from './fixtures'

test.use({ viewport: { width: 390, height: 844 }, hasTouch: true })

async function ready(page: Page, account: Parameters<typeof readyOffline>[1], network: 'online' | 'offline') {
  await readyOffline(page, account)
  if (network === 'offline') await page.context().setOffline(true)
}

for (const network of ['online', 'offline'] as const) {
  test(`a new account finds Bench press in the catalogue, adds it in one tap and logs a set with it (${network})`, async ({
    page,
    account,
  }, testInfo) => {
    test.setTimeout(180_000)
    await ready(page, account, network)
    await expect(page.getByRole('heading', { level: 2, name: 'Find an exercise' })).toBeVisible()
    await expect(page.getByRole('list', { name: 'Popular exercises' }).getByRole('button')).toHaveCount(10)
    await page.screenshot({ path: testInfo.outputPath(`library-empty-${network}.png`) })

    await page.getByLabel('Search the catalogue').fill('bench')
    await page
      .getByRole('list', { name: 'Catalogue matches' })
      .getByRole('button', { name: /^Bench press \(barbell\)/ })
      .click()
    const list = page.getByRole('list', { name: 'Activities' })
    await expect(list.getByText('Bench press (barbell)', { exact: true })).toBeVisible()
    await expect(list).toContainText('Barbell · chest')
    await expect(page.getByRole('status').filter({ hasText: 'Bench press (barbell) is in your library.' })).toBeVisible()
    // Already in the library: the catalogue says so.
    await expect(
      page.getByRole('list', { name: 'Catalogue matches' }).getByRole('button', { name: /^Bench press \(barbell\).*in this library/ }),
    ).toBeVisible()
    await page.screenshot({ path: testInfo.outputPath(`library-added-${network}.png`) })

    await page.getByRole('link', { name: 'Log Bench press (barbell)' }).click()
    await page.getByLabel('Weight (kg)').fill('80')
    await page.getByLabel('Reps').fill('5')
    await page.getByRole('button', { name: 'Save entry' }).click()
    await expect(page.getByRole('status').filter({ hasText: 'Logged Bench press (barbell).' })).toBeVisible()
    if (network === 'online') await expect(page.getByTestId('sync-pending')).toHaveText('All changes synced')
  })

  test(`the workout's add-exercise picker searches the user's exercises and the catalogue (${network})`, async ({
    page,
    account,
  }, testInfo) => {
    test.setTimeout(180_000)
    await readyOffline(page, account)
    await createExercise(page, 'Squat')
    await createExercise(page, 'Leg curl')
    await createWorkout(page, 'Day A', 'Squat', 1)
    if (network === 'offline') await page.context().setOffline(true)

    await page.getByRole('link', { name: 'Log Day A' }).click()
    await expect(page.getByRole('heading', { level: 1, name: 'Day A' })).toBeVisible()
    const picker = page.getByLabel('Exercise to add')
    await picker.fill('curl')
    const own = page.getByRole('list', { name: 'Your exercises' })
    await expect(own.getByRole('button')).toHaveText(['Leg curl'])
    await own.getByRole('button', { name: 'Leg curl' }).click()
    await expect(page.getByLabel('Leg curl set 1 Weight (kg)')).toBeVisible()

    // One that is not in the library yet: picked from the catalogue, it joins the library and the workout.
    await picker.fill('db bench')
    await picker.scrollIntoViewIfNeeded()
    await page.screenshot({ path: testInfo.outputPath(`workout-picker-${network}.png`) })
    await page
      .getByRole('list', { name: 'From the catalogue' })
      .getByRole('button', { name: /^Bench press \(dumbbell\)/ })
      .click()
    await expect(page.getByLabel('Bench press (dumbbell) set 1 Weight (kg)')).toBeVisible()
    await page.getByRole('link', { name: 'Library', exact: true }).click()
    await expect(page.getByRole('list', { name: 'Activities' }).getByText('Bench press (dumbbell)', { exact: true })).toBeVisible()

    // The template editor's picker adds from the catalogue too.
    await page.getByRole('link', { name: 'Edit Day A' }).click()
    const add = page.getByRole('form', { name: 'Add to the template' })
    await add.getByLabel('Exercise', { exact: true }).fill('pullup')
    await add
      .getByRole('list', { name: 'From the catalogue' })
      .getByRole('button', { name: /^Pull-up/ })
      .click()
    await expect(add.getByRole('list', { name: 'Your exercises' }).getByRole('button', { name: 'Pull-up', exact: true })).toHaveAttribute(
      'aria-pressed',
      'true',
    )
    await page.screenshot({ path: testInfo.outputPath(`editor-picker-${network}.png`) })
    await add.getByRole('button', { name: 'Add to template' }).click()
    await expect(page.getByRole('status').filter({ hasText: 'Pull-up added to the template.' })).toBeVisible()
    await expect(page.getByRole('list', { name: 'Template' }).getByRole('listitem')).toHaveCount(2)
  })

  test(`a name already in the library is warned about, and same-named activities are told apart (${network})`, async ({
    page,
    account,
  }, testInfo) => {
    test.setTimeout(180_000)
    await ready(page, account, network)
    await createExercise(page, 'Bench press')

    // Typed: another spelling of the same name is warned about, with the equipment to tell them apart.
    await page.getByLabel('New activity').fill('bench-press')
    await page.getByRole('button', { name: 'Add', exact: true }).click()
    const warning = page.getByRole('alert').filter({ hasText: '“Bench press” is already in this library.' })
    await expect(warning).toBeVisible()
    await expect(page.getByRole('list', { name: 'Activities' }).getByRole('listitem')).toHaveCount(1)
    await page.screenshot({ path: testInfo.outputPath(`library-duplicate-${network}.png`) })
    await warning.getByRole('button', { name: 'Use “Bench press (dumbbell)”' }).click()
    await expect(page.getByLabel('New activity')).toHaveValue('Bench press (dumbbell)')
    await page.getByRole('button', { name: 'Add', exact: true }).click()
    await expect(page.getByRole('list', { name: 'Activities' }).getByText('Bench press (dumbbell)', { exact: true })).toBeVisible()

    // Added anyway (Add a second time): the two are numbered wherever they are listed.
    await page.getByLabel('New activity').fill('Bench press')
    await page.getByRole('button', { name: 'Add', exact: true }).click()
    await expect(warning).toBeVisible()
    await page.getByRole('button', { name: 'Add', exact: true }).click()
    await expect(page.getByRole('link', { name: 'Log Bench press (1)' })).toBeVisible()
    await expect(page.getByRole('link', { name: 'Log Bench press (2)' })).toBeVisible()

    // From the catalogue: its name taken, it is offered under another.
    await page.getByLabel('Search exercises').fill('db bench press')
    await page
      .getByRole('list', { name: 'Catalogue matches' })
      .getByRole('button', { name: /^Bench press \(dumbbell\)/ })
      .click()
    const taken = page.getByRole('alert').filter({ hasText: '“Bench press (dumbbell)” is already in this library.' })
    await expect(taken).toBeVisible()
    await taken.getByRole('button', { name: 'Name it “Bench press (dumbbell) 2”' }).click()
    await expect(page.getByRole('list', { name: 'Activities' }).getByText('Bench press (dumbbell) 2', { exact: true })).toBeVisible()

    // Renaming onto a taken name is warned about beside the field.
    await page.getByRole('link', { name: 'Edit Bench press (dumbbell) 2' }).click()
    const rename = page.getByRole('form', { name: 'Rename', exact: true })
    await rename.getByLabel('Name').fill('Bench Press (Dumbbell)')
    await rename.getByRole('button', { name: 'Rename' }).click()
    await expect(rename.getByLabel('Name')).toHaveAccessibleDescription(/“Bench press \(dumbbell\)” is already in this library/)
  })

  test(`/?library=<id> opens a second library and fills it from the catalogue (${network})`, async ({ page, account }) => {
    test.setTimeout(180_000)
    await ready(page, account, network)
    await page.getByRole('link', { name: 'Libraries' }).click()
    const create = page.getByRole('form', { name: 'Create a library' })
    await create.getByLabel('New library').fill('Gym')
    await create.getByRole('button', { name: 'Create' }).click()
    await expect(page.getByText('Library created.')).toBeVisible()
    const open = page.getByRole('link', { name: 'Open Gym' })
    await expect(open).toHaveAttribute('href', /^\/\?library=[0-9a-f-]{36}$/)
    await open.click()
    await expect(page.getByRole('heading', { level: 1, name: 'Gym' })).toBeVisible()
    await page.getByLabel('Search the catalogue').fill('goblet')
    await page
      .getByRole('list', { name: 'Catalogue matches' })
      .getByRole('button', { name: /^Goblet squat \(kettlebell\)/ })
      .click()
    await expect(page.getByRole('list', { name: 'Activities' }).getByText('Goblet squat (kettlebell)', { exact: true })).toBeVisible()

    await page.getByRole('link', { name: 'Library', exact: true }).click()
    await expect(page.getByRole('heading', { level: 1, name: "Ann's library" })).toBeVisible()
    await expect(page.getByRole('heading', { level: 2, name: 'Find an exercise' })).toBeVisible()
  })
}

test('an unknown or malformed library id is not found, with a way back', async ({ page, account }) => {
  await signUp(page, account)
  await expect(page.getByRole('heading', { level: 1, name: "Ann's library" })).toBeVisible()
  for (const id of ['garbage', '00000000-0000-4000-8000-000000000000']) {
    await page.goto(`/?library=${id}`)
    await expect(page.getByRole('heading', { level: 1, name: 'Library not found' })).toBeVisible()
  }
  await page.getByRole('link', { name: 'Back to your library' }).click()
  await expect(page.getByRole('heading', { level: 1, name: "Ann's library" })).toBeVisible()
})

test('the library page, empty and with a search, has no serious accessibility violations, light and dark', async ({
  page,
  account,
}, testInfo) => {
  test.setTimeout(120_000)
  await signUp(page, account)
  await expect(page.getByRole('heading', { level: 1, name: "Ann's library" })).toBeVisible()
  await expect(page.getByRole('list', { name: 'Popular exercises' })).toBeVisible()
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme })
    for (const query of ['', 'row']) {
      await page.getByLabel(/Search the catalogue|Search exercises/).fill(query)
      const { violations } = await new AxeBuilder({ page }).analyze()
      const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
      expect(serious.map((v) => `${colorScheme} "${query}": ${v.id} ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([])
      await page.screenshot({ path: testInfo.outputPath(`library-${colorScheme}-${query || 'empty'}.png`), fullPage: true })
    }
    if (colorScheme === 'light') {
      await page.getByLabel('Search the catalogue').fill('')
      await createExercise(page, 'Squat')
    }
  }
})
