/**
 * What the service worker precaches besides the build's files, and how it names them: shared by
 * the build script (scripts/build-service-worker.ts), which writes the list into the worker, and by
 * the worker (pwa/sw.ts), which answers navigations and client-side moves from it offline.
 *
 * Every page has two shells: its HTML, for a navigation, and its RSC payload, for a client-side
 * move (Next's `<Link>` fetches the payload with an `RSC: 1` header). They are precached under
 * their route plus a marker query, not under the route itself: Serwist answers a request for a
 * precached URL from its cache before any other route, and a page must try the network first.
 */

export type ShellKind = 'html' | 'rsc'

/** The query that marks a precached shell (Next ignores it when it renders the page). */
export const SHELL_PARAM = 'cadence-shell'

/** The URL a route's shell of `kind` is precached under. */
export function shellUrl(route: string, kind: ShellKind): string {
  return `${route}?${SHELL_PARAM}=${kind}`
}

/** The routes whose shells are precached: `/` and every other page of app/(app), and the auth pages. */
export type ShellRoutes = { app: string[]; auth: string[] }

/**
 * The routes to precache, from the build's `app-path-routes-manifest.json` (page → route): the
 * pages of app/(app) (signed-in, static) and of app/(auth) (sign-in and sign-up), so a page added
 * there is precached without a second list to keep in step.
 */
export function shellRoutes(appPathRoutes: Record<string, string>): ShellRoutes {
  const pages = (group: string) =>
    Object.entries(appPathRoutes)
      .filter(([page]) => page.startsWith(`/${group}/`) && page.endsWith('/page'))
      .map(([, route]) => route)
      .sort()
  const routes = { app: pages('(app)'), auth: pages('(auth)') }
  if (!routes.app.includes('/')) throw new Error('service worker: the build lists no signed-in pages (app/(app)/**/page.tsx)')
  return routes
}

/** A precache entry as Serwist takes it: a revision of null means the URL itself changes with the content. */
export type PrecacheEntry = { url: string; revision: string | null }

/**
 * The shells' entries. `revision(route, kind)` is a hash of the prerendered file when the build
 * wrote one (a static page), or null for a page rendered per request (the auth pages), whose
 * shells then take the build's id: they are fetched again on each deploy, as their HTML names the
 * build's chunks anyway.
 */
export function shellEntries(
  routes: ShellRoutes,
  buildId: string,
  revision: (route: string, kind: ShellKind) => string | null,
): PrecacheEntry[] {
  return [...routes.app, ...routes.auth].flatMap((route) =>
    (['html', 'rsc'] as const).map((kind) => ({ url: shellUrl(route, kind), revision: revision(route, kind) ?? buildId })),
  )
}

/**
 * The precached shell that answers `url` (a page's URL, any query) of `kind`, or null when the
 * path is no precached route. A trailing slash is not a second route.
 */
export function shellFor(url: URL, kind: ShellKind, routes: readonly string[]): string | null {
  const path = url.pathname.length > 1 ? url.pathname.replace(/\/+$/, '') : url.pathname
  return routes.includes(path) ? shellUrl(path, kind) : null
}
