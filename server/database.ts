/**
 * Opens the server's database: PostgreSQL when `DATABASE_URL` is set, otherwise a file-backed
 * PGlite under the data directory. Either way the bundled server migrations run first.
 */
import { mkdir, readFile, writeFile, rm } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import { migrate } from '@/db/migrate'
import { serverMigrations } from '@/db/migrations.generated'
import { drizzlePglite, pgliteRunner } from '@/db/pglite'
import { connectPostgres, drizzlePostgres, postgresRunner } from '@/db/postgres'
import type { Db } from '@/db/types'
import type { Listen } from '@/sync/server/live'
import { ConfigError, type Env } from './env'

export type ServerDatabase = {
  db: Db
  kind: 'postgres' | 'pglite'
  /** LISTEN on a channel; a commit's NOTIFY from any server process calls `onNotify`. */
  listen: Listen
  close(): Promise<void>
}

export async function openServerDatabase(env: Env): Promise<ServerDatabase> {
  return env.databaseUrl ? openPostgres(env.databaseUrl) : openEmbedded(env.dataDir)
}

async function openPostgres(url: string): Promise<ServerDatabase> {
  const client = connectPostgres(url)
  try {
    await client`select 1`
  } catch (error) {
    await client.end({ timeout: 1 }).catch(() => {})
    throw new ConfigError(`DATABASE_URL: cannot connect to PostgreSQL at ${describeUrl(url)} (${messageOf(error)})`)
  }
  await migrate(postgresRunner(client), serverMigrations)
  return {
    db: drizzlePostgres(client),
    kind: 'postgres',
    listen: async (channel, onNotify) => {
      const { unlisten } = await client.listen(channel, onNotify)
      return unlisten
    },
    close: () => client.end({ timeout: 5 }),
  }
}

async function openEmbedded(dataDir: string): Promise<ServerDatabase> {
  const dir = resolve(dataDir)
  await mkdir(dir, { recursive: true })
  const releaseLock = await lockDataDir(dir)
  try {
    const pg = await PGlite.create(join(dir, 'pglite'))
    await migrate(pgliteRunner(pg), serverMigrations)
    return {
      db: drizzlePglite(pg),
      kind: 'pglite',
      listen: (channel, onNotify) => pg.listen(channel, onNotify),
      close: async () => {
        await pg.close()
        await releaseLock()
      },
    }
  } catch (error) {
    await releaseLock()
    throw error
  }
}

/**
 * PGlite is single-process: two servers opening one data directory would corrupt it. A pid file
 * refuses the second one while the first is alive; a stale file (dead pid) is taken over.
 */
async function lockDataDir(dir: string): Promise<() => Promise<void>> {
  const lockFile = join(dir, 'server.pid')
  const existing = await readFile(lockFile, 'utf8').catch(() => '')
  const pid = Number.parseInt(existing, 10)
  if (pid && pid !== process.pid && isAlive(pid)) {
    throw new ConfigError(
      `CADENCE_DATA_DIR: ${dir} is in use by another Cadence server (pid ${pid}); stop it or choose another data directory`,
    )
  }
  await writeFile(lockFile, String(process.pid))
  return () => rm(lockFile, { force: true })
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** host:port/database, never the password. */
function describeUrl(url: string): string {
  try {
    const u = new URL(url)
    return `${u.hostname}:${u.port || 5432}${u.pathname}`
  } catch {
    return 'the given URL'
  }
}

function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message || (error as NodeJS.ErrnoException).code || error.name
  return String(error)
}

/** The auth secret: from the environment, or made once and kept in the data directory. */
export async function loadAuthSecret(env: Env): Promise<string> {
  if (env.authSecret) return env.authSecret
  const dir = resolve(env.dataDir)
  const file = join(dir, 'auth-secret')
  const kept = (await readFile(file, 'utf8').catch(() => '')).trim()
  if (kept.length >= 32) return kept
  await mkdir(dir, { recursive: true })
  const secret = Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64url')
  await writeFile(file, secret, { mode: 0o600 })
  return secret
}
