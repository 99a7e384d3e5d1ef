import 'server-only'
import { sql } from 'drizzle-orm'
import { rows } from '@/db/rows'
import type { Db } from '@/db/types'

/**
 * Run once after the server's database was restored from a backup (SPEC C4): moves the commit
 * numbering, and the horizon with it, past every number the lost history may have handed out.
 * Every device is then behind the horizon (or ahead of nothing it could confuse), so each
 * refetches a snapshot and rebases its pending writes (C2): none keeps rows the restored server
 * no longer has, and none skips the commits made after the restore under numbers it had already
 * passed. Waiting long-polls are woken to learn it at once.
 */
export async function markRestored(db: Db): Promise<{ horizon: number }> {
  return db.transaction(async (tx) => {
    // The numbering restarts at the clock in microseconds: past everything the lost history can
    // have handed out (fewer than one commit a microsecond since its own start), and past an
    // earlier mark, so a second restore of the same backup moves on again.
    const [state] = await rows<{ seq: string }>(
      tx,
      sql`with next as (
             select greatest(seq + 1, floor(extract(epoch from clock_timestamp()) * 1000000)::bigint) as n from sync_state where id = 1
           )
           update sync_state set seq = next.n, horizon_seq = next.n from next where id = 1 returning seq::text as seq`,
    )
    const horizon = Number(state!.seq)
    await tx.execute(sql`select pg_notify('cadence_log', ${String(horizon)})`)
    return { horizon }
  })
}
