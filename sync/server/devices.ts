import 'server-only'
import { and, eq, isNull, lt, or, sql } from 'drizzle-orm'
import { devices } from '@/db/schema'
import type { Queryable } from '@/db/types'

export class DeviceOwnershipError extends Error {
  constructor() {
    super('This device id belongs to another account. Sign out on this device, or clear its data, and sync again.')
    this.name = 'DeviceOwnershipError'
  }
}

/**
 * How stale a device's `last_seen_at` (its last successful sync, as the server records it) may
 * be before a successful pull or push writes it again (SPEC P1). A write to `devices` is a change
 * in the user's scope (L1): it takes a seq and wakes every long-poll of the user's devices, each
 * of which then pulls it. Written on every request, a device's long-poll loop would make a change
 * per poll that answers the long-polls of the user's other devices (and, pulled, its own next
 * one) at once, for ever. Ten minutes bounds that to six changes, and six extra pulls per device
 * of the user, an hour, and is precise enough for what the field is for: settings says when each
 * device last synced, to within ten minutes (and says so).
 */
export const LAST_SYNCED_EVERY_MS = 10 * 60 * 1000

/**
 * Registers a device for a user on first use, and refuses another user's device id (SPEC P1).
 * The first request registers it as synced then (one write, the registration itself, rather
 * than a second right after it that would wake every long-poll again); later requests write
 * nothing here: a request is not a sync until it succeeds ({@link noteSynced}).
 */
export async function registerDevice(db: Queryable, userId: string, deviceId: string, name?: string) {
  await db
    .insert(devices)
    .values({ id: deviceId, userId, name: name?.trim() || 'Browser', lastSeenAt: sql`now()` })
    .onConflictDoNothing()
  const [device] = await db.select().from(devices).where(eq(devices.id, deviceId))
  if (!device || device.userId !== userId) throw new DeviceOwnershipError()
  return device
}

/**
 * Notes that the device synced (a pull answered, a push settled) at the server's time, at most
 * once per {@link LAST_SYNCED_EVERY_MS} (SPEC P1). `device` is the row {@link registerDevice}
 * read: judged fresh by this process's clock, nothing is sent at all; else the database judges
 * again in the statement, so requests racing each other write once between them.
 */
export async function noteSynced(db: Queryable, device: { id: string; lastSeenAt: Date | null }) {
  if (device.lastSeenAt && Date.now() - device.lastSeenAt.getTime() < LAST_SYNCED_EVERY_MS) return
  const deviceId = device.id
  const stale = sql`now() - interval ${sql.raw(`'${LAST_SYNCED_EVERY_MS / 1000} seconds'`)}`
  await db
    .update(devices)
    .set({ lastSeenAt: sql`now()` })
    .where(and(eq(devices.id, deviceId), or(isNull(devices.lastSeenAt), lt(devices.lastSeenAt, stale))))
}
