/**
 * The workout screen's tools at phone width: set types and a superset logged and shown in
 * history, the plate calculator both ways, the warm-up calculator; each online and offline.
 * Then screenshots of the screen (phone and desktop, light and dark) and an axe check.
 */
import AxeBuilder from '@axe-core/playwright'
import type { Page } from '@playwright/test'
import { createExercise, expect, readyOffline, test } from './fixtures'

test.use({ viewport: { width: 390, height: 844 }, hasTouch: true })

/** A sequence from the library page: a workout or a superset of these children, with counts. */
async function createSequence(page: Page, name: string, type: 'workout' | 'superset', children: [string, number][]) {
  await page.getByLabel('New activity').fill(name)
  await page.getByLabel('Type').selectOption(type)
  for (const [child, n] of children) {
    await page.getByLabel(child, { exact: true }).check()
    await page.getByLabel(new RegExp(`^(Sets|Rounds) of ${child.replace(/[+]/g, '\\+')}$`)).fill(String(n))
  }
  await page.getByRole('button', { name: 'Add' }).click()
  await expect(page.getByRole('list', { name: 'Activities' }).getByText(name, { exact: true })).toBeVisible()
}

/** Squat on its own, then bench and row as a superset of two rounds. */
async function pushDay(page: Page, network: 'online' | 'offline') {
  for (const name of ['Squat', 'Bench', 'Row']) await createExercise(page, name)
  await createSequence(page, 'Bench + Row', 'superset', [
    ['Bench', 1],
    ['Row', 1],
  ])
  await createSequence(page, 'Push day', 'workout', [
    ['Squat', 2],
    ['Bench + Row', 2],
  ])
  await expect(page.getByTestId('sync-pending')).toHaveText('All changes synced')
  if (network === 'offline') await page.context().setOffline(true)
  await page.getByRole('link', { name: 'Log Push day' }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'Push day' })).toBeVisible()
}

for (const network of ['online', 'offline'] as const) {
  test(`set types and a superset are logged and shown in history (${network})`, async ({ page, account }) => {
    test.setTimeout(300_000)
    await readyOffline(page, account)
    await pushDay(page, network)
    const superset = page.getByRole('group', { name: 'Superset: Bench and Row' })
    await expect(superset.getByTestId('set-row')).toHaveCount(4)

    // Squat's first set becomes a warm-up (W); the second stays set 1.
    await page.getByRole('button', { name: 'Squat set 1: Normal set. Change type' }).click()
    await expect(page.getByRole('button', { name: 'Squat set 1: Warm-up. Change type' })).toHaveText('W')
    await expect(page.getByRole('button', { name: 'Squat set 2: Normal set. Change type' })).toHaveText('1')
    await page.getByLabel('Squat set 1 Weight (kg)').fill('60')
    await page.getByLabel('Squat set 1 Reps').fill('8')
    await page.getByRole('button', { name: 'Squat set 1 done' }).click()
    await page.getByLabel('Squat set 2 Weight (kg)').fill('100')
    await page.getByLabel('Squat set 2 Reps').fill('5')
    await page.getByRole('button', { name: 'Squat set 2 done' }).click()

    // The superset alternates: after bench 1 comes row 1, and the rest waits for the round's end.
    await page.getByRole('button', { name: 'Skip' }).click()
    for (const [exercise, weight] of [
      ['Bench', '80'],
      ['Row', '70'],
    ] as const) {
      for (const set of [1, 2]) {
        await page.getByLabel(`${exercise} set ${set} Weight (kg)`).fill(weight)
        await page.getByLabel(`${exercise} set ${set} Reps`).fill(String(6 + set))
      }
    }
    await page.getByRole('button', { name: 'Bench set 1 done' }).click()
    await expect(page.getByLabel('Row set 1 Weight (kg)')).toBeFocused()
    await expect(page.getByRole('timer', { name: 'Rest timer' })).toHaveCount(0)
    await page.getByRole('button', { name: 'Row set 1 done' }).click()
    await expect(page.getByRole('timer', { name: 'Rest timer' })).toBeVisible()
    await expect(page.getByLabel('Bench set 2 Weight (kg)')).toBeFocused()
    // The drop set letter.
    await page.getByRole('button', { name: 'Row set 2: Normal set. Change type' }).click()
    await page.getByRole('button', { name: 'Row set 2: Warm-up. Change type' }).click()
    await expect(page.getByRole('button', { name: 'Row set 2: Drop set. Change type' })).toHaveText('D')
    await page.getByRole('button', { name: 'Bench set 2 done' }).click()
    await page.getByRole('button', { name: 'Row set 2 done' }).click()
    await page.getByRole('button', { name: 'Finish', exact: true }).click()
    await expect(page.getByRole('heading', { level: 1, name: 'Push day done' })).toBeVisible()
    // 1 warm-up and 5 working sets; volume leaves the warm-up out: 500 + 80×7 + 70×7 + 80×8 + 70×8.
    await expect(page.getByRole('definition').filter({ hasText: 'warm-up' })).toHaveText('5 + 1 warm-up')
    await expect(page.getByRole('definition').filter({ hasText: 'kg' })).toHaveText('2750 kg')

    await page.getByRole('link', { name: 'See it in history' }).click()
    await expect(page.getByRole('heading', { level: 1, name: 'History' })).toBeVisible()
    const block = page.getByRole('listitem', { name: 'Superset Bench + Row' })
    await expect(block).toContainText('Superset · Bench + Row')
    // One line per exercise; Row's line opens its sets, the second a drop set.
    await expect(block.getByRole('listitem')).toHaveCount(2)
    await expect(block.getByRole('button', { name: 'Bench 80 kg × 7, 8' })).toBeVisible()
    await block.getByRole('button', { name: 'Row 70 kg × 7, 8' }).click()
    const rowSets = block.getByRole('list', { name: 'Row sets' }).getByRole('listitem')
    await expect(rowSets.nth(1)).toContainText('Drop set')
    await expect(rowSets.nth(1)).toContainText('70 kg × 8')
    await expect(page.getByRole('main').getByRole('button', { name: 'Squat 100 kg × 5 · 1 warm-up' })).toBeVisible()
    await page.getByRole('main').getByRole('button', { name: 'Squat 100 kg × 5 · 1 warm-up' }).click()
    await expect(page.getByRole('list', { name: 'Squat sets' }).getByRole('listitem').first()).toContainText('Warm-up60 kg × 8')
  })

  test(`the plate calculator both ways and the warm-up calculator, from the weight field (${network})`, async ({ page, account }) => {
    test.setTimeout(300_000)
    await readyOffline(page, account)
    await pushDay(page, network)
    const weight = page.getByLabel('Squat set 2 Weight (kg)')
    await weight.fill('100')
    await weight.focus()

    // Target to plates: 100 kg on the 20 kg bar is 25 + 15 a side.
    await page.getByRole('toolbar', { name: 'Weight tools' }).getByRole('button', { name: 'Plates' }).click()
    const calculator = page.getByRole('dialog', { name: 'Plate calculator' })
    await expect(calculator.getByRole('region', { name: 'Plates for the target' })).toContainText('Each side: 1 × 25 kg, 1 × 15 kg')
    await calculator.getByLabel('Target (kg)').fill('101')
    await expect(calculator.getByRole('region', { name: 'Plates for the target' })).toContainText('1 kg short of the target')
    // Plates to the total: a 20 and a 10 each side on the 20 kg bar is 80 kg, put in the field.
    await calculator.getByLabel('20 kg plates on each side').fill('1')
    await calculator.getByLabel('10 kg plates on each side').fill('1')
    await expect(calculator.getByTestId('loaded-total')).toHaveText('Loaded total 80 kg')
    await calculator.getByRole('button', { name: 'Use loaded 80 kg' }).click()
    await expect(calculator).toBeHidden()
    await expect(weight).toHaveValue('80')

    // Warm-ups for 100 kg: the bar ×10, 40 ×5, 60 ×3, 80 ×2, added as warm-up sets before the work.
    await weight.fill('100')
    await weight.focus()
    await page.getByRole('toolbar', { name: 'Weight tools' }).getByRole('button', { name: 'Warm-up' }).click()
    const warmups = page.getByRole('dialog', { name: 'Warm-up sets' })
    await expect(warmups.getByRole('listitem')).toHaveText([/^20 kg × 10/, /^40 kg × 5/, /^60 kg × 3/, /^80 kg × 2/])
    await warmups.getByRole('button', { name: 'Add 4 warm-up sets' }).click()
    await expect(warmups).toBeHidden()
    const squat = page.getByRole('table', { name: 'Sets of Squat' }).getByTestId('set-row')
    await expect(squat).toHaveCount(6)
    await expect(page.getByRole('button', { name: /^Squat set [1-4]: Warm-up/ })).toHaveCount(4)
    await expect(page.getByLabel('Squat set 3 Weight (kg)')).toHaveValue('60')
    await expect(page.getByLabel('Squat set 3 Reps')).toHaveValue('3')
    await expect(page.getByLabel('Squat set 6 Weight (kg)')).toHaveValue('100')
  })
}

test('screenshots of the workout screen at 390 × 844 and 1280 × 800, light and dark; no serious or critical axe violation', async ({
  page,
  account,
}, testInfo) => {
  test.setTimeout(300_000)
  await readyOffline(page, account)
  await pushDay(page, 'online')
  await page.getByLabel('Squat set 1 Weight (kg)').fill('100')
  await page.getByLabel('Squat set 1 Reps').fill('5')
  await page.getByRole('button', { name: 'Squat set 1 done' }).click()
  for (const viewport of [
    { name: 'phone', width: 390, height: 844 },
    { name: 'desktop', width: 1280, height: 800 },
  ]) {
    await page.setViewportSize(viewport)
    for (const colorScheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme })
      await page.screenshot({ path: testInfo.outputPath(`workout-${viewport.name}-${colorScheme}.png`) })
      const { violations } = await new AxeBuilder({ page }).analyze()
      const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
      expect(serious.map((v) => `${viewport.name} ${colorScheme}: ${v.id} ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual(
        [],
      )
    }
  }
  await page.setViewportSize({ width: 390, height: 844 })
  await page.emulateMedia({ colorScheme: 'light' })
  await page.getByLabel('Squat set 2 Weight (kg)').fill('100')
  await page.getByLabel('Squat set 2 Weight (kg)').focus()
  await page.getByRole('button', { name: 'Plates' }).click()
  await expect(page.getByRole('dialog', { name: 'Plate calculator' })).toBeVisible()
  await page.screenshot({ path: testInfo.outputPath('workout-phone-plates.png') })
  const { violations } = await new AxeBuilder({ page }).analyze()
  expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([])
  await page.getByRole('button', { name: 'Close' }).click()
  await page.getByRole('button', { name: 'Finish', exact: true }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'Push day done' })).toBeVisible()
  await page.screenshot({ path: testInfo.outputPath('workout-phone-summary.png') })
})
