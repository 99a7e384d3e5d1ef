/**
 * The production server process (`scripts/serve.mjs` on the build) stopping and answering what
 * the HTTP layer itself refuses. Each test runs a server of its own (`cadence-process.ts`) and
 * talks plain HTTP: devices are loops of long-polls on keep-alive connections, as the sync client
 * makes them. On PostgreSQL when `TEST_DATABASE_URL` is set (each run its own database), else on
 * the embedded one.
 */
import { randomBytes, randomUUID } from 'node:crypto'
import { Agent } from 'node:http'
import { connect } from 'node:net'
import { join } from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import { expect, test } from '@playwright/test'
import postgres from 'postgres'
import { v7 } from 'uuid'
import { json, newEmail, open, send, signUp, startCadence, type Answer, type Cadence } from './cadence-process'

const adminUrl = process.env.TEST_DATABASE_URL

/** A database for one server: a fresh PostgreSQL database, or none (the embedded one). */
async function database(): Promise<{
  env: Record<string, string>
  query(cadence: Cadence, sql: string, params: unknown[]): Promise<unknown[]>
  drop(): Promise<void>
}> {
  if (!adminUrl) {
    return {
      env: {},
      async query(cadence, sql, params) {
        const pg = await PGlite.create(join(cadence.dataDir, 'pglite'))
        try {
          return (await pg.query(sql, params)).rows
        } finally {
          await pg.close()
        }
      },
      drop: async () => {},
    }
  }
  const name = `cadence_stop_${process.pid}_${Date.now()}`
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} })
  await admin.unsafe(`create database ${name}`)
  const url = new URL(adminUrl)
  url.pathname = `/${name}`
  const db = postgres(url.toString(), { max: 1, onnotice: () => {} })
  return {
    env: { DATABASE_URL: url.toString(), BETTER_AUTH_SECRET: randomBytes(32).toString('base64url') },
    query: (_cadence, sql, params) => db.unsafe(sql, params as never[]) as Promise<unknown[]>,
    async drop() {
      await db.end()
      await admin.unsafe(`drop database if exists ${name} with (force)`)
      await admin.end()
    },
  }
}

const pullPath = (deviceId: string, offset: number, waitMs: number) =>
  `/api/sync/pull?v=1&deviceId=${deviceId}&offset=${offset}&waitMs=${waitMs}`

/** Pulls until up to date; returns the offset to long-poll from. */
async function catchUp(cadence: Cadence, cookie: string, deviceId: string): Promise<number> {
  for (let offset = 0; ;) {
    const answer = await send(cadence, pullPath(deviceId, offset, 0), { headers: { cookie } })
    const body = JSON.parse(answer.body) as { offset: number; upToDate: boolean }
    offset = body.offset
    if (body.upToDate) return offset
  }
}

type Poll = { at: number; answer?: Answer; error?: string }

/** A device's live loop: long-polls back to back on one keep-alive connection until one fails. */
function liveDevice(cadence: Cadence, cookie: string, deviceId: string, offset: number): { polls: Poll[]; ended: Promise<void> } {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 })
  const polls: Poll[] = []
  const ended = (async () => {
    for (;;) {
      try {
        const answer = await send(cadence, pullPath(deviceId, offset, 30_000), { headers: { cookie }, agent })
        polls.push({ at: Date.now(), answer })
        if (answer.status !== 200) return
        offset = (JSON.parse(answer.body) as { offset: number }).offset
      } catch (error) {
        polls.push({ at: Date.now(), error: (error as NodeJS.ErrnoException).code ?? String(error) })
        agent.destroy()
        return
      }
    }
  })()
  return { polls, ended }
}

test('[A11] SIGTERM answers parked long-polls at once, finishes the push in flight, closes the database and exits within the grace period', async () => {
  const db = await database()
  const cadence = await startCadence({ ...db.env, CADENCE_SHUTDOWN_GRACE_SECONDS: '10' })
  try {
    const cookie = await signUp(cadence, newEmail('stop'))
    // Every device registers (a change in the user's scope that wakes the others) before any waits.
    const deviceIds = Array.from({ length: 4 }, () => randomUUID())
    for (const deviceId of deviceIds) await catchUp(cadence, cookie, deviceId)
    const devices = await Promise.all(deviceIds.map(async (id) => liveDevice(cadence, cookie, id, await catchUp(cadence, cookie, id))))
    // A push whose body is half sent when the signal comes: it must still be applied and answered.
    const pusher = randomUUID()
    const libraryId = v7()
    const body = JSON.stringify({
      protocolVersion: 1,
      deviceId: pusher,
      mutations: [{ id: 1, name: 'createLibrary', args: { id: libraryId, name: 'Written while stopping' } }],
    })
    const push = open(cadence, '/api/sync/push', {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) },
    })
    push.answer.catch(() => undefined) // awaited below; a failing assertion before must not leave it unhandled
    push.request.write(body.slice(0, 40))
    await new Promise((resolve) => setTimeout(resolve, 1_500)) // every device is parked by now

    const signalled = cadence.signal('SIGTERM')
    await Promise.all(devices.map((d) => d.ended))
    for (const { polls } of devices) {
      expect(polls).toHaveLength(2)
      const [parked, next] = polls
      expect(parked?.answer?.status).toBe(200)
      expect(JSON.parse(parked!.answer!.body)).toMatchObject({ type: 'changes', changes: [], upToDate: true })
      expect(parked!.answer!.headers.connection).toBe('close')
      expect(parked!.at - signalled).toBeLessThan(2_000)
      // The next poll finds the server gone, not an open connection that keeps it alive.
      expect(next?.error).toBe('ECONNREFUSED')
    }

    await new Promise((resolve) => setTimeout(resolve, 500))
    push.request.end(body.slice(40))
    const pushed = await push.answer
    expect(pushed.status).toBe(200)
    expect(JSON.parse(pushed.body)).toMatchObject({ type: 'pushed', results: [{ id: 1, status: 'applied' }] })

    const exit = await Promise.race([cadence.exited, new Promise<null>((resolve) => setTimeout(() => resolve(null), 15_000))])
    expect(exit, cadence.output()).not.toBeNull()
    expect(exit!.code).toBe(0)
    expect(exit!.at - signalled).toBeLessThan(10_000)
    expect(cadence.output()).not.toMatch(/unexpected error|grace period over/)

    expect(await db.query(cadence, 'select name from libraries where id = $1', [libraryId])).toEqual([{ name: 'Written while stopping' }])
    if (adminUrl) {
      // The pool and the LISTEN connection were closed, not dropped with the process.
      const url = new URL(db.env.DATABASE_URL!)
      const others = await db.query(
        cadence,
        'select count(*)::int as n from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()',
        [url.pathname.slice(1)],
      )
      expect(others).toEqual([{ n: 0 }])
    }
  } finally {
    await cadence.dispose()
    await db.drop()
  }
})

test('[A11] a request still open when the grace period ends is cut and the server exits', async () => {
  const cadence = await startCadence({ CADENCE_SHUTDOWN_GRACE_SECONDS: '1' })
  try {
    const cookie = await signUp(cadence, newEmail('grace'))
    // A push whose body never finishes arriving.
    const push = open(cadence, '/api/sync/push', {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json', 'content-length': '1000' },
    })
    push.request.write('{"protocolVersion":1,')
    push.answer.catch(() => undefined)
    await new Promise((resolve) => setTimeout(resolve, 500))
    const signalled = cadence.signal('SIGTERM')
    const exit = await cadence.exited
    expect(exit.at - signalled).toBeLessThan(6_000)
    expect(cadence.output()).toContain('grace period over')
  } finally {
    await cadence.dispose()
  }
})

test.describe('errors the HTTP layer answers', () => {
  let cadence: Cadence
  test.beforeAll(async () => {
    cadence = await startCadence()
  })
  test.afterAll(async () => {
    await cadence.dispose()
  })

  test('[A12] a method a route does not serve gets 405 with Allow and a JSON error', async () => {
    for (const [method, path, allow] of [
      ['PUT', '/api/sync/push', 'POST'],
      ['GET', '/api/sync/push', 'POST'],
      ['POST', '/api/sync/pull', 'GET, HEAD'],
      ['DELETE', '/api/sync/snapshot', 'GET, HEAD'],
      ['PATCH', '/api/auth/sign-in/email', 'GET, HEAD, POST'],
      ['POST', '/api/catalogue', 'GET, HEAD'],
      ['DELETE', '/api/invitations', 'GET, HEAD'],
    ] as const) {
      const answer = await send(cadence, path, { method })
      expect(answer.status, `${method} ${path}`).toBe(405)
      expect(answer.headers.allow).toBe(allow)
      expect(answer.headers['content-type']).toMatch(/^application\/json/)
      expect(JSON.parse(answer.body)).toEqual({ type: 'error', message: expect.stringContaining(`${method} is not served here`) })
    }
  })

  test('[A12] a query string over the header limit gets 431 with a JSON error', async () => {
    const answer = await send(cadence, `/api/sync/pull?v=1&pad=${'a'.repeat(40_000)}`)
    expect(answer.status).toBe(431)
    expect(answer.headers['content-type']).toBe('application/json')
    expect(JSON.parse(answer.body)).toEqual({ type: 'error', message: expect.stringMatching(/over 16384 bytes/) })
  })

  test('[A12] a client that hangs up while its push body is read is not logged as an error', async () => {
    const cookie = await signUp(cadence, newEmail('abort'))
    const socket = connect(cadence.port, '127.0.0.1')
    await new Promise((resolve) => socket.once('connect', resolve))
    socket.write(
      `POST /api/sync/push HTTP/1.1\r\nhost: localhost:${cadence.port}\r\ncookie: ${cookie}\r\ncontent-type: application/json\r\n` +
        'content-length: 1000\r\n\r\n{"protocolVersion":1,',
    )
    await new Promise((resolve) => setTimeout(resolve, 1_000))
    socket.destroy()
    await new Promise((resolve) => setTimeout(resolve, 1_000))
    expect(cadence.output()).not.toMatch(/unexpected error|ECONNRESET|aborted/)
    // The server goes on serving.
    const after = await send(cadence, '/api/sync/push', { method: 'POST', ...json({}, { cookie }) })
    expect(after.status).toBe(400)
  })
})
