import 'server-only'
import { sql } from 'drizzle-orm'
import { rows } from '@/db/rows'
import type { Db } from '@/db/types'

/**
 * How far past every number handed out before a restore the log's numbering moves: more commits
 * than any server makes between a backup and its restore.
 */
export const RESTORE_GAP = 1_000_000_000_000

/**
 * Run once after the server's database was restored from a backup (SPEC C4): moves the commit
 * numbering, and the horizon with it, past every number the lost history may have handed out.
 * Every device is then behind the horizon (or ahead of nothing it could confuse), so each
 * refetches a snapshot and rebases its pending writes (C2): none keeps rows the restored server
 * no longer has, and none skips the commits made after the restore under numbers it had already
 * passed. Waiting long-polls are woken to learn it at once.
 */
export async function markRestored(db: Db, { gap = RESTORE_GAP }: { gap?: number } = {}): Promise<{ horizon: number }> {
  return db.transaction(async (tx) => {
    const [state] = await rows<{ seq: string }>(
      tx,
      sql`update sync_state set seq = seq + ${gap}, horizon_seq = seq + ${gap} where id = 1 returning seq::text as seq`,
    )
    const horizon = Number(state!.seq)
    await tx.execute(sql`select pg_notify('cadence_log', ${String(horizon)})`)
    return { horizon }
  })
}
