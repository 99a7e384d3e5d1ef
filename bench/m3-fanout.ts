/**
 * M3 fan-out: how long a committed change takes to reach the other live devices of its scope,
 * with 1, 100 and 1,000 devices long-polling one server process, against a floor measured in the
 * same run; and the server memory each live device costs.
 *
 * - **Real**: a child process (`m3-server.ts real`) serves the real `handlePull` / `handlePush`
 *   over HTTP on a throwaway PostgreSQL database (app pool of 10, one `ChangeNotifier`). N devices
 *   of one user each hold `GET /api/sync/pull?offset=<head>&waitMs=60000` open (keep-alive
 *   agent, one socket each). Once the server's notifier holds N waiters, another device of the
 *   user pushes one `createTag` (the cheapest real mutation: one tag row, plus the device row's
 *   last mutation id). Per device: time from just before sending the push to its pull answer
 *   arriving with the tag (also given from the push's answer; negative when a pull answered first).
 * - **Floor**: the same kind of child (`m3-server.ts floor`): N requests wait on one promise that
 *   a single LISTEN resolves; the benchmark issues `NOTIFY` over its own connection. Per request:
 *   time from just before the NOTIFY to the answer. Same client code, same N.
 * - Per N and server: one warm-up round, then `rounds` timed ones. Latency percentiles pool every
 *   device of every timed round; "last" is the median over rounds of the time until the last
 *   device had it. Ratio = real / floor.
 * - **Memory per live device**: the child's heap and RSS after a full GC with N requests waiting
 *   (in the warm-up round) minus the same just before it with no connection open, divided by N
 *   (printed from 100 devices up: at 1 the difference is GC noise).
 */
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { Agent, request } from 'node:http'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import type { PostgresClient } from '@/db/postgres'
import { newId } from '@/domain/ids'
import { PROTOCOL_VERSION, pullResponseSchema, pushResponseSchema } from '@/sync/protocol'
import { readSyncState } from '@/sync/server/state'
import { testServer } from '@/sync/server/testing/harness'
import { postgresListen } from '@/sync/server/testing/postgres'
import { freshPostgres, latencies, now, percentile, printTable, round, type Row } from './lib'
import type { Stats } from './m3-server'

const WAIT_MS = 60_000

// HTTP client ----------------------------------------------------------------------------------

type Answer = { status: number; body: string; at: number }
type CallOptions = { agent?: Agent | false; method?: string; headers?: Record<string, string>; body?: string }

/** One HTTP request to the child on 127.0.0.1; `at` is when the whole answer had arrived. */
function call(port: number, path: string, { agent = false, method = 'GET', headers = {}, body }: CallOptions = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, headers, agent }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), at: now() }))
      res.on('error', reject)
    })
    req.on('error', reject)
    req.end(body)
  })
}

function ok(answer: Answer, what: string): Answer {
  if (answer.status !== 200) throw new Error(`M3: ${what} answered ${answer.status}: ${answer.body.slice(0, 300)}`)
  return answer
}

const pullPath = (deviceId: string, offset: number, waitMs: number, limit = 1000) =>
  `/api/sync/pull?${new URLSearchParams({ v: String(PROTOCOL_VERSION), deviceId, offset: String(offset), limit: String(limit), waitMs: String(waitMs) })}`

// Server processes -----------------------------------------------------------------------------

type Child = { kind: 'real' | 'floor'; port: number; stats(gc?: boolean): Promise<Stats>; close(): Promise<void> }

/** Starts `m3-server.ts` (with --expose-gc, the react-server condition and tsx) on the database. */
async function startChild(kind: Child['kind'], databaseUrl: string): Promise<Child> {
  const child = spawn(
    process.execPath,
    ['--expose-gc', '--conditions=react-server', '--import', 'tsx', join(import.meta.dirname, 'm3-server.ts'), kind, databaseUrl],
    {
      cwd: join(import.meta.dirname, '..'),
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  )
  const port = await new Promise<number>((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', (line) => resolve((JSON.parse(line) as { port: number }).port))
    child.once('exit', (code) => reject(new Error(`M3: the ${kind} server exited (${code}) before listening`)))
  })
  return {
    kind,
    port,
    stats: async (gc = false) => JSON.parse(ok(await call(port, gc ? '/stats?gc' : '/stats'), 'stats').body) as Stats,
    async close() {
      if (child.exitCode !== null) return
      child.stdin.end()
      await once(child, 'exit')
    },
  }
}

async function until(what: string, condition: () => Promise<boolean>, ms = 180_000) {
  const deadline = now() + ms
  while (!(await condition())) {
    if (now() > deadline) throw new Error(`M3: timed out waiting until ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

// One server, one round ------------------------------------------------------------------------

/** What one round sends: the waiting requests' paths, the change, and a check of each answer. */
type Round = { paths: string[]; trigger(): Promise<void>; check(body: string): void }
type Side = { server: Child; headers: Record<string, string>; round(n: number): Round }

/** N devices of one user at the head; another of its devices pushes a new tag. */
function realSide(server: Child, userId: string, devices: string[], pusher: string, head: number): Side {
  const headers = { authorization: `Bearer ${userId}` }
  let offset = head
  let mutationId = 0
  return {
    server,
    headers,
    round(n) {
      const tag = newId()
      const push = {
        protocolVersion: PROTOCOL_VERSION,
        deviceId: pusher,
        mutations: [{ id: ++mutationId, name: 'createTag', args: { id: tag, name: `Fan-out ${mutationId}` } }],
      }
      return {
        paths: devices.slice(0, n).map((id) => pullPath(id, offset, WAIT_MS)),
        async trigger() {
          const answer = ok(
            await call(server.port, '/api/sync/push', {
              method: 'POST',
              headers: { ...headers, 'content-type': 'application/json' },
              body: JSON.stringify(push),
            }),
            'push',
          )
          const result = pushResponseSchema.parse(JSON.parse(answer.body)).results[0]
          if (result?.status !== 'applied') throw new Error(`M3: the push was not applied: ${answer.body}`)
        },
        check(body) {
          const pulled = pullResponseSchema.parse(JSON.parse(body))
          if (!pulled.changes.some((c) => c.table === 'tags' && c.key.id === tag))
            throw new Error(`M3: a pull answered without the new tag: ${body.slice(0, 300)}`)
          offset = pulled.offset
        },
      }
    },
  }
}

/** N bare requests on the floor server; the benchmark's own connection sends the NOTIFY. */
function floorSide(server: Child, client: PostgresClient): Side {
  return {
    server,
    headers: {},
    round: (n) => ({
      paths: Array.from({ length: n }, () => '/api/sync/pull'),
      trigger: async () => {
        await client.notify('m3_floor', '')
      },
      check(body) {
        if (body !== '{"woke":true}') throw new Error(`M3: the floor answered ${body}`)
      },
    }),
  }
}

/** N requests wait; the change is sent; every answer is timed from just before sending it. */
async function runRound(side: Side, agent: Agent, n: number, { heapWithWaiting = false } = {}) {
  const plan = side.round(n)
  const answers = plan.paths.map((path) => call(side.server.port, path, { agent, headers: side.headers }))
  await until(`${n} requests wait on the ${side.server.kind} server`, async () => (await side.server.stats()).waiting === n)
  const waiting = heapWithWaiting ? await side.server.stats(true) : undefined
  const start = now()
  await plan.trigger()
  const acked = now()
  const done = await Promise.all(answers)
  for (const answer of done) plan.check(ok(answer, 'a waiting request').body)
  return { fromStart: done.map((a) => a.at - start), fromAck: done.map((a) => a.at - acked), waiting }
}

/**
 * The heap with no connection open; a warm-up round that also takes the heap with N waiting; then
 * `rounds` timed rounds.
 */
async function measure(side: Side, n: number, rounds: number) {
  await until(`no connection is open to the ${side.server.kind} server`, async () => (await side.server.stats()).connections === 0)
  const idle = await side.server.stats(true)
  const agent = new Agent({ keepAlive: true, maxSockets: n })
  try {
    const { waiting } = await runRound(side, agent, n, { heapWithWaiting: true })
    const timed: Awaited<ReturnType<typeof runRound>>[] = []
    for (let i = 0; i < rounds; i++) timed.push(await runRound(side, agent, n))
    const lastOf = (key: 'fromStart' | 'fromAck') => timed.map((r) => Math.max(...r[key]))
    return {
      ms: latencies(timed.flatMap((r) => r.fromStart)),
      lastMs: round(percentile(lastOf('fromStart'), 50)),
      worstLastMs: round(Math.max(...lastOf('fromStart'))),
      fromAck: {
        p50: round(
          percentile(
            timed.flatMap((r) => r.fromAck),
            50,
          ),
        ),
        lastMs: round(percentile(lastOf('fromAck'), 50)),
      },
      memory: {
        heapKbPerDevice: round((waiting!.heapUsed - idle.heapUsed) / n / 1024, 1),
        rssKbPerDevice: round((waiting!.rss - idle.rss) / n / 1024, 1),
        idleHeapMb: round(idle.heapUsed / 2 ** 20, 1),
        idleRssMb: round(idle.rss / 2 ** 20, 1),
      },
    }
  } finally {
    agent.destroy()
  }
}

// The measure ----------------------------------------------------------------------------------

/** Registers the devices (each registration is a commit), so none commits during the rounds. */
async function registerDevices(server: Child, userId: string, ids: string[]) {
  const agent = new Agent({ keepAlive: true, maxSockets: 20 })
  try {
    await Promise.all(
      ids.map(async (id) =>
        ok(await call(server.port, pullPath(id, 0, 0, 1), { agent, headers: { authorization: `Bearer ${userId}` } }), 'registration'),
      ),
    )
  } finally {
    agent.destroy()
  }
}

type Figures = Awaited<ReturnType<typeof measure>>
type Level = { devices: number; floor: Figures; real: Figures; ratioP50: number; ratioLast: number }

export async function m3({ levels = [1, 100, 1000], rounds = 5 } = {}) {
  const database = await freshPostgres()
  const setup = await testServer({ db: database.db, listen: postgresListen(database.client), close: database.close })
  const children: Child[] = []
  const start = async (kind: Child['kind']) => {
    const child = await startChild(kind, database.url)
    children.push(child)
    return child
  }
  try {
    const [floor, real] = await Promise.all([start('floor'), start('real')])
    const user = await setup.user('Athlete')
    const devices = Array.from({ length: Math.max(...levels) }, () => newId())
    const pusher = newId()
    await registerDevices(real, user.id, [pusher, ...devices])
    const { head } = await readSyncState(database.db)
    const sides = { floor: floorSide(floor, database.client), real: realSide(real, user.id, devices, pusher, head) }

    const result: Level[] = []
    for (const n of levels) {
      const f = await measure(sides.floor, n, rounds)
      const r = await measure(sides.real, n, rounds)
      result.push({ devices: n, floor: f, real: r, ratioP50: round(r.ms.p50 / f.ms.p50, 2), ratioLast: round(r.lastMs / f.lastMs, 2) })
      console.log(`M3: ${n} live devices measured`)
    }
    print(result, rounds)
    return {
      goal: `last device <= 2x floor at ${Math.max(...levels)}`,
      ratio: result[result.length - 1]!.ratioLast,
      rounds,
      levels: result,
    }
  } finally {
    await Promise.all(children.map((c) => c.close()))
    await setup.close()
  }
}

function print(result: Level[], rounds: number) {
  const latency = (devices: number, server: string, f: Figures, ratioP50: number, ratioLast: number): Row => ({
    devices,
    server,
    'p50 ms': f.ms.p50,
    p95: f.ms.p95,
    p99: f.ms.p99,
    'last ms': f.lastMs,
    'worst last': f.worstLastMs,
    'p50 from ack': f.fromAck.p50,
    'last from ack': f.fromAck.lastMs,
    'ratio p50': ratioP50,
    'ratio last': ratioLast,
  })
  printTable(
    `M3 fan-out (ms from just before the push / NOTIFY to each device's answer; ${rounds} rounds after a warm-up; goal: last <= 2x floor at 1000)`,
    result.flatMap((l) => [
      latency(l.devices, 'floor (bare LISTEN)', l.floor, 1, 1),
      latency(l.devices, 'real (handlePull)', l.real, l.ratioP50, l.ratioLast),
    ]),
  )
  const memory = (devices: number, server: string, f: Figures): Row => ({
    devices,
    server,
    'heap KB/device': f.memory.heapKbPerDevice,
    'rss KB/device': f.memory.rssKbPerDevice,
    'idle heap MB': f.memory.idleHeapMb,
    'idle rss MB': f.memory.idleRssMb,
  })
  printTable(
    'M3 server memory per live device (after a full GC: N waiting minus none, / N)',
    result
      .filter((l) => l.devices >= 100)
      .flatMap((l) => [memory(l.devices, 'floor (bare LISTEN)', l.floor), memory(l.devices, 'real (handlePull)', l.real)]),
  )
}
