#!/usr/bin/env node
/**
 * The production server (`npm run serve`): the built Next.js app behind our own `node:http`
 * server, which `next start` gives no hold on. It adds three things (SPEC A10-A12):
 *
 * - the address of the TCP peer, stamped on every request as `x-cadence-peer-address` (replacing
 *   whatever a client sent under that name), so sign-in throttling keys on an address the client
 *   cannot choose (`server/client-address.ts`);
 * - a bounded drain on SIGTERM or SIGINT: stop listening, answer parked long-polls at once, close
 *   every keep-alive connection once its answer is out, let in-flight pushes finish, close the
 *   database, exit; whatever is still open when the grace period ends is cut;
 * - JSON bodies for the errors Node's HTTP parser answers itself (431 for headers or a query
 *   string over `maxHeaderSize`, 400 for a request that is not HTTP).
 *
 * The app's half (its settings, the notifier, the pool) comes from the start-up hook through
 * `globalThis` (`server/lifecycle.ts`): this file is not bundled, and the app's modules live in
 * Next's bundles.
 */
import { createServer, maxHeaderSize, STATUS_CODES } from 'node:http'
import { fileURLToPath } from 'node:url'

process.env.NODE_ENV ??= 'production'
const { default: next } = await import('next')

const PEER_ADDRESS_HEADER = 'x-cadence-peer-address'

/** @type {Promise<import('../server/lifecycle').Lifecycle>} handed over by the start-up hook once the app is ready */
const started = new Promise((resolve) => (globalThis[Symbol.for('cadence.started')] = resolve))
const app = next({ dev: false, port: Number(process.env.PORT) || 3000, dir: fileURLToPath(new URL('..', import.meta.url)) })
await app.prepare()
const handle = app.getRequestHandler()
// Next.js runs the start-up hook (instrumentation.ts: configuration, database, migrations) as it
// loads the app. Nothing listens before it is done; a failure there prints its one line and exits.
const lifecycle = await started
const port = lifecycle.port

let stopping = false
/** Answers not yet begun: told to close their connection when the server starts stopping. */
const pending = new Set()

const server = createServer((req, res) => {
  req.headers[PEER_ADDRESS_HEADER] = req.socket.remoteAddress ?? ''
  if (stopping) res.setHeader('connection', 'close')
  else {
    pending.add(res)
    res.on('close', () => pending.delete(res))
  }
  handle(req, res).catch((error) => {
    console.error('Cadence: request failed', error)
    if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' })
    res.end(JSON.stringify({ type: 'error', message: 'The server failed; nothing was lost. Retry later.' }))
  })
})

// Node answers a request its parser refuses (headers or query string over maxHeaderSize, bytes
// that are not HTTP) itself, with an empty body; every other error of this server is JSON.
server.on('clientError', (error, socket) => {
  if (error.code === 'ECONNRESET' || !socket.writable) return void socket.destroy()
  const [status, message] =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? [431, `The request's headers (its query string included) are over ${server.maxHeaderSize ?? maxHeaderSize} bytes.`]
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'The request took too long to arrive.']
        : [400, 'The request is not valid HTTP.']
  const body = JSON.stringify({ type: 'error', message })
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n` +
      `connection: close\r\n\r\n${body}`,
  )
})

server.on('error', (error) => {
  console.error(`Cadence could not start: port ${port}: ${error.message}`)
  process.exit(1)
})

server.listen(port, () => console.log(`Cadence: serving on http://localhost:${port}`))

async function stop(signal) {
  if (stopping) return
  stopping = true
  const graceMs = lifecycle.shutdownGraceMs
  console.log(`Cadence: ${signal}: stopping; open requests get up to ${graceMs / 1000} s`)
  // Past the grace period (and a few seconds to close the database) the process goes regardless.
  setTimeout(() => process.exit(1), graceMs + 5_000).unref()
  for (const res of pending) if (!res.headersSent) res.setHeader('connection', 'close')
  pending.clear()
  const closed = new Promise((resolve) => server.close(() => resolve(true)))
  lifecycle.drain()
  // An answer whose headers were already out when the signal came leaves its connection open
  // for the next request: close each one as soon as it is idle.
  const sweep = setInterval(() => server.closeIdleConnections(), 100)
  const drained = await Promise.race([closed, new Promise((resolve) => setTimeout(() => resolve(false), graceMs))])
  clearInterval(sweep)
  if (!drained) {
    console.warn('Cadence: grace period over; closing the connections still open')
    server.closeAllConnections()
  }
  await app.close().catch((error) => console.error('Cadence: closing Next.js failed', error))
  await lifecycle.close().catch((error) => console.error('Cadence: closing the database failed', error))
  console.log('Cadence: stopped')
  process.exit(0)
}

for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => void stop(signal))
