/**
 * Randomized convergence of the sync engine (sync/client/testing/fuzz/): devices of several
 * users mutating, going offline, losing and duplicating requests and answers, through server
 * restarts, compactions and revocations; at the end every device holds the server's view of its
 * scopes, every acknowledged write is there once and every rejection is reported.
 *
 * CI runs seeds 1..300. `CADENCE_FUZZ_SEEDS` (how many) and `CADENCE_FUZZ_FIRST` (from which)
 * choose others; `node scripts/fuzz.mjs 5000` runs many in chunks. A failure names its seed and
 * prints its trace; rerun it alone with `CADENCE_FUZZ_FIRST=<seed> CADENCE_FUZZ_SEEDS=1`, and pin
 * every seed that ever failed below.
 */
import { appendFile } from 'node:fs/promises'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { fuzzEnv, runSeed, type FuzzEnv, type SeedReport } from './testing/fuzz'

const count = Number(process.env.CADENCE_FUZZ_SEEDS ?? 300)
const first = Number(process.env.CADENCE_FUZZ_FIRST ?? 1)
/** Where scripts/fuzz.mjs collects failing seeds. */
const report = process.env.CADENCE_FUZZ_REPORT
const CHUNK = 25

let env: FuzzEnv
beforeAll(async () => {
  env = await fuzzEnv()
}, 120_000)
afterAll(async () => {
  await env?.close()
})

/** Runs a seed on the pool, making a new pool first if a hung seed left the old one unusable. */
async function run(seed: number): Promise<SeedReport> {
  if (env.poisoned) env = await fuzzEnv()
  return runSeed(seed, env)
}

const reports: SeedReport[] = []
const chunks: { from: number; to: number }[] = []
for (let from = first; from < first + count; from += CHUNK) chunks.push({ from, to: Math.min(first + count, from + CHUNK) - 1 })

describe('convergence', () => {
  for (const { from, to } of chunks)
    test(`seeds ${from}..${to}`, async () => {
      const failures: { seed: number; message: string }[] = []
      for (let seed = from; seed <= to; seed++) {
        try {
          reports.push(await run(seed))
        } catch (error) {
          failures.push({ seed, message: error instanceof Error ? error.message : String(error) })
          if (report) await appendFile(report, `${JSON.stringify({ seed, message: failures.at(-1)!.message })}\n`)
        }
      }
      if (failures.length > 0) {
        const seeds = failures.map((f) => f.seed).join(', ')
        throw new Error(
          `[fuzz] failing seeds: ${seeds} (rerun one: CADENCE_FUZZ_FIRST=<seed> CADENCE_FUZZ_SEEDS=1 npx vitest run sync/client/convergence.test.ts)\n\n` +
            failures.map((f) => f.message).join('\n\n'),
        )
      }
      // CADENCE_FUZZ_VERBOSE=1 shows each seed's timings, =2 its trace too.
      const verbose = Number(process.env.CADENCE_FUZZ_VERBOSE ?? 0)
      for (const r of verbose > 0 ? reports.slice(-(to - from + 1)) : []) {
        process.stdout.write(
          `seed ${r.seed}: ${r.steps} steps ${JSON.stringify(r.timings)}\n${verbose > 1 ? `${r.trace.join('\n')}\n` : ''}`,
        )
      }
    }, 600_000)

  // Over a full run every kind of fault and event happens somewhere; a change that made one
  // unreachable would leave the test blind to it.
  test.runIf(count >= 200 || Boolean(process.env.CADENCE_FUZZ_VERBOSE))('every fault and event is reached', () => {
    const total: Record<string, number> = {}
    for (const r of reports) for (const [k, v] of Object.entries(r.counts)) total[k] = (total[k] ?? 0) + v
    const kinds = [
      'push:dropRequest',
      'push:dropResponse',
      'push:duplicate',
      'push:crash',
      'pull:dropRequest',
      'pull:dropResponse',
      'pull:duplicate',
      'snapshot:dropRequest',
      'snapshot:dropResponse',
      'snapshot:cut',
      'reordered',
      'offline',
      'refusedLocally',
      'rejected',
      'applied',
      'compactions',
      'mustRefetch',
      'restarts',
      'revocations',
      'scopeRemoved',
      'scopeAdded',
      'bigBatch',
      // Large writes near the body limit (B5, B1): split pushes, a proxy's 413, a withheld entry.
      'largeWrite',
      'largePush',
      'refusedTooLarge',
      'push:413',
      'withheld',
      // A server restored from a backup (B15, P2): forgotten pending writes resent, settled ones lost.
      'backups',
      'serverRestores',
      'forgottenPending',
      'lostToRestore',
      'lostChecked',
      // Sessions ending and coming back (A7).
      'sessionsExpired',
      'sessionsBack',
      'unauthorized',
      // Two devices of one user editing one entry's different fields offline (B14).
      'offlineFieldEdits',
      // Grants and revocations while devices write (S2, P7).
      'membershipWhileWriting',
      'membershipDuringRush',
    ]
    if (process.env.CADENCE_FUZZ_VERBOSE) process.stdout.write(`${JSON.stringify(total, null, 1)}\n`)
    expect(kinds.filter((k) => !total[k])).toEqual([])
  })
})

// Pinned seeds: every seed that ever failed gets a named test here.
describe('pinned seeds', () => {
  test('seed 1012: three devices of one account snapshot at once after a restore; the third is told busy (429, A8) and retries, which the fuzz took for a failure', async () => {
    expect((await run(1012)).seed).toBe(1012)
  })
  test('seed 1671: a batch applied beside pending writes (B11) took a tag name that a step-by-step revert then restored twice', async () => {
    // run() throws with the seed's trace when any device diverges or a sync step fails.
    expect((await run(1671)).seed).toBe(1671)
  })
  // Seeds 17, 29, 35, 95 and 145 failed when the server restore came in (issue 11); the fuzz then
  // stepped around them until C4 and the refetch's resend (B6) fixed them; since then a restore is
  // marked as the README says and nothing is deferred.
  test('seed 17: a restore forgot a push the device had been answered for and not yet streamed; the write stayed pending for ever (B15)', async () => {
    expect((await run(17)).seed).toBe(17)
  })
  test('seed 35: a device behind a restore pulled only after other writes took the head past its offset, and kept a forgotten grant (B15, R1)', async () => {
    expect((await run(35)).seed).toBe(35)
  })
  test('seeds 16, 19, 34: a device answered for a write, then the server restored from a backup before it; its next push started after the write, which the server skipped (P2)', async () => {
    for (const seed of [16, 19, 34]) expect((await run(seed)).seed).toBe(seed)
  })
  test("seeds 29, 95, 145: after a restore the devices' own registrations (P1) took the head past the others' offsets before they pulled (B15, R1)", async () => {
    for (const seed of [29, 95, 145]) expect((await run(seed)).seed).toBe(seed)
  })
})
