/**
 * Each user's all-time personal records, per activity and record (sync/SPEC.md W7): what
 * `domain/records.ts` finds over the user's whole history, kept by the server with each write
 * (`sync/server/records.ts`) so that a device holding only part of the history (a storage window,
 * W1) still shows the record. Devices never write it; the server's rows are the truth.
 *
 * `key` names the record among the activity's (`most:<attribute id>`, `oneRepMax`, …); `value` is
 * canonical (kg, m, s, s per m); `entryId` is the entry that set it (no foreign key: when that
 * entry goes, the server recomputes the activity's records).
 *
 * Sync: user scope.
 */
import { doublePrecision, index, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core'
import { activities } from './activities'
import { users } from './auth'
import { instant } from './columns'
import { syncScope } from './sync-scope'

export const activityRecords = pgTable(
  'activity_records',
  {
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    activityId: uuid()
      .notNull()
      .references(() => activities.id, { onDelete: 'cascade' }),
    key: text().notNull(),
    kind: text().notNull(),
    label: text().notNull(),
    type: text().notNull(),
    value: doublePrecision().notNull(),
    entryId: uuid().notNull(),
    performedAt: instant().notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.activityId, t.key] }), index().on(t.activityId), index().on(t.entryId)],
)
syncScope(activityRecords, 'user', activityRecords.userId)
