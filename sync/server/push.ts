import 'server-only'
import { and, eq, sql } from 'drizzle-orm'
import { changeTransactions, devices, mutationResults } from '@/db/schema'
import { rows } from '@/db/rows'
import type { Db } from '@/db/types'
import { asRefusal } from '@/domain/apply'
import { runMutator } from '@/domain/mutators'
import type { MutationErrorCode } from '@/domain/errors'
import type { MutationResult, PushRequest, PushResponse } from '../protocol'
import { readSyncState } from './state'

type Settled = { kind: 'settled'; result: MutationResult } | { kind: 'duplicate' } | { kind: 'gap'; expected: number }

/**
 * Applies a device's mutations in order, each in its own transaction with its result (SPEC P2-P4).
 * The device must already be registered to `userId`.
 */
export async function push(db: Db, userId: string, request: PushRequest): Promise<PushResponse> {
  const results: MutationResult[] = []
  for (const mutation of request.mutations) {
    const settled = await settle(db, userId, request.deviceId, mutation)
    if (settled.kind === 'gap') {
      return { type: 'gap', results, expected: settled.expected, horizon: (await readSyncState(db)).horizon }
    }
    results.push(settled.kind === 'settled' ? settled.result : await recordedResult(db, request.deviceId, mutation.id))
  }
  return { type: 'pushed', results, horizon: (await readSyncState(db)).horizon }
}

async function settle(db: Db, userId: string, deviceId: string, mutation: PushRequest['mutations'][number]): Promise<Settled> {
  const outcome = await db.transaction(async (tx) => {
    // The device row lock orders concurrent pushes of one device.
    const [device] = await tx.select({ last: devices.lastMutationId }).from(devices).where(eq(devices.id, deviceId)).for('update')
    const last = device?.last ?? 0
    if (mutation.id <= last) return { kind: 'duplicate' as const }
    if (mutation.id > last + 1) return { kind: 'gap' as const, expected: last + 1 }

    const [{ now, txid }] = (await rows<{ now: string | Date; txid: string }>(
      tx,
      sql`select now() as now, pg_current_xact_id()::text as txid`,
    )) as [{ now: string | Date; txid: string }]
    let refusal: { code: MutationErrorCode; message: string } | undefined
    try {
      await tx.transaction((sp) => runMutator({ tx: sp, userId, now: new Date(now), runtime: 'server' }, mutation.name, mutation.args))
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
    await tx.update(devices).set({ lastMutationId: mutation.id }).where(eq(devices.id, deviceId))
    return { kind: 'settled' as const, refusal, txid }
  })
  if (outcome.kind !== 'settled') return outcome
  if (outcome.refusal) return { kind: 'settled', result: { id: mutation.id, status: 'rejected', ...outcome.refusal } }
  return { kind: 'settled', result: { id: mutation.id, status: 'applied', seq: await seqOf(db, outcome.txid) } }
}

async function seqOf(db: Db, txid: string): Promise<number> {
  const [row] = await rows<{ seq: string }>(db, sql`select seq::text as seq from ${changeTransactions} where tx = ${txid}::xid8`)
  return Number(row?.seq ?? 0)
}

/** The result recorded for a mutation settled earlier (a duplicate push). */
async function recordedResult(db: Db, deviceId: string, mutationId: number): Promise<MutationResult> {
  const [row] = await db
    .select({ status: mutationResults.status, code: mutationResults.errorCode, message: mutationResults.errorMessage, tx: mutationResults.tx })
    .from(mutationResults)
    .where(and(eq(mutationResults.deviceId, deviceId), eq(mutationResults.mutationId, mutationId)))
  if (!row) {
    // Settled before results were kept: it was applied or rejected; the device's stream says which.
    return { id: mutationId, status: 'applied', seq: 0 }
  }
  if (row.status === 'rejected') {
    return { id: mutationId, status: 'rejected', code: (row.code ?? 'conflict') as MutationErrorCode, message: row.message ?? '' }
  }
  return { id: mutationId, status: 'applied', seq: await seqOf(db, row.tx) }
}
