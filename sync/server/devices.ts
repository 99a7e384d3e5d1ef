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
 * How stale a device's `last_seen_at` may be before a request writes it again (SPEC P1). A write
 * to `devices` is a change in the user's scope (L1): it takes a seq and wakes every long-poll of
 * the user's devices, each of which then pulls it. Written on every request, or every minute, a
 * device's long-poll loop would make a change per poll that answers the long-polls of the user's
 * other devices (and, pulled, its own next one) at once, for ever. An hour bounds that to one
 * change and one extra pull per device of the user per hour, and is precise enough for what the
 * field is for: telling which devices are still in use.
 */
export const LAST_SEEN_EVERY_MS = 60 * 60 * 1000

/**
 * Registers a device for a user on first use, and refuses another user's device id (SPEC P1).
 * Notes when the device was last seen, at most once per {@link LAST_SEEN_EVERY_MS}.
 */
export async function registerDevice(db: Queryable, userId: string, deviceId: string, name?: string) {
  await db
    .insert(devices)
    .values({ id: deviceId, userId, name: name?.trim() || 'Browser', lastSeenAt: sql`now()` })
    .onConflictDoNothing()
  const [device] = await db.select().from(devices).where(eq(devices.id, deviceId))
  if (!device || device.userId !== userId) throw new DeviceOwnershipError()
  // Judged by this process's clock, then again by the database's in the statement, so that
  // requests racing past the first check write once between them.
  if (!device.lastSeenAt || Date.now() - device.lastSeenAt.getTime() >= LAST_SEEN_EVERY_MS) {
    const stale = sql`now() - interval ${sql.raw(`'${LAST_SEEN_EVERY_MS / 1000} seconds'`)}`
    await db
      .update(devices)
      .set({ lastSeenAt: sql`now()` })
      .where(and(eq(devices.id, deviceId), or(isNull(devices.lastSeenAt), lt(devices.lastSeenAt, stale))))
  }
  return device
}
