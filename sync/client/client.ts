/**
 * The device half of sync (sync/SPEC.md B1-B7): a local PGlite replica with a durable outbox,
 * pushed in order and rebased on every server batch.
 *
 * Every state change happens in one local transaction: a mutation with its outbox entry; a
 * server batch with the revert of pending writes before it and their replay after it; a snapshot
 * likewise. The device can go offline, crash or close at any point and reopen consistent, with
 * nothing lost.
 */
import { asc, eq, isNull, lt, sql } from 'drizzle-orm'
import { localOutbox, localRejections, localSyncState, localWriteTokens } from '@/db/schema/local'
import type { Db, Tx } from '@/db/types'
import { MutationError } from '@/domain/errors'
import { newId } from '@/domain/ids'
import type { MutatorArgs, MutatorName } from '@/domain/mutators'
import { PROTOCOL_VERSION, mutationResultRowSchema, type Change, type MutationResult } from '../protocol'
import {
  applyBesidePending,
  applyChanges,
  clearReplica,
  pendingCount,
  putRows,
  readState,
  replayPending,
  revertPending,
  runRecorded,
  settle,
} from './replica'
import { localTables, syncTables } from '@/db/schema/registry'
import { noteReplacedEdits } from './replaced-edits'
import { TransportError, type Incompatible, type Transport } from './transport'

export type SyncStatus = {
  online: boolean
  pending: number
  oldestPendingAt: Date | null
  lastSyncedAt: Date | null
  /** Server transactions this device has not applied yet, as of the last pull. */
  lag: number
  rejected: { mutationId: number; name: string; code: string; message: string; at: Date }[]
  lastError: string | null
  /**
   * Set while the server speaks no protocol version this app does (SPEC V2): `update-app` (a
   * reload brings the new version) or `server-behind`. Sync waits; local writes stay queued.
   */
  incompatible: Incompatible | null
  /** Progress of a snapshot being loaded, or null. */
  loading: { rows: number; percent: number | null } | null
}

/** The status of a client that has not synced or read its outbox yet: a fresh object each call. */
export function emptySyncStatus(): SyncStatus {
  return {
    online: true,
    pending: 0,
    oldestPendingAt: null,
    lastSyncedAt: null,
    lag: 0,
    rejected: [],
    lastError: null,
    incompatible: null,
    loading: null,
  }
}

export type SyncClientOptions = {
  db: Db
  transport: Transport
  deviceId: string
  userId: string
  deviceName?: string
  /** Clock for new mutations; replays use each mutation's own time. */
  now?: () => Date
  pushBatch?: number
  pullLimit?: number
  /**
   * Called after each local mutation commits, so the page that wrote re-reads at once rather
   * than waiting on the database's notification (which other tabs rely on).
   */
  onLocalWrite?: () => void
}

/** How many write tokens a device keeps: a rerun comes within moments of its first run. */
const WRITE_TOKENS_KEPT = 100

/** Opens (or initialises) a device's sync state for a user. */
export async function initDevice(db: Db, { deviceId, userId }: { deviceId: string; userId: string }) {
  const [state] = await db.select().from(localSyncState).where(eq(localSyncState.id, 1))
  if (state && state.userId !== userId) {
    throw new Error('This device holds another account’s data. Sign out there first (it clears the device).')
  }
  if (!state) await db.insert(localSyncState).values({ id: 1, deviceId, userId })
  return (await db.select().from(localSyncState).where(eq(localSyncState.id, 1)))[0]!
}

/**
 * Forgets everything this device holds (sign-out): the replica and every local table (outbox,
 * rejections, undo log, write tokens, sync state), as the registry lists them.
 */
export async function clearDevice(db: Db) {
  await db.transaction(async (tx) => {
    await clearReplica(tx)
    for (const table of localTables) await tx.delete(table.drizzle)
  })
}

export class SyncClient {
  private readonly db: Db
  private readonly transport: Transport
  readonly deviceId: string
  readonly userId: string
  private readonly now: () => Date
  private readonly listeners = new Set<() => void>()
  private statusValue: SyncStatus = emptySyncStatus()

  constructor(private readonly options: SyncClientOptions) {
    this.db = options.db
    this.transport = options.transport
    this.deviceId = options.deviceId
    this.userId = options.userId
    this.now = options.now ?? (() => new Date())
  }

  // Local writes ---------------------------------------------------------------------------------

  /**
   * Runs a mutation on the device and queues it, in one local transaction (SPEC B1). A refusal
   * (the device already knows it is invalid) throws {@link MutationError} and queues nothing;
   * with `queueIfNotFound`, a refusal because something is not on this device queues the
   * mutation anyway for the server to decide (SPEC B10).
   */
  async mutate<N extends MutatorName>(name: N, args: MutatorArgs<N>, { queueIfNotFound = false } = {}): Promise<number> {
    const now = this.now()
    const token = newId()
    let rerun = false
    const id = await this.db.transaction(async (tx) => {
      // Run again after the database moved to another tab (B8): the earlier run may have
      // committed just before its owner closed. Its token says so, even once the mutation has
      // been pushed, settled and removed from the outbox.
      if (rerun) {
        const [earlier] = await tx.select().from(localWriteTokens).where(eq(localWriteTokens.token, token))
        if (earlier) return earlier.mutationId
      }
      rerun = true
      const state = await readState(tx)
      const refusal = await runRecorded(tx, this.userId, name, args, now)
      // B10: what the device cannot see (a public catalogue's activity) only the server can judge.
      const queued = refusal && queueIfNotFound && refusal.code === 'not_found'
      if (refusal && !queued) throw new MutationError(refusal.code, refusal.message, refusal.issues)
      const localError = refusal ? `${refusal.code}: ${refusal.message}` : null
      await tx.insert(localOutbox).values({ mutationId: state.nextMutationId, name, args: args as object, createdAt: now, localError })
      await tx
        .update(localSyncState)
        .set({ nextMutationId: state.nextMutationId + 1 })
        .where(eq(localSyncState.id, 1))
      await tx.insert(localWriteTokens).values({ token, mutationId: state.nextMutationId })
      await tx.delete(localWriteTokens).where(lt(localWriteTokens.mutationId, state.nextMutationId - WRITE_TOKENS_KEPT))
      return state.nextMutationId
    })
    // The status counts the new write before any page re-reads, so no page shows the new row
    // beside "all synced"; and the caller gets control back at once, before the page re-renders.
    this.statusValue = {
      ...this.statusValue,
      pending: this.statusValue.pending + 1,
      oldestPendingAt: this.statusValue.oldestPendingAt ?? now,
    }
    this.emit()
    this.options.onLocalWrite?.()
    this.kick()
    this.refreshStatus().catch(() => undefined)
    return id
  }

  // Push -----------------------------------------------------------------------------------------

  /** Sends every unsettled outbox entry, in order (SPEC B5). Returns how many were settled. */
  async push(): Promise<number> {
    let settled = 0
    for (;;) {
      const batch = await this.db
        .select()
        .from(localOutbox)
        .where(isNull(localOutbox.settledSeq))
        .orderBy(asc(localOutbox.mutationId))
        .limit(this.options.pushBatch ?? 100)
      if (batch.length === 0) return settled
      const response = await this.guard(() =>
        this.transport.push({
          protocolVersion: PROTOCOL_VERSION,
          deviceId: this.deviceId,
          deviceName: this.options.deviceName,
          mutations: batch.map((m) => ({ id: m.mutationId, name: m.name, args: m.args })),
        }),
      )
      await this.recordResults(response.results)
      settled += response.results.length
      if (response.type === 'gap') {
        // The server has settled everything below `expected`; our outbox lacks nothing it needs
        // unless entries were lost, which the outbox's transactionality rules out.
        if (!batch.some((m) => m.mutationId === response.expected)) {
          throw new Error(`The server expects mutation ${response.expected}, which this device no longer has.`)
        }
        continue
      }
      if (response.results.length < batch.length) return settled
    }
  }

  /** Notes what a push answered; the stream settles them for good (SPEC P5, B3). */
  private async recordResults(results: MutationResult[]) {
    if (results.length === 0) return
    await this.db.transaction(async (tx) => {
      for (const r of results) {
        // A rejected one waits for its record in the stream, which brings the reason durably.
        await tx
          .update(localOutbox)
          .set({ settledSeq: r.status === 'applied' ? r.seq : -1 })
          .where(eq(localOutbox.mutationId, r.id))
      }
    })
  }

  // Pull and rebase ------------------------------------------------------------------------------

  /**
   * Pulls once and applies what came, with pending writes reverted before and replayed after,
   * in one local transaction (SPEC B2). Returns whether the device is up to date.
   */
  async pull({ waitMs = 0, signal }: { waitMs?: number; signal?: AbortSignal } = {}): Promise<boolean> {
    const state = await readState(this.db)
    if (state.syncedSeq === null) {
      await this.refetch()
      return false
    }
    const result = await this.guard(() =>
      this.transport.pull({ deviceId: this.deviceId, offset: state.syncedSeq!, limit: this.options.pullLimit, waitMs, signal }),
    )
    if (result.type === 'must-refetch') {
      await this.refetch()
      return false
    }
    await this.db.transaction(async (tx) => {
      const current = await readState(tx)
      // Another pull (another tab, a retried request) may have applied this batch already.
      if (current.syncedSeq !== state.syncedSeq) return
      // B14: before the batch settles this device's edits, note which of its values it replaces.
      await noteReplacedEdits(tx, result.changes, this.deviceId, this.userId)
      await this.rebase(tx, result.changes)
      await tx
        .update(localSyncState)
        .set({ syncedSeq: result.offset, horizon: result.horizon, lastSyncedAt: this.now() })
        .where(eq(localSyncState.id, 1))
    })
    this.statusValue.lag = result.head - result.offset
    await this.refreshStatus()
    return result.upToDate
  }

  private async rebase(tx: Tx, changes: Change[]) {
    if (changes.length === 0) return
    const pending = await pendingCount(tx)
    if (pending === 0) return applyChanges(tx, changes, this.deviceId)
    if (await applyBesidePending(tx, changes, this.deviceId)) return
    await revertPending(tx)
    await applyChanges(tx, changes, this.deviceId)
    await replayPending(tx, this.userId)
  }

  /**
   * Replaces the replica with a fresh snapshot, keeping and rebasing pending writes (SPEC B6):
   * for a new device, and for one behind the server's retention horizon.
   */
  async refetch(): Promise<void> {
    const since =
      (await this.db.select({ id: localOutbox.mutationId }).from(localOutbox).orderBy(asc(localOutbox.mutationId)).limit(1))[0]?.id ?? 0
    this.statusValue.loading = { rows: 0, percent: null }
    this.emit()
    try {
      await this.db.transaction(async (tx) => {
        await revertPending(tx)
        await clearReplica(tx)
        let offset: number | undefined
        let horizon = 0
        let total: number | null = null
        const tables = new Map(syncTables.map((t) => [t.table, t]))
        await this.guard(() =>
          this.transport.snapshot({ deviceId: this.deviceId, sinceMutationId: since }, async (line) => {
            if (line.type === 'snapshot-begin') {
              horizon = line.horizon
              total = line.rows ?? null
            }
            if (line.type === 'rows') {
              if (line.table === 'mutation_results') {
                for (const row of line.rows) await settle(tx, mutationResultRowSchema.parse(row))
              } else {
                const table = tables.get(line.table)
                if (!table) throw new Error(`The snapshot holds unknown table "${line.table}"`)
                await putRows(tx, table, line.rows)
              }
              const loaded = (this.statusValue.loading?.rows ?? 0) + line.rows.length
              this.statusValue.loading = { rows: loaded, percent: total ? Math.min(100, Math.floor((loaded / total) * 100)) : null }
              this.emit()
            }
            if (line.type === 'snapshot-end') offset = line.offset
          }),
        )
        if (offset === undefined) throw new TransportError('offline', 'The snapshot was interrupted.')
        await replayPending(tx, this.userId)
        await tx.update(localSyncState).set({ syncedSeq: offset, horizon, lastSyncedAt: this.now() }).where(eq(localSyncState.id, 1))
      })
    } finally {
      this.statusValue.loading = null
      await this.refreshStatus()
    }
  }

  /** Pushes everything, then pulls until up to date. */
  async sync(): Promise<void> {
    await this.push()
    while (!(await this.pull())) {
      /* keep pulling */
    }
  }

  // The loop ---------------------------------------------------------------------------------------

  private running = false
  private wake: (() => void) | undefined
  private inFlight: AbortController | undefined
  private loopDone: Promise<void> | undefined

  /**
   * Keeps the device in sync until {@link stop}: pushes, then long-polls for changes; after a
   * failure waits 1 s, doubling to 30 s, unless {@link kick}ed (SPEC B5).
   */
  start({ liveWaitMs = 25_000, maxBackoffMs = 30_000 } = {}): void {
    if (this.running) return
    this.running = true
    this.loopDone = (async () => {
      let backoff = 0
      while (this.running) {
        try {
          await this.push()
          const upToDate = await this.pull()
          backoff = 0
          if (!upToDate || !this.running) continue
          if (await this.hasUnpushed()) continue
          this.inFlight = new AbortController()
          await this.pull({ waitMs: liveWaitMs, signal: this.inFlight.signal })
        } catch (error) {
          if (!this.running) break
          if ((error as Error).name === 'AbortError') continue
          if (!(error instanceof TransportError)) {
            this.statusValue.lastError = error instanceof Error ? error.message : String(error)
            this.emit()
          }
          // No common protocol version is not fixed by retrying soon (SPEC V2): try again rarely.
          const incompatible = error instanceof TransportError && error.kind === 'version'
          backoff = incompatible ? maxBackoffMs : Math.min(maxBackoffMs, backoff ? backoff * 2 : 1000)
          await this.sleep(backoff)
        } finally {
          this.inFlight = undefined
        }
      }
    })()
  }

  /** Syncs now: ends a long-poll or a back-off wait (after a local write, on reconnect). */
  kick(): void {
    this.inFlight?.abort()
    this.wake?.()
  }

  /** Kicks when the outbox holds a write not yet pushed: one another tab made (B8). */
  async kickIfUnpushed(): Promise<void> {
    if (this.running && (await this.hasUnpushed())) this.kick()
  }

  private async hasUnpushed(): Promise<boolean> {
    return (
      (await this.db.select({ id: localOutbox.mutationId }).from(localOutbox).where(isNull(localOutbox.settledSeq)).limit(1)).length > 0
    )
  }

  async stop(): Promise<void> {
    this.running = false
    this.kick()
    await this.loopDone
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms)
      function done() {
        clearTimeout(timer)
        resolve()
      }
      this.wake = () => {
        this.wake = undefined
        done()
      }
    })
  }

  // Status ---------------------------------------------------------------------------------------

  private async guard<T>(fn: () => Promise<T>): Promise<T> {
    try {
      const value = await fn()
      if (!this.statusValue.online || this.statusValue.lastError || this.statusValue.incompatible) {
        this.statusValue.online = true
        this.statusValue.lastError = null
        this.statusValue.incompatible = null
        this.emit()
      }
      return value
    } catch (error) {
      if (error instanceof TransportError) {
        this.statusValue.online = error.kind !== 'offline'
        this.statusValue.lastError = error.message
        this.statusValue.incompatible = error.incompatible ?? null
        this.emit()
      }
      throw error
    }
  }

  async refreshStatus(): Promise<SyncStatus> {
    const [pending] = await this.db
      .select({ n: sql<number>`count(*)::int`, oldest: sql<string | null>`min(${localOutbox.createdAt})::text` })
      .from(localOutbox)
    const rejected = await this.db
      .select()
      .from(localRejections)
      .where(isNull(localRejections.dismissedAt))
      .orderBy(asc(localRejections.mutationId))
    const state = (await this.db.select().from(localSyncState).where(eq(localSyncState.id, 1)))[0]
    this.statusValue = {
      ...this.statusValue,
      pending: Number(pending?.n ?? 0),
      oldestPendingAt: pending?.oldest ? new Date(pending.oldest) : null,
      lastSyncedAt: state?.lastSyncedAt ?? null,
      rejected: rejected.map((r) => ({
        mutationId: r.mutationId,
        name: r.name,
        code: r.errorCode,
        message: r.errorMessage,
        at: r.rejectedAt,
      })),
    }
    this.emit()
    return this.statusValue
  }

  get status(): SyncStatus {
    return this.statusValue
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  private emit() {
    for (const listener of this.listeners) listener()
  }

  async dismissRejection(mutationId: number) {
    await this.db.update(localRejections).set({ dismissedAt: this.now() }).where(eq(localRejections.mutationId, mutationId))
    await this.refreshStatus()
  }
}
