/**
 * What the history page reads from the device database: the entries with every activity they
 * use and the user's units (grouped into workouts by `app/(app)/history/_components/group.ts`),
 * and the days of a month with training for the calendar.
 */
import { and, eq, gte, isNull, lt } from 'drizzle-orm'
import { activities, entries } from '../schema'
import type { Queryable } from '../types'
import { activityInfos, displayUnits, history } from './local'

/**
 * The user's latest root entries with their trees (see {@link history}), in [`from`, `to`) when
 * given, with the activities of every entry and the user's display units.
 */
export async function historyWithActivities(db: Queryable, userId: string, options: { limit?: number; from?: Date; to?: Date } = {}) {
  const [h, units] = await Promise.all([history(db, userId, options), displayUnits(db, userId)])
  const ids = new Set([...h.roots, ...[...h.children.values()].flat()].map((e) => e.activityId))
  const found = await activityInfos(db, [...ids])
  return { ...h, units, activities: found }
}

/**
 * The user's root entries performed in [`from`, `to`), oldest first: when, and whether it is a
 * workout (a sequence entry) rather than a set logged on its own. The calendar counts a day's
 * workouts from them.
 */
export async function trainingDays(db: Queryable, userId: string, from: Date, to: Date) {
  const found = await db
    .select({ performedAt: entries.performedAt, kind: activities.kind })
    .from(entries)
    .innerJoin(activities, eq(activities.id, entries.activityId))
    .where(and(eq(entries.userId, userId), isNull(entries.parentId), gte(entries.performedAt, from), lt(entries.performedAt, to)))
    .orderBy(entries.performedAt)
  return found.map((r) => ({ performedAt: new Date(r.performedAt), isWorkout: r.kind === 'sequence' }))
}
