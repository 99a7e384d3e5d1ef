/**
 * Randomized convergence of the sync engine (sync/client/testing/fuzz/): devices of several
 * users mutating, going offline, losing and duplicating requests and answers, through server
 * restarts, compactions and revocations; at the end every device holds the server's view of its
 * scopes, every acknowledged write is there once and every rejection is reported.
 *
 * The suite is split in two files that Vitest's two workers run at once: this one and
 * `convergence-2.test.ts` (which also holds the pinned seeds), both made by
 * `testing/fuzz/suite.ts`. CI runs seeds 1..300: 1..150 here, 151..300 there.
 * `CADENCE_FUZZ_SEEDS` (how many) and `CADENCE_FUZZ_FIRST` (from which) choose another range,
 * and each file takes its half of it (this one the first, one more seed when it is odd); the
 * coverage check runs in a file whose half is at least 150 seeds. `node scripts/fuzz.mjs 5000`
 * runs many in chunks. A failure names its seed and prints its trace; rerun it alone with
 * `CADENCE_FUZZ_FIRST=<seed> CADENCE_FUZZ_SEEDS=1 npx vitest run sync/client/convergence.test.ts`
 * (a range of one seed is all this file's), and pin every seed that ever failed in
 * `convergence-2.test.ts`.
 */
import { convergenceSuite } from './testing/fuzz/suite'

convergenceSuite({ part: 1, parts: 2 })
