/**
 * What the progress page reads from the device database: the activities it can chart, across
 * every library on the device, and an activity's entries with the workout each belongs to.
 */
import { sql } from 'drizzle-orm'
import type { Queryable } from '../types'
import { rows } from '../rows'
import type { ProgressEntry } from '@/domain/progress'
import { readSetType } from '@/domain/set-types'

/** A chartable activity (an exercise, not a workout) and the library it is in. */
export type ProgressChoice = { id: string; name: string; libraryId: string; libraryName: string }

/**
 * Live exercises of every library on the device (the user's own, their default first, then those
 * shared with them), by library then name.
 */
export async function progressChoices(db: Queryable, userId: string): Promise<ProgressChoice[]> {
  return rows<ProgressChoice>(
    db,
    sql`select a.id, a.name, l.id as "libraryId", l.name as "libraryName"
          from activities a join libraries l on l.id = a.library_id
         where a.kind = 'scalar' and a.deleted_at is null
         order by (l.owner_id = ${userId} and l.is_default) desc, (l.owner_id = ${userId}) desc, l.name, l.id, a.name, a.id`,
  )
}

/**
 * Every entry of `activityId` and of every copy of its origin (qualitatively equal entries), oldest
 * first, with its numeric values keyed by `activityId`'s own attribute ids (matched by ordinal:
 * copies keep ordinals), its set type, and the root entry of the workout it was logged in (null for
 * an entry logged alone). Warm-ups are included, marked: `domain/progress.ts` leaves them out.
 */
export async function progressEntries(db: Queryable, userId: string, activityId: string): Promise<ProgressEntry[]> {
  const found = await rows<{
    entryId: string
    performedAt: string
    setType: string | null
    root: string
    attributeId: string
    num: number
  }>(
    db,
    sql`with recursive own as (
          select e.id, e.parent_id, e.performed_at, e.set_type
            from entries e join activities a on a.id = e.activity_id
           where e.user_id = ${userId}
             and a.origin_id = (select origin_id from activities where id = ${activityId})
        ), up as (
          select o.id as entry_id, o.id as node, o.parent_id from own o
          union all
          select u.entry_id, p.id, p.parent_id from up u join entries p on p.id = u.parent_id
        )
        select o.id as "entryId", o.performed_at as "performedAt", o.set_type as "setType", u.node as root,
               target.id as "attributeId", v.num
          from own o
          join up u on u.entry_id = o.id and u.parent_id is null
          join entry_values v on v.entry_id = o.id and v.num is not null
          join attributes at on at.id = v.attribute_id
          join attributes target on target.activity_id = ${activityId} and target.ordinal = at.ordinal
         order by o.performed_at, o.id`,
  )
  const byEntry = new Map<string, ProgressEntry & { values: Map<string, number> }>()
  for (const row of found) {
    let entry = byEntry.get(row.entryId)
    if (!entry) {
      entry = {
        entryId: row.entryId,
        performedAt: new Date(row.performedAt),
        setType: readSetType(row.setType),
        sessionId: row.root === row.entryId ? null : row.root,
        values: new Map(),
      }
      byEntry.set(row.entryId, entry)
    }
    entry.values.set(row.attributeId, Number(row.num))
  }
  return [...byEntry.values()]
}
