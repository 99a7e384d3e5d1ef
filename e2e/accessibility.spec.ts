/** An automated accessibility check (axe) of every main page: no serious or critical violations. */
import AxeBuilder from '@axe-core/playwright'
import type { Page } from '@playwright/test'
import { expect, signUp, test } from './fixtures'

test('the main pages have no serious or critical accessibility violations', async ({ page, account }) => {
  test.setTimeout(240_000)
  await signUp(page, account)
  await expect(page.getByRole('heading', { level: 1, name: "Ann's library" })).toBeVisible()
  for (const [path, heading] of [
    ['/', "Ann's library"],
    ['/libraries', 'Libraries'],
    ['/history', 'History'],
    ['/progress', 'Progress'],
    ['/settings', 'Settings'],
    ['/sign-in', 'Welcome back'],
  ] as const) {
    if (path === '/sign-in') {
      await page.getByRole('button', { name: 'Sign out' }).click()
      await expect(page).toHaveURL(/\/sign-in$/)
    } else {
      await page.goto(path)
    }
    await expect(page.getByRole('heading', { level: 1, name: heading })).toBeVisible()
    const { violations } = await new AxeBuilder({ page }).analyze()
    const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
    expect(serious.map((v) => `${path}: ${v.id} (${v.impact}) ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([])
  }
})

/** Presses Tab until the focused element matches, as a keyboard user would (at most `limit` times). */
async function tabTo(page: Page, matches: (el: Element) => boolean, limit = 40) {
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press('Tab')
    if (await page.evaluate((source) => new Function('el', `return (${source})(el)`)(document.activeElement), matches.toString())) return
  }
  throw new Error(`Nothing matching ${matches.toString()} could be reached with Tab`)
}

test('an exercise is added and logged with the keyboard alone', async ({ page, account }) => {
  test.setTimeout(240_000)
  await signUp(page, account)
  await expect(page.getByRole('heading', { level: 1, name: "Ann's library" })).toBeVisible()

  await tabTo(page, (el) => el.getAttribute('name') === 'name' && el.closest('form') !== null)
  await page.keyboard.type('Press-up')
  await page.keyboard.press('Enter')
  await expect(page.getByRole('list', { name: 'Activities' }).getByText('Press-up', { exact: true })).toBeVisible()

  await tabTo(page, (el) => el.getAttribute('aria-label') === 'Log Press-up')
  await page.keyboard.press('Enter')
  await expect(page.getByRole('heading', { level: 1, name: /Press-up/ })).toBeVisible()
  await tabTo(page, (el) => (el as HTMLInputElement).labels?.[0]?.textContent?.startsWith('Weight') === true)
  await page.keyboard.type('20')
  await tabTo(page, (el) => (el as HTMLInputElement).labels?.[0]?.textContent === 'Reps', 3)
  await page.keyboard.type('15')
  await page.keyboard.press('Enter')
  await expect(page.getByRole('status').filter({ hasText: 'Logged Press-up.' })).toBeVisible()
})
