import 'server-only'
import { sql, type SQL } from 'drizzle-orm'
import { rows } from '@/db/rows'
import type { Db } from '@/db/types'

export type CollectMediaOptions = {
  /** How long bytes no photo names are kept before they go (SPEC M12; default 7 days). */
  graceMs: number
  now?: Date
  /** Blobs looked at per statement. */
  pageSize?: number
  /** How long the deletion waits to hold off new photos (below); past it, this page waits for the next run. */
  lockTimeoutMs?: number
}

export type CollectMediaResult = {
  /** Blobs found unreferenced for the first time. */
  marked: number
  /** Blobs marked before that a photo names again. */
  cleared: number
  /** Blobs deleted, unreferenced for longer than the grace period, and their bytes. */
  deleted: number
  deletedBytes: number
  /** Pages whose deletion waited past `lockTimeoutMs` for photos being written, left for the next run. */
  deferred: number
}

/** No photo names the blob `b`, as its image or as its thumbnail (one index each). */
const unreferenced = sql`not exists (select 1 from media m where m.sha256 = b.sha256)
  and not exists (select 1 from media m where m.thumb_sha256 = b.sha256)`

/**
 * Collects the bytes no photo names any more (SPEC M12), a page of blobs at a time so that no
 * statement grows with the table: a blob no `media` row names is marked `unreferenced_since`;
 * one a row names again loses its mark; one marked for longer than the grace period is deleted.
 *
 * The deletion re-checks "no photo names it" in its own statement, under a SHARE lock on
 * `media` taken first: a photo attached while it runs waits for it, and one committed before it
 * is seen, so no bytes a photo names are deleted. (Without the lock, a photo committed while the
 * statement ran would not be.) The lock is taken only for a page with something to delete, and
 * given up after `lockTimeoutMs`, so pushes never queue long behind it. An upload of bytes held
 * meanwhile clears their mark under the blob's row lock (media.ts), which this deletion then
 * re-reads and keeps.
 */
export async function collectMedia(
  db: Db,
  { graceMs, now = new Date(), pageSize = 1000, lockTimeoutMs = 2000 }: CollectMediaOptions,
): Promise<CollectMediaResult> {
  const result: CollectMediaResult = { marked: 0, cleared: 0, deleted: 0, deletedBytes: 0, deferred: 0 }
  const at = now.toISOString()
  const cutoff = new Date(now.getTime() - graceMs).toISOString()
  for (let after = ''; ;) {
    // The page: the next `pageSize` hashes after `after`, up to and including `last`.
    const [edge] = await rows<{ last: string | null; more: boolean }>(
      db,
      sql`select max(sha256) as last, count(*) = ${pageSize} as more
            from (select sha256 from media_blobs where sha256 > ${after} order by sha256 limit ${pageSize}) page`,
    )
    const last = edge?.last
    if (!last) return result
    const page = sql`b.sha256 > ${after} and b.sha256 <= ${last}`
    result.cleared += await count(
      db,
      sql`update media_blobs b set unreferenced_since = null
           where ${page} and b.unreferenced_since is not null and not (${unreferenced}) returning 1`,
    )
    result.marked += await count(
      db,
      sql`update media_blobs b set unreferenced_since = ${at}::timestamptz
           where ${page} and b.unreferenced_since is null and ${unreferenced} returning 1`,
    )
    const due = sql`${page} and b.unreferenced_since <= ${cutoff}::timestamptz`
    if (await any(db, sql`select 1 from media_blobs b where ${due} limit 1`)) {
      const gone = await deletePage(db, sql`${due} and ${unreferenced}`, lockTimeoutMs)
      if (gone) {
        result.deleted += gone.deleted
        result.deletedBytes += gone.bytes
      } else result.deferred += 1
    }
    if (!edge.more) return result
    after = last
  }
}

/** Deletes the blobs `where` names under a SHARE lock on `media`; null when the lock was not had in time. */
async function deletePage(db: Db, where: SQL, lockTimeoutMs: number): Promise<{ deleted: number; bytes: number } | null> {
  try {
    return await db.transaction(async (tx) => {
      await tx.execute(sql.raw(`set local lock_timeout = ${Math.max(1, Math.floor(lockTimeoutMs))}`))
      await tx.execute(sql`lock table media in share mode`)
      const [gone] = await rows<{ deleted: number; bytes: string | null }>(
        tx,
        sql`with gone as (delete from media_blobs b where ${where} returning b.byte_size)
            select count(*)::int as deleted, sum(byte_size)::text as bytes from gone`,
      )
      return { deleted: gone?.deleted ?? 0, bytes: Number(gone?.bytes ?? 0) }
    })
  } catch (error) {
    // 55P03 lock_not_available: photos are being written; this page waits for the next run.
    if (codeOf(error) === '55P03') return null
    throw error
  }
}

function codeOf(error: unknown): string | undefined {
  for (let e: unknown = error; e; e = (e as { cause?: unknown }).cause) {
    const code = (e as { code?: unknown }).code
    if (typeof code === 'string') return code
  }
  return undefined
}

async function count(db: Db, query: SQL): Promise<number> {
  return (await rows<unknown>(db, query)).length
}

async function any(db: Db, query: SQL): Promise<boolean> {
  return (await rows<unknown>(db, query)).length > 0
}
