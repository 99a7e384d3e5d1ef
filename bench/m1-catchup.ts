/**
 * M1 catch-up: changes a device applies per second from the sync stream through the real client
 * path (`SyncClient.pull`: one local transaction per response, `applyChange` per change, the
 * offset and status updates), against raw loads of the same rows into the same device schema, in
 * one transaction: the physical floor, PGlite's `COPY … FROM '/dev/blob'` of CSV (the ratio), and
 * multi-row INSERTs (for information, the earlier baseline). The responses are recorded from the real server first
 * and replayed, so the figure is the device's work alone, not the server's or the network's.
 */
import { sql } from 'drizzle-orm'
import { rows as queryRows } from '@/db/rows'
import type { Db } from '@/db/types'
import { ReplayTransport, benchDevice, rawInsert, streamRows, type Seeded } from './data'
import { rawCopy } from './raw-insert'
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
  const rawRun = async (load: typeof rawInsert) => {
    const runs: number[] = []
    let loaded = realCounts
    for (let i = 0; i < rawRuns; i++) {
      const raw = await freshPglite('device')
      runs.push((await timed(() => load(raw.pg, rows))).ms)
      loaded = await counts(raw.db)
      await raw.close()
    }
    if (loaded.entries !== realCounts.entries || loaded.values !== realCounts.values) {
      throw new Error(`M1: the devices differ: ${JSON.stringify({ realCounts, loaded })}`)
    }
    return { median: percentile(runs, 50), runs }
  }
  const insert = await rawRun(rawInsert)
  const copy = await rawRun(rawCopy)
  const realRate = changes / (real.ms / 1000)
  const insertRate = rowCount / (insert.median / 1000)
  const copyRate = rowCount / (copy.median / 1000)
  const result = {
    ratio: round(realRate / copyRate, 3),
    goal: '>= 0.7 of COPY',
    ratioToInsert: round(realRate / insertRate, 3),
    changes,
    rows: rowCount,
    pulls: world.stream.length,
    real: { ms: round(real.ms), rowsPerSec: Math.round(realRate), perPullMs: latencies(perPull) },
    copy: { ms: round(copy.median), runsMs: copy.runs.map((x) => round(x)), rowsPerSec: Math.round(copyRate) },
    raw: { ms: round(insert.median), runsMs: insert.runs.map((x) => round(x)), rowsPerSec: Math.round(insertRate) },
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
      path: 'raw COPY (CSV, /dev/blob)',
      rows: rowCount,
      ms: result.copy.ms,
      'rows/s': result.copy.rowsPerSec,
      'p50 ms/pull': '',
      p95: '',
      p99: '',
      ratio: 1,
    },
    {
      path: '(info) raw multi-row INSERT',
      rows: rowCount,
      ms: result.raw.ms,
      'rows/s': result.raw.rowsPerSec,
      'p50 ms/pull': '',
      p95: '',
      p99: '',
      ratio: round(insertRate / copyRate, 3),
    },
  ]
  printTable(
    `M1 catch-up (${changes} changes in ${world.stream.length} pulls; goal ratio >= 0.7 of COPY; real / INSERT ${result.ratioToInsert})`,
    table,
  )
  return result
}
