/** An automated accessibility check (axe) of every main page: no serious or critical violations. */
import AxeBuilder from '@axe-core/playwright'
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
