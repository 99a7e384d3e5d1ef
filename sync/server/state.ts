import 'server-only'
import { sql } from 'drizzle-orm'
import { rows } from '@/db/rows'
import type { Queryable } from '@/db/types'

/** The head (last committed seq) and the retention horizon, from one snapshot. */
export async function readSyncState(db: Queryable): Promise<{ head: number; horizon: number }> {
  const [state] = await rows<{ head: string; horizon: string }>(
    db,
    sql`select seq::text as head, horizon_seq::text as horizon from sync_state where id = 1`,
  )
  return { head: Number(state?.head ?? 0), horizon: Number(state?.horizon ?? 0) }
}
