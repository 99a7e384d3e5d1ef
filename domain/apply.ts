/**
 * Runs one mutation in its own transaction and reports its fate. Both runtimes use this: the
 * device with its clock, the server with the database's. A refusal (a {@link MutationError}, or
 * a constraint the database enforces) rolls everything back and comes back as `rejected`; any
 * other failure (a lost connection) is thrown, because it says nothing about the mutation.
 */
import { sql } from 'drizzle-orm'
import { rows } from '@/db/rows'
import type { Db } from '@/db/types'
import { MutationError, type MutationErrorCode } from './errors'
import { runMutator } from './mutators'
import type { MutationContext } from './mutators/define'

export type MutationOutcome = { status: 'applied' } | { status: 'rejected'; code: MutationErrorCode; message: string }

export type ApplyOptions = {
  userId: string
  name: string
  args: unknown
  runtime: MutationContext['runtime']
  /** Time to stamp; the server passes none and uses the transaction's start time. */
  now?: Date
}

export async function applyMutation(db: Db, options: ApplyOptions): Promise<MutationOutcome> {
  try {
    await db.transaction(async (tx) => {
      const now = options.now ?? (await rows<{ now: Date | string }>(tx, sql`select now() as now`)).map((r) => new Date(r.now))[0]!
      await runMutator({ tx, userId: options.userId, now, runtime: options.runtime }, options.name, options.args)
    })
    return { status: 'applied' }
  } catch (error) {
    const refusal = asRefusal(error)
    if (refusal) return { status: 'rejected', ...refusal }
    throw error
  }
}

/** The refusal an error stands for, or undefined when it is not the mutation's fault. */
export function asRefusal(error: unknown): { code: MutationErrorCode; message: string } | undefined {
  if (error instanceof MutationError) return { code: error.code, message: error.message }
  const cause = findSqlError(error)
  if (!cause) return undefined
  if (cause.constraint?.endsWith('_append_only')) return { code: 'append_only', message: cause.message }
  // An id already taken says nothing of whose row has it, nor that one exists (SPEC A5): the
  // answer is the same as for an id the caller may not use.
  if (cause.code === '23505' && cause.constraint?.endsWith('_pkey')) return { code: 'conflict', message: takenIdMessage }
  if (cause.code === '23505') return { code: 'conflict', message: `Already exists: ${cause.detail ?? cause.message}` }
  if (cause.code.startsWith('23')) return { code: 'conflict', message: cause.message }
  // Class 22 (data exception): a value the database cannot take, e.g. a number out of range.
  if (cause.code.startsWith('22')) return { code: 'invalid_args', message: `A value cannot be stored: ${cause.message}` }
  return undefined
}

export const takenIdMessage = 'That id cannot be used for a new row: make a new one.'

type SqlError = { code: string; message: string; detail?: string; constraint?: string }

/** The SQLSTATE of a database error (wrapped by drizzle or not), if it is one. */
export const sqlStateOf = (error: unknown): string | undefined => findSqlError(error)?.code

/** Drivers report SQLSTATE as `code`; drizzle wraps the driver's error in `cause`. */
function findSqlError(error: unknown): SqlError | undefined {
  for (let e = error, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const candidate = e as { code?: unknown; message?: unknown; detail?: unknown; constraint?: unknown; constraint_name?: unknown }
    if (typeof candidate.code === 'string' && /^[0-9A-Z]{5}$/.test(candidate.code)) {
      return {
        code: candidate.code,
        message: String(candidate.message ?? ''),
        detail: typeof candidate.detail === 'string' ? candidate.detail : undefined,
        constraint: String(candidate.constraint ?? candidate.constraint_name ?? '') || undefined,
      }
    }
  }
  return undefined
}
