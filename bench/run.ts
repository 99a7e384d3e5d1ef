/**
 * Runs the benchmarks: `npm run bench` (all), `npm run bench -- --only M1,M4 --scale 0.1`.
 * Scale 1 is the five-year account (2,000 workouts); M2 pushes 400 × scale workouts per setting.
 * M3 (1, 100, 1,000 live devices) does not depend on the scale. IMPORT imports a 60,000 × scale row
 * Strong file on a device and settles it with the server. WINDOW syncs the five-year account to a
 * new device keeping everything and to one keeping 3 months (SPEC W1).
 * Prints a table per measure and merges the results into bench/results.json.
 */
import { cpus } from 'node:os'
import { parseArgs } from 'node:util'
import { seededServer, type Seeded } from './data'
import { saveResults } from './lib'
import { m1 } from './m1-catchup'
import { m2 } from './m2-push'
import { m3 } from './m3-fanout'
import { m4 } from './m4-rebase'
import { m5 } from './m5-coldstart'
import { importBench } from './import'
import { windowBench } from './window'

const { values } = parseArgs({ options: { only: { type: 'string', default: 'M1,M2,M3,M4' }, scale: { type: 'string', default: '1' } } })
const only = new Set(
  values.only
    .toUpperCase()
    .split(',')
    .map((s) => s.trim()),
)
const scale = Number(values.scale)
if (!(scale > 0)) throw new Error('--scale must be a positive number')
const meta = {
  scale,
  node: process.version,
  cpus: cpus().length,
  command: `npm run bench -- --only ${[...only].join(',')} --scale ${scale}`,
}

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
  if (only.has('M2')) await saveResults('M2', await m2({ scale }), meta)
  if (only.has('M3')) await saveResults('M3', await m3(), meta)
  if (only.has('M4')) await saveResults('M4', await m4(await seeded()), meta)
  if (only.has('M5')) await saveResults('M5', await m5({ scale }), meta)
  if (only.has('WINDOW')) await saveResults('WINDOW', await windowBench({ scale }), meta)
  if (only.has('IMPORT')) await saveResults('IMPORT', await importBench({ rows: Math.round(60_000 * scale) }), meta)
} finally {
  await world?.close()
}
