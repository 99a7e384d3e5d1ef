#!/usr/bin/env node
// `npm test`: every suite. Vitest (unit and integration on PGlite, plus PostgreSQL when
// TEST_DATABASE_URL is set), then Playwright in Debian's Chromium against the built app.
// With CADENCE_REQUIRE_ALL_SUITES=1 (CI) a missing database or browser fails the run; without
// it, a missing one is reported and its suites are left out.
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'

const requireAll = process.env.CADENCE_REQUIRE_ALL_SUITES === '1'
const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const extra = process.argv.slice(2)

function run(command, args) {
  console.log(`\n$ ${command} ${args.join(' ')}`)
  const result = spawnSync(command, args, { stdio: 'inherit' })
  if (result.status !== 0) process.exit(result.status ?? 1)
}

run('npx', ['vitest', 'run', ...extra])

if (existsSync(chromium)) {
  run('npx', ['playwright', 'test'])
} else if (requireAll) {
  console.error(`Chromium not found at ${chromium}, and CADENCE_REQUIRE_ALL_SUITES=1 requires the browser tests.`)
  process.exit(1)
} else {
  console.warn(
    `\n[cadence] Chromium not found at ${chromium}: the browser tests (e2e/) were NOT run.\n` +
      '          Install it with `apt-get install -y chromium` or set CHROMIUM_PATH.\n',
  )
}
