/**
 * Entries: logged instances of activities, and their values and tags.
 *
 * A scalar entry holds values keyed by attribute id. A sequence entry is a tree through
 * `parentId` (workout → exercises → sets); deleting a parent deletes its subtree. An entry only
 * ever points at an activity in a library its user owns (duplicate-on-add makes sure of that;
 * the mutations check it).
 *
 * Sync: user scope (a user's own log). Child tables carry `userId` so a row's scope is read off
 * the row itself.
 */
import { sql } from 'drizzle-orm'
import {
  boolean,
  check,
  doublePrecision,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  unique,
  uuid,
  type AnyPgColumn,
} from 'drizzle-orm/pg-core'
import { activities, attributes, attributeOptions } from './activities'
import { users } from './auth'
import { createdAt, id, instant, updatedAt } from './columns'
import { imports } from './imports'
import { syncScope } from './sync-scope'

/**
 * The kinds of set other than a normal one, as stored in `entries.set_type`. A normal set stores
 * null, and that is the only way it is stored: every entry logged before set types existed is
 * normal, and so is a row image captured before the column existed (the change log and a
 * device's undo log keep such images, and the device applies them with
 * `jsonb_populate_record`, which fills a missing key with null, not with the column's default;
 * a `not null default 'normal'` column would refuse them). Append-only: a kind is never
 * removed or renamed, only added.
 */
export const markedSetTypes = ['warmup', 'drop', 'failure'] as const
export type MarkedSetType = (typeof markedSetTypes)[number]

export const entries = pgTable(
  'entries',
  {
    id: id(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    activityId: uuid()
      .notNull()
      .references(() => activities.id, { onDelete: 'restrict' }),
    parentId: uuid().references((): AnyPgColumn => entries.id, { onDelete: 'cascade' }),
    /** Position among siblings in a sequence entry; 0 for a root. */
    ordinal: integer().notNull().default(0),
    templateVersion: integer().notNull().default(1),
    performedAt: instant().notNull(),
    notes: text().notNull().default(''),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    /** A set's kind (warm-up, drop set, to failure); null is a normal set. See {@link markedSetTypes}. */
    setType: text({ enum: markedSetTypes }),
    /** The import that wrote this entry (null for one logged in Cadence). See `imports.ts`. */
    importId: uuid().references(() => imports.id, { onDelete: 'cascade' }),
    /** The row of the import's file this entry came from (a workout's or exercise's first row). */
    importRow: integer(),
    /** On a workout's root entry: the workout's key in the file, so a re-import skips it. */
    importKey: text(),
  },
  (t) => [
    index().on(t.userId, t.performedAt),
    index().on(t.activityId, t.performedAt),
    index().on(t.parentId, t.ordinal),
    index().on(t.importId),
    index()
      .on(t.userId, t.importKey)
      .where(sql`${t.importKey} is not null`),
    check('entries_not_own_parent', sql`${t.parentId} is null or ${t.parentId} <> ${t.id}`),
    check('entries_ordinal_nonnegative', sql`${t.ordinal} >= 0`),
    check('entries_import_row_positive', sql`${t.importRow} is null or ${t.importRow} >= 1`),
    check('entries_set_type_valid', sql`${t.setType} is null or ${t.setType} in ('warmup', 'drop', 'failure')`),
  ],
)
syncScope(entries, 'user', entries.userId, { window: entries.id })

/**
 * One value of one attribute in one entry, in canonical units. Exactly one of the value
 * columns is set, matching the attribute's type.
 */
export const entryValues = pgTable(
  'entry_values',
  {
    entryId: uuid()
      .notNull()
      .references(() => entries.id, { onDelete: 'cascade' }),
    attributeId: uuid()
      .notNull()
      .references(() => attributes.id, { onDelete: 'restrict' }),
    /** Denormalised from the entry: the row's sync scope. */
    userId: uuid().notNull(),
    num: doublePrecision(),
    text: text(),
    bool: boolean(),
    optionId: uuid().references(() => attributeOptions.id, { onDelete: 'restrict' }),
  },
  (t) => [
    primaryKey({ columns: [t.entryId, t.attributeId] }),
    index().on(t.attributeId),
    index().on(t.userId),
    check('entry_values_exactly_one_value', sql`num_nonnulls(${t.num}, ${t.text}, ${t.bool}, ${t.optionId}) = 1`),
  ],
)
syncScope(entryValues, 'user', entryValues.userId, { window: entryValues.entryId })

export const tags = pgTable(
  'tags',
  {
    id: id(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    name: text().notNull(),
    color: text(),
    createdAt: createdAt(),
  },
  (t) => [unique('tags_user_name_unique').on(t.userId, t.name), check('tags_name_not_blank', sql`length(trim(${t.name})) > 0`)],
)
syncScope(tags, 'user', tags.userId)

export const entryTags = pgTable(
  'entry_tags',
  {
    entryId: uuid()
      .notNull()
      .references(() => entries.id, { onDelete: 'cascade' }),
    tagId: uuid()
      .notNull()
      .references(() => tags.id, { onDelete: 'cascade' }),
    userId: uuid().notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.entryId, t.tagId] }), index().on(t.tagId), index().on(t.userId)],
)
syncScope(entryTags, 'user', entryTags.userId, { window: entryTags.entryId })
