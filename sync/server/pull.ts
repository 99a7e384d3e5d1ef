import 'server-only'
import { sql } from 'drizzle-orm'
import { rows } from '@/db/rows'
import type { Db } from '@/db/types'
import type { Change, MustRefetch, PullResponse } from '../protocol'
import { scopeNames, scopesOf } from './scopes'
import { readSyncState } from './state'

type Row = { seq: string; op: number; scope: string; table_name: string; kind: Change['kind']; key: Record<string, unknown>; row: Record<string, unknown> | null }

/**
 * Changes in the device's scopes after `offset`, whole transactions only (SPEC R1-R3), read in
 * one repeatable-read transaction so the head, the scopes and the changes agree (L4): a grant
 * or revocation is either wholly before the read or wholly after it.
 */
export async function pull(db: Db, who: { userId: string; deviceId: string }, { offset, limit }: { offset: number; limit: number }): Promise<PullResponse | MustRefetch> {
  return db.transaction(
    async (tx) => {
      const { head, horizon } = await readSyncState(tx)
      const scopes = await scopesOf(tx, who.userId, who.deviceId)
      if (offset < horizon) {
        return mustRefetch(offset, horizon, `Changes up to ${horizon} have been compacted away.`)
      }
      if (offset > head) {
        return mustRefetch(offset, horizon, `This device is ahead of the server (offset ${offset}, head ${head}); the server's data was restored from an earlier point.`)
      }
      const names = scopeNames(scopes)
      const found = await rows<Row>(
        tx,
        sql`select t.seq::text as seq, l.op, l.scope, l.table_name, l.kind, l.key, l.row
              from change_transactions t join change_log l on l.tx = t.tx
             where t.seq > ${offset} and t.seq <= ${head}
               and l.scope in (${sql.join(names.map((n) => sql`${n}`), sql`, `)})
             order by t.seq, l.op
             limit ${limit + 1}`,
      )
      let changes = found.map(toChange)
      let upTo = head
      if (changes.length > limit) {
        const cut = changes[limit]!.seq
        const first = changes[0]!.seq
        if (cut === first) {
          // One transaction larger than the limit: send it whole, alone.
          const whole = await rows<Row>(
            tx,
            sql`select t.seq::text as seq, l.op, l.scope, l.table_name, l.kind, l.key, l.row
                  from change_transactions t join change_log l on l.tx = t.tx
                 where t.seq = ${first} and l.scope in (${sql.join(names.map((n) => sql`${n}`), sql`, `)})
                 order by l.op`,
          )
          changes = whole.map(toChange)
          upTo = first
        } else {
          changes = changes.filter((c) => c.seq < cut)
          upTo = changes[changes.length - 1]!.seq
        }
      }
      return { type: 'changes', changes, offset: upTo, head, upToDate: upTo === head, horizon }
    },
    { isolationLevel: 'repeatable read', accessMode: 'read only' },
  )
}

function toChange(r: Row): Change {
  return { seq: Number(r.seq), op: r.op, scope: r.scope, table: r.table_name, kind: r.kind, key: r.key, row: r.row }
}

function mustRefetch(offset: number, horizon: number, why: string): MustRefetch {
  return {
    type: 'must-refetch',
    offset,
    horizon,
    message: `${why} Fetch a snapshot, keep your pending writes and rebase them on it, then pull from the snapshot's offset.`,
  }
}
