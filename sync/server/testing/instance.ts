/**
 * One Cadence server instance as its own Node process, for tests that run several on one
 * PostgreSQL (`sync/server/multi-instance.pg.test.ts`; not run by hand). It is the app's own
 * composition root, `getServer()` (`server/index.ts`): the configuration read from the
 * environment (`DATABASE_URL`, `BETTER_AUTH_SECRET`, …), the migrations run at start under their
 * advisory lock, the app's pool, its better-auth with sessions in the database, and one
 * `ChangeNotifier` on its own LISTEN connection. Only Next.js is left out: `node:http` hands
 * `/api/sync/*` to the route handlers of `sync/server/http.ts` and `/api/auth/*` to better-auth,
 * as `app/api/**\/route.ts` do, with requests and answers streamed as web `Request`/`Response`.
 *
 * `GET /test/stats` answers the notifier's `{ waiting, generation }`, so a test knows when a
 * long-poll is waiting here. Prints `{"port":…}` on stdout once it listens (port 0: a free one);
 * exits when its stdin closes, so it never outlives the test process that started it.
 *
 * Run with `node --conditions=react-server --import tsx` (the condition makes `server-only` a
 * no-op outside Next.js).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { getServer, type Server } from '@/server'
import { endpointOf, type SyncEndpoint } from '../../protocol'
import { handleHistory, handlePull, handlePush, handleSnapshot, type SyncService } from '../http'

const syncHandlers: Record<SyncEndpoint, (service: SyncService, request: Request) => Promise<Response>> = {
  push: handlePush,
  pull: handlePull,
  snapshot: handleSnapshot,
  history: handleHistory,
}

/** The incoming request as a web `Request`, aborted when the client goes away before the answer. */
async function toRequest(req: IncomingMessage, res: ServerResponse): Promise<Request> {
  const aborted = new AbortController()
  res.on('close', () => {
    if (!res.writableFinished) aborted.abort()
  })
  const headers = new Headers()
  for (const [name, value] of Object.entries(req.headers)) {
    for (const v of Array.isArray(value) ? value : value === undefined ? [] : [value]) headers.append(name, v)
  }
  let body: Uint8Array<ArrayBuffer> | undefined
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    body = new Uint8Array(Buffer.concat(chunks))
  }
  return new Request(`http://${req.headers.host ?? '127.0.0.1'}${req.url}`, { method: req.method, headers, body, signal: aborted.signal })
}

/** Writes `response` to `res`, streaming its body (a snapshot is NDJSON of any length). */
async function send(res: ServerResponse, response: Response) {
  const headers: Record<string, string | string[]> = {}
  response.headers.forEach((value, name) => {
    if (name !== 'set-cookie') headers[name] = value
  })
  const cookies = response.headers.getSetCookie()
  if (cookies.length > 0) headers['set-cookie'] = cookies
  res.writeHead(response.status, headers)
  if (!response.body) return void res.end()
  const reader = response.body.getReader()
  res.on('close', () => void reader.cancel().catch(() => undefined))
  for (;;) {
    const { done, value } = await reader.read()
    if (done || res.destroyed) break
    res.write(value)
  }
  res.end()
}

async function route(server: Server, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = new URL(req.url ?? '/', 'http://instance.invalid').pathname
  if (path === '/test/stats') {
    const { waiting, generation } = server.sync.notifier
    return send(res, Response.json({ waiting, generation }))
  }
  const endpoint = endpointOf(path)
  if (endpoint) return send(res, await syncHandlers[endpoint](server.sync, await toRequest(req, res)))
  if (path.startsWith('/api/auth/')) return send(res, await server.auth.handler(await toRequest(req, res)))
  return send(res, new Response('Not found', { status: 404 }))
}

async function main() {
  const server = await getServer()
  const http = createServer((req, res) => {
    route(server, req, res).catch((error: unknown) => {
      console.error('instance:', error)
      if (!res.headersSent) res.writeHead(500).end()
      else res.destroy()
    })
  })
  // Longer than any long-poll, so a client never reuses a connection the server is closing.
  http.keepAliveTimeout = 120_000
  http.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ port: (http.address() as { port: number }).port })))
  process.stdin.resume()
  process.stdin.on('end', async () => {
    http.closeAllConnections()
    http.close()
    await server.sync.notifier.close()
    await server.database.close()
    process.exit(0)
  })
}

await main()
