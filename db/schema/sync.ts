/**
 * Server-side sync bookkeeping. None of these tables reaches a device as rows; devices learn
 * their content through the protocol (changes, acks, the retention horizon).
 *
 * - `changeLog`: every change the server applies, appended in the same transaction by triggers,
 *   addressed by (tx, op): `tx` is the writing transaction's id, `op` the change's position in it.
 * - `mutationResults`: the fate of each pushed mutation, written in the mutation's transaction.
 * - `changeTransactions` and `syncState`: commit order and the retention horizon.
 */
import { sql } from 'drizzle-orm'
import { bigint, check, customType, index, integer, jsonb, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core'
import { createdAt, instant } from './columns'
import { devices } from './devices'
import { syncScope } from './sync-scope'

/** PostgreSQL `xid8`, a 64-bit transaction id that never wraps; read as a decimal string. */
export const xid8 = customType<{ data: string; driverData: string }>({
  dataType: () => 'xid8',
})

export const changeOps = ['insert', 'update', 'delete', 'scope_added', 'scope_removed'] as const
export type ChangeOp = (typeof changeOps)[number]

export const changeLog = pgTable(
  'change_log',
  {
    tx: xid8()
      .notNull()
      .default(sql`pg_current_xact_id()`),
    op: integer().notNull(),
    /** Permission scope the change belongs to: `user:<id>`, `library:<id>` or `device:<id>`. */
    scope: text().notNull(),
    tableName: text().notNull(),
    kind: text({ enum: changeOps }).notNull(),
    /** Primary key of the row, as a JSON object. */
    key: jsonb().$type<Record<string, unknown>>().notNull(),
    /** The row after the change (null for deletes). */
    row: jsonb().$type<Record<string, unknown>>(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.tx, t.op] }), index().on(t.scope, t.tx, t.op), check('change_log_op_nonnegative', sql`${t.op} >= 0`)],
)

export const mutationStatuses = ['applied', 'rejected'] as const

export const mutationResults = pgTable(
  'mutation_results',
  {
    deviceId: uuid()
      .notNull()
      .references(() => devices.id, { onDelete: 'cascade' }),
    mutationId: bigint({ mode: 'number' }).notNull(),
    name: text().notNull(),
    status: text({ enum: mutationStatuses }).notNull(),
    /** Log offset of the mutation's effects (applied) or of its reject record. */
    tx: xid8()
      .notNull()
      .default(sql`pg_current_xact_id()`),
    errorCode: text(),
    errorMessage: text(),
    /**
     * Digest of the mutation's name and arguments (`mutationDigest`, sync/protocol.ts): a
     * duplicate push gets this result back only when it is the same mutation (SPEC P2). Null on
     * rows recorded before digests were kept, which a duplicate is trusted against as before.
     */
    argsDigest: text(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.deviceId, t.mutationId] }),
    check('mutation_results_status_valid', sql`${t.status} in ('applied', 'rejected')`),
    check(
      'mutation_results_reject_has_reason',
      sql`${t.status} = 'applied' or (${t.errorCode} is not null and ${t.errorMessage} is not null)`,
    ),
  ],
)
syncScope(mutationResults, 'device', mutationResults.deviceId)

/**
 * Commit order. Each transaction that wrote to the change log takes the next `seq` at commit
 * time (a deferred trigger updates `syncState.seq`, whose row lock is held until the commit
 * ends), so `seq` order is commit order. sync/SPEC.md L1-L3 explain why `tx` alone is not enough.
 */
export const changeTransactions = pgTable('change_transactions', {
  tx: xid8().primaryKey(),
  seq: bigint({ mode: 'number' }).notNull().unique(),
  committedAt: instant().notNull().defaultNow(),
})

/**
 * One row: the last commit sequence number handed out, and the retention horizon (changes with
 * `seq <= horizonSeq` have been compacted away; a device behind it must refetch).
 */
export const syncState = pgTable(
  'sync_state',
  {
    id: integer().primaryKey().default(1),
    seq: bigint({ mode: 'number' }).notNull().default(0),
    horizonSeq: bigint({ mode: 'number' }).notNull().default(0),
    compactedAt: instant(),
  },
  (t) => [check('sync_state_single_row', sql`${t.id} = 1`), check('sync_state_horizon_behind_head', sql`${t.horizonSeq} <= ${t.seq}`)],
)
