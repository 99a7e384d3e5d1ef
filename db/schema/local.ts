/**
 * Device-only bookkeeping: these tables exist in the browser's PGlite and never on the server.
 *
 * - `localOutbox`: mutations made on this device and not yet settled, in the order they were
 *   made; written in the same local transaction as the mutation's optimistic effects.
 * - `localRejections`: mutations the server refused, with its reason, for the UI to show.
 * - `localSyncState`: one row: this device's id, its synced offset and the filter in force.
 */
import { bigint, integer, jsonb, pgTable, text, uuid } from 'drizzle-orm/pg-core'
import { createdAt, instant } from './columns'

export const localOutbox = pgTable('local_outbox', {
  mutationId: bigint({ mode: 'number' }).primaryKey(),
  name: text().notNull(),
  args: jsonb().notNull(),
  createdAt: createdAt(),
  /** Set once the server's answer is known: the offset to pass before dropping the write. */
  ackedTx: text(),
})

export const localRejections = pgTable('local_rejections', {
  mutationId: bigint({ mode: 'number' }).primaryKey(),
  name: text().notNull(),
  args: jsonb().notNull(),
  errorCode: text().notNull(),
  errorMessage: text().notNull(),
  rejectedAt: createdAt(),
  dismissedAt: instant(),
})

export const localSyncState = pgTable('local_sync_state', {
  id: integer().primaryKey().default(1),
  deviceId: uuid().notNull(),
  userId: uuid().notNull(),
  /** Last server offset fully applied, as "tx:op"; null before the first snapshot. */
  syncedOffset: text(),
  lastSyncedAt: instant(),
  filter: jsonb(),
})
