#!/usr/bin/env node
// Builds the app and serves it for the browser tests on the given port, on a fresh embedded
// database in .data/e2e, so every run starts from nothing and never touches a developer's data.
import { spawn, spawnSync } from 'node:child_process'
import { rmSync } from 'node:fs'

const port = process.argv[2] ?? '3100'
const dataDir = '.data/e2e'
rmSync(dataDir, { recursive: true, force: true })

if (process.env.E2E_SKIP_BUILD !== '1') {
  const build = spawnSync('npm', ['run', 'build'], { stdio: 'inherit' })
  if (build.status !== 0) process.exit(build.status ?? 1)
}

// Every test signs in from the same address; throttling would make them fail for the wrong reason.
const env = {
  ...process.env,
  CADENCE_DATA_DIR: dataDir,
  PORT: port,
  CADENCE_URL: `http://localhost:${port}`,
  CADENCE_AUTH_RATE_LIMIT: 'off',
}
delete env.DATABASE_URL
const server = spawn('node', ['scripts/serve.mjs'], { stdio: 'inherit', env })
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal))
server.on('exit', (code) => process.exit(code ?? 0))
