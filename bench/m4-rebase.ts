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
 * Two batches are measured at each k. "beside": the batch as recorded, other devices' workouts,
 * which touch no row the pending writes touched, so the device applies it beside them (SPEC B11).
 * "rebase": the same batch plus the result of one of this device's mutations (for an id that is
 * not pending, so it settles nothing), which forces the full revert, apply and replay of B2: the
 * cost whenever a batch brings this device's own acks or rows its pending writes touched.
 */
import { newId } from '@/domain/ids'
import { scopeName } from '@/sync/protocol'
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
      created_at: new Date().toISOString(),
    },
  }
  const batches = { beside: batch, rebase: { ...batch, changes: [...batch.changes, ack] } }
  await rawInsert(device.pg, streamRows(stream.slice(0, at)))
  const { activityId, massId } = world.account.bodyweight

  const rows: Row[] = []
  const result: {
    path: string
    pending: number
    medianMs: number
    ratio: number
    extraMsPerPending: number | null
    ms: ReturnType<typeof latencies>
  }[] = []
  let pending = 0
  const base: Record<string, number> = {}
  try {
    for (const k of levels) {
      for (; pending < k; pending++) {
        await device.client.mutate('logEntry', {
          entry: {
            id: newId(),
            activityId,
            performedAt: new Date(Date.UTC(2026, 0, 1) + pending * 60_000).toISOString(),
            values: { [massId]: 80 + (pending % 50) / 10 },
          },
        })
      }
      for (const [path, response] of Object.entries(batches)) {
        transport.responses = [response]
        const reps = k >= 1000 ? 2 : 5
        const warmups = 2
        const samples: number[] = []
        for (let i = 0; i < warmups + reps; i++) {
          const start = now()
          await device.client.pull()
          if (i >= warmups) samples.push(now() - start)
        }
        if (device.client.status.pending !== k) throw new Error(`M4: expected ${k} pending, found ${device.client.status.pending}`)
        const median = percentile(samples, 50)
        if (k === 0) base[path] = median
        const b = base[path]!
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
    `M4 rebase (batch of ${batch.changes.length} changes; goal ratio <= 1.2 at 100, linear; beside = SPEC B11, rebase = B2 forced)`,
    rows,
  )
  return { batchChanges: batch.changes.length, goal: '<= 1.2 at 100 pending; linear', levels: result }
}
