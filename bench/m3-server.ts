/**
 * The server process of M3 (`m3-fanout.ts` starts it as a child; not run by hand):
 *
 * - `real <databaseUrl>`: a Node HTTP server whose `/api/sync/pull` and `/api/sync/push` go to
 *   the real `handlePull` / `handlePush`, with the app's pool (postgres.js, 10 connections) and
 *   one `ChangeNotifier` (one LISTEN). Requests become web `Request`s and answers are written
 *   from the `Response`, as a route handler gets them. A bearer token is taken as the user id:
 *   sessions are not what M3 measures.
 * - `floor <databaseUrl>`: the bare long-poll server. Every `/api/sync/pull` waits on one promise
 *   that a single LISTEN (channel `m3_floor`) resolves on NOTIFY, then answers a tiny JSON body.
 *
 * Both answer `GET /stats` (`?gc` runs a full collection first; the process runs with
 * --expose-gc) with the waiting requests, the open connections other than its own, and
 * `process.memoryUsage()`. Prints `{"port":…}` on stdout when listening; exits when stdin closes.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { connectPostgres, drizzlePostgres, type PostgresClient } from '@/db/postgres'
import { handlePull, handlePush, type SyncService } from '@/sync/server/http'
import { ChangeNotifier } from '@/sync/server/live'
import { postgresListen } from '@/sync/server/testing/postgres'

type Route = (req: IncomingMessage, res: ServerResponse) => Promise<void>
type App = { route: Route; waiting(): number; close(): Promise<void> }

export type Stats = { waiting: number; connections: number; heapUsed: number; rss: number }

function answer(res: ServerResponse, status: number, body: string) {
  res.writeHead(status, { 'content-type': 'application/json' })
  res.end(body)
}

/** The incoming request as a web `Request`, aborted if the client goes away first. */
async function toRequest(req: IncomingMessage, res: ServerResponse): Promise<Request> {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  const aborted = new AbortController()
  res.on('close', () => {
    if (!res.writableFinished) aborted.abort()
  })
  const headers = new Headers()
  for (const [name, value] of Object.entries(req.headers)) if (typeof value === 'string') headers.set(name, value)
  const body = req.method === 'POST' ? new Uint8Array(Buffer.concat(chunks)) : undefined
  return new Request(`http://127.0.0.1${req.url}`, { method: req.method, headers, body, signal: aborted.signal })
}

async function realApp(client: PostgresClient): Promise<App> {
  const service: SyncService = {
    db: drizzlePostgres(client),
    notifier: await ChangeNotifier.start(postgresListen(client)),
    authenticate: async (request) => request.headers.get('authorization')?.replace(/^Bearer /, '') || null,
  }
  const handlers: Record<string, typeof handlePull> = { '/api/sync/pull': handlePull, '/api/sync/push': handlePush }
  return {
    async route(req, res) {
      const handler = handlers[new URL(req.url!, 'http://x').pathname]
      if (!handler) return answer(res, 404, '{}')
      const response = await handler(service, await toRequest(req, res))
      res.writeHead(response.status, Object.fromEntries(response.headers))
      res.end(Buffer.from(await response.arrayBuffer()))
    },
    waiting: () => service.notifier.waiting,
    close: () => service.notifier.close(),
  }
}

async function floorApp(client: PostgresClient): Promise<App> {
  let wake = () => {}
  let woken = new Promise<void>((resolve) => (wake = resolve))
  const { unlisten } = await client.listen('m3_floor', () => {
    const wakeAll = wake
    woken = new Promise<void>((resolve) => (wake = resolve))
    wakeAll()
  })
  let waiting = 0
  return {
    async route(req, res) {
      if (!req.url!.startsWith('/api/sync/pull')) return answer(res, 404, '{}')
      waiting++
      await woken
      waiting--
      answer(res, 200, '{"woke":true}')
    },
    waiting: () => waiting,
    close: unlisten,
  }
}

function connections(server: Server): Promise<number> {
  return new Promise((resolve, reject) => server.getConnections((error, n) => (error ? reject(error) : resolve(n))))
}

async function stats(app: App, server: Server, url: string): Promise<Stats> {
  if (url.includes('gc')) (globalThis as { gc?: () => void }).gc?.()
  const { heapUsed, rss } = process.memoryUsage()
  return { waiting: app.waiting(), connections: (await connections(server)) - 1, heapUsed, rss }
}

async function main() {
  const [kind, url] = process.argv.slice(2)
  if ((kind !== 'real' && kind !== 'floor') || !url) throw new Error('usage: m3-server.ts real|floor <databaseUrl>')
  const client = connectPostgres(url, { max: kind === 'real' ? 10 : 1 })
  const app = kind === 'real' ? await realApp(client) : await floorApp(client)
  const server: Server = createServer((req, res) => {
    const handled = req.url!.startsWith('/stats')
      ? stats(app, server, req.url!).then((s) => answer(res, 200, JSON.stringify(s)))
      : app.route(req, res)
    handled.catch((error: unknown) => {
      console.error('m3-server:', error)
      if (!res.headersSent) answer(res, 500, '{}')
    })
  })
  server.keepAliveTimeout = 120_000
  server.listen(0, '127.0.0.1', 4096, () => console.log(JSON.stringify({ port: (server.address() as { port: number }).port })))
  process.stdin.resume()
  process.stdin.on('end', async () => {
    server.closeAllConnections()
    server.close()
    await app.close()
    await client.end({ timeout: 5 })
    process.exit(0)
  })
}

await main()
