/**
 * The main navigation (components/app-shell.tsx): on a phone a tab bar fixed to the bottom with
 * all five destinations, each label whole, that covers none of the page and works with the
 * network off; on a laptop a sidebar. Screenshots of both, light and dark, are kept as test
 * artifacts, and axe finds no serious or critical violation in either scheme.
 */
import AxeBuilder from '@axe-core/playwright'
import type { Page, TestInfo } from '@playwright/test'
import { expect, readyOffline, signUp, test } from './fixtures'

const destinations = [
  ['Library', "Ann's library"],
  ['Libraries', 'Libraries'],
  ['History', 'History'],
  ['Progress', 'Progress'],
  ['Settings', 'Settings'],
] as const

/** Each link's box, and whether its label is drawn whole (not cut, not wrapped, inside the link and the screen). */
async function linkBoxes(page: Page) {
  return page.getByRole('navigation', { name: 'Main' }).evaluate((nav) =>
    [...nav.querySelectorAll('li a')].map((a) => {
      const label = a.querySelector('span')!
      const box = a.getBoundingClientRect()
      const text = label.getBoundingClientRect()
      return {
        name: a.textContent,
        box: { x: box.x, y: box.y, width: box.width, height: box.height },
        whole:
          label.scrollWidth <= label.clientWidth &&
          text.height < 24 &&
          text.left >= box.left &&
          text.right <= box.right &&
          text.left >= 0 &&
          text.right <= window.innerWidth,
      }
    }),
  )
}

/** The height the page keeps free for the tab bar, as an element fixed to the bottom would use it. */
async function reservedHeight(page: Page) {
  return page.evaluate(() => {
    const probe = document.createElement('div')
    probe.style.cssText = 'position:fixed;bottom:0;height:var(--tab-bar-height,0px)'
    document.body.append(probe)
    const height = probe.getBoundingClientRect().height
    probe.remove()
    return height
  })
}

/** Axe's serious and critical violations on the page, in light and dark, with a screenshot of each. */
async function lookAt(page: Page, testInfo: TestInfo, name: string) {
  const problems: string[] = []
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme })
    await page.screenshot({ path: testInfo.outputPath(`${name}-${scheme}.png`), animations: 'disabled' })
    const { violations } = await new AxeBuilder({ page }).analyze()
    for (const v of violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')) {
      problems.push(`${name} ${scheme}: ${v.id} (${v.impact}) ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)
    }
  }
  await page.emulateMedia({ colorScheme: 'light' })
  return problems
}

test.describe('on a phone', () => {
  test.use({ viewport: { width: 390, height: 844 }, hasTouch: true })

  test('a bottom tab bar holds all five destinations with whole labels, covers nothing, and works offline', async ({
    page,
    context,
    account,
  }, testInfo) => {
    test.setTimeout(300_000)
    await readyOffline(page, account)
    const nav = page.getByRole('navigation', { name: 'Main' })
    await expect(nav).toBeVisible()

    const links = await linkBoxes(page)
    expect(links.map((l) => l.name)).toEqual(destinations.map(([label]) => label))
    for (const link of links) {
      expect(link.whole, `${link.name} is drawn whole`).toBe(true)
      // One row at the bottom, each a touch target of at least 44 px.
      expect(link.box.y + link.box.height).toBeGreaterThan(844 - 60)
      expect(link.box.height).toBeGreaterThanOrEqual(44)
      expect(link.box.width).toBeGreaterThanOrEqual(44)
    }
    const bar = (await nav.boundingBox())!
    expect(bar.y + bar.height).toBeCloseTo(844, 0)
    expect(bar.width).toBe(390)
    // What is fixed to the bottom (the update prompt, the workout's keypad tools) sits on this height.
    expect(await reservedHeight(page)).toBeCloseTo(bar.height, 0)

    // Scrolled to the end, the page's last line is above the bar, not under it.
    await page.getByRole('link', { name: 'Libraries' }).click()
    await expect(page.getByRole('heading', { level: 1, name: 'Libraries' })).toBeVisible()
    await expect(page.getByRole('link', { name: 'Libraries' })).toHaveAttribute('aria-current', 'page')
    await expect(page.getByText('Loading the catalogue…')).toHaveCount(0)
    const lastBottom = await page.evaluate(() => {
      window.scrollTo(0, document.documentElement.scrollHeight)
      const main = document.querySelector('main')!
      const texts = [...main.querySelectorAll('p, button, input, h2, h3, li')]
      return Math.max(...texts.map((t) => t.getBoundingClientRect().bottom))
    })
    expect(lastBottom).toBeLessThanOrEqual((await nav.boundingBox())!.y)

    const problems = await lookAt(page, testInfo, 'navigation-390-libraries')

    await context.setOffline(true)
    for (const [label, heading] of [...destinations.slice(2), destinations[1], destinations[0]]) {
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: label, exact: true }).click()
      await expect(page.getByRole('heading', { level: 1, name: heading })).toBeVisible()
      await expect(page.getByRole('link', { name: label, exact: true })).toHaveAttribute('aria-current', 'page')
      await expect(nav.locator('[aria-current="page"]')).toHaveCount(1)
    }
    await expect(page.getByTestId('sync-online')).toHaveText('Offline')
    problems.push(...(await lookAt(page, testInfo, 'navigation-390-library-offline')))
    expect(problems).toEqual([])
  })
})

test.describe('on a laptop', () => {
  test.use({ viewport: { width: 1280, height: 800 } })

  test('a sidebar holds the destinations, one above the other, with no bar at the bottom', async ({ page, account }, testInfo) => {
    test.setTimeout(240_000)
    await signUp(page, account)
    await expect(page.getByRole('heading', { level: 1, name: "Ann's library" })).toBeVisible()
    const nav = page.getByRole('navigation', { name: 'Main' })
    const side = (await nav.boundingBox())!
    expect(side).toMatchObject({ x: 0, y: 0, height: 800 })
    expect(side.width).toBeLessThan(260)
    const links = await linkBoxes(page)
    expect(links.map((l) => l.name)).toEqual(destinations.map(([label]) => label))
    for (const [i, link] of links.entries()) {
      expect(link.whole, `${link.name} is drawn whole`).toBe(true)
      if (i > 0) expect(link.box.y).toBeGreaterThan(links[i - 1]!.box.y)
    }
    expect(await reservedHeight(page)).toBe(0)
    // The page stands beside the sidebar, not under it.
    const heading = (await page.getByRole('heading', { level: 1 }).boundingBox())!
    expect(heading.x).toBeGreaterThanOrEqual(side.x + side.width)

    await nav.getByRole('link', { name: 'History' }).click()
    await expect(page.getByRole('heading', { level: 1, name: 'History' })).toBeVisible()
    await expect(nav.getByRole('link', { name: 'History' })).toHaveAttribute('aria-current', 'page')
    expect(await lookAt(page, testInfo, 'navigation-1280-history')).toEqual([])
  })
})
