/**
 * A personal record is celebrated when it is logged, at phone width (390 × 844): on the set's row
 * the moment it is ticked, and on the finish screen; a set that only equals the record, and a
 * warm-up heavier than it, are none. Online and with the network off (the device is the database).
 */
import { createExercise, createWorkout, expect, readyOffline, test } from './fixtures'

test.use({ viewport: { width: 390, height: 844 }, hasTouch: true })

for (const network of ['online', 'offline'] as const) {
  test(`a new record gets a badge on its set row when ticked and on the finish screen (${network})`, async ({
    page,
    account,
  }, testInfo) => {
    test.setTimeout(300_000)
    await readyOffline(page, account)
    await createExercise(page, 'Squat')
    await createWorkout(page, 'Legs', 'Squat', 3)
    await expect(page.getByTestId('sync-pending')).toHaveText('All changes synced')
    if (network === 'offline') await page.context().setOffline(true)

    const start = async () => {
      await page.goto('/')
      await page.getByRole('link', { name: 'Log Legs' }).click()
      await expect(page.getByRole('heading', { level: 1, name: 'Legs' })).toBeVisible()
    }
    const fill = async (set: number, weight: string, reps: string) => {
      await page.getByLabel(`Squat set ${set} Weight (kg)`).fill(weight)
      await page.getByLabel(`Squat set ${set} Reps`).fill(reps)
      await page.getByRole('button', { name: `Squat set ${set} done` }).click()
      await expect(page.getByRole('button', { name: `Squat set ${set} done` })).toHaveAttribute('aria-pressed', 'true')
    }
    const row = (set: number) => page.getByRole('row', { name: `Squat set ${set}`, exact: true })

    // The first workout: nothing to beat, so no record anywhere.
    await start()
    await fill(1, '100', '5')
    await fill(2, '100', '5')
    await expect(page.getByRole('table', { name: 'Sets of Squat' }).getByRole('status')).toHaveCount(0)
    await page.getByRole('button', { name: 'Finish', exact: true }).click()
    await expect(page.getByText('No new records this time.')).toBeVisible()
    await page.getByRole('button', { name: 'Start again' }).click()

    // The second: a warm-up of 140 kg is no record, 100 × 5 only equals one, 102.5 × 5 breaks them.
    await expect(page.getByRole('heading', { level: 1, name: 'Legs' })).toBeVisible()
    await page.getByRole('button', { name: 'Squat set 1: Normal set. Change type' }).click()
    await expect(page.getByRole('button', { name: 'Squat set 1: Warm-up. Change type' })).toBeVisible()
    await fill(1, '140', '1')
    await fill(2, '100', '5')
    await expect(row(1).getByRole('status')).toHaveCount(0)
    await expect(row(2).getByRole('status')).toHaveCount(0)
    await fill(3, '102.5', '5')
    const badge = row(3).getByRole('status')
    await expect(badge).toContainText('New records:')
    await expect(badge).toContainText('Heaviest Weight 102.5 kg')
    await expect(badge).toContainText('Estimated one-rep max 119.58 kg')
    await expect(badge).toContainText('Best set volume (weight × reps) 512.5 kg')
    await page.screenshot({ path: testInfo.outputPath(`record-set-row-${network}.png`) })
    // Unticked, the set is not done and its badge goes.
    await page.getByRole('button', { name: 'Squat set 3 done' }).click()
    await expect(row(3).getByRole('status')).toHaveCount(0)
    await page.getByRole('button', { name: 'Squat set 3 done' }).click()
    await expect(badge).toBeVisible()

    await page.getByRole('button', { name: 'Finish', exact: true }).click()
    await expect(page.getByRole('heading', { level: 1, name: 'Legs done' })).toBeVisible()
    const celebrated = page.getByRole('region', { name: 'Personal records' }).getByRole('status')
    await expect(celebrated).toContainText('3 new records!')
    await expect(celebrated).toContainText('Squat: Heaviest Weight 102.5 kg (was 100 kg)')
    await expect(celebrated).toContainText('Best set volume (weight × reps) 512.5 kg (was 500 kg)')
    await page.screenshot({ path: testInfo.outputPath(`record-finish-${network}.png`), fullPage: true })
    await page.emulateMedia({ colorScheme: 'dark' })
    await page.screenshot({ path: testInfo.outputPath(`record-finish-${network}-dark.png`), fullPage: true })
  })
}
