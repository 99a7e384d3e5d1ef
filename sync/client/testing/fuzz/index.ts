/**
 * A seeded, randomized convergence simulation of the sync engine (sync/SPEC.md): several devices
 * of several users make random mutations (valid, stale, colliding or plain invalid), go offline
 * and online, push and pull through a network that drops and duplicates requests and answers,
 * reorders concurrent requests, cuts snapshots short and crashes the server in the middle of a
 * push; meanwhile the server compacts its log, restarts, and owners revoke and re-share their
 * libraries, also while devices write (S2, P7). The larger faults (`faults.ts`, and a generator):
 * workouts of long notes near the body limit, some behind a proxy that answers 413 (B5, B1);
 * sessions that end and come back, so requests answer 401 meanwhile (A7); the server restored
 * from a backup it took earlier (B15, P2); two devices of one user editing different fields of
 * one entry offline (B14). Devices attach photos to entries, remove and reorder them, upload
 * their bytes through the same faulty network and show them on other devices, within a small
 * cache budget (issue 16, M5-M12: `photos.ts`). At the end every device's session is back, every
 * device syncs and uploads until quiet, and the run checks:
 *
 * 1. every device holds exactly the server's rows of its scopes (R1), table by table;
 * 2. the server has a result for every mutation each device queued, under any id it pushed
 *    under, once, and nothing else (P2, B1, B15), but for those a restore lost: the server had
 *    settled them, its backup had not, and the device had already dropped them (B15's accepted
 *    loss; a forgotten one still in the outbox must be sent again and settle);
 *    every applied creation is on the server (once: by its id) unless an applied mutation
 *    deleted it, and no rejected one left anything behind (P3, P4);
 * 3. every rejection is reported on its device with the server's code, and only those (B3, B4);
 * 4. nothing is left pending: no outbox, no undo log, every device at the server's head;
 * 5. every photo is uploaded and each blob reached the server once; every device's blob cache
 *    holds the right bytes of its user's photos only, within its budget (`photos.ts` says how).
 *
 * Everything random comes from one seed (ids included, but a photo's: `DevicePhotos` makes its
 * own), so a failing seed replays the same run.
 * The databases are made once per test file ({@link fuzzEnv}) and reset between seeds.
 *
 * The devices speak through the real wire client (`HttpTransport`), whose `fetch` goes through
 * a scripted hold (`../network.ts`), the fuzz's faulty network (`./network.ts`) and the route
 * handlers in process. The parts, in the order a seed uses them: `rng`, `server` (the simulated
 * server), `network`, `pool` (the databases), `world` (one seed's state), `setup`, `requests`
 * (answering held requests), `views`, `generators` (random mutations), `faults`, `photos`,
 * `steps`, `invariants`; `suite` runs seeds in the test files.
 */
import { check, quiesce } from './invariants'
import type { FuzzEnv } from './pool'
import { setup } from './setup'
import { steps } from './steps'
import { SimError, describeError, type RunOptions, type SeedReport } from './world'

export { fuzzEnv, type FuzzEnv } from './pool'
export { Rng } from './rng'
export { SimError, type RunOptions, type SeedReport } from './world'

async function simulate(seed: number, env: FuzzEnv, options: RunOptions): Promise<SeedReport> {
  const started = performance.now()
  const timings: Record<string, number> = {}
  const lap = (what: string) =>
    (timings[what] = Math.round(performance.now() - started - Object.values(timings).reduce((a, b) => a + b, 0)))
  const w = await setup(seed, env)
  lap('setup')
  const [min, max] = options.steps ?? [15, 30]
  const n = w.rng.int(min, max)
  const errors: unknown[] = []
  const consoleError = console.error
  // The server logs what it did not expect before answering 500; that names the seed here too.
  console.error = (...args: unknown[]) => {
    errors.push(args.map((a) => (a instanceof Error ? describeError(a) : String(a))).join(' '))
    consoleError(...args)
  }
  try {
    for (w.step = 1; w.step <= n; w.step++) {
      const d = w.rng.pick(w.devices)
      await w.rng.weighted(steps)(w, d)
      if (errors.length > 0) w.fail(`console.error: ${errors.join('; ')}`)
      const surprises = w.devices.flatMap((o) => o.net.surprises.map((s) => `${o.name} ${s}`))
      if (surprises.length > 0) w.fail(`the server failed unexpectedly: ${surprises.join('; ')}`)
    }
    lap('steps')
    await quiesce(w)
    lap('quiesce')
    await check(w)
    lap('check')
    if (errors.length > 0) w.fail(`console.error: ${errors.join('; ')}`)
  } finally {
    console.error = consoleError
  }
  for (const d of w.devices) for (const [k, v] of Object.entries(d.net.seen)) w.count(k, v)
  return { seed, steps: n, counts: w.counts, timings, trace: w.trace }
}

/**
 * Runs one seed on the pool: resets the databases, simulates, checks. Throws a {@link SimError}
 * naming the seed, with the trace of what happened, when an invariant breaks.
 */
export async function runSeed(seed: number, env: FuzzEnv, options: RunOptions = {}): Promise<SeedReport> {
  const timeoutMs = options.timeoutMs ?? 60_000
  let timer: ReturnType<typeof setTimeout> | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      env.poisoned = true
      reject(new SimError(`seed ${seed}: did not finish within ${timeoutMs} ms (a hang?)`))
    }, timeoutMs)
  })
  try {
    return await Promise.race([simulate(seed, env, options), timeout])
  } finally {
    clearTimeout(timer)
  }
}
