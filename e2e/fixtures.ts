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

/** Adds a strength exercise from the library page and waits until the list shows it. */
export async function createExercise(page: Page, name: string) {
  await page.getByLabel('New activity').fill(name)
  await page.getByLabel('Type').selectOption('strength')
  await page.getByRole('button', { name: 'Add' }).click()
  await expect(page.getByRole('list', { name: 'Activities' }).getByText(name, { exact: true })).toBeVisible()
}

/** Adds a workout of `sets` sets of one exercise from the library page. */
export async function createWorkout(page: Page, name: string, exercise: string, sets: number) {
  await page.getByLabel('New activity').fill(name)
  await page.getByLabel('Type').selectOption('workout')
  await page.getByLabel(exercise, { exact: true }).check()
  await page.getByLabel(`Sets of ${exercise}`).fill(String(sets))
  await page.getByRole('button', { name: 'Add' }).click()
  await expect(page.getByRole('list', { name: 'Activities' }).getByText(name, { exact: true })).toBeVisible()
}

/** Signs up, waits until the service worker controls the page and everything is synced. */
export async function readyOffline(page: Page, account: Account) {
  await signUp(page, account)
  await expect(page.getByRole('heading', { level: 1, name: `${account.name}'s library` })).toBeVisible()
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready
  })
  // The first load registered the worker; a reload puts the page under its control.
  await page.reload()
  await expect(page.getByRole('heading', { level: 1, name: `${account.name}'s library` })).toBeVisible()
  await expect.poll(() => page.evaluate(() => Boolean(navigator.serviceWorker.controller))).toBe(true)
}

export const test = base.extend<{ account: Account }>({
  account: async ({}, use) => {
    await use(newAccount())
  },
})

export { expect }
