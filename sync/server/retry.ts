import 'server-only'
import { sqlStateOf } from '@/domain/apply'

/**
 * What PostgreSQL says when it cancelled a transaction only because another ran at the same
 * time: a deadlock (40P01) or a serialization failure (40001). Running it again from the start
 * is correct and almost always succeeds (sync/SPEC.md P7).
 */
const transientStates = new Set(['40P01', '40001'])

export const isTransientConflict = (error: unknown) => transientStates.has(sqlStateOf(error) ?? '')

/** Every attempt failed on a transient conflict: the caller answers "busy, retry" (429), not 500. */
export class StillConflicting extends Error {
  constructor(readonly attempts: number) {
    super(`Other changes to the same data kept getting in the way (${attempts} attempts); nothing was applied. Retrying shortly.`)
  }
}

export type RetryOptions = {
  attempts?: number
  /** Waits between attempts; tests make it instant. */
  sleep?: (ms: number) => Promise<void>
  random?: () => number
}

/**
 * Runs `transaction` (a whole database transaction: nothing of a failed attempt survives) again
 * when it failed on a transient conflict, after a short random pause that grows with each attempt
 * so the transactions that collided do not collide again in step.
 */
export async function retryTransientConflicts<T>(
  transaction: () => Promise<T>,
  { attempts = 6, sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms)), random = Math.random }: RetryOptions = {},
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await transaction()
    } catch (error) {
      if (!isTransientConflict(error)) throw error
      if (attempt >= attempts) throw new StillConflicting(attempts)
      await sleep(Math.min(250, 10 * 2 ** attempt) * (0.5 + random()))
    }
  }
}
