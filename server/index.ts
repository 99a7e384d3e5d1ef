/**
 * The server's one shared state: configuration, database and auth, made once per process on
 * first use. Route handlers and the start-up hook both call {@link getServer}; the promise lives
 * on `globalThis` because Next.js may load this module in more than one bundle.
 */
import 'server-only'
import type { BlockList } from 'node:net'
import { createAuth, type Auth } from './auth'
import { trustedProxies } from './client-address'
import { loadAuthSecret, openServerDatabase, type ServerDatabase } from './database'
import { readEnv, type Env } from './env'
import type { SyncService } from '@/sync/server/http'
import { ChangeNotifier } from '@/sync/server/live'
import { compact } from '@/sync/server/compact'
import { collectMedia } from '@/sync/server/media-gc'

export type Server = {
  env: Env
  database: ServerDatabase
  db: ServerDatabase['db']
  auth: Auth
  sync: SyncService
  /** The proxies whose `X-Forwarded-For` is believed (`CADENCE_TRUSTED_PROXIES`), if any (A10). */
  proxies: BlockList | undefined
}

const key = Symbol.for('cadence.server')
type Holder = { [key]?: Promise<Server> }

export function getServer(): Promise<Server> {
  const holder = globalThis as Holder
  holder[key] ??= startServer().catch((error) => {
    delete holder[key]
    throw error
  })
  return holder[key]
}

async function startServer(): Promise<Server> {
  const env = readEnv()
  const database = await openServerDatabase(env)
  const secret = await loadAuthSecret(env)
  const auth = createAuth({ db: database.db, secret, baseUrl: env.baseUrl, rateLimit: env.authRateLimit })
  const notifier = await ChangeNotifier.start(database.listen)
  const sync: SyncService = {
    db: database.db,
    notifier,
    authenticate: async (request) => (await auth.api.getSession({ headers: request.headers }))?.user.id ?? null,
  }
  if (env.compactKeepDays !== undefined) scheduleCompaction(database.db, env.compactKeepDays)
  scheduleMediaCollection(database.db, env.mediaGraceDays)
  const proxies = env.trustedProxies.length > 0 ? trustedProxies(env.trustedProxies) : undefined
  return { env, database, db: database.db, auth, sync, proxies }
}

const HOUR = 3_600_000

function scheduleCompaction(db: ServerDatabase['db'], keepDays: number) {
  const run = () =>
    compact(db, { keepDays, keepTransactions: 1000 }).then(
      (r) => r.removedTransactions > 0 && console.log(`Cadence: compacted the sync log up to ${r.horizon}`),
      (error: unknown) => console.error('Cadence: compaction failed', error),
    )
  setInterval(run, HOUR).unref()
}

/** Photo bytes no photo names go once unreferenced for the grace period (SPEC M12). */
function scheduleMediaCollection(db: ServerDatabase['db'], graceDays: number) {
  let running = false
  const run = () => {
    if (running) return
    running = true
    void collectMedia(db, { graceMs: graceDays * 86_400_000 })
      .then(
        (r) => r.deleted > 0 && console.log(`Cadence: deleted ${r.deleted} unreferenced photo blobs (${r.deletedBytes} bytes)`),
        (error: unknown) => console.error('Cadence: collecting photo bytes failed', error),
      )
      .finally(() => (running = false))
  }
  setInterval(run, HOUR).unref()
}
