import { expect, newAccount, signIn, signUp, test } from './fixtures'

test('sign up, sign out, sign in, and see the library', async ({ page, account }) => {
  await signUp(page, account)
  await expect(page.getByRole('heading', { level: 1, name: "Ann's library" })).toBeVisible()
  await expect(page.getByRole('heading', { level: 2, name: 'Find an exercise' })).toBeVisible()

  await page.getByRole('button', { name: 'Sign out' }).click()
  await expect(page).toHaveURL(/\/sign-in$/)
  await page.goto('/')
  await expect(page).toHaveURL(/\/sign-in$/)

  await signIn(page, account)
  await expect(page.getByRole('heading', { level: 1, name: "Ann's library" })).toBeVisible()
  await page.reload()
  await expect(page.getByRole('heading', { level: 1, name: "Ann's library" })).toBeVisible()
})

test('sign-up explains an invalid email, a short password and a taken email', async ({ page, account }) => {
  await page.goto('/sign-up')
  await page.getByLabel('Name').fill('Ann')
  await page.getByLabel('Email').fill('ann@')
  await page.getByLabel('Password').fill('short')
  await page.getByRole('button', { name: 'Create account' }).click()
  await expect(page.getByText('Enter a valid email address, like you@example.com.')).toBeVisible()
  await expect(page.getByText('Use at least 8 characters for your password.')).toBeVisible()
  await expect(page.getByLabel('Email')).toHaveAttribute('aria-invalid', 'true')

  await signUp(page, account)
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible()
  await page.getByRole('button', { name: 'Sign out' }).click()
  await expect(page).toHaveURL(/\/sign-in$/)

  await signUp(page, { ...newAccount('Bob'), email: account.email })
  await expect(page.getByText('An account with this email already exists.', { exact: false })).toBeVisible()
  await expect(page).toHaveURL(/\/sign-up$/)
})

test('a wrong password and an unknown email get the same message', async ({ page, account }) => {
  await signUp(page, account)
  await page.getByRole('button', { name: 'Sign out' }).click()
  await expect(page).toHaveURL(/\/sign-in$/)

  await signIn(page, { email: account.email, password: 'not the password' })
  await expect(page.getByRole('main').getByRole('alert')).toHaveText('That email and password do not match an account.')

  await signIn(page, { email: `nobody-${Date.now()}@example.com`, password: 'not the password' })
  await expect(page.getByRole('main').getByRole('alert')).toHaveText('That email and password do not match an account.')
})

test('[B13] signing out in a tab that does not sync takes every tab to sign-in', async ({ page, account, context }) => {
  await signUp(page, account)
  await expect(page.getByRole('heading', { level: 1, name: "Ann's library" })).toBeVisible()
  // The first tab holds the sync lock; the second only reads and writes through the database.
  const second = await context.newPage()
  await second.goto('/')
  await expect(second.getByRole('heading', { level: 1, name: "Ann's library" })).toBeVisible()
  await expect(page.getByText('This tab syncs for all tabs')).toBeAttached()
  await expect(second.getByText('This tab syncs for all tabs')).not.toBeAttached()

  await second.getByRole('button', { name: 'Sign out' }).click()
  await expect(second).toHaveURL(/\/sign-in$/)
  await expect(page).toHaveURL(/\/sign-in$/)

  // Signing in again works on the cleared device (sync/client/device.test.ts checks the clear).
  await signIn(page, account)
  await expect(page.getByRole('heading', { level: 1, name: "Ann's library" })).toBeVisible()
})
