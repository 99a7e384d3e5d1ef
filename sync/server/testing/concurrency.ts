/**
 * Tools for concurrency tests on the real PostgreSQL (`*.pg.test.ts`): holding row locks from a
 * connection of the test's own, so a transaction under test stops at a chosen statement; waiting
 * until PostgreSQL reports backends waiting on locks; devices that follow their stream while
 * others write; and the check every such test ends with, that a device's replica is the
 * server's view of its scopes (a snapshot read as that device: its user, its libraries, its own
 * mutation results, SPEC N1).
 */
import { sql } from 'drizzle-orm'
import { connectPostgres, drizzlePostgres, type PostgresClient } from '@/db/postgres'
import { testPostgres } from '@/db/testing/postgres'
import { rows } from '@/db/rows'
import { syncTables } from '@/db/schema/registry'
import type { Db } from '@/db/types'
import { TransportError } from '../../client/transport'
import { scopesOf } from '../scopes'
import { readSyncState } from '../state'
import { Replica, testServer, type TestDevice, type TestServer } from './harness'
import { postgresListen } from './postgres'

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

export function deferred<T = void>() {
  let resolve!: (value: T) => void
  const promise = new Promise<T>((r) => (resolve = r))
  return { promise, resolve }
}

/**
 * A sync server on a new PostgreSQL database, like `postgresServer`, whose sessions look for
 * deadlocks after `deadlockMs` rather than PostgreSQL's default second (`deadlock_timeout`,
 * set on the database before the pool opens a connection): a run that makes many deadlocks on
 * purpose then waits less for each. How they are resolved does not change.
 */
export async function postgresServerFastDeadlocks({ max = 16, deadlockMs = 50 } = {}): Promise<{
  server: TestServer
  client: PostgresClient
}> {
  const database = await testPostgres({ max: 1 })
  const name = new URL(database.url).pathname.slice(1)
  await database.client.unsafe(`alter database ${name} set deadlock_timeout = '${Math.floor(deadlockMs)}ms'`)
  const client = connectPostgres(database.url, { max })
  const server = await testServer({
    db: drizzlePostgres(client),
    listen: postgresListen(client),
    close: async () => {
      await client.end({ timeout: 5 })
      await database.close()
    },
  })
  return { server, client }
}

/** Backends of this database waiting for a lock another transaction holds. */
export async function lockWaiters(db: Db): Promise<number> {
  const [found] = await rows<{ n: number }>(
    db,
    sql`select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`,
  )
  return found?.n ?? 0
}

/**
 * Resolves once at least `n` backends wait on a lock, or once every one of `settled` has
 * settled (a transaction that never needed to wait). Fails after `ms`.
 */
export async function untilWaiting(db: Db, n: number, settled: Promise<unknown>[] = [], ms = 15_000): Promise<'waiting' | 'settled'> {
  let done = settled.length === 0 ? false : undefined
  if (settled.length > 0) void Promise.allSettled(settled).then(() => (done = true))
  const deadline = performance.now() + ms
  for (;;) {
    if (done) return 'settled'
    if ((await lockWaiters(db)) >= n) return 'waiting'
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${n} backends to wait on a lock`)
    await sleep(5)
  }
}

/**
 * Takes `FOR UPDATE` locks on rows of `table` (by `id`) in a transaction of its own and holds
 * them until `release()`: a transaction that writes one of those rows stops there, with
 * everything it did before still uncommitted. The holding transaction writes nothing.
 */
export async function holdRows(client: PostgresClient, table: string, ids: string[]): Promise<{ release(): Promise<void> }> {
  const held = deferred()
  const mayRelease = deferred()
  const done = client.begin(async (tx) => {
    await tx`select id from ${tx(table)} where id in ${tx(ids)} for update`
    held.resolve()
    await mayRelease.promise
  })
  await Promise.race([held.promise, done])
  return {
    async release() {
      mayRelease.resolve()
      await done
    },
  }
}

/**
 * Loads a snapshot into the device (C2, N1), as a device does when told to refetch: a server
 * that is sending as many snapshots as it allows refuses with "retry shortly", and the device
 * does.
 */
export async function refetch(device: TestDevice): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await device.snapshot()
      return
    } catch (error) {
      if (!(error instanceof TransportError && (error.kind === 'busy' || error.kind === 'refused')) || attempt >= 40) throw error
      await sleep(25 + Math.floor(Math.random() * 50))
    }
  }
}

/**
 * Brings a device up to date the way a device does: pulls until up to date, and when told to
 * refetch (its offset fell below the horizon, C2) loads a snapshot and pulls on from it.
 * Returns how many refetches it took.
 */
export async function settle(device: TestDevice): Promise<number> {
  let refetches = 0
  for (;;) {
    const result = await device.pullOnce({ limit: 500 })
    if (result.type === 'must-refetch') {
      refetches += 1
      await refetch(device)
      continue
    }
    if (result.upToDate) return refetches
  }
}

/** What a following device did, and every request that failed. */
export type Followed = { pulls: number; refetches: number; errors: string[] }

/**
 * Pulls pages of `1 + next() * 40` changes, refetching when told to, until `stopped()` and up
 * to date. After a page that brought it up to date it goes quiet for `napMs` with chance
 * `napChance` (a device gone offline a moment), else for a few milliseconds. Never throws:
 * failures are collected, so every follower runs to the end.
 */
export async function follow(
  device: TestDevice,
  next: () => number,
  stopped: () => boolean,
  { napChance = 0, napMs = 0 } = {},
): Promise<Followed> {
  const log: Followed = { pulls: 0, refetches: 0, errors: [] }
  for (;;) {
    const last = stopped()
    try {
      const result = await device.pullOnce({ limit: 1 + Math.floor(next() * 40) })
      log.pulls += 1
      if (result.type === 'must-refetch') {
        log.refetches += 1
        await refetch(device)
        continue
      }
      if (result.upToDate) {
        if (last) return log
        await sleep(next() < napChance ? napMs : 1 + Math.floor(next() * 4))
      }
    } catch (error) {
      log.errors.push(`${device.user.email} device ${device.id}: ${describeError(error)}`)
      if (log.errors.length > 5) return log
      await sleep(10)
    }
  }
}

export function describeError(error: unknown): string {
  if (error instanceof TransportError) return `${error.kind}: ${error.message}`
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error)
}

/**
 * The rows the server holds in a device's scopes (R1: its user, its device, every library it
 * may read) and the head seq they reflect, read straight from the tables in one repeatable-read
 * transaction: an oracle of its own, not the snapshot code under test.
 */
export async function serverView(db: Db, device: TestDevice): Promise<{ replica: Replica; offset: number }> {
  return db.transaction(
    async (tx) => {
      const replica = new Replica()
      const { head } = await readSyncState(tx)
      const scopes = await scopesOf(tx, device.user.id, device.id)
      for (const table of syncTables) {
        const ids = table.scope === 'user' ? [scopes.userId] : table.scope === 'device' ? [scopes.deviceId] : scopes.libraryIds
        if (ids.length === 0) continue
        const found = await rows<{ row: Record<string, unknown> }>(
          tx,
          sql`select to_jsonb(t) as row from ${sql.identifier(table.table)} t
               where ${sql.identifier(table.column)} in (${sql.join(
                 ids.map((id) => sql`${id}`),
                 sql`, `,
               )})`,
        )
        for (const { row } of found) replica.put(table.table, row)
      }
      return { replica, offset: head }
    },
    { isolationLevel: 'repeatable read', accessMode: 'read only' },
  )
}

/**
 * How a device's replica differs from the server's view of its scopes, one line per row (empty
 * when they are equal): missing on the device, extra on it, or which fields differ.
 */
export function replicaDiff(device: Replica, server: Replica): string[] {
  const lines: string[] = []
  const show = (row: Record<string, unknown>) =>
    JSON.stringify(row.name !== undefined ? { name: row.name, deleted_at: row.deleted_at } : row)
  for (const [key, { row }] of server.rows) {
    const held = device.rows.get(key)?.row
    if (!held) lines.push(`missing on the device: ${key} ${show(row)}`)
    else {
      const fields = [...new Set([...Object.keys(row), ...Object.keys(held)])].filter(
        (f) => JSON.stringify(row[f]) !== JSON.stringify(held[f]),
      )
      if (fields.length > 0) {
        lines.push(
          `differs: ${key}: ${fields.map((f) => `${f} device ${JSON.stringify(held[f])}, server ${JSON.stringify(row[f])}`).join('; ')}`,
        )
      }
    }
  }
  for (const [key, { row }] of device.rows) if (!server.rows.has(key)) lines.push(`extra on the device: ${key} ${show(row)}`)
  return lines
}

/**
 * Settles every device, then describes each one whose replica is not the server's view of its
 * scopes, or whose offset is not the head that view reflects (empty when all converged).
 */
export async function divergence(db: Db, devices: TestDevice[]): Promise<string[]> {
  // A device's first request registers it, a change in its user's scope: settle again until a
  // whole pass moved the head no further.
  for (let head = -1; ;) {
    for (const device of devices) await settle(device)
    const now = (await readSyncState(db)).head
    if (now === head) break
    head = now
  }
  const problems: string[] = []
  for (const device of devices) {
    const view = await serverView(db, device)
    const who = `${device.user.email.split('-')[0]} device ${device.id.slice(-6)}`
    if (device.offset !== view.offset) problems.push(`${who}: offset ${device.offset}, server head ${view.offset}`)
    problems.push(...replicaDiff(device.replica, view.replica).map((line) => `${who}: ${line}`))
  }
  return problems
}
