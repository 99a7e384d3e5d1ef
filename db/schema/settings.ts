/**
 * Per-user settings and goals.
 *
 * Sync: user scope.
 */
import { sql } from 'drizzle-orm'
import { boolean, check, doublePrecision, index, integer, jsonb, pgTable, text, uuid, date } from 'drizzle-orm/pg-core'
import { activities, attributes } from './activities'
import { users } from './auth'
import { createdAt, id, instant, updatedAt } from './columns'
import { syncScope } from './sync-scope'

export const massUnits = ['kg', 'lb'] as const
export const distanceUnits = ['km', 'mi'] as const
export type MassUnit = (typeof massUnits)[number]
export type DistanceUnit = (typeof distanceUnits)[number]

/**
 * The bars and plates a user loads, as stored in `user_settings.equipment` (validated by
 * `domain/equipment.ts`, which also holds the defaults a null stands for). Weights are in the
 * unit printed on the bar or plate, so a 45 lb plate stays 45 lb; `pairs` counts pairs (a pair
 * loads one plate on each side of a barbell). The first bar is the default one.
 */
export type StoredEquipment = {
  bars: { name: string; weight: number; unit: MassUnit }[]
  plates: { weight: number; unit: MassUnit; pairs: number }[]
}

export const userSettings = pgTable(
  'user_settings',
  {
    userId: uuid()
      .primaryKey()
      .references(() => users.id, { onDelete: 'cascade' }),
    massUnit: text({ enum: massUnits }).notNull().default('kg'),
    distanceUnit: text({ enum: distanceUnits }).notNull().default('km'),
    weekStartsOn: integer().notNull().default(1),
    /** Days of history a device keeps locally; null keeps everything. */
    storageWindowDays: integer(),
    updatedAt: updatedAt(),
    /** Bars and plates; null is the defaults for the user's mass unit (and any row from before it existed). */
    equipment: jsonb().$type<StoredEquipment>(),
    /** Photos keep their EXIF (the place they were taken among it); null and false strip it. */
    keepPhotoLocation: boolean(),
  },
  (t) => [
    check('user_settings_mass_unit_valid', sql`${t.massUnit} in ('kg', 'lb')`),
    check('user_settings_distance_unit_valid', sql`${t.distanceUnit} in ('km', 'mi')`),
    check('user_settings_week_start_valid', sql`${t.weekStartsOn} between 0 and 6`),
    check('user_settings_storage_window_positive', sql`${t.storageWindowDays} is null or ${t.storageWindowDays} > 0`),
  ],
)
syncScope(userSettings, 'user', userSettings.userId)

export const goals = pgTable(
  'goals',
  {
    id: id(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    activityId: uuid()
      .notNull()
      .references(() => activities.id, { onDelete: 'cascade' }),
    attributeId: uuid()
      .notNull()
      .references(() => attributes.id, { onDelete: 'cascade' }),
    /** Target in the attribute's canonical unit. */
    target: doublePrecision().notNull(),
    dueOn: date({ mode: 'string' }),
    achievedAt: instant(),
    createdAt: createdAt(),
  },
  (t) => [index().on(t.userId)],
)
syncScope(goals, 'user', goals.userId)
