/**
 * M1 catch-up: changes a device applies per second from the sync stream through the real client
 * path (`SyncClient.pull`: one local transaction per response, `applyChange` per change, the
 * offset and status updates), against a raw load of the same rows into the same device schema
 * (multi-row INSERTs in one transaction). The responses are recorded from the real server first
 * and replayed, so the figure is the device's work alone, not the server's or the network's.
 */
import { sql } from 'drizzle-orm'
import { rows as queryRows } from '@/db/rows'
import type { Db } from '@/db/types'
import { ReplayTransport, benchDevice, rawInsert, streamRows, type Seeded } from './data'
import { freshPglite, latencies, now, percentile, printTable, round, timed, type Row } from './lib'

async function counts(db: Db) {
  const [r] = await queryRows<{ entries: number; values: number }>(
    db,
    sql`select (select count(*)::int from entries) as entries, (select count(*)::int from entry_values) as values`,
  )
  return r!
}

export async function m1(world: Seeded, { rawRuns = 3 } = {}) {
  const changes = world.stream.reduce((n, r) => n + r.changes.length, 0)

  // Real path: a new device catching up from offset 0, one pull per recorded response.
  const device = await benchDevice(world.user, new ReplayTransport(world.stream), 0)
  const perPull: number[] = []
  const real = await timed(async () => {
    for (;;) {
      const start = now()
      const upToDate = await device.client.pull()
      perPull.push(now() - start)
      if (upToDate) break
    }
  })
  const realCounts = await counts(device.db)
  await device.close()

  // Raw: the same rows (last image of each), multi-row INSERTs in one transaction.
  const rows = streamRows(world.stream)
  const rowCount = [...rows.values()].reduce((n, l) => n + l.length, 0)
  const rawMs: number[] = []
  let rawCounts = realCounts
  for (let i = 0; i < rawRuns; i++) {
    const raw = await freshPglite('device')
    rawMs.push((await timed(() => rawInsert(raw.pg, rows))).ms)
    rawCounts = await counts(raw.db)
    await raw.close()
  }
  if (rawCounts.entries !== realCounts.entries || rawCounts.values !== realCounts.values) {
    throw new Error(`M1: the two devices differ: ${JSON.stringify({ realCounts, rawCounts })}`)
  }
  const rawBest = percentile(rawMs, 50)
  const realRate = changes / (real.ms / 1000)
  const rawRate = rowCount / (rawBest / 1000)
  const result = {
    ratio: round(realRate / rawRate, 3),
    goal: '>= 0.7',
    changes,
    rows: rowCount,
    pulls: world.stream.length,
    real: { ms: round(real.ms), rowsPerSec: Math.round(realRate), perPullMs: latencies(perPull) },
    raw: { ms: round(rawBest), runsMs: rawMs.map((x) => round(x)), rowsPerSec: Math.round(rawRate) },
  }
  const table: Row[] = [
    {
      path: 'SyncClient.pull (real)',
      rows: changes,
      ms: result.real.ms,
      'rows/s': result.real.rowsPerSec,
      'p50 ms/pull': result.real.perPullMs.p50,
      p95: result.real.perPullMs.p95,
      p99: result.real.perPullMs.p99,
      ratio: result.ratio,
    },
    {
      path: 'raw multi-row INSERT',
      rows: rowCount,
      ms: result.raw.ms,
      'rows/s': result.raw.rowsPerSec,
      'p50 ms/pull': '',
      p95: '',
      p99: '',
      ratio: 1,
    },
  ]
  printTable(`M1 catch-up (${changes} changes in ${world.stream.length} pulls; goal ratio >= 0.7)`, table)
  return result
}
