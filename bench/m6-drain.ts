/**
 * M6 bulk drain: n writes queued on a device while it was offline (each a `logEntry` of a
 * bodyweight measurement through `SyncClient.mutate`: an entry and a value), then the device goes
 * online and syncs with a server on PostgreSQL (the real push and pull handlers, in process) until
 * its outbox is empty: every write pushed, applied, its result pulled and settled (SPEC B16).
 *
 * Baseline, in the same run on the same server: the same rows pushed raw, as multi-row INSERTs
 * into copies of `entries` and `entry_values` (no triggers, no foreign keys), one transaction per
 * request of the device's push size: the least a server must do to store them.
 *
 * The figure is drain / raw at each n, and the drain's time per write: linear draining keeps it
 * flat as n grows (the slope between the smallest and the largest n, printed, is near zero).
 */
import { count, sql } from 'drizzle-orm'
import { localOutbox } from '@/db/schema/local'
import { rows as rowsOf } from '@/db/rows'
import { newId } from '@/domain/ids'
import { HttpTransport } from '@/sync/client/transport'
import { handlerFetch } from '@/sync/server/testing/fetch'
import { postgresServer } from '@/sync/server/testing/postgres'
import { accountActivities, benchDevice, syncUntilSettled } from './data'
import { now, printTable, round } from './lib'

/** The device's push size (SyncClient's default), which the raw baseline's transactions follow. */
const PUSH_BATCH = 100

export async function m6({ levels = [500, 1000, 5000] } = {}) {
  const { server, database } = await postgresServer()
  await database.client.unsafe(`
    create schema raw;
    create table raw.entries (like public.entries including defaults including constraints including indexes);
    create table raw.entry_values (like public.entry_values including defaults including constraints including indexes);`)
  const result: { n: number; drainMs: number; rawMs: number; ratio: number; msPerWrite: number; rawMsPerWrite: number; rounds: number }[] =
    []
  try {
    for (const n of levels) {
      const user = await server.user(`Drain${n}`)
      const { account } = await accountActivities(user, 600 + n, 0.001)
      const device = await benchDevice(user, new HttpTransport({ fetch: handlerFetch(() => server.service, user.token) }))
      try {
        await device.client.sync()
        const { activityId, massId } = account.bodyweight
        // Offline: the writes queue (no request is made while mutating).
        for (let i = 0; i < n; i++) {
          await device.client.mutate('logEntry', {
            entry: {
              id: newId(),
              activityId,
              performedAt: new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString(),
              values: { [massId]: 80 + (i % 50) / 10 },
            },
          })
        }
        const [queued] = await device.db.select({ n: count() }).from(localOutbox)
        if (queued!.n !== n) throw new Error(`M6: expected ${n} pending, found ${queued!.n}`)

        // Online: until the outbox is empty.
        const start = now()
        const rounds = await syncUntilSettled(device, 10 * n)
        const drainMs = now() - start

        // Raw: the rows the drain stored, read back from the server, pushed again into the copies.
        const entries = await rowsOf<Record<string, unknown>>(
          database.db,
          sql`select * from entries where user_id = ${user.id} and activity_id = ${activityId} order by id`,
        )
        const values = await rowsOf<Record<string, unknown>>(
          database.db,
          sql`select v.* from entry_values v join entries e on e.id = v.entry_id where e.user_id = ${user.id} and e.activity_id = ${activityId} order by v.entry_id`,
        )
        if (entries.length !== n) throw new Error(`M6: the server holds ${entries.length} of ${n} entries`)
        const valuesOf = new Map<string, Record<string, unknown>[]>()
        for (const v of values) valuesOf.set(v.entry_id as string, [...(valuesOf.get(v.entry_id as string) ?? []), v])
        const rawStart = now()
        for (let i = 0; i < n; i += PUSH_BATCH) {
          const chunk = entries.slice(i, i + PUSH_BATCH)
          const chunkValues = chunk.flatMap((e) => valuesOf.get(e.id as string) ?? [])
          await database.client.begin(async (tx) => {
            await tx`insert into raw.entries ${tx(chunk as never)}`
            if (chunkValues.length > 0) await tx`insert into raw.entry_values ${tx(chunkValues as never)}`
          })
        }
        const rawMs = now() - rawStart
        result.push({
          n,
          drainMs: round(drainMs),
          rawMs: round(rawMs),
          ratio: round(drainMs / rawMs, 2),
          msPerWrite: round(drainMs / n, 3),
          rawMsPerWrite: round(rawMs / n, 3),
          rounds,
        })
      } finally {
        await device.close()
      }
    }
  } finally {
    await server.close()
  }
  const first = result[0]!
  const last = result.at(-1)!
  // Time per write against n: (ms/write at the largest n − at the smallest) / (difference in n).
  const slope = last.n > first.n ? round(((last.msPerWrite - first.msPerWrite) / (last.n - first.n)) * 1000, 4) : 0
  printTable(
    `M6 bulk drain (writes queued offline, then synced until settled; raw = the same rows INSERTed, ${PUSH_BATCH} writes a transaction; goal ratio <= 3 at ${last.n}, ms/write flat)`,
    result.map((r) => ({
      writes: r.n,
      'drain ms': r.drainMs,
      'ms/write': r.msPerWrite,
      'sync rounds': r.rounds,
      'raw ms': r.rawMs,
      'raw ms/write': r.rawMsPerWrite,
      ratio: r.ratio,
    })),
  )
  console.log(`ms per write changes by ${slope} per 1,000 more writes (${first.n} → ${last.n})`)
  return { goal: '<= 3 at 5,000; ms per write flat', slopeMsPerWritePer1000: slope, levels: result }
}
