import { and, eq } from 'drizzle-orm'
import { z } from 'zod'
import { devices } from '@/db/schema'
import { MutationError } from '../errors'
import { defineMutator, idSchema } from './define'

/** The fewest and most months, and rows, a storage window may keep (sync/SPEC.md W1). */
export const WINDOW_MONTHS_MAX = 1200
export const WINDOW_ROWS_MIN = 100
export const WINDOW_ROWS_MAX = 100_000_000

/**
 * How much history one device keeps (W1): everything, the last `months` months, or about `rows`
 * rows of history (the server turns a budget into a date cut from its counts per month).
 */
export const windowSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('all') }).strict(),
  z
    .object({
      kind: z.literal('months'),
      months: z.number().int().min(1, 'must be at least 1 month').max(WINDOW_MONTHS_MAX, `must be at most ${WINDOW_MONTHS_MAX} months`),
    })
    .strict(),
  z
    .object({
      kind: z.literal('rows'),
      rows: z
        .number()
        .int()
        .min(WINDOW_ROWS_MIN, `must be at least ${WINDOW_ROWS_MIN} rows`)
        .max(WINDOW_ROWS_MAX, `must be at most ${WINDOW_ROWS_MAX} rows`),
    })
    .strict(),
])
export type WindowSetting = z.infer<typeof windowSchema>

/** A device row's window setting. */
export function windowOfRow(row: { windowMonths: number | null; windowRows: number | null }): WindowSetting {
  if (row.windowMonths !== null) return { kind: 'months', months: row.windowMonths }
  if (row.windowRows !== null) return { kind: 'rows', rows: row.windowRows }
  return { kind: 'all' }
}

/**
 * Sets the history one of the user's devices keeps (SPEC W1, W3). Any of the user's devices may
 * set any of them (Settings lists them all); another user's device is not found.
 */
export const setDeviceWindow = defineMutator(
  'setDeviceWindow',
  z.object({ deviceId: idSchema, window: windowSchema }).strict(),
  async (ctx, { deviceId, window }) => {
    const set = {
      windowMonths: window.kind === 'months' ? window.months : null,
      windowRows: window.kind === 'rows' ? window.rows : null,
    }
    const updated = await ctx.tx
      .update(devices)
      .set(set)
      .where(and(eq(devices.id, deviceId), eq(devices.userId, ctx.userId)))
      .returning({ id: devices.id })
    if (updated.length === 0) throw new MutationError('not_found', 'That device is not one of yours.')
  },
)
