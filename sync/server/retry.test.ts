/** A push that collided with another runs again whole; it is never a 500 (sync/SPEC.md P7). */
import { expect, test } from 'vitest'
import { isTransientConflict, retryTransientConflicts, StillConflicting } from './retry'

const sqlError = (code: string) => Object.assign(new Error(`sql ${code}`), { code })
// drizzle wraps the driver's error in `cause`.
const wrapped = (code: string) => Object.assign(new Error('Failed query'), { cause: sqlError(code) })
const instant = { sleep: async () => {}, random: () => 0.5 }

test('[P7] a deadlock or a serialization failure is transient, wrapped or not; other errors are not', () => {
  expect(isTransientConflict(sqlError('40P01'))).toBe(true)
  expect(isTransientConflict(wrapped('40001'))).toBe(true)
  expect(isTransientConflict(sqlError('23505'))).toBe(false)
  expect(isTransientConflict(new Error('boom'))).toBe(false)
})

test('[P7] a transaction that deadlocked runs again from the start, and its result is returned', async () => {
  let runs = 0
  const result = await retryTransientConflicts(async () => {
    runs++
    if (runs < 3) throw wrapped('40P01')
    return 'applied'
  }, instant)
  expect(result).toBe('applied')
  expect(runs).toBe(3)
})

test('[P7] any other error is not retried', async () => {
  let runs = 0
  const failing = retryTransientConflicts(async () => {
    runs++
    throw sqlError('XX000')
  }, instant)
  await expect(failing).rejects.toThrow('sql XX000')
  expect(runs).toBe(1)
})

test('[P7] conflicts on every attempt end in StillConflicting (answered 429), after growing pauses', async () => {
  const pauses: number[] = []
  const failing = retryTransientConflicts(
    async () => {
      throw sqlError('40001')
    },
    { attempts: 4, random: () => 0.5, sleep: async (ms) => void pauses.push(ms) },
  )
  await expect(failing).rejects.toBeInstanceOf(StillConflicting)
  expect(pauses).toHaveLength(3)
  expect(pauses).toEqual([...pauses].sort((a, b) => a - b))
})
