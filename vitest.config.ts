import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

/**
 * Unit and integration tests (Node). `*.pg.test.ts` need PostgreSQL at TEST_DATABASE_URL; without
 * it they are left out and the run says so, unless CADENCE_REQUIRE_ALL_SUITES=1 (as in CI), which
 * turns a missing database into a failure. Browser tests live in e2e/ and run under Playwright.
 */
const requireAll = process.env.CADENCE_REQUIRE_ALL_SUITES === '1'
const hasPg = Boolean(process.env.TEST_DATABASE_URL)
if (!hasPg && requireAll) {
  throw new Error('TEST_DATABASE_URL is not set, and CADENCE_REQUIRE_ALL_SUITES=1 requires the PostgreSQL suites')
}
if (!hasPg) {
  console.warn('\n[cadence] TEST_DATABASE_URL is not set: the PostgreSQL suites (*.pg.test.ts) are not run.\n')
}

export default defineConfig({
  resolve: {
    alias: {
      '@': fileURLToPath(new URL('.', import.meta.url)),
      'server-only': fileURLToPath(new URL('./test/server-only.ts', import.meta.url)),
    },
  },
  test: {
    include: ['**/*.test.ts', '**/*.test.tsx'],
    exclude: ['node_modules/**', '.next/**', 'e2e/**', ...(hasPg ? [] : ['**/*.pg.test.ts'])],
    globalSetup: ['./test/global-setup.ts'],
    setupFiles: ['./test/setup.ts'],
    // Two workers on two cores, beside PostgreSQL: the heaviest tests (a hundred 10 KB writes
    // pushed, generated garbage) took 30-50 s under that load. A test that hangs still fails.
    testTimeout: 90_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Both cores: Vitest's default leaves one idle on a two-core machine (CI's), and the suites
    // wait on PGlite and PostgreSQL as much as they compute.
    maxWorkers: 2,
  },
})
