/**
 * M2 push: workouts (`logEntry` mutations of a whole workout tree, ~115 rows each) the server
 * accepts per second through the real push path on PostgreSQL (HTTP handler, zod validation,
 * device registration, per-mutation transaction with authorization, effects, change capture,
 * the result row, the commit seq, the ack), with 1 and with 8 devices pushing at once, each its
 * own user. Baseline: the same rows as plain multi-row INSERTs, one transaction per workout, into
 * copies of the two tables (same columns, indexes and checks; no triggers, no foreign keys), over
 * 1 and 8 connections.
 */
import { testServer, type TestDevice } from '@/sync/server/testing/harness'
import { postgresListen } from '@/sync/server/testing/postgres'
import { accountUser, pushAll, workoutRows, type LogEntryArgs } from './data'
import { freshPostgres, latencies, printTable, round, timed, type BenchPostgres, type Row } from './lib'

const BATCH = 10

type Job = { device: TestDevice; workouts: LogEntryArgs[]; userId: string }

async function pushRun(jobs: Job[]) {
  const perPush: number[] = []
  const run = await timed(() =>
    Promise.all(
      jobs.map((j) =>
        pushAll(
          j.device,
          j.workouts.map((args) => ({ name: 'logEntry', args })),
          BATCH,
          (ms) => perPush.push(ms),
        ),
      ),
    ),
  )
  const n = jobs.reduce((s, j) => s + j.workouts.length, 0)
  return { n, ms: run.ms, perSec: n / (run.ms / 1000), perPushMs: latencies(perPush) }
}

async function rawRun(database: BenchPostgres, jobs: Job[], schema: 'raw' | 'public' = 'raw') {
  const perTx: number[] = []
  const run = await timed(() =>
    Promise.all(
      jobs.map(async (j) => {
        for (const w of j.workouts) {
          const rows = workoutRows(w, j.userId, new Date())
          const start = performance.now()
          await database.client.begin(async (sql) => {
            await sql`insert into ${sql(schema)}.entries ${sql(rows.entries as Record<string, string>[])}`
            await sql`insert into ${sql(schema)}.entry_values ${sql(rows.values as Record<string, string>[])}`
          })
          perTx.push(performance.now() - start)
        }
      }),
    ),
  )
  const n = jobs.reduce((s, j) => s + j.workouts.length, 0)
  return { n, ms: run.ms, perSec: n / (run.ms / 1000), perTxMs: latencies(perTx) }
}

export async function m2({ scale = 1, devices = 8 } = {}) {
  const total = Math.max(devices, Math.round(400 * scale))
  const each = Math.ceil(total / devices)
  const database = await freshPostgres({ max: devices + 2 })
  const server = await testServer({ db: database.db, listen: postgresListen(database.client), close: database.close })
  try {
    await database.client.unsafe(`
      create schema raw;
      create table raw.entries (like public.entries including defaults including constraints including indexes);
      create table raw.entry_values (like public.entry_values including defaults including constraints including indexes);`)
    // Each device is its own user with the account's activities; seeds differ so ids never collide.
    const users = await Promise.all(
      Array.from({ length: devices + 1 }, (_, i) => accountUser(server, `Device${i}`, 100 + i, (20 + 2 * each * devices) / 2000)),
    )
    const [solo, ...many] = users
    const job = (u: (typeof users)[number], from: number, n: number): Job => ({
      device: u.device,
      userId: u.user.id,
      workouts: u.account.workouts.slice(from, from + n),
    })

    // Warm-up (JIT, plans, pools): untimed.
    await pushRun([job(solo!, 0, 20)])
    await rawRun(database, [job(solo!, 0, 20)])

    const push1 = await pushRun([job(solo!, 20, each * devices)])
    const pushN = await pushRun(many.map((u) => job(u, 0, each)))
    // The raw copies take the same workouts again (no conflicts: separate tables), from other users' rows.
    const raw1 = await rawRun(database, [job(solo!, 20, each * devices)])
    const rawN = await rawRun(
      database,
      many.map((u) => job(u, 0, each)),
    )
    // For the breakdown: the same kind of rows into the synced tables themselves (capture
    // triggers, foreign keys, the commit seq), with no push path around them.
    const captured1 = await rawRun(database, [job(solo!, 20 + each * devices, each * devices)], 'public')
    const capturedN = await rawRun(
      database,
      many.map((u) => job(u, each, each)),
      'public',
    )

    const result = {
      ratio: round(pushN.perSec / rawN.perSec, 3),
      goal: '>= 0.5',
      ratio1: round(push1.perSec / raw1.perSec, 3),
      scaling: { push: round(pushN.perSec / push1.perSec, 2), raw: round(rawN.perSec / raw1.perSec, 2) },
      batch: BATCH,
      push1: { ...push1, ms: round(push1.ms), perSec: round(push1.perSec, 1) },
      pushN: { ...pushN, ms: round(pushN.ms), perSec: round(pushN.perSec, 1) },
      raw1: { ...raw1, ms: round(raw1.ms), perSec: round(raw1.perSec, 1) },
      rawN: { ...rawN, ms: round(rawN.ms), perSec: round(rawN.perSec, 1) },
      captured1: { ...captured1, ms: round(captured1.ms), perSec: round(captured1.perSec, 1) },
      capturedN: { ...capturedN, ms: round(capturedN.ms), perSec: round(capturedN.perSec, 1) },
    }
    const line = (
      path: string,
      conc: number,
      r: typeof push1 | typeof raw1,
      lat: ReturnType<typeof latencies>,
      unit: string,
      ratio: number | string,
    ): Row => ({
      path,
      concurrency: conc,
      workouts: r.n,
      ms: round(r.ms),
      'workouts/s': round(r.perSec, 1),
      [`p50 ms/${unit}`]: lat.p50,
      p95: lat.p95,
      p99: lat.p99,
      ratio,
    })
    printTable(
      `M2 push (${BATCH} workouts a push; latency per push for the real path, per transaction for raw; goal ratio >= 0.5 at ${devices})`,
      [
        line('push (real)', 1, push1, push1.perPushMs, 'req', result.ratio1),
        line('raw INSERT', 1, raw1, raw1.perTxMs, 'req', 1),
        line('(info) INSERT into synced tables', 1, captured1, captured1.perTxMs, 'req', round(captured1.perSec / raw1.perSec, 3)),
        line('push (real)', devices, pushN, pushN.perPushMs, 'req', result.ratio),
        line('raw INSERT', devices, rawN, rawN.perTxMs, 'req', 1),
        line('(info) INSERT into synced tables', devices, capturedN, capturedN.perTxMs, 'req', round(capturedN.perSec / rawN.perSec, 3)),
      ],
    )
    console.log(`scaling 1 → ${devices}: push ×${result.scaling.push}, raw ×${result.scaling.raw}`)
    return result
  } finally {
    await server.close()
  }
}
