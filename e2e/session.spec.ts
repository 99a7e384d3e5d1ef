/**
 * A lost session (sync/SPEC.md A7): the cookies are cleared while the app is open. The status
 * bar says the device is signed out and how many changes wait, the write stays on the device,
 * and it reaches the server once the same account signs in again. Another account signing in on
 * a device with unsynced changes is asked what to do, and nothing is discarded without a yes.
 */
import type { Page } from '@playwright/test'
import { createExercise, expect, newAccount, signUp, test, type Account } from './fixtures'

/** The exercises of the signed-in account as the server has them (a fresh context signed in). */
async function exercisesOnServer(page: Page, account: Account): Promise<string> {
  const context = await page.context().browser()!.newContext()
  const other = await context.newPage()
  await other.goto('/sign-in')
  await expect(other.getByRole('button', { name: 'Sign in' })).toBeEnabled()
  await other.getByLabel('Email').fill(account.email)
  await other.getByLabel('Password').fill(account.password)
  await other.getByRole('button', { name: 'Sign in' }).click()
  await expect(other.getByRole('heading', { level: 1, name: `${account.name}'s library` })).toBeVisible()
  await expect(other.getByTestId('sync-pending')).toHaveText('All changes synced')
  const list = other.getByRole('list', { name: 'Activities' })
  await expect(list).toBeVisible()
  const text = (await list.textContent()) ?? ''
  await context.close()
  return text
}

/** Fills the sign-in form the status bar led to and signs in. */
async function signInHere(page: Page, account: Pick<Account, 'email' | 'password'>) {
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeEnabled()
  await page.getByLabel('Email').fill(account.email)
  await page.getByLabel('Password').fill(account.password)
  await page.getByRole('button', { name: 'Sign in' }).click()
}

test('[A7] cleared cookies: the status says signed out with the pending change, which syncs after signing in again', async ({
  page,
  account,
}) => {
  test.setTimeout(300_000)
  await signUp(page, account)
  await expect(page.getByRole('heading', { level: 1, name: `${account.name}'s library` })).toBeVisible()
  await createExercise(page, 'Back squat')
  await expect(page.getByTestId('sync-pending')).toHaveText('All changes synced')

  await page.context().clearCookies()
  await createExercise(page, 'Offline lunge')
  await expect(page.getByTestId('sync-session')).toHaveText('Signed out — sign in to sync 1 change')
  await expect(page.getByTestId('sync-online')).toHaveCount(0)

  // The link leads to sign-in for this account, its address filled in.
  await page.getByRole('status', { name: 'Sync status' }).getByRole('link', { name: 'Sign in' }).click()
  await expect(page).toHaveURL(/\/sign-in\?email=/)
  await expect(page.getByLabel('Email')).toHaveValue(account.email)
  await expect(page.getByText(`Your session ended. Sign in as ${account.email}`)).toBeVisible()
  await signInHere(page, account)
  await expect(page.getByRole('heading', { level: 1, name: `${account.name}'s library` })).toBeVisible()
  await expect(page.getByTestId('sync-pending')).toHaveText('All changes synced')
  await expect(page.getByRole('list', { name: 'Activities' })).toContainText('Offline lunge')
  expect(await exercisesOnServer(page, account)).toContain('Offline lunge')
})

test('[A7] another account signing in on a device with an unsynced change is asked: signing back in keeps it, discarding needs a yes', async ({
  page,
  browser,
  account,
}) => {
  test.setTimeout(300_000)
  const bob = newAccount('Bob')
  const bobContext = await browser.newContext()
  await signUp(await bobContext.newPage(), bob)
  await bobContext.close()

  await signUp(page, account)
  await expect(page.getByRole('heading', { level: 1, name: `${account.name}'s library` })).toBeVisible()
  await page.context().clearCookies()
  await createExercise(page, 'Kept squat')
  await expect(page.getByTestId('sync-session')).toHaveText('Signed out — sign in to sync 1 change')

  // Bob signs in on this device: the change is Ann's, and waits.
  await page.getByRole('status', { name: 'Sync status' }).getByRole('link', { name: 'Sign in' }).click()
  await signInHere(page, bob)
  const asked = page.getByRole('region', { name: 'Another account is signed in' })
  await expect(asked).toContainText(`This device holds 1 change of ${account.email} that have not reached the server`)
  // Signing back in as Ann keeps it, and it syncs.
  await asked.getByRole('button', { name: `Sign in as ${account.email}` }).click()
  await expect(page).toHaveURL(/\/sign-in\?email=/)
  await signInHere(page, account)
  await expect(page.getByTestId('sync-pending')).toHaveText('All changes synced')
  await expect(page.getByRole('list', { name: 'Activities' })).toContainText('Kept squat')

  // Again, and this time Ann's change is discarded: first a no (nothing happens), then a yes.
  await page.context().clearCookies()
  await createExercise(page, 'Discarded squat')
  await expect(page.getByTestId('sync-session')).toHaveText('Signed out — sign in to sync 1 change')
  await page.getByRole('status', { name: 'Sync status' }).getByRole('link', { name: 'Sign in' }).click()
  await signInHere(page, bob)
  await expect(asked).toBeVisible()
  // The confirm comes after the device re-read what is pending: wait for it to be answered.
  const declined = page.waitForEvent('dialog').then((dialog) => dialog.dismiss())
  await asked.getByRole('button', { name: 'Discard them' }).click()
  await declined
  await expect(asked).toBeVisible()
  await expect(page.getByRole('list', { name: 'Activities' })).toContainText('Discarded squat')
  const confirmed = page.waitForEvent('dialog').then(async (dialog) => {
    expect(dialog.message()).toBe(`Discard 1 change of ${account.email}? They have not reached the server and will be lost.`)
    await dialog.accept()
  })
  await asked.getByRole('button', { name: 'Discard them' }).click()
  await confirmed
  // The device now holds Bob's account.
  await expect(page.getByRole('heading', { level: 1, name: "Bob's library" })).toBeVisible()
  await expect(page.getByTestId('sync-pending')).toHaveText('All changes synced')
  const onServer = await exercisesOnServer(page, account)
  expect(onServer).toContain('Kept squat')
  expect(onServer).not.toContain('Discarded squat')
})
