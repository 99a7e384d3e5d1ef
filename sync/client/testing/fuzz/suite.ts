/**
 * The convergence suite's runner, shared by its test files (`sync/client/convergence*.test.ts`)
 * so that Vitest's workers run their parts at once. The seeds to run are
 * [CADENCE_FUZZ_FIRST, CADENCE_FUZZ_FIRST + CADENCE_FUZZ_SEEDS), 1..300 by default; each of the
 * `parts` files takes one contiguous share of that range (the earlier parts one more seed when it
 * does not divide), so together they run every seed once. Each file makes its own databases.
 */
import { appendFile } from 'node:fs/promises'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { fuzzEnv, runSeed, type FuzzEnv, type SeedReport } from './index'

const count = Number(process.env.CADENCE_FUZZ_SEEDS ?? 300)
const first = Number(process.env.CADENCE_FUZZ_FIRST ?? 1)
/** Where scripts/fuzz.mjs collects failing seeds. */
const report = process.env.CADENCE_FUZZ_REPORT
/** CADENCE_FUZZ_VERBOSE=1 shows each seed's timings and the coverage totals, =2 each trace too. */
const verbose = Number(process.env.CADENCE_FUZZ_VERBOSE ?? 0)
const CHUNK = 25
/**
 * The coverage check runs over a part of at least this many seeds: the rarest kinds (a proxy's
 * 413, a withheld entry) happen once or twice in 150 seeds, so fewer may miss one by chance.
 * Each part of the default run (1..300) is this long, so each checks its own seeds.
 */
export const COVERAGE_SEEDS = 150

/** Every kind of fault and event that a part of {@link COVERAGE_SEEDS} seeds must reach. */
export const coverageKinds = [
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
  // A device's storage window in force at the end of a seed (W1-W4).
  'windowedChecked',
  // The records summary checked against the whole history (W7).
  'recordsChecked',
  // Sessions ending and coming back (A7).
  'sessionsExpired',
  'sessionsBack',
  'unauthorized',
  // Two devices of one user editing one entry's different fields offline (B14).
  'offlineFieldEdits',
  // Grants and revocations while devices write (S2, P7).
  'membershipWhileWriting',
  'membershipDuringRush',
  // Photos (M5-M12): attached (the same bytes again too), removed, reordered; uploads stored,
  // held after a lost answer or a second PUT, dropped for a rejected attach (404), waiting for
  // their attach, backing off; shown from the cache and downloaded; evicted over budget; a
  // restore forgetting uploads.
  'photos:attached',
  'photos:sameBytes',
  'photos:detached',
  'photos:reordered',
  'photos:uploaded',
  'photos:uploadDropped',
  'photos:uploadWaiting',
  'photos:uploadBackoff',
  'photos:downloaded',
  'photos:shownFromCache',
  'photos:notShown',
  'media:stored',
  'media:held',
  'media:404',
  'media:dropRequest',
  'media:dropResponse',
  'media:duplicate',
  'evictions',
  'holdersForgotten',
]

/** Part `part` (1-based) of `parts` of the seeds [first, first + count): where it starts and how many. */
export function shareOf(part: number, parts: number, range = { first, count }): { from: number; count: number } {
  const base = Math.floor(range.count / parts)
  const extra = range.count % parts
  const from = range.first + (part - 1) * base + Math.min(part - 1, extra)
  return { from, count: base + (part <= extra ? 1 : 0) }
}

/**
 * Registers part `part` of `parts` of the convergence suite in the calling test file: its share
 * of the seeds in chunks of {@link CHUNK}, and the coverage check over them. Returns `run`, which
 * runs one seed on the file's databases (for the pinned seeds).
 */
export function convergenceSuite({ part, parts }: { part: number; parts: number }) {
  let env: FuzzEnv | undefined
  beforeAll(async () => {
    env = await fuzzEnv()
  }, 120_000)
  afterAll(async () => {
    await env?.close()
  })

  /** Runs a seed on the pool, making a new pool first if a hung seed left the old one unusable. */
  async function run(seed: number): Promise<SeedReport> {
    if (!env || env.poisoned) env = await fuzzEnv()
    return runSeed(seed, env)
  }

  const share = shareOf(part, parts)
  const reports: SeedReport[] = []
  const chunks: { from: number; to: number }[] = []
  const end = share.from + share.count
  for (let from = share.from; from < end; from += CHUNK) chunks.push({ from, to: Math.min(end, from + CHUNK) - 1 })

  describe(`convergence (part ${part} of ${parts})`, () => {
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
        for (const r of verbose > 0 ? reports.slice(-(to - from + 1)) : []) {
          process.stdout.write(
            `seed ${r.seed}: ${r.steps} steps ${JSON.stringify(r.timings)}\n${verbose > 1 ? `${r.trace.join('\n')}\n` : ''}`,
          )
        }
      }, 600_000)

    // Over enough seeds every kind of fault and event happens somewhere; a change that made one
    // unreachable would leave the test blind to it. Each part checks its own seeds, so the
    // check does not depend on which files ran or in what order.
    test.runIf(share.count >= COVERAGE_SEEDS || verbose > 0)('every fault and event is reached', () => {
      const total: Record<string, number> = {}
      for (const r of reports) for (const [k, v] of Object.entries(r.counts)) total[k] = (total[k] ?? 0) + v
      if (verbose > 0) process.stdout.write(`${JSON.stringify(total, null, 1)}\n`)
      expect(coverageKinds.filter((k) => !total[k])).toEqual([])
    })
  })

  return { run }
}
