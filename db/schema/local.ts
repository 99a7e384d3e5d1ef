/**
 * Device-only bookkeeping: these tables exist in the browser's PGlite and never on the server.
 *
 * - `localOutbox`: mutations made on this device and not yet settled, in the order they were
 *   made; written in the same local transaction as the mutation's optimistic effects.
 * - `localRejections`: mutations the server refused, with its reason, for the UI to show.
 * - `localSyncState`: one row: this device's id and user, its synced offset, the next mutation
 *   id, the server's retention horizon.
 * - `localWriteTokens`: which local write attempt made which mutation, so a write run again after
 *   the database moved to another tab knows whether its first run committed (sync/SPEC.md B8),
 *   even once that mutation has left the outbox. The last 100 are kept.
 * - `localUndo`: before-images of every synced row a pending mutation touched, recorded by
 *   triggers, so pending writes can be reverted before server changes are applied (sync/SPEC.md
 *   B2).
 */
import { bigint, bigserial, integer, jsonb, pgTable, text, uuid } from 'drizzle-orm/pg-core'
import { createdAt, instant } from './columns'
import { localTable } from './sync-scope'

export const localOutbox = pgTable('local_outbox', {
  mutationId: bigint({ mode: 'number' }).primaryKey(),
  name: text().notNull(),
  args: jsonb().notNull(),
  /** The time the mutation was made; replays run with it, so they do what the first run did. */
  createdAt: createdAt(),
  /** Seq of the server transaction that settled it, once a push answered. */
  settledSeq: bigint({ mode: 'number' }),
  /** Why the last local replay failed, if it did (the server decides; it stays queued). */
  localError: text(),
})
localTable(localOutbox, { notify: true })

export const localRejections = pgTable('local_rejections', {
  mutationId: bigint({ mode: 'number' }).primaryKey(),
  name: text().notNull(),
  args: jsonb().notNull(),
  errorCode: text().notNull(),
  errorMessage: text().notNull(),
  rejectedAt: createdAt(),
  dismissedAt: instant(),
})
localTable(localRejections, { notify: true })

export const localSyncState = pgTable('local_sync_state', {
  id: integer().primaryKey().default(1),
  deviceId: uuid().notNull(),
  userId: uuid().notNull(),
  /** Seq of the last server transaction fully applied; null before the first snapshot. */
  syncedSeq: bigint({ mode: 'number' }),
  nextMutationId: bigint({ mode: 'number' }).notNull().default(1),
  horizon: bigint({ mode: 'number' }).notNull().default(0),
  lastSyncedAt: instant(),
  filter: jsonb(),
})
localTable(localSyncState, { notify: true })

export const localUndo = pgTable('local_undo', {
  id: bigserial({ mode: 'number' }).primaryKey(),
  tableName: text().notNull(),
  key: jsonb().$type<Record<string, unknown>>().notNull(),
  /** The row before the change; null when the change inserted it. */
  before: jsonb().$type<Record<string, unknown>>(),
})
localTable(localUndo, { notify: false })

export const localWriteTokens = pgTable('local_write_tokens', {
  token: uuid().primaryKey(),
  mutationId: bigint({ mode: 'number' }).notNull(),
})
localTable(localWriteTokens, { notify: false })
