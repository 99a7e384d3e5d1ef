/**
 * Start-up failures of the built server: each must print one line that names its cause and exit
 * non-zero, never serve a broken app or dump a stack trace. These spawn `next start` on the
 * build the browser tests use; they need no browser.
 */
import { spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import { expect, test } from '@playwright/test'

type Exit = { code: number | null; stdout: string; stderr: string }

function startServer(env: Record<string, string>, port: number): Promise<Exit> {
  return new Promise((resolve, reject) => {
    const base = { ...process.env }
    delete base.DATABASE_URL
    const child = spawn('node_modules/.bin/next', ['start', '-p', String(port)], { env: { ...base, ...env } })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d) => (stdout += d))
    child.stderr.on('data', (d) => (stderr += d))
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`server did not exit within 30 s\n${stdout}\n${stderr}`))
    }, 30_000)
    child.on('exit', (code) => {
      clearTimeout(timer)
      resolve({ code, stdout, stderr })
    })
  })
}

function failureLines(exit: Exit): string[] {
  return exit.stderr.split('\n').filter((l) => l.startsWith('Cadence could not start'))
}

let dir: string
test.beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cadence-startup-'))
})
test.afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

test('an unreachable DATABASE_URL prints one line naming the variable and exits non-zero', async () => {
  const exit = await startServer(
    { DATABASE_URL: 'postgres://cadence:secret@127.0.0.1:1/cadence', BETTER_AUTH_SECRET: 'x'.repeat(40) },
    3191,
  )
  expect(exit.code).not.toBe(0)
  expect(failureLines(exit)).toEqual([
    expect.stringMatching(/^Cadence could not start: DATABASE_URL: cannot connect to PostgreSQL at 127\.0\.0\.1:1\/cadence/),
  ])
  expect(exit.stderr).not.toMatch(/^\s+at /m)
  expect(exit.stderr + exit.stdout).not.toContain('secret@')
})

test('production on PostgreSQL without an auth secret is refused', async () => {
  const exit = await startServer({ DATABASE_URL: 'postgres://127.0.0.1:1/cadence' }, 3194)
  expect(exit.code).not.toBe(0)
  expect(failureLines(exit)).toEqual([
    'Cadence could not start: BETTER_AUTH_SECRET must be set (32+ characters) when running in production on DATABASE_URL',
  ])
})

test('a data directory written by a newer Cadence is refused with a clear message', async () => {
  const pg = await PGlite.create(join(dir, 'pglite'))
  await pg.exec(`
    create schema cadence_meta;
    create table cadence_meta.migrations (tag text primary key, hash text not null, applied_at timestamptz not null default now());
    insert into cadence_meta.migrations (tag, hash) values ('9999_from_the_future', 'x');
  `)
  await pg.close()
  const exit = await startServer({ CADENCE_DATA_DIR: dir }, 3192)
  expect(exit.code).not.toBe(0)
  expect(failureLines(exit)).toEqual([
    expect.stringMatching(/written by a newer version of Cadence .*9999_from_the_future.*Upgrade Cadence/),
  ])
})

test('an invalid setting names the variable', async () => {
  const exit = await startServer({ CADENCE_DATA_DIR: dir, BETTER_AUTH_SECRET: 'too short' }, 3193)
  expect(exit.code).not.toBe(0)
  expect(failureLines(exit)).toEqual(['Cadence could not start: BETTER_AUTH_SECRET must be at least 32 characters'])
})
