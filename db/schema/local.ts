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
 * - `localEditClaims`: the fields this device's applied edits set, with the value the server
 *   stored, so a later write of another device over one is noticed (sync/SPEC.md B14).
 * - `localReplacedEdits`: those notices, for the page to show until the user dismisses them.
 * - `localUploads`: photo bytes waiting to reach the server, in the order they were attached;
 *   written in the same local transaction as the mutation that attached them (sync/SPEC.md G2).
 * - `localMediaCache`: the photo bytes this device holds in its blob cache, with when each was
 *   last shown, for the cache's budget (G5).
 * - `localMediaSettings`: one row: this device's cache budget.
 */
import { bigint, bigserial, integer, jsonb, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core'
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
  /**
   * The newest undo record (`local_undo.id`) from before this mutation last ran, locally or in a
   * replay: its own records, and every later mutation's, have larger ids (SPEC B16). Null for an
   * entry queued before the column existed.
   */
  undoFrom: bigint({ mode: 'number' }),
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

/**
 * One field an applied edit of this device set (B14): the row (table and key, SQL names), the
 * field's name, and the value the server stored in its columns (null: the row was deleted). A
 * later edit of the same field by this device replaces the claim.
 */
export const localEditClaims = pgTable(
  'local_edit_claims',
  {
    id: bigserial({ mode: 'number' }).primaryKey(),
    tableName: text().notNull(),
    key: jsonb().$type<Record<string, unknown>>().notNull(),
    field: text().notNull(),
    mutationId: bigint({ mode: 'number' }).notNull(),
    /** The row's columns that hold the field. */
    columns: jsonb().$type<string[]>().notNull(),
    /** Those columns as the server stored them; null when the edit left no row. */
    value: jsonb().$type<Record<string, unknown>>(),
    /** Where the field is, in words, as the device knew it ("Squat", the entry's time…). */
    context: jsonb().$type<Record<string, unknown>>().notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('local_edit_claims_field').on(t.tableName, t.key, t.field)],
)
localTable(localEditClaims, { notify: false })

/** A claimed field another device's later write replaced (B14), until the user dismisses it. */
export const localReplacedEdits = pgTable('local_replaced_edits', {
  id: bigserial({ mode: 'number' }).primaryKey(),
  tableName: text().notNull(),
  key: jsonb().$type<Record<string, unknown>>().notNull(),
  field: text().notNull(),
  /** What this device had stored, and what replaced it (null: the row was deleted). */
  mine: jsonb().$type<Record<string, unknown>>(),
  theirs: jsonb().$type<Record<string, unknown>>(),
  context: jsonb().$type<Record<string, unknown>>().notNull(),
  /** The server transaction that replaced it. */
  seq: bigint({ mode: 'number' }).notNull(),
  replacedAt: createdAt(),
})
localTable(localReplacedEdits, { notify: false })

/**
 * One blob (a photo's image or its thumbnail) to upload (G2). `mutationId` is the outbox entry
 * that attached it: the bytes go once the server has applied it (its media row must be there
 * first), and are dropped if it was rejected. `failedAt`/`lastError`: the server refused the bytes
 * for good (a 4xx); the photo shows why. Retries back off as pushes do (`attempts`, `nextAttemptAt`).
 */
export const localUploads = pgTable('local_uploads', {
  id: bigserial({ mode: 'number' }).primaryKey(),
  sha256: text().notNull().unique(),
  mimeType: text().notNull(),
  byteSize: integer().notNull(),
  mutationId: bigint({ mode: 'number' }).notNull(),
  attempts: integer().notNull().default(0),
  nextAttemptAt: instant(),
  lastError: text(),
  failedAt: instant(),
  createdAt: createdAt(),
})
localTable(localUploads, { notify: true })

/** A blob in the device's cache (G5): its size and when a page last showed it. */
export const localMediaCache = pgTable('local_media_cache', {
  sha256: text().primaryKey(),
  byteSize: integer().notNull(),
  storedAt: createdAt(),
  viewedAt: createdAt(),
})
localTable(localMediaCache, { notify: false })

/** This device's media settings: the blob cache's budget in bytes (null: the default, G5). */
export const localMediaSettings = pgTable('local_media_settings', {
  id: integer().primaryKey().default(1),
  budgetBytes: bigint({ mode: 'number' }),
})
localTable(localMediaSettings, { notify: false })
