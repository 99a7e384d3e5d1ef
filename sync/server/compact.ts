import 'server-only'
import { sql } from 'drizzle-orm'
import { rows } from '@/db/rows'
import type { Db } from '@/db/types'

export type CompactOptions = {
  /** Keep changes committed within this many days. */
  keepDays?: number
  /** Keep at least the last this-many transactions. */
  keepTransactions?: number
  now?: Date
}

/**
 * Drops the changes of old transactions and raises the retention horizon (SPEC C1). A device
 * whose offset falls below it is told to refetch (C2). Returns the new horizon and what went.
 */
export async function compact(db: Db, { keepDays = 30, keepTransactions = 0, now = new Date() }: CompactOptions = {}) {
  return db.transaction(async (tx) => {
    // A first compaction of a long log deletes millions of rows in one statement: it is bounded by
    // the rows it may remove, not by the server's per-statement limit (SPEC A9), which would cut
    // it off and leave the log growing. (PGlite has no such limit; the setting is harmless there.)
    await tx.execute(sql`set local statement_timeout = 0`)
    const cutoff = new Date(now.getTime() - keepDays * 86_400_000)
    const [state] = await rows<{ seq: string; horizon: string }>(
      tx,
      sql`select seq::text as seq, horizon_seq::text as horizon from sync_state where id = 1 for update`,
    )
    const head = Number(state?.seq ?? 0)
    const current = Number(state?.horizon ?? 0)
    const [byTime] = await rows<{ seq: string | null }>(
      tx,
      sql`select max(seq)::text as seq from change_transactions where committed_at < ${cutoff.toISOString()}::timestamptz`,
    )
    const target = Math.min(Number(byTime?.seq ?? 0), Math.max(0, head - keepTransactions))
    if (target <= current) return { horizon: current, removedTransactions: 0, removedChanges: 0 }
    const [removed] = await rows<{ changes: string; transactions: string }>(
      tx,
      sql`with gone as (delete from change_transactions where seq <= ${target} returning tx),
               logged as (delete from change_log where tx in (select tx from gone) returning 1)
          select (select count(*) from logged)::text as changes, (select count(*) from gone)::text as transactions`,
    )
    await tx.execute(sql`update sync_state set horizon_seq = ${target}, compacted_at = now() where id = 1`)
    return { horizon: target, removedTransactions: Number(removed?.transactions ?? 0), removedChanges: Number(removed?.changes ?? 0) }
  })
}
