import 'server-only'
import { and, eq, sql } from 'drizzle-orm'
import { changeTransactions, devices, mutationResults } from '@/db/schema'
import { rows } from '@/db/rows'
import type { Db, Queryable, Tx } from '@/db/types'
import { asRefusal } from '@/domain/apply'
import { runMutator } from '@/domain/mutators'
import type { MutationErrorCode } from '@/domain/errors'
import type { MutationResult, PushRequest, PushResponse } from '../protocol'
import { readSyncState } from './state'

/**
 * Applies a device's run of mutations in order, in one transaction, each under its own savepoint
 * with its result (SPEC P2-P4). The device must already be registered to `userId`.
 */
export async function push(db: Db, userId: string, request: PushRequest): Promise<PushResponse> {
  const { results, expected, txid } = await db.transaction(async (tx) => {
    // The device row lock orders concurrent pushes of one device.
    const [device] = await tx.select({ last: devices.lastMutationId }).from(devices).where(eq(devices.id, request.deviceId)).for('update')
    const first = device?.last ?? 0
    let last = first
    const [{ now, txid }] = (await rows<{ now: string | Date; txid: string }>(
      tx,
      sql`select now() as now, pg_current_xact_id()::text as txid`,
    )) as [{ now: string | Date; txid: string }]
    const results: MutationResult[] = []
    let expected: number | undefined
    for (const mutation of request.mutations) {
      if (mutation.id <= last) {
        results.push(await recordedResult(tx, request.deviceId, mutation.id, txid))
        continue
      }
      if (mutation.id > last + 1) {
        expected = last + 1
        break
      }
      results.push(await apply(tx, userId, request.deviceId, mutation, new Date(now)))
      last = mutation.id
    }
    if (last > first) await tx.update(devices).set({ lastMutationId: last }).where(eq(devices.id, request.deviceId))
    return { results, expected, txid }
  })
  // Applied in this transaction: its seq exists only now that it has committed (SPEC L3).
  if (results.some((r) => r.status === 'applied' && r.seq === PENDING_SEQ)) {
    const seq = await seqOf(db, txid)
    for (const r of results) if (r.status === 'applied' && r.seq === PENDING_SEQ) r.seq = seq
  }
  const { horizon } = await readSyncState(db)
  return expected === undefined ? { type: 'pushed', results, horizon } : { type: 'gap', results, expected, horizon }
}

/** Stands for the seq of the pushing transaction until it has committed. */
const PENDING_SEQ = -1

/** Runs one mutation under a savepoint and records its result; a refusal undoes its effects only. */
async function apply(
  tx: Tx,
  userId: string,
  deviceId: string,
  mutation: PushRequest['mutations'][number],
  now: Date,
): Promise<MutationResult> {
  let refusal: { code: MutationErrorCode; message: string } | undefined
  try {
    await tx.transaction((sp) => runMutator({ tx: sp, userId, now, runtime: 'server' }, mutation.name, mutation.args))
  } catch (error) {
    refusal = asRefusal(error)
    if (!refusal) throw error
  }
  await tx.insert(mutationResults).values({
    deviceId,
    mutationId: mutation.id,
    name: mutation.name,
    status: refusal ? 'rejected' : 'applied',
    errorCode: refusal?.code ?? null,
    errorMessage: refusal?.message ?? null,
  })
  return refusal ? { id: mutation.id, status: 'rejected', ...refusal } : { id: mutation.id, status: 'applied', seq: PENDING_SEQ }
}

async function seqOf(db: Queryable, txid: string): Promise<number> {
  const [row] = await rows<{ seq: string }>(db, sql`select seq::text as seq from ${changeTransactions} where tx = ${txid}::xid8`)
  return Number(row?.seq ?? 0)
}

/**
 * The result recorded for a mutation settled earlier (a duplicate push); one settled earlier in
 * this same push (a run that repeats an id) waits for this transaction's seq.
 */
async function recordedResult(db: Queryable, deviceId: string, mutationId: number, currentTxid: string): Promise<MutationResult> {
  const [row] = await db
    .select({
      status: mutationResults.status,
      code: mutationResults.errorCode,
      message: mutationResults.errorMessage,
      tx: mutationResults.tx,
    })
    .from(mutationResults)
    .where(and(eq(mutationResults.deviceId, deviceId), eq(mutationResults.mutationId, mutationId)))
  if (!row) {
    // Settled before results were kept: it was applied or rejected; the device's stream says which.
    return { id: mutationId, status: 'applied', seq: 0 }
  }
  if (row.status === 'rejected') {
    return { id: mutationId, status: 'rejected', code: (row.code ?? 'conflict') as MutationErrorCode, message: row.message ?? '' }
  }
  return { id: mutationId, status: 'applied', seq: row.tx === currentTxid ? PENDING_SEQ : await seqOf(db, row.tx) }
}
