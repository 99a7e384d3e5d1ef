/**
 * Runs the benchmarks: `npm run bench` (all), `npm run bench -- --only M1,M4 --scale 0.1`,
 * `npm run bench -- --quick` (M1, M2, M4 and M6 small, under two minutes: a change's effect).
 * Scale 1 is the five-year account (2,000 workouts); M2 pushes 400 × scale workouts per setting.
 * M3 (1, 100, 1,000 live devices) does not depend on the scale. IMPORT imports a 60,000 × scale row
 * Strong file on a device and settles it with the server. WINDOW syncs the five-year account to a
 * new device keeping everything and to one keeping 3 months (SPEC W1). M6 drains 500, 1,000 and
 * 5,000 writes queued offline; M7 counts synced commits per second at 1 to 64 connections.
 * Prints a table per measure and merges the results into bench/results.json.
 */
import { cpus } from 'node:os'
import { parseArgs } from 'node:util'
import { seededServer, type Seeded } from './data'
import { databaseUrl, saveResults } from './lib'
import { m1 } from './m1-catchup'
import { m2 } from './m2-push'
import { m3 } from './m3-fanout'
import { m4 } from './m4-rebase'
import { m5 } from './m5-coldstart'
import { m6 } from './m6-drain'
import { m7 } from './m7-commits'
import { importBench } from './import'
import { windowBench } from './window'

const { values } = parseArgs({
  options: { only: { type: 'string' }, scale: { type: 'string' }, quick: { type: 'boolean', default: false } },
})
const quick = values.quick
const only = new Set(
  (values.only ?? (quick ? 'M1,M2,M4,M6' : 'M1,M2,M3,M4,M6,M7'))
    .toUpperCase()
    .split(',')
    .map((s) => s.trim()),
)
const scale = Number(values.scale ?? (quick ? '0.05' : '1'))
if (!(scale > 0)) throw new Error('--scale must be a positive number')
const meta = {
  scale,
  quick,
  node: process.version,
  cpus: cpus().length,
  command: quick ? 'npm run bench -- --quick' : `npm run bench -- --only ${[...only].join(',')} --scale ${scale}`,
}
// The servers the measures start read the test harness's variable.
process.env.TEST_DATABASE_URL ??= databaseUrl()

let world: Seeded | undefined
const seeded = async () => {
  if (!world) {
    const start = performance.now()
    world = await seededServer(scale)
    const changes = world.stream.reduce((n, r) => n + r.changes.length, 0)
    console.log(
      `seeded a ${world.account.workouts.length}-workout account on PostgreSQL: ${changes} changes in its stream (${Math.round(performance.now() - start)} ms)`,
    )
  }
  return world
}

try {
  if (only.has('M1')) await saveResults('M1', await m1(await seeded()), meta)
  if (only.has('M2')) await saveResults('M2', await m2({ scale: quick ? 0.1 : scale }), meta)
  if (only.has('M3')) await saveResults('M3', await m3(), meta)
  if (only.has('M4')) await saveResults('M4', await m4(await seeded(), quick ? { levels: [0, 1, 10, 100] } : {}), meta)
  if (only.has('M6')) await saveResults('M6', await m6(quick ? { levels: [250, 1000] } : {}), meta)
  if (only.has('M7')) await saveResults('M7', await m7(), meta)
  if (only.has('M5')) await saveResults('M5', await m5({ scale }), meta)
  if (only.has('WINDOW')) await saveResults('WINDOW', await windowBench({ scale }), meta)
  if (only.has('IMPORT')) await saveResults('IMPORT', await importBench({ rows: Math.round(60_000 * scale) }), meta)
} finally {
  await world?.close()
}
