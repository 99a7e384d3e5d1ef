/**
 * M5's server: the production build (`next start`) of the app in BENCH_APP_DIR (default: this
 * repository), built there first if it has no build yet (or BENCH_BUILD=1), on a throwaway
 * PostgreSQL database; one user signed up through the real better-auth API, holding the seeded
 * five-year account (activities pushed, workouts written with the capture triggers on, as for M1).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createServer } from 'node:net'
import { join, resolve } from 'node:path'
import { and, eq } from 'drizzle-orm'
import { libraries } from '@/db/schema'
import { TestDevice, testServer, type TestUser } from '@/sync/server/testing/harness'
import { postgresListen } from '@/sync/server/testing/postgres'
import type { EntryInput } from '@/domain/mutators/entries'
import { accountActivities, insertWorkouts, type Account } from './data'
import { freshPostgres, type BenchPostgres } from './lib'

export type AppUser = { id: string; email: string; password: string }

export const appDir = () => resolve(process.env.BENCH_APP_DIR ?? join(import.meta.dirname, '..'))

/** Runs `npm run build` in the app directory unless it already holds a build. */
export function ensureBuilt(dir: string) {
  if (existsSync(join(dir, '.next', 'BUILD_ID')) && process.env.BENCH_BUILD !== '1') return
  console.log(`building the app in ${dir} …`)
  const build = spawnSync('npm', ['run', 'build'], { cwd: dir, stdio: 'inherit' })
  if (build.status !== 0) throw new Error(`npm run build failed in ${dir}`)
}

/** The first port from `from` that nothing listens on. */
async function freePort(from: number): Promise<number> {
  for (let port = from; port < from + 100; port++) {
    const free = await new Promise<boolean>((done) => {
      const probe = createServer()
      probe.once('error', () => done(false))
      probe.listen(port, () => probe.close(() => done(true)))
    })
    if (free) return port
  }
  throw new Error(`no free port in ${from}-${from + 99}`)
}

async function waitUntilUp(url: string, server: ChildProcess, log: () => string) {
  const deadline = Date.now() + 180_000
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`the app exited (${server.exitCode}):\n${log()}`)
    const ok = await fetch(url).then(
      (r) => r.ok,
      () => false,
    )
    if (ok) return
    await new Promise((done) => setTimeout(done, 250))
  }
  throw new Error(`the app did not answer ${url} within 180 s:\n${log()}`)
}

/** Starts `next start` on a new database; `close` stops the server and drops the database. */
export async function startApp(dir: string) {
  const database = await freshPostgres()
  const port = await freePort(3300)
  const baseUrl = `http://localhost:${port}`
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'production',
    DATABASE_URL: database.url,
    BETTER_AUTH_SECRET: 'm5-benchmark-secret-of-more-than-32-characters',
    CADENCE_AUTH_RATE_LIMIT: 'off',
    CADENCE_URL: baseUrl,
    PORT: String(port),
  }
  // The benchmark runs under tsx with the react-server condition; the server must not inherit it.
  delete env.NODE_OPTIONS
  const server = spawn(process.execPath, [join(dir, 'node_modules', 'next', 'dist', 'bin', 'next'), 'start', '-p', String(port)], {
    cwd: dir,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  server.stdout!.on('data', (chunk: Buffer) => (output += chunk))
  server.stderr!.on('data', (chunk: Buffer) => (output += chunk))
  const close = async () => {
    if (server.exitCode === null) {
      const exited = new Promise((done) => server.once('exit', done))
      server.kill('SIGTERM')
      await exited
    }
    await database.close()
  }
  try {
    await waitUntilUp(`${baseUrl}/sign-in`, server, () => output)
  } catch (error) {
    await close()
    throw error
  }
  return { baseUrl, database, close }
}

/** Signs a new user up through better-auth's endpoint, as the sign-up form does. */
export async function signUp(baseUrl: string, name: string): Promise<AppUser> {
  const email = `${name.toLowerCase()}-${Date.now()}@example.com`
  const password = 'correct horse battery'
  const response = await fetch(`${baseUrl}/api/auth/sign-up/email`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: baseUrl },
    body: JSON.stringify({ name, email, password }),
  })
  if (!response.ok) throw new Error(`sign-up answered ${response.status}: ${await response.text()}`)
  const body = (await response.json()) as { user: { id: string } }
  return { id: body.user.id, email, password }
}

/**
 * Gives `user` the five-year account (seed 1, as M1's): its activities through the real push
 * path (in this process, on the app's database), its workouts as the rows `logEntry` writes.
 */
export async function seedAccount(database: BenchPostgres, user: AppUser, scale: number, { endingNow = false } = {}): Promise<Account> {
  const [library] = await database.db
    .select({ id: libraries.id })
    .from(libraries)
    .where(and(eq(libraries.ownerId, user.id), eq(libraries.isDefault, true)))
  if (!library) throw new Error('sign-up made no default library')
  const harness = await testServer({ db: database.db, listen: postgresListen(database.client), close: async () => {} })
  try {
    // The harness authenticates its own users by token; this one signed up through the app.
    const service = { ...harness.service, authenticate: async () => user.id }
    const testUser: TestUser = {
      id: user.id,
      email: user.email,
      libraryId: library.id,
      token: '',
      device: () => new TestDevice(service, testUser),
    }
    const { account } = await accountActivities(testUser, 1, scale)
    // `endingNow`: the five years end today rather than in January 2026, so that a storage
    // window of recent months holds recent workouts (bench/window.ts).
    const workouts = endingNow ? shiftedToNow(account.workouts) : account.workouts
    await insertWorkouts(database.client, workouts, user.id)
    return { ...account, workouts }
  } finally {
    await harness.close()
  }
}

/** The workouts moved in time so the last one is an hour ago, their sets with them. */
function shiftedToNow(workouts: Account['workouts']): Account['workouts'] {
  const last = Math.max(...workouts.map((w) => Date.parse(w.entry.performedAt!)))
  const by = Date.now() - 3_600_000 - last
  const shift = (node: EntryInput): EntryInput => ({
    ...node,
    ...(node.performedAt ? { performedAt: new Date(Date.parse(node.performedAt) + by).toISOString() } : {}),
    ...(node.children ? { children: node.children.map(shift) } : {}),
  })
  return workouts.map((w) => ({ ...w, entry: shift(w.entry) }))
}
