/**
 * Offline, the sign-in and sign-up pages come from the service worker's precache and say that
 * signing in needs the network, instead of the browser's "This site can't be reached"; with an
 * account on the device they offer the way into the app, which works offline.
 */
import { expect, readyOffline, test } from './fixtures'

test.use({ viewport: { width: 390, height: 844 }, hasTouch: true })

const notice = 'You are offline: signing in needs the network.'

test('offline on a device with no account: both pages open, say why signing in cannot work, and offer no way in', async ({
  context,
  page,
}) => {
  await page.goto('/sign-in')
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeEnabled()
  // The first visit installs the worker (its precache holds both pages) and it takes control.
  await page.evaluate(async () => void (await navigator.serviceWorker.ready))
  await expect.poll(() => page.evaluate(() => Boolean(navigator.serviceWorker.controller))).toBe(true)
  await expect(page.getByText(notice)).toBeHidden()

  await context.setOffline(true)
  for (const [path, heading, button] of [
    ['/sign-up', 'Create your account', 'Create account'],
    ['/sign-in', 'Welcome back', 'Sign in'],
  ] as const) {
    const response = await page.goto(path)
    expect(response?.headers()['x-cadence-shell']).toBe('offline')
    await expect(page.getByRole('heading', { level: 1, name: heading })).toBeVisible()
    await expect(page.getByRole('status').filter({ hasText: notice })).toBeVisible()
    await expect(page.getByRole('link', { name: 'Open your training log' })).toHaveCount(0)
    await expect(page.getByRole('button', { name: button })).toBeEnabled()
  }
  // Trying anyway says the same, beside the form, and sends nothing.
  await page.getByLabel('Email').fill('ann@example.com')
  await page.getByLabel('Password').fill('correct horse battery')
  await page.getByRole('button', { name: 'Sign in' }).click()
  await expect(page.getByRole('alert').filter({ hasText: notice })).toBeVisible()
  await page.screenshot({ path: test.info().outputPath('offline-sign-in-390.png'), fullPage: true })

  // Back online, the notice goes.
  await context.setOffline(false)
  await expect(page.getByRole('status').filter({ hasText: notice })).toBeHidden()
})

test('offline with an account on the device: the sign-in page leads into the app', async ({ context, page, account }) => {
  await readyOffline(page, account)
  await context.setOffline(true)
  await page.goto('/sign-in')
  const status = page.getByRole('status').filter({ hasText: notice })
  await expect(status).toBeVisible()
  await expect(status).toContainText(`${account.email} is on this device.`)
  await page.screenshot({ path: test.info().outputPath('offline-sign-in-account-390.png'), fullPage: true })
  await status.getByRole('link', { name: 'Open your training log' }).click()
  await expect(page.getByRole('heading', { level: 1, name: `${account.name}'s library` })).toBeVisible()
  await expect(page.getByTestId('sync-online')).toHaveText('Offline')
})
