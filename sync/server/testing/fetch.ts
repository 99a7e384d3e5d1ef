/**
 * A `fetch` that hands each request to the sync route handlers in process (`Request` in,
 * `Response` out, no sockets), as `app/api/sync/*` would. It stands in for the browser's network
 * and cookie jar: the device's `HttpTransport` is the real one, and tests wrap this to fail,
 * hold or duplicate what it carries (`sync/client/testing/network.ts`).
 */
import { endpointOf, type SyncEndpoint } from '../../protocol'
import type { Fetch } from '../../client/transport'
import { handlePull, handlePush, handleSnapshot, type SyncService } from '../http'

const handlers: Record<SyncEndpoint, (service: SyncService, request: Request) => Promise<Response>> = {
  push: handlePush,
  pull: handlePull,
  snapshot: handleSnapshot,
}

/** Where relative URLs point, as a page's origin would. */
export const TEST_ORIGIN = 'http://cadence.test'

/**
 * Routes requests to the handlers of `service()` (read per request: a restarted server is a new
 * service), signed in with `token` as the harness's bearer token. Like a real `fetch`, it
 * rejects with the signal's reason when the request is aborted before its answer.
 */
export function handlerFetch(service: () => SyncService, token: string): Fetch {
  return async (url, init) => {
    const headers = new Headers(init.headers)
    headers.set('authorization', `Bearer ${token}`)
    const request = new Request(new URL(url, TEST_ORIGIN), { ...init, headers })
    const endpoint = endpointOf(request.url)
    if (!endpoint) return new Response('Not found', { status: 404 })
    const response = await handlers[endpoint](service(), request)
    if (request.signal.aborted) {
      await response.body?.cancel()
      request.signal.throwIfAborted()
    }
    return response
  }
}
