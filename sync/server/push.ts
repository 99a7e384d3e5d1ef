import 'server-only'
import { and, eq, sql } from 'drizzle-orm'
import { changeTransactions, devices, mutationResults } from '@/db/schema'
import { insertRows, rows } from '@/db/rows'
import type { Db, Queryable, Tx } from '@/db/types'
import { asRefusal } from '@/domain/apply'
import { runMutator } from '@/domain/mutators'
import type { MutationErrorCode } from '@/domain/errors'
import { mutationDigest, tooLargeMessage, type Mutation, type MutationResult, type PushRequest, type PushResponse } from '../protocol'
import { refreshRecords } from './records'
import { readSyncState } from './state'

/** Protocol versions whose devices understand a `reregister` answer (SPEC B15). */
const REREGISTER_FROM_VERSION = 2

/**
 * Applies a device's run of mutations in order, in one transaction, each under its own savepoint
 * with its result (SPEC P2-P4). The device must already be registered to `userId`.
 */
export async function push(db: Db, userId: string, request: PushRequest): Promise<PushResponse> {
  // Which mutation each is, to tell a duplicate from another mutation sent under a settled id.
  const digests = await Promise.all(request.mutations.map((m) => m.withheld?.digest ?? mutationDigest(m.name, m.args)))
  const { results, expected, diverged, txid } = await db.transaction(async (tx) => {
    // The device row lock orders concurrent pushes of one device.
    const [device] = await tx.select({ last: devices.lastMutationId }).from(devices).where(eq(devices.id, request.deviceId)).for('update')
    const first = device?.last ?? 0
    // A device id the server has settled nothing for starts where the device's outbox starts:
    // a device that registered anew (B15) keeps its numbering. Not where this push starts: the
    // entries before it may have been answered by a server since restored from a backup, which
    // forgot them; a gap then asks for them again (P2). An older device (no `outboxStart`) is
    // started at its push's first id.
    const firstSent = request.mutations[0]?.id ?? 1
    let last = first === 0 ? Math.min(request.outboxStart ?? firstSent, firstSent) - 1 : first
    const [{ now, txid }] = (await rows<{ now: string | Date; txid: string }>(
      tx,
      sql`select now() as now, pg_current_xact_id()::text as txid`,
    )) as [{ now: string | Date; txid: string }]
    const results: MutationResult[] = []
    // This push's result rows, written together after the run (one statement, not one each).
    const recorded = new Map<number, ResultRow>()
    let expected: number | undefined
    let diverged: number | undefined
    for (const [i, mutation] of request.mutations.entries()) {
      const digest = digests[i]!
      if (mutation.id <= last) {
        const earlier = recorded.get(mutation.id)
        const settled = earlier
          ? resultOf(earlier, digest, PENDING_SEQ)
          : await recordedResult(tx, request.deviceId, mutation.id, digest, txid)
        // Another mutation under a settled id: the device's numbering went back (its storage was
        // restored). Its recorded result is not this one's; a device of v1 has no other answer.
        if (settled.digest === 'other' && request.protocolVersion >= REREGISTER_FROM_VERSION) {
          diverged = mutation.id
          break
        }
        results.push(settled.result)
        continue
      }
      if (mutation.id > last + 1) {
        expected = last + 1
        break
      }
      const row = await apply(tx, userId, request.deviceId, mutation, digest, new Date(now))
      recorded.set(mutation.id, row)
      results.push(resultOf(row, digest, PENDING_SEQ).result)
      last = mutation.id
    }
    await insertRows(tx, mutationResults, [...recorded.values()])
    if (last > first) await tx.update(devices).set({ lastMutationId: last }).where(eq(devices.id, request.deviceId))
    // W7: the records summary follows the writes, in their transaction.
    if (results.some((r) => r.status === 'applied' && r.seq === PENDING_SEQ)) await refreshRecords(tx, userId, txid)
    return { results, expected, diverged, txid }
  })
  // Applied in this transaction: its seq exists only now that it has committed (SPEC L3).
  if (results.some((r) => r.status === 'applied' && r.seq === PENDING_SEQ)) {
    const seq = await seqOf(db, txid)
    for (const r of results) if (r.status === 'applied' && r.seq === PENDING_SEQ) r.seq = seq
  }
  const { horizon } = await readSyncState(db)
  if (diverged !== undefined) {
    const message = `The server has recorded another change as this device's change ${diverged}: this device's storage was restored from an earlier copy. It registers again and sends its pending changes anew.`
    return { type: 'reregister', results, mutationId: diverged, message, horizon }
  }
  return expected === undefined ? { type: 'pushed', results, horizon } : { type: 'gap', results, expected, horizon }
}

/** Stands for the seq of the pushing transaction until it has committed. */
const PENDING_SEQ = -1

type ResultRow = typeof mutationResults.$inferInsert

/**
 * Runs one mutation under a savepoint; a refusal undoes its effects only. A withheld one (too
 * large to send, SPEC B5) is rejected without running. Returns the result row to record.
 */
async function apply(tx: Tx, userId: string, deviceId: string, mutation: Mutation, digest: string, now: Date): Promise<ResultRow> {
  let refusal: { code: MutationErrorCode; message: string } | undefined
  if (mutation.withheld) {
    refusal = { code: 'invalid_args', message: `${tooLargeMessage(mutation.withheld.bytes)} It was not sent.` }
  } else {
    try {
      await tx.transaction((sp) => runMutator({ tx: sp, userId, now, runtime: 'server' }, mutation.name, mutation.args))
    } catch (error) {
      refusal = asRefusal(error)
      if (!refusal) throw error
    }
  }
  return {
    deviceId,
    mutationId: mutation.id,
    name: mutation.name,
    status: refusal ? 'rejected' : 'applied',
    errorCode: refusal?.code ?? null,
    errorMessage: refusal?.message ?? null,
    argsDigest: digest,
  }
}

async function seqOf(db: Queryable, txid: string): Promise<number> {
  const [row] = await rows<{ seq: string }>(db, sql`select seq::text as seq from ${changeTransactions} where tx = ${txid}::xid8`)
  return Number(row?.seq ?? 0)
}

/**
 * The result recorded for a mutation settled earlier (a duplicate push); one settled earlier in
 * this same push (a run that repeats an id) waits for this transaction's seq. `digest` says
 * whether the recorded mutation is this one: `same`, `other`, or `unknown` for a row recorded
 * before digests were kept (trusted, as it always was).
 */
async function recordedResult(
  db: Queryable,
  deviceId: string,
  mutationId: number,
  digest: string,
  currentTxid: string,
): Promise<{ result: MutationResult; digest: 'same' | 'other' | 'unknown' }> {
  const [row] = await db
    .select({
      status: mutationResults.status,
      errorCode: mutationResults.errorCode,
      errorMessage: mutationResults.errorMessage,
      argsDigest: mutationResults.argsDigest,
      tx: mutationResults.tx,
    })
    .from(mutationResults)
    .where(and(eq(mutationResults.deviceId, deviceId), eq(mutationResults.mutationId, mutationId)))
  if (!row) {
    // Settled before results were kept: it was applied or rejected; the device's stream says which.
    return { result: { id: mutationId, status: 'applied', seq: 0 }, digest: 'unknown' }
  }
  const seq = row.status === 'rejected' ? 0 : row.tx === currentTxid ? PENDING_SEQ : await seqOf(db, row.tx)
  return resultOf({ ...row, mutationId }, digest, seq)
}

/** What a recorded result row answers a mutation whose digest is `digest`; `seq` is its commit's. */
function resultOf(
  row: Pick<ResultRow, 'mutationId' | 'status' | 'errorCode' | 'errorMessage' | 'argsDigest'>,
  digest: string,
  seq: number,
): { result: MutationResult; digest: 'same' | 'other' | 'unknown' } {
  const same = row.argsDigest == null ? 'unknown' : row.argsDigest === digest ? 'same' : 'other'
  const id = row.mutationId
  if (row.status === 'rejected') {
    const code = (row.errorCode ?? 'conflict') as MutationErrorCode
    return { result: { id, status: 'rejected', code, message: row.errorMessage ?? '' }, digest: same }
  }
  return { result: { id, status: 'applied', seq }, digest: same }
}
