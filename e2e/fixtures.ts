import { test as base, expect, type Page } from '@playwright/test'

export type Account = { name: string; email: string; password: string }

let counter = 0
/** A new, unique account for each test; nothing is shared between tests. */
export function newAccount(name = 'Ann'): Account {
  counter += 1
  return { name, email: `${name.toLowerCase()}-${Date.now()}-${counter}@example.com`, password: 'correct horse battery' }
}

export async function signUp(page: Page, account: Account) {
  await page.goto('/sign-up')
  // The button is enabled once React has hydrated; typing earlier can be lost to hydration.
  await expect(page.getByRole('button', { name: 'Create account' })).toBeEnabled()
  await page.getByLabel('Name').fill(account.name)
  await page.getByLabel('Email').fill(account.email)
  await page.getByLabel('Password').fill(account.password)
  await page.getByRole('button', { name: 'Create account' }).click()
}

export async function signIn(page: Page, account: Pick<Account, 'email' | 'password'>) {
  await page.goto('/sign-in')
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeEnabled()
  await page.getByLabel('Email').fill(account.email)
  await page.getByLabel('Password').fill(account.password)
  await page.getByRole('button', { name: 'Sign in' }).click()
}

export const test = base.extend<{ account: Account }>({
  account: async ({}, use) => {
    await use(newAccount())
  },
})

export { expect }
