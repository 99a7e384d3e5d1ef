import { expect, signIn, signUp, test } from './fixtures'

test('[B12] a change made on one device reaches another device of the same user, and an idle device waits on one long poll', async ({
  page,
  account,
  browser,
}) => {
  await signUp(page, account)
  await expect(page.getByRole('heading', { level: 1, name: "Ann's library" })).toBeVisible()
  await page.getByLabel('New activity').fill('Back squat')
  await page.getByRole('button', { name: 'Add' }).click()
  await expect(page.getByRole('list', { name: 'Activities' }).getByText('Back squat')).toBeVisible()
  await expect(page.getByTestId('sync-pending')).toHaveText('All changes synced')

  // [B12] Idle, the device holds one long poll open instead of pulling again and again. The
  // push's own result still arrives through the stream just after "All changes synced" (one
  // more short pull), so the count starts once that has settled.
  await page.waitForTimeout(1_500)
  const pulls: string[] = []
  const countPull = (request: { url(): string }) => void (request.url().includes('/api/sync/pull') && pulls.push(request.url()))
  page.on('request', countPull)
  await page.waitForTimeout(5_000)
  page.off('request', countPull)
  expect(pulls.length).toBeLessThanOrEqual(1)

  const other = await browser.newContext()
  const laptop = await other.newPage()
  await signIn(laptop, account)
  await expect(laptop.getByRole('list', { name: 'Activities' }).getByText('Back squat')).toBeVisible()
  await laptop.getByLabel('New activity').fill('Morning run')
  await laptop.getByLabel('Type').selectOption('cardio')
  await laptop.getByRole('button', { name: 'Add' }).click()
  // The first device is live: it sees the laptop's activity without a reload.
  await expect(page.getByRole('list', { name: 'Activities' }).getByText('Morning run')).toBeVisible({ timeout: 60_000 })
  await other.close()
})

test('[B8] two tabs share one database; closing the leader tab loses nothing and the other keeps syncing', async ({
  context,
  account,
  browser,
}) => {
  const first = await context.newPage()
  await signUp(first, account)
  await expect(first.getByRole('heading', { level: 1, name: "Ann's library" })).toBeVisible()
  const second = await context.newPage()
  await second.goto('/')
  await expect(second.getByRole('heading', { level: 1, name: "Ann's library" })).toBeVisible()

  // A write in the second tab shows in the first at once (one shared database).
  await second.getByLabel('New activity').fill('Deadlift')
  await second.getByRole('button', { name: 'Add' }).click()
  await expect(first.getByRole('list', { name: 'Activities' }).getByText('Deadlift')).toBeVisible()

  // Close the first tab (the leader: it opened the database first) and keep writing.
  await first.close()
  await second.getByLabel('New activity').fill('Bench press')
  await second.getByRole('button', { name: 'Add' }).click()
  await expect(second.getByRole('list', { name: 'Activities' }).getByText('Bench press')).toBeVisible()
  await expect(second.getByTestId('sync-pending')).toHaveText('All changes synced', { timeout: 60_000 })

  // Another device sees both writes: the server has them.
  const other = await browser.newContext()
  const laptop = await other.newPage()
  await signIn(laptop, account)
  const list = laptop.getByRole('list', { name: 'Activities' })
  await expect(list.getByText('Deadlift')).toBeVisible()
  await expect(list.getByText('Bench press')).toBeVisible()
  await other.close()
})

test('[V2] a server that no longer serves this app’s protocol: the device says to reload and keeps the write queued', async ({
  page,
  account,
}) => {
  await signUp(page, account)
  await expect(page.getByRole('heading', { level: 1, name: "Ann's library" })).toBeVisible()
  await expect(page.getByTestId('sync-pending')).toHaveText('All changes synced')
  // The server was updated past this app's version: every sync request is answered 426.
  const tooOld = { type: 'unsupported-version', version: 1, minVersion: 2, maxVersion: 2, message: 'This app is out of date.' }
  await page.route('**/api/sync/**', (route) =>
    route.fulfill({ status: 426, contentType: 'application/json', body: JSON.stringify(tooOld) }),
  )
  await page.getByLabel('New activity').fill('Front squat')
  await page.getByRole('button', { name: 'Add' }).click()
  await expect(page.getByRole('list', { name: 'Activities' }).getByText('Front squat')).toBeVisible()
  const paused = page.getByRole('region', { name: 'Sync paused' })
  await expect(paused).toContainText('This app is out of date for the server')
  await expect(paused.getByRole('button', { name: 'Reload' })).toBeVisible()
  await expect(page.getByTestId('sync-pending')).toHaveText('1 pending')
})
