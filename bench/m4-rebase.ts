/**
 * M4 rebase: what pending local writes add to applying one server batch on the device. The device
 * holds the account up to a point; the batch is the next ~1,000 changes of its stream (a whole
 * pull response, a few workouts). With k = 0, 1, 10, 100, 1000 pending writes in the outbox
 * (each a `logEntry` of a bodyweight measurement made through `SyncClient.mutate`: 2 rows), the
 * real `SyncClient.pull` reverts them, applies the batch and replays them, in one transaction.
 * The same batch is replayed for every repetition (applying it again rewrites the same rows, so
 * the state is the same each time); the first two pulls of each k are warm-ups, not counted.
 * Figure: median time with k pending / median time with none.
 *
 * Three batches are measured at each k. "beside": the batch as recorded, other devices' workouts,
 * which touch no row the pending writes touched, so the device applies it beside them (SPEC B11).
 * "settle": the same batch plus this device's own result for its oldest pending write, with the
 * rows that write stored on the server: the common case of a device draining its outbox, settled
 * beside the later writes (B16); one more write is queued after each pull (untimed) so that k
 * stay pending. "rebase": the same batch plus a result for an id that is not pending (it settles
 * nothing), which B16 cannot take, so it forces the full revert, apply and replay of B2: the cost
 * when a batch touches rows a pending write touched, or settles writes out of order.
 */
import { asc, count, eq } from 'drizzle-orm'
import { entries, entryValues } from '@/db/schema'
import { localOutbox } from '@/db/schema/local'
import { newId } from '@/domain/ids'
import { scopeName, type Change, type PullResponse } from '@/sync/protocol'
import { ReplayTransport, benchDevice, rawInsert, streamRows, type Seeded } from './data'
import { latencies, now, percentile, printTable, round, type Row } from './lib'

export async function m4(world: Seeded, { levels = [0, 1, 10, 100, 1000] } = {}) {
  const { stream } = world
  // The batch: the last full-size response (whole transactions, at most 1,000 changes).
  const largest = Math.max(...stream.map((r) => r.changes.length))
  const at = stream.findLastIndex((r) => r.changes.length >= Math.min(900, largest))
  if (at < 1) throw new Error('M4 needs a stream of at least two pulls: use a larger --scale')
  const batch = stream[at]!
  const transport = new ReplayTransport([batch])
  const device = await benchDevice(world.user, transport, stream[at - 1]!.offset)
  const last = batch.changes.at(-1)!
  const ack = {
    ...last,
    op: last.op + 1,
    scope: scopeName('device', device.deviceId),
    table: 'mutation_results',
    kind: 'insert' as const,
    // A result for no mutation the device holds: it settles nothing, but makes the batch rebase.
    key: { device_id: device.deviceId, mutation_id: 1_000_000 },
    row: {
      device_id: device.deviceId,
      mutation_id: 1_000_000,
      name: 'createTag',
      status: 'applied',
      tx: '1',
      error_code: null,
      error_message: null,
      args_digest: null,
      created_at: new Date().toISOString(),
    },
  }
  /** The batch with the result of the device's oldest pending write and that write's rows, as the server stored them. */
  const settling = async (): Promise<PullResponse> => {
    const [front] = await device.db.select().from(localOutbox).orderBy(asc(localOutbox.mutationId)).limit(1)
    if (!front) throw new Error('M4: nothing pending to settle')
    const entryId = (front.args as { entry: { id: string } }).entry.id
    const [entry] = await device.db.select().from(entries).where(eq(entries.id, entryId))
    const values = await device.db.select().from(entryValues).where(eq(entryValues.entryId, entryId))
    const image = (row: object) => JSON.parse(JSON.stringify(row)) as Record<string, unknown>
    const snake = (row: object) =>
      Object.fromEntries(Object.entries(image(row)).map(([k, v]) => [k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), v]))
    const user = scopeName('user', world.user.id)
    const effects: Change[] = [
      { ...last, op: last.op + 1, scope: user, table: 'entries', kind: 'insert', key: { id: entryId }, row: snake(entry!) },
      ...values.map((v, i) => ({
        ...last,
        op: last.op + 2 + i,
        scope: user,
        table: 'entry_values',
        kind: 'insert' as const,
        key: { entry_id: v.entryId, attribute_id: v.attributeId },
        row: snake(v),
      })),
    ]
    const result: Change = {
      ...ack,
      op: last.op + 2 + values.length,
      key: { device_id: device.deviceId, mutation_id: front.mutationId },
      row: { ...ack.row, mutation_id: front.mutationId, name: front.name },
    }
    return { ...batch, changes: [...batch.changes, ...effects, result] }
  }
  const batches: Record<string, PullResponse | null> = {
    beside: batch,
    settle: null,
    rebase: { ...batch, changes: [...batch.changes, ack] },
  }
  await rawInsert(device.pg, streamRows(stream.slice(0, at)))
  const { activityId, massId } = world.account.bodyweight
  const outboxSize = async () => (await device.db.select({ n: count() }).from(localOutbox))[0]!.n
  let made = 0
  const queue = () => {
    made += 1
    return device.client.mutate('logEntry', {
      entry: {
        id: newId(),
        activityId,
        performedAt: new Date(Date.UTC(2026, 0, 1) + made * 60_000).toISOString(),
        values: { [massId]: 80 + (made % 50) / 10 },
      },
    })
  }

  const rows: Row[] = []
  const result: {
    path: string
    pending: number
    medianMs: number
    ratio: number
    extraMsPerPending: number | null
    ms: ReturnType<typeof latencies>
  }[] = []
  const base: Record<string, number> = {}
  try {
    for (const k of levels) {
      while ((await outboxSize()) < k) await queue()
      for (const [path, response] of Object.entries(batches)) {
        // Settling needs a pending write to settle.
        if (path === 'settle' && k === 0) continue
        const reps = k >= 1000 ? 2 : 5
        const warmups = 2
        const samples: number[] = []
        for (let i = 0; i < warmups + reps; i++) {
          transport.responses = [response ?? (await settling())]
          const start = now()
          await device.client.pull()
          if (i >= warmups) samples.push(now() - start)
          if (path === 'settle') {
            if ((await outboxSize()) !== k - 1) throw new Error(`M4: the settle batch settled ${k - (await outboxSize())} writes`)
            await queue()
          }
        }
        if ((await outboxSize()) !== k) throw new Error(`M4: expected ${k} pending, found ${await outboxSize()}`)
        const median = percentile(samples, 50)
        if (k === 0) base[path] = median
        // Settling is against the same batch without pending writes (beside's k = 0).
        const b = base[path === 'settle' ? 'beside' : path]!
        const entry = {
          path,
          pending: k,
          medianMs: round(median),
          ratio: round(median / b, 3),
          extraMsPerPending: k ? round((median - b) / k, 3) : null,
          ms: latencies(samples),
        }
        result.push(entry)
        rows.push({
          path,
          pending: k,
          'median ms': entry.medianMs,
          p95: entry.ms.p95,
          p99: entry.ms.p99,
          reps,
          'extra ms/pending': entry.extraMsPerPending ?? '',
          ratio: entry.ratio,
        })
      }
    }
  } finally {
    await device.close()
  }
  printTable(
    `M4 rebase (batch of ${batch.changes.length} changes; goal ratio <= 1.5 at 100; beside = SPEC B11, settle = B16 (own oldest result), rebase = B2 forced)`,
    rows,
  )
  return { batchChanges: batch.changes.length, goal: '<= 1.5 at 100 pending; <= 2 ms per pending write at 1,000', levels: result }
}
