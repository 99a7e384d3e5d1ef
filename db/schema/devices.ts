/**
 * Devices: one row per installed client (a browser profile). The sync protocol numbers each
 * device's mutations; `lastMutationId` is the highest one the server has settled, so a push is
 * idempotent on (device id, mutation id) and a gap can be refused with the id expected next.
 *
 * Sync: user scope (the settings page lists a user's devices).
 */
import { bigint, check, index, pgTable, text, uuid } from 'drizzle-orm/pg-core'
import { sql } from 'drizzle-orm'
import { users } from './auth'
import { createdAt, id, instant } from './columns'
import { syncScope } from './sync-scope'

export const devices = pgTable(
  'devices',
  {
    id: id(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    name: text().notNull(),
    userAgent: text(),
    lastMutationId: bigint({ mode: 'number' }).notNull().default(0),
    lastSeenAt: instant(),
    createdAt: createdAt(),
  },
  (t) => [index().on(t.userId), check('devices_last_mutation_id_nonnegative', sql`${t.lastMutationId} >= 0`)],
)
syncScope(devices, 'user', devices.userId)
