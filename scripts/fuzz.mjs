#!/usr/bin/env node
// Runs many seeds of the sync convergence simulation (sync/client/convergence*.test.ts) in
// chunks, each chunk a `vitest run` of those files with CADENCE_FUZZ_FIRST / CADENCE_FUZZ_SEEDS
// (each file takes its half of the chunk, so one chunk keeps both of Vitest's workers busy), and
// reports every failing seed with its trace. Pin each one as a named test in
// sync/client/convergence-2.test.ts.
//
//   node scripts/fuzz.mjs [count=5000] [--first=301] [--chunk=250] [--jobs=1]
//
// Seeds 1..300 run in CI; by default this starts after them. Exits 1 when any seed failed.
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const args = process.argv.slice(2)
const option = (name, fallback) => {
  const found = args.find((a) => a.startsWith(`--${name}=`))
  return found ? Number(found.slice(name.length + 3)) : fallback
}
const positional = args.filter((a) => !a.startsWith('--'))
const count = Number(positional[0] ?? 5000)
const first = option('first', 301)
const chunk = option('chunk', 250)
const jobs = option('jobs', 1)
if (![count, first, chunk, jobs].every((n) => Number.isSafeInteger(n) && n > 0)) {
  console.error('usage: node scripts/fuzz.mjs [count=5000] [--first=301] [--chunk=250] [--jobs=1]')
  process.exit(2)
}

const dir = mkdtempSync(join(tmpdir(), 'cadence-fuzz-'))
const report = join(dir, 'failures.jsonl')
writeFileSync(report, '')

const chunks = []
for (let from = first; from < first + count; from += chunk) chunks.push({ from, n: Math.min(chunk, first + count - from) })

const started = Date.now()
const broken = []
let done = 0

function runChunk({ from, n }) {
  const log = join(dir, `seeds-${from}-${from + n - 1}.log`)
  return new Promise((resolve) => {
    const child = spawn('npx', ['vitest', 'run', 'sync/client/convergence', '--testNamePattern', '^convergence '], {
      env: { ...process.env, CADENCE_FUZZ_FIRST: String(from), CADENCE_FUZZ_SEEDS: String(n), CADENCE_FUZZ_REPORT: report },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let output = ''
    child.stdout.on('data', (b) => (output += b))
    child.stderr.on('data', (b) => (output += b))
    child.on('close', (code) => {
      writeFileSync(log, output)
      done += n
      const failed = code === 0 ? 'ok' : `FAILED (exit ${code}, log ${log})`
      const elapsed = Math.round((Date.now() - started) / 1000)
      console.log(`seeds ${from}..${from + n - 1}: ${failed}  [${done}/${count} seeds, ${elapsed}s]`)
      if (code !== 0) broken.push({ from, n, log })
      resolve()
    })
  })
}

const queue = [...chunks]
await Promise.all(
  Array.from({ length: Math.min(jobs, queue.length) }, async () => {
    while (queue.length > 0) await runChunk(queue.shift())
  }),
)

const failures = readFileSync(report, 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((line) => JSON.parse(line))
const seeds = [...new Set(failures.map((f) => f.seed))].sort((a, b) => a - b)
console.log(`\n${count} seeds from ${first} in ${Math.round((Date.now() - started) / 1000)}s; logs in ${dir}`)
if (seeds.length > 0) {
  for (const f of failures) console.log(`\n${f.message}`)
  console.log(`\nFailing seeds: ${seeds.join(', ')}`)
  console.log('Rerun one: CADENCE_FUZZ_FIRST=<seed> CADENCE_FUZZ_SEEDS=1 npx vitest run sync/client/convergence.test.ts')
  console.log("Then pin it in sync/client/convergence-2.test.ts, under describe('pinned seeds').")
}
// A chunk that failed without naming a seed (a crash, a console.error) needs its log read.
const unexplained = broken.filter((b) => !seeds.some((s) => s >= b.from && s < b.from + b.n))
for (const b of unexplained) console.log(`\nseeds ${b.from}..${b.from + b.n - 1} failed without naming a seed; see ${b.log}`)
if (seeds.length > 0 || unexplained.length > 0 || !existsSync(report)) process.exit(1)
console.log('No failures.')
