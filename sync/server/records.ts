import 'server-only'
import { and, eq, inArray } from 'drizzle-orm'
import { sql } from 'drizzle-orm'
import { activityRecords } from '@/db/schema'
import { activityRecordsOf } from '@/db/queries/records'
import { rows } from '@/db/rows'
import type { Db, Tx } from '@/db/types'
import { asRefusal, type MutationOutcome } from '@/domain/apply'
import { beats } from '@/domain/records'
import { runMutator } from '@/domain/mutators'

/**
 * Keeps the records summary (sync/SPEC.md W7) in step with a push's writes, in the push's own
 * transaction: every (user, activity) whose records this transaction may have changed (read off
 * its change log) has its records computed again over the user's whole history, by the code the
 * progress page runs, and only the rows that differ are written.
 */
export async function refreshRecords(tx: Tx, userId: string, txid: string): Promise<number> {
  // A user's records of an activity are over that user's entries of it and its copies, measured
  // by its attributes. Entries are only ever their own user's: an entry written changes the
  // pusher's records of every activity of its origin the pusher sees. An activity or its
  // attributes written change the records of everyone who sees it; a grant, the member's records
  // of every activity of the library. `whole`: the records must be computed over the whole
  // history (a record's entry changed or gone, the activity's measure changed); otherwise the
  // entries written are candidates, each compared with the records kept.
  const log = sql`(select table_name, key, row from change_log
                    where tx = ${txid}::xid8 and table_name in ('entries', 'entry_values', 'activities', 'attributes', 'library_members'))`
  const written = await rows<{ id: string | null }>(
    tx,
    sql`select distinct (case when table_name = 'entries' then key->>'id' when table_name = 'entry_values' then key->>'entry_id' end) as id
          from ${log} l`,
  )
  // Nothing a record depends on was written (a tag, a setting): nothing to do.
  if (written.length === 0) return 0
  const changed = written.flatMap((c) => (c.id === null ? [] : [c.id]))
  const targets = await rows<{ user_id: string; id: string; whole: boolean }>(
    tx,
    sql`with changed(entry_id) as (
          select value::uuid from jsonb_array_elements_text(${JSON.stringify(changed)}::jsonb)
        ), images(activity_id) as (
          select (row->>'activity_id')::uuid from ${log} l where table_name = 'entries' and row is not null
        ), held(activity_id) as (
          select r.activity_id from activity_records r
           where r.user_id = ${userId}
             and (r.entry_id in (select entry_id from changed) or not exists (select 1 from entries e where e.id = r.entry_id))
        ), touched(activity_id, whole) as (
          select e.activity_id, false from changed c join entries e on e.id = c.entry_id
          union select activity_id, false from images
          union select activity_id, true from held
        ), schema(activity_id) as (
          select (case when l.table_name = 'activities' then l.row->>'id' else l.row->>'activity_id' end)::uuid from ${log} l
           where l.table_name in ('activities', 'attributes') and l.row is not null
        ), pairs(user_id, activity_id, whole) as (
          select ${userId}::uuid, t.id, x.whole from touched x
            join activities a on a.id = x.activity_id
            join activities t on t.origin_id = a.origin_id
           where t.library_id in (select id from libraries where owner_id = ${userId}
                                  union select library_id from library_members where user_id = ${userId})
          union
          select lib.owner_id, a.id, true from schema s join activities a on a.id = s.activity_id join libraries lib on lib.id = a.library_id
          union
          select m.user_id, a.id, true from schema s join activities a on a.id = s.activity_id join library_members m on m.library_id = a.library_id
          union
          select (l.row->>'user_id')::uuid, a.id, true from ${log} l join activities a on a.library_id = (l.row->>'library_id')::uuid
           where l.table_name = 'library_members' and l.row is not null
        )
        -- Only a scalar activity has records of its own (a workout's are its exercises').
        select p.user_id::text as user_id, p.activity_id::text as id, bool_or(p.whole) as whole
          from pairs p join activities t on t.id = p.activity_id and t.kind = 'scalar'
         group by 1, 2`,
  )
  for (const t of targets) await recompute(tx, t.user_id, t.id, t.whole ? undefined : changed)
  return targets.length
}

/**
 * One activity's records for the user, written where they differ from the stored ones: over the
 * whole history, or, with `candidates`, over those entries only, each record kept unless one of
 * them beats it (a tie goes to the earlier). A candidate run falls back to the whole history when
 * nothing is stored yet but the user has other entries of it (a history from before the summary).
 */
async function recompute(tx: Tx, userId: string, activityId: string, candidates?: readonly string[]) {
  const mine = and(eq(activityRecords.userId, userId), eq(activityRecords.activityId, activityId))
  const stored = new Map((await tx.select().from(activityRecords).where(mine)).map((r) => [r.key, r]))
  if (candidates && stored.size === 0 && (await hasOtherEntries(tx, userId, activityId, candidates))) candidates = undefined
  const found = await activityRecordsOf(tx, userId, activityId, candidates ? { entryIds: candidates } : {})
  const wanted = candidates
    ? found.filter((r) => {
        const was = stored.get(r.key)
        return !was || beats(r, was)
      })
    : found
  if (!candidates) {
    const gone = [...stored.keys()].filter((key) => !found.some((r) => r.key === key))
    if (gone.length > 0) await tx.delete(activityRecords).where(and(mine, inArray(activityRecords.key, gone)))
  }
  for (const r of wanted) {
    const was = stored.get(r.key)
    const same =
      was &&
      was.value === r.value &&
      was.entryId === r.entryId &&
      was.performedAt.getTime() === r.performedAt.getTime() &&
      was.label === r.label &&
      was.kind === r.kind &&
      was.type === r.type
    if (same) continue
    const row = { kind: r.kind, label: r.label, type: r.type, value: r.value, entryId: r.entryId, performedAt: r.performedAt }
    await tx
      .insert(activityRecords)
      .values({ userId, activityId, key: r.key, ...row })
      .onConflictDoUpdate({ target: [activityRecords.userId, activityRecords.activityId, activityRecords.key], set: row })
  }
}

/** Whether the user has entries of the activity (or a copy) other than `ids`. */
async function hasOtherEntries(tx: Tx, userId: string, activityId: string, ids: readonly string[]): Promise<boolean> {
  const found = await rows<{ one: number }>(
    tx,
    sql`select 1 as one from entries e join activities a on a.id = e.activity_id
         where e.user_id = ${userId} and a.origin_id = (select origin_id from activities where id = ${activityId})
           and e.id not in (select value::uuid from jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb))
         limit 1`,
  )
  return found.length > 0
}

/**
 * Computes every records summary afresh (W7): each user's, over each activity of the libraries
 * they own or are members of. For a database written before the summary existed
 * (`npm run records:rebuild`), and for tests that write around the push path. One transaction
 * per user.
 */
export async function rebuildRecords(db: Db, { userId }: { userId?: string } = {}): Promise<number> {
  const users = await rows<{ id: string }>(
    db,
    userId === undefined ? sql`select id::text as id from users order by id` : sql`select ${userId}::text as id`,
  )
  let activities = 0
  for (const user of users) {
    activities += await db.transaction(async (tx) => {
      const ids = await rows<{ id: string }>(
        tx,
        sql`select a.id::text as id from activities a
             where a.kind = 'scalar' and a.library_id in (select id from libraries where owner_id = ${user.id}
                                                           union select library_id from library_members where user_id = ${user.id})
             union select activity_id::text from activity_records where user_id = ${user.id}`,
      )
      for (const { id } of ids) await recompute(tx, user.id, id)
      return ids.length
    })
  }
  return activities
}

/**
 * Runs one mutation on the server outside a push, as a push runs it (server time, its records
 * summary kept, W7): for the server's own tests and tools that write as a user.
 */
export async function applyOnServer(db: Db, userId: string, name: string, args: unknown): Promise<MutationOutcome> {
  try {
    await db.transaction(async (tx) => {
      const [at] = await rows<{ now: Date | string; txid: string }>(tx, sql`select now() as now, pg_current_xact_id()::text as txid`)
      await runMutator({ tx, userId, now: new Date(at!.now), runtime: 'server' }, name, args)
      await refreshRecords(tx, userId, at!.txid)
    })
    return { status: 'applied' }
  } catch (error) {
    const refusal = asRefusal(error)
    if (refusal) return { status: 'rejected', ...refusal }
    throw error
  }
}
