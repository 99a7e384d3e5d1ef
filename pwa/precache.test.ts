import { describe, expect, test } from 'vitest'
import { shellEntries, shellFor, shellRoutes, shellUrl } from './precache'

const manifest = {
  '/(app)/page': '/',
  '/(app)/history/page': '/history',
  '/(app)/settings/page': '/settings',
  '/(auth)/sign-in/page': '/sign-in',
  '/(auth)/sign-up/page': '/sign-up',
  '/api/sync/pull/route': '/api/sync/pull',
  '/manifest.webmanifest/route': '/manifest.webmanifest',
  '/_not-found/page': '/_not-found',
}

describe('the precached shells', () => {
  test('are the pages of app/(app) and app/(auth), as the build lists them; routes and handlers are not', () => {
    expect(shellRoutes(manifest)).toEqual({ app: ['/', '/history', '/settings'], auth: ['/sign-in', '/sign-up'] })
  })

  test('a build with no signed-in pages is refused rather than precaching nothing', () => {
    expect(() => shellRoutes({ '/(auth)/sign-in/page': '/sign-in' })).toThrow(/no signed-in pages/)
  })

  test('each route has an HTML and an RSC shell, revised by its prerendered file or else by the build', () => {
    const routes = { app: ['/', '/history'], auth: ['/sign-in'] }
    const hashes: Record<string, string> = { '/ html': 'a1', '/ rsc': 'a2', '/history html': 'h1', '/history rsc': 'h2' }
    expect(shellEntries(routes, 'build-7', (route, kind) => hashes[`${route} ${kind}`] ?? null)).toEqual([
      { url: '/?cadence-shell=html', revision: 'a1' },
      { url: '/?cadence-shell=rsc', revision: 'a2' },
      { url: '/history?cadence-shell=html', revision: 'h1' },
      { url: '/history?cadence-shell=rsc', revision: 'h2' },
      { url: '/sign-in?cadence-shell=html', revision: 'build-7' },
      { url: '/sign-in?cadence-shell=rsc', revision: 'build-7' },
    ])
  })

  test('a page URL finds its shell whatever its query; another path finds none', () => {
    const routes = ['/', '/history', '/sign-in']
    expect(shellFor(new URL('https://x.test/history?_rsc=abc'), 'rsc', routes)).toBe(shellUrl('/history', 'rsc'))
    expect(shellFor(new URL('https://x.test/history/'), 'html', routes)).toBe('/history?cadence-shell=html')
    expect(shellFor(new URL('https://x.test/sign-in?email=a%40b.c'), 'html', routes)).toBe('/sign-in?cadence-shell=html')
    expect(shellFor(new URL('https://x.test/'), 'html', routes)).toBe('/?cadence-shell=html')
    expect(shellFor(new URL('https://x.test/api/sync/pull'), 'html', routes)).toBeNull()
    expect(shellFor(new URL('https://x.test/history/extra'), 'html', routes)).toBeNull()
  })
})
