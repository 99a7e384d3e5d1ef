/**
 * Devices: one row per installed client (a browser profile). The sync protocol numbers each
 * device's mutations; `lastMutationId` is the highest one the server has settled, so a push is
 * idempotent on (device id, mutation id) and a gap can be refused with the id expected next.
 *
 * `windowMonths` / `windowRows`: the history this device keeps (sync/SPEC.md W1): at most one is
 * set; neither is everything. The server applies it to what it sends the device.
 *
 * Sync: user scope (the settings page lists a user's devices).
 */
import { bigint, check, index, integer, pgTable, text, uuid } from 'drizzle-orm/pg-core'
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
    /** Keep the last this many months of history (W1); null with `windowRows` null: everything. */
    windowMonths: integer(),
    /** Keep about this many rows of history (W1), turned into a date cut by the server. */
    windowRows: integer(),
  },
  (t) => [
    index().on(t.userId),
    check('devices_last_mutation_id_nonnegative', sql`${t.lastMutationId} >= 0`),
    check('devices_window_one_kind', sql`${t.windowMonths} is null or ${t.windowRows} is null`),
    check('devices_window_months_range', sql`${t.windowMonths} is null or ${t.windowMonths} between 1 and 1200`),
    check('devices_window_rows_range', sql`${t.windowRows} is null or ${t.windowRows} between 100 and 100000000`),
  ],
)
syncScope(devices, 'user', devices.userId)
