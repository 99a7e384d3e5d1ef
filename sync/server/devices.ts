import 'server-only'
import { eq } from 'drizzle-orm'
import { devices } from '@/db/schema'
import type { Queryable } from '@/db/types'

export class DeviceOwnershipError extends Error {
  constructor() {
    super('This device id belongs to another account. Sign out on this device, or clear its data, and sync again.')
    this.name = 'DeviceOwnershipError'
  }
}

/** Registers a device for a user on first use, and refuses another user's device id (SPEC P1). */
export async function registerDevice(db: Queryable, userId: string, deviceId: string, name?: string) {
  await db
    .insert(devices)
    .values({ id: deviceId, userId, name: name?.trim() || 'Browser' })
    .onConflictDoNothing()
  const [device] = await db.select().from(devices).where(eq(devices.id, deviceId))
  if (!device || device.userId !== userId) throw new DeviceOwnershipError()
  return device
}
