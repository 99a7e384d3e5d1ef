/// <reference lib="webworker" />
/**
 * The service worker, bundled by scripts/build-service-worker.ts into public/sw.js after `next
 * build`, which injects the precache list (`self.__SW_MANIFEST`) and the shell routes.
 *
 * - Precache (Serwist): every file under /_next/static (each route's chunks, PGlite's .wasm and
 *   .data), public/ (the device template, the icons), the manifest, and each route's two shells
 *   (pwa/precache.ts). Entries carry a revision: a hashed /_next/static URL is its own, any other
 *   file's is a hash of its content. A deploy installs a worker that fetches only the entries whose
 *   URL or revision changed; the rest are kept from the installed worker's precache, and entries
 *   the new list lacks are deleted when it activates.
 * - Navigations and client-side moves go to the network first, for 3 s; then (offline, or the
 *   server too slow) this build's shell of the route. No page is cached at run time: a page from
 *   an older build would name chunks its precache no longer holds.
 * - A new worker waits until the page asks it to take over ({type: 'SKIP_WAITING'}, the "Update"
 *   button of components/service-worker.tsx); the first one claims its clients at once.
 */
import { NetworkOnly, Serwist, type PrecacheEntry, type SerwistGlobalConfig, type SerwistPlugin } from 'serwist'
import { MEDIA_CACHE_NAME } from '../sync/client/media/blob-store'
import { shellFor, SHELL_PARAM, type ShellKind, type ShellRoutes } from './precache'

declare global {
  interface WorkerGlobalScope extends SerwistGlobalConfig {
    __SW_MANIFEST: (PrecacheEntry | string)[] | undefined
  }
}
declare const self: ServiceWorkerGlobalScope
/** Replaced by the build script with the routes of pwa/precache.ts `shellRoutes`. */
declare const __SHELL_ROUTES__: ShellRoutes

const routes = [...__SHELL_ROUTES__.app, ...__SHELL_ROUTES__.auth]
const NETWORK_TIMEOUT_SECONDS = 3

/** How the precache fetches: the RSC shells with Next's header; nothing with the visitor's cookies. */
const shellRequests: SerwistPlugin = {
  requestWillFetch: async ({ request }) => {
    if (request.mode === 'navigate') return request
    // Cookies would fetch the auth pages as a signed-in visitor: a redirect to / instead of the form.
    const init: RequestInit = { credentials: 'omit' }
    if (new URL(request.url).searchParams.get(SHELL_PARAM) === 'rsc') init.headers = { RSC: '1' }
    return new Request(request, init)
  },
  // A worker takes its location from the response's URL, which for a cached response has lost
  // the #fragment its bootstrap reads; a new Response has none, so the request's is kept. (The
  // request here is the page's; the cache-read callbacks see only the cache key.)
  handlerWillRespond: async ({ request, response }) =>
    request.destination === 'worker'
      ? new Response(response.body, { status: response.status, statusText: response.statusText, headers: response.headers })
      : response,
}

function isPrefetch(request: Request): boolean {
  return request.headers.has('Next-Router-Prefetch') || request.headers.has('Next-Router-Segment-Prefetch')
}

/** When the network fails or times out: the precached shell of the route, if it is one. */
function shellFallback(kind: ShellKind): SerwistPlugin {
  return {
    handlerDidError: async ({ request }) => {
      // A prefetch asks for parts of the payload, which the shell is not; "no content" makes Next
      // drop it quietly (a failed request would be a console error), and the move itself then
      // asks for the whole payload.
      if (kind === 'rsc' && isPrefetch(request)) return new Response(null, { status: 204 })
      const shell = shellFor(new URL(request.url), kind, routes)
      const cached = shell ? await serwist.matchPrecache(shell) : undefined
      if (!cached) return Response.error()
      // Marked, so a test can tell the page came from this cache and not the network.
      const headers = new Headers(cached.headers)
      headers.set('x-cadence-shell', 'offline')
      return new Response(cached.body, { status: cached.status, statusText: cached.statusText, headers })
    },
  }
}

const serwist = new Serwist({
  precacheEntries: self.__SW_MANIFEST,
  precacheOptions: { cleanupOutdatedCaches: true, plugins: [shellRequests] },
  skipWaiting: false,
  clientsClaim: true,
  runtimeCaching: [
    {
      // Other pages and endpoints are the network's alone: no timeout cuts a slow one short.
      matcher: ({ request, url, sameOrigin }) => sameOrigin && request.mode === 'navigate' && shellFor(url, 'html', routes) !== null,
      handler: new NetworkOnly({ networkTimeoutSeconds: NETWORK_TIMEOUT_SECONDS, plugins: [shellFallback('html')] }),
    },
    {
      // A client-side move, or its prefetch: Next fetches the page's RSC payload.
      matcher: ({ request, url, sameOrigin }) => sameOrigin && request.headers.get('RSC') === '1' && shellFor(url, 'rsc', routes) !== null,
      handler: new NetworkOnly({ networkTimeoutSeconds: NETWORK_TIMEOUT_SECONDS, plugins: [shellFallback('rsc')] }),
    },
  ],
})

// The hand-written worker this one replaces kept everything in a cache per build ("cadence-<build id>").
// The device's photo cache is not the app's: it holds photos still to upload (SPEC M6), and no
// deploy may touch it.
self.addEventListener('activate', (event) => {
  const old = (key: string) => key.startsWith('cadence-') && key !== MEDIA_CACHE_NAME
  event.waitUntil(caches.keys().then((keys) => Promise.all(keys.filter(old).map((k) => caches.delete(k)))))
})

// Tabs still running the build before this worker ask for the switch with the old message, a
// plain string; Serwist listens for {type: 'SKIP_WAITING'}.
self.addEventListener('message', (event) => {
  if (event.data === 'skip-waiting') void self.skipWaiting()
})

serwist.addEventListeners()
