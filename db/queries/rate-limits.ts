import { sql } from 'drizzle-orm'
import { rateLimits } from '../schema'
import type { Queryable } from '../types'
import { newId } from '@/domain/ids'

export type Attempt = { allowed: true } | { allowed: false; retryAfterSeconds: number }

/**
 * Counts one attempt against `key` in a fixed window of `windowMs` that opens with the first
 * attempt, in one statement (concurrent attempts from several server processes all count), and
 * says whether it is within `max`.
 *
 * The row lives in better-auth's `rate_limits` table under a key of its own (better-auth's keys
 * are `<ip>|<path>`). Its `last_request` holds when the window closes, not when it opened:
 * better-auth deletes rows whose `last_request` is older than its own longest window (a minute),
 * which would end a longer window early; a closing time in the future is never older.
 */
export async function countAttempt(db: Queryable, key: string, max: number, windowMs: number, now = Date.now()): Promise<Attempt> {
  const closes = now + windowMs
  const expired = sql`${rateLimits.lastRequest} <= ${now}`
  const [row] = await db
    .insert(rateLimits)
    .values({ id: newId(), key, count: 1, lastRequest: closes })
    .onConflictDoUpdate({
      target: rateLimits.key,
      set: {
        // Capped one past `max`: refused attempts go on counting without ever overflowing.
        count: sql`case when ${expired} then 1 else least(${rateLimits.count} + 1, ${max + 1}) end`,
        lastRequest: sql`case when ${expired} then ${closes} else ${rateLimits.lastRequest} end`,
      },
    })
    .returning({ count: rateLimits.count, closes: rateLimits.lastRequest })
  if (!row || row.count <= max) return { allowed: true }
  return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((row.closes - now) / 1000)) }
}
