import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, expect, test } from 'vitest'
import { listLibraries } from '@/db/queries/libraries'
import { ConfigError, readEnv } from './env'
import { loadAuthSecret, openServerDatabase } from './database'

let dataDir: string
beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'cadence-data-'))
})
afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true })
})

test('an unreachable DATABASE_URL fails with one line naming the variable, not the password', async () => {
  const env = readEnv({ DATABASE_URL: 'postgres://someone:hunter2@127.0.0.1:1/cadence' })
  const error = await openServerDatabase(env).catch((e: unknown) => e)
  expect(error).toBeInstanceOf(ConfigError)
  const message = (error as Error).message
  expect(message).toMatch(/^DATABASE_URL: cannot connect to PostgreSQL at 127\.0\.0\.1:1\/cadence/)
  expect(message).not.toContain('hunter2')
  expect(message).not.toContain('\n')
})

test('the embedded database lives in the data directory and keeps its rows across restarts', async () => {
  const env = readEnv({ CADENCE_DATA_DIR: dataDir })
  const first = await openServerDatabase(env)
  expect(first.kind).toBe('pglite')
  expect(await listLibraries(first.db, '0194c3a0-0000-7000-8000-000000000000')).toEqual([])
  await first.close()
  const second = await openServerDatabase(env)
  await second.close()
})

test('a data directory in use by another live server is refused', async () => {
  await writeFile(join(dataDir, 'server.pid'), String(process.ppid))
  const error = await openServerDatabase(readEnv({ CADENCE_DATA_DIR: dataDir })).catch((e: unknown) => e)
  expect(error).toBeInstanceOf(ConfigError)
  expect((error as Error).message).toMatch(/^CADENCE_DATA_DIR: .* is in use by another Cadence server/)
})

test('the embedded default makes an auth secret once and keeps it in the data directory', async () => {
  const env = readEnv({ CADENCE_DATA_DIR: dataDir })
  const secret = await loadAuthSecret(env)
  expect(secret.length).toBeGreaterThanOrEqual(32)
  expect(await loadAuthSecret(env)).toBe(secret)
  expect((await readFile(join(dataDir, 'auth-secret'), 'utf8')).trim()).toBe(secret)
  expect(await loadAuthSecret(readEnv({ CADENCE_DATA_DIR: dataDir, BETTER_AUTH_SECRET: 'x'.repeat(40) }))).toBe('x'.repeat(40))
})
