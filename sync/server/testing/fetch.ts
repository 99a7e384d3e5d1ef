/**
 * A `fetch` that hands each request to the route handlers in process (`Request` in, `Response`
 * out, no sockets), as `app/api/sync/*` and `app/api/media/[sha256]` would. It stands in for the
 * browser's network and cookie jar: the device's `HttpTransport` is the real one, and tests wrap
 * this to fail, hold or duplicate what it carries (`sync/client/testing/network.ts`).
 */
import { methodNotAllowed } from '@/server/method-not-allowed'
import { endpointOf, mediaPathPrefix, type SyncEndpoint } from '../../protocol'
import type { Fetch } from '../../client/transport'
import { handleHistory, handlePull, handlePush, handleSnapshot, type SyncService } from '../http'
import { handleMediaGet, handleMediaPut } from '../media'

const handlers: Record<SyncEndpoint, (service: SyncService, request: Request) => Promise<Response>> = {
  push: handlePush,
  pull: handlePull,
  snapshot: handleSnapshot,
  history: handleHistory,
}

/** What `app/api/media/[sha256]/route.ts` answers a method it does not serve. */
const mediaOtherMethods: Record<string, (request: Request) => Response> = methodNotAllowed('GET', 'PUT')

/** A photo blob's address (SPEC M8, M9), as its route serves each method. */
function handleMedia(service: SyncService, request: Request, sha: string): Promise<Response> | Response {
  if (request.method === 'PUT') return handleMediaPut(service, request, sha)
  if (request.method === 'GET' || request.method === 'HEAD') return handleMediaGet(service, request, sha)
  return mediaOtherMethods[request.method]?.(request) ?? new Response(null, { status: 405 })
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
    const path = new URL(request.url).pathname
    let response: Response
    if (endpoint) response = await handlers[endpoint](service(), request)
    else if (path.startsWith(mediaPathPrefix)) response = await handleMedia(service(), request, path.slice(mediaPathPrefix.length))
    else return new Response('Not found', { status: 404 })
    if (request.signal.aborted) {
      await response.body?.cancel()
      request.signal.throwIfAborted()
    }
    return response
  }
}
