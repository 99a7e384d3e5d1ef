/**
 * SPEC R5: a device applies a pull response's server transactions atomically; no server
 * transaction is ever half on the device, and the stored offset says exactly which are.
 *
 * Harness: a real device (PGlite, device schema, the real SyncClient) and a canned server: a
 * transport that answers each pull with the next scripted response and nothing else, so the
 * test decides every change the device receives. The fault is a change the device cannot apply:
 * a settings row whose unit the device's check constraint refuses (as an older device would
 * refuse a value a newer server allows). It comes last in the second of two server transactions,
 * in another table than the rows before it, so those rows are written before the failure and
 * only the local transaction can take them back.
 */
import { eq } from 'drizzle-orm'
import { afterEach, expect, test } from 'vitest'
import { tags } from '@/db/schema'
import { localOutbox, localSyncState } from '@/db/schema/local'
import { testPglite, type TestPglite } from '@/db/testing/pglite'
import { newId } from '@/domain/ids'
import type { Change, PullResponse, PushResponse } from '../protocol'
import { SyncClient, initDevice } from './client'
import { TransportError, type PullParams, type Transport } from './transport'

/** Answers pulls from a script; pushes and snapshots never reach it in these tests. */
class CannedServer implements Transport {
  readonly answers: PullResponse[] = []
  readonly pulls: PullParams[] = []

  async pull(params: PullParams): Promise<PullResponse> {
    this.pulls.push(params)
    const answer = this.answers.shift()
    if (!answer) throw new TransportError('offline', 'No answer scripted.')
    return answer
  }
  async push(): Promise<PushResponse> {
    throw new TransportError('offline', 'This test pushes nothing.')
  }
  async snapshot(): Promise<void> {
    throw new TransportError('offline', 'This test loads no snapshot.')
  }
}

const opened: TestPglite[] = []
afterEach(async () => {
  for (const local of opened.splice(0)) await local.close()
})

/** A device that has caught up with an empty server (offset 0), over a canned server. */
async function device() {
  const local = await testPglite('device')
  opened.push(local)
  const userId = newId()
  const deviceId = newId()
  await initDevice(local.db, { deviceId, userId })
  await local.db.update(localSyncState).set({ syncedSeq: 0 }).where(eq(localSyncState.id, 1))
  const server = new CannedServer()
  const client = new SyncClient({ db: local.db, transport: server, deviceId, userId })
  const state = async () => {
    const [s] = await local.db.select().from(localSyncState).where(eq(localSyncState.id, 1))
    return { offset: s!.syncedSeq, tags: (await local.db.select({ name: tags.name }).from(tags)).map((t) => t.name).sort() }
  }
  return { db: local.db, userId, server, client, state }
}

const at = '2026-03-02T07:00:00.000Z'

function tagInsert(userId: string, seq: number, op: number, name: string): Change {
  const row = { id: newId(), user_id: userId, name, color: null, created_at: at }
  return { seq, op, scope: `user:${userId}`, table: 'tags', kind: 'insert', key: { id: row.id }, row }
}

function settingsUpdate(userId: string, seq: number, op: number, massUnit: string): Change {
  const row = { user_id: userId, mass_unit: massUnit, distance_unit: 'km', week_starts_on: 1, storage_window_days: null, updated_at: at }
  return { seq, op, scope: `user:${userId}`, table: 'user_settings', kind: 'update', key: { user_id: userId }, row }
}

/**
 * The server's log for one user: two transactions. Seq 1 adds two tags; seq 2 adds a tag and
 * changes the settings' mass unit. `answer(offset, massUnit)` is the pull response after
 * `offset`; 'stone' is refused by the device's check constraint, 'lb' is fine.
 */
function serverLog(userId: string) {
  const seq1 = [tagInsert(userId, 1, 0, 'Legs'), tagInsert(userId, 1, 1, 'Push')]
  const seq2 = tagInsert(userId, 2, 0, 'Pull')
  return (offset: number, massUnit: string): PullResponse => ({
    type: 'changes',
    changes: [...seq1, seq2, settingsUpdate(userId, 2, 1, massUnit)].filter((c) => c.seq > offset),
    offset: 2,
    head: 2,
    upToDate: true,
    horizon: 0,
  })
}

/** Which tags each server transaction of {@link serverLog} brings. */
const tagsOf = { 1: ['Legs', 'Push'], 2: ['Pull'] } as const

/** The rule as an observer checks it: a transaction's rows are there exactly when the offset covers it. */
function expectWholeTransactions(state: { offset: number | null; tags: string[] }, others: string[] = []) {
  const expected = [...others, ...(state.offset! >= 1 ? tagsOf[1] : []), ...(state.offset! >= 2 ? tagsOf[2] : [])].sort()
  expect(state.tags).toEqual(expected)
}

test('[R5] a server transaction the device cannot finish applying leaves none of its rows, and the offset covers only what is there', async () => {
  const { userId, server, client, state } = await device()
  server.answers.push(serverLog(userId)(0, 'stone'))

  await expect(client.pull()).rejects.toThrow()

  const after = await state()
  expect(after.tags).not.toContain('Pull')
  expect(after.offset).toBeLessThan(2)
  expectWholeTransactions(after)
})

test('[R5] with pending writes, a failed apply leaves them as they were and the next answer applies whole', async () => {
  const { db, userId, server, client, state } = await device()
  await client.mutate('createTag', { id: newId(), name: 'Mine' })
  const answer = serverLog(userId)
  server.answers.push(answer(0, 'stone'))

  await expect(client.pull()).rejects.toThrow()

  // The revert of the pending write before the batch was undone with the batch.
  const failed = await state()
  expect(failed.tags).toContain('Mine')
  expectWholeTransactions(failed, ['Mine'])
  expect(await db.select({ id: localOutbox.mutationId }).from(localOutbox)).toEqual([{ id: 1 }])

  // The device asks again from the offset it kept and applies the (now applicable) answer whole.
  server.answers.push(answer(failed.offset!, 'lb'))
  expect(await client.pull()).toBe(true)
  expect(server.pulls.map((p) => p.offset)).toEqual([0, failed.offset])
  expect(await state()).toEqual({ offset: 2, tags: ['Legs', 'Mine', 'Pull', 'Push'] })
  expect(await db.select({ id: localOutbox.mutationId }).from(localOutbox)).toEqual([{ id: 1 }])
})
