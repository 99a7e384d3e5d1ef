/**
 * The device half of sync (sync/SPEC.md B1-B7): a local PGlite replica with a durable outbox,
 * pushed in order and rebased on every server batch.
 *
 * Every state change happens in one local transaction: a mutation with its outbox entry; a
 * server batch with the revert of pending writes before it and their replay after it; a snapshot
 * likewise. The device can go offline, crash or close at any point and reopen consistent, with
 * nothing lost.
 */
import { and, asc, eq, inArray, isNotNull, isNull, lt, lte, sql } from 'drizzle-orm'
import { localOutbox, localRejections, localSyncState, localUploads, localWriteTokens } from '@/db/schema/local'
import { rows } from '@/db/rows'
import type { Db, Tx } from '@/db/types'
import { MutationError } from '@/domain/errors'
import { newId } from '@/domain/ids'
import type { MutatorArgs, MutatorName } from '@/domain/mutators'
import {
  MAX_BODY_BYTES,
  MAX_HISTORY_ROOTS,
  MAX_PUSH_MUTATIONS,
  PROTOCOL_VERSION,
  encodedBytes,
  mutationDigest,
  mutationResultRowSchema,
  tooLargeMessage,
  type Change,
  type HistoryResponse,
  type Mutation,
  type MutationResult,
  type PushRequest,
  type PushResponse,
  type WindowInForce,
} from '../protocol'
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
  settleBesidePending,
  undoWatermark,
  settle,
} from './replica'
import { localTables, syncTables } from '@/db/schema/registry'
import { noteReplacedEdits } from './replaced-edits'
import { TransportError, type HistoryParams, type Incompatible, type Transport } from './transport'
import {
  cutOf,
  everything,
  heldBefore,
  lackingRoots,
  pruneOutside,
  putHistory,
  storeWindow,
  storedWindow,
  windowOf,
  touchesKept,
  widening,
  type HeldWindow,
} from './window'

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
  /**
   * This device's own database failed while syncing (applying what the server sent, say): not
   * the network's fault, and not fixed by retrying soon (SPEC B6). Null once a round succeeds.
   */
  localError: string | null
  /** Set when this device registered with the server again, and why (SPEC B15), until dismissed. */
  recovery: Recovery | null
  /** Photo blobs still to upload, and those the server refused for good (M7). */
  uploads: { pending: number; failed: number }
  /**
   * The storage window (SPEC W1-W6): the setting in force, its cut (`from`, null: everything),
   * where the replica's history begins (`heldFrom`, null: everything), and the rows a widening has
   * brought so far while it runs (null when none runs).
   */
  window: { setting: WindowInForce; from: string | null; heldFrom: string | null; filling: { rows: number } | null }
}

/**
 * Why a device registered again under a new id (SPEC B15): `server-restored`, the server no
 * longer has changes this device had synced (restored from a backup); `device-restored`, this
 * device's storage went back to an earlier copy. `resent` pending changes were sent again.
 */
export type Recovery = { reason: 'server-restored' | 'device-restored'; resent: number; message: string; at: Date }

/** What the user is told when the device registers again (SPEC B15). */
function recoveryMessage(reason: Recovery['reason'], resent: number): string {
  const changes = resent === 1 ? '1 change' : `${resent} changes`
  return reason === 'server-restored'
    ? `The server was restored from a backup and had lost changes. This device sent its ${changes} not yet synced again; changes that had synced shortly before the restore, from this device or another, may be missing.`
    : `This device's storage was restored from an earlier copy. It registered with the server again and sent its ${changes} not yet synced anew; nothing was lost.`
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
    localError: null,
    recovery: null,
    uploads: { pending: 0, failed: 0 },
    window: { setting: { kind: 'all' }, from: null, heldFrom: null, filling: null },
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

export type MutateOptions = {
  /** Queue it even when the device cannot see its inputs (B10). */
  queueIfNotFound?: boolean
  /**
   * Device-only bookkeeping written in the mutation's own local transaction, given the
   * mutation's id (a photo's upload-queue entries, M6): it commits with the mutation or not at all.
   */
  alongside?: (tx: Tx, mutationId: number) => Promise<void>
}

/** How many write tokens a device keeps: a rerun comes within moments of its first run. */
const WRITE_TOKENS_KEPT = 100

/** `local_outbox.settled_seq` of an entry a push answered rejected (its reason comes in the stream). */
const REJECTED = -1

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
  /** This device's id as last read from its sync state, which a re-registration changes (B15). */
  private id: string
  readonly userId: string
  private readonly now: () => Date
  private readonly listeners = new Set<() => void>()
  private statusValue: SyncStatus = emptySyncStatus()

  constructor(private readonly options: SyncClientOptions) {
    this.db = options.db
    this.transport = options.transport
    this.id = options.deviceId
    this.userId = options.userId
    this.now = options.now ?? (() => new Date())
  }

  /** The device id the server knows this device by; a new one after a re-registration (B15). */
  get deviceId(): string {
    return this.id
  }

  /** Reads the device id from the sync state: another tab's loop may have registered anew. */
  private async currentDeviceId(): Promise<string> {
    this.id = (await readState(this.db)).deviceId
    return this.id
  }

  // Local writes ---------------------------------------------------------------------------------

  /**
   * Runs a mutation on the device and queues it, in one local transaction (SPEC B1). A refusal
   * (the device already knows it is invalid) throws {@link MutationError} and queues nothing;
   * with `queueIfNotFound`, a refusal because something is not on this device queues the
   * mutation anyway for the server to decide (SPEC B10).
   */
  async mutate<N extends MutatorName>(name: N, args: MutatorArgs<N>, options: MutateOptions = {}): Promise<number> {
    const { queueIfNotFound = false, alongside } = options
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
      // B1: a write no push could carry is refused now, not queued to block every later one.
      const alone = encodedBytes(this.pushRequest(state.deviceId, [{ id: state.nextMutationId, name, args }]))
      if (alone > MAX_BODY_BYTES) {
        throw new MutationError('invalid_args', `${tooLargeMessage(alone)} Shorten its notes, or split it into smaller changes.`)
      }
      const undoFrom = await undoWatermark(tx)
      const refusal = await runRecorded(tx, this.userId, name, args, now)
      // B10: what the device cannot see (a public catalogue's activity) only the server can judge.
      const queued = refusal && queueIfNotFound && refusal.code === 'not_found'
      if (refusal && !queued) throw new MutationError(refusal.code, refusal.message, refusal.issues)
      const localError = refusal ? `${refusal.code}: ${refusal.message}` : null
      await tx
        .insert(localOutbox)
        .values({ mutationId: state.nextMutationId, name, args: args as object, createdAt: now, localError, undoFrom })
      await tx
        .update(localSyncState)
        .set({ nextMutationId: state.nextMutationId + 1 })
        .where(eq(localSyncState.id, 1))
      await alongside?.(tx, state.nextMutationId)
      await tx.insert(localWriteTokens).values({ token, mutationId: state.nextMutationId })
      await tx.delete(localWriteTokens).where(lt(localWriteTokens.mutationId, state.nextMutationId - WRITE_TOKENS_KEPT))
      return state.nextMutationId
    })
    // The status counts the new write before any page re-reads, so no page shows the new row
    // beside "all synced"; and the caller gets control back at once, before the page re-renders.
    this.localWrites += 1
    this.statusValue = {
      ...this.statusValue,
      pending: this.statusValue.pending + 1,
      oldestPendingAt: this.statusValue.oldestPendingAt ?? now,
    }
    this.emit()
    this.options.onLocalWrite?.()
    this.kick()
    this.refreshSoon()
    return id
  }

  // Push -----------------------------------------------------------------------------------------

  /** Local writes committed so far, so a status read can tell it raced with one. */
  private localWrites = 0

  /** Most bytes a push body may have; halved when one is refused as too large anyway (SPEC B5). */
  private pushBytes = MAX_BODY_BYTES

  private pushRequest(deviceId: string, mutations: Mutation[]): PushRequest {
    return { protocolVersion: PROTOCOL_VERSION, deviceId, deviceName: this.options.deviceName, mutations }
  }

  /**
   * Sends every unsettled outbox entry, in order, in pushes within the count and byte limits
   * (SPEC B5). A gap the outbox cannot fill, or a server that recorded other mutations under
   * this device's ids, makes the device register again (B15). Returns how many were settled.
   */
  async push(): Promise<number> {
    let settled = 0
    let reregistered = false
    let lastGap: number | undefined
    for (;;) {
      const deviceId = await this.currentDeviceId()
      const request = await this.nextPush(deviceId)
      if (!request) return settled
      let response: PushResponse
      try {
        response = await this.guard(() => this.transport.push(request))
      } catch (error) {
        if (!(error instanceof TransportError && error.kind === 'too-large')) throw error
        // Something on the way (a proxy, a server of other limits) takes less than the protocol
        // says: halve what a push carries, down to single mutations, then withhold those.
        if (request.mutations.every((m) => m.withheld)) throw error
        this.pushBytes = Math.floor(encodedBytes(request) / 2)
        continue
      }
      await this.recordResults(response.results)
      settled += response.results.length
      if (response.type === 'pushed') {
        if (response.results.length < request.mutations.length) return settled
        continue
      }
      if (response.type === 'gap' && response.expected !== lastGap && (await this.resendFrom(response.expected))) {
        lastGap = response.expected
        continue
      }
      // The server's numbering of this device cannot be continued from its outbox.
      if (reregistered) throw new Error('The server refused this device’s changes again after it registered anew.')
      reregistered = true
      if (response.type === 'reregister') await this.reregister(deviceId, response.mutationId, response.results, 'device-restored')
      else await this.reregister(deviceId, response.expected, response.results, 'server-restored')
    }
  }

  /**
   * The next push: the oldest unsettled entries, as many as fit {@link pushBytes} (encoded
   * exactly as the wire will carry them) and the count limits. The first entry always goes; if
   * it alone does not fit, it goes withheld, to be recorded rejected (B5). The outbox is read
   * only as far as the sizes of its rows can fit, so a backlog of large writes is not loaded whole.
   */
  private async nextPush(deviceId: string): Promise<PushRequest | null> {
    const limit = Math.min(this.options.pushBatch ?? 100, MAX_PUSH_MUTATIONS)
    const sizes = await this.db
      .select({ id: localOutbox.mutationId, size: sql<number>`octet_length(${localOutbox.args}::text)::int` })
      .from(localOutbox)
      .where(isNull(localOutbox.settledSeq))
      .orderBy(asc(localOutbox.mutationId))
      .limit(limit)
    if (sizes.length === 0) return null
    const ids: number[] = []
    let approximate = 0
    for (const { id, size } of sizes) {
      if (ids.length > 0 && approximate + Number(size) > this.pushBytes) break
      ids.push(id)
      approximate += Number(size)
    }
    const entries = await this.db
      .select()
      .from(localOutbox)
      .where(inArray(localOutbox.mutationId, ids))
      .orderBy(asc(localOutbox.mutationId))
    const request = this.pushRequest(deviceId, [])
    // Where the outbox starts, answered entries included (P2): a server that forgot their
    // answers asks for them again.
    const [oldest] = await this.db.select({ id: localOutbox.mutationId }).from(localOutbox).orderBy(asc(localOutbox.mutationId)).limit(1)
    if (oldest) request.outboxStart = oldest.id
    let bytes = encodedBytes(request)
    for (const entry of entries) {
      const mutation: Mutation = { id: entry.mutationId, name: entry.name, args: entry.args }
      // One more element of the array: its JSON and, after the first, a comma.
      const size = encodedBytes(mutation) + (request.mutations.length > 0 ? 1 : 0)
      if (bytes + size <= this.pushBytes) {
        request.mutations.push(mutation)
        bytes += size
      } else if (request.mutations.length > 0) {
        break
      } else {
        const withheld = { bytes: bytes + size, digest: await mutationDigest(entry.name, entry.args) }
        request.mutations.push({ id: entry.mutationId, name: entry.name, args: null, withheld })
        break
      }
    }
    return request
  }

  /**
   * The server expects `mutationId` next (a gap, SPEC P2): resend from it when the outbox has it,
   * answered or not (a server restored to before its answer has forgotten it). False when the
   * outbox does not have it.
   */
  private async resendFrom(mutationId: number): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const [entry] = await tx.select({ id: localOutbox.mutationId }).from(localOutbox).where(eq(localOutbox.mutationId, mutationId))
      if (!entry) return false
      await tx
        .update(localOutbox)
        .set({ settledSeq: null })
        .where(sql`${localOutbox.mutationId} >= ${mutationId}`)
      return true
    })
  }

  /**
   * Registers this device again under a new id (SPEC B15), when the server's numbering of its
   * mutations cannot be continued: it expects one the device has dropped (the server was
   * restored from a backup), or recorded other mutations under its ids (the device's storage
   * was). Entries below `settledBelow` are settled on the server under the old id, whose results
   * this device will no longer read: applied ones leave the outbox (the snapshot that follows
   * brings their effects), rejected ones are reported with the reason `results` gives. Every
   * other entry is sent again under the new id, keeping its number (the server starts a new
   * device's numbering at its first push, P2). The device then loads a snapshot (B6).
   */
  private async reregister(from: string, settledBelow: number, results: MutationResult[], reason: Recovery['reason']) {
    const deviceId = newId()
    const reasons = new Map(results.flatMap((r) => (r.status === 'rejected' ? [[r.id, r] as const] : [])))
    const resent = await this.db.transaction(async (tx) => {
      const state = await readState(tx)
      if (state.deviceId !== from) return null
      const settledThere = await tx
        .select()
        .from(localOutbox)
        .where(and(lt(localOutbox.mutationId, settledBelow), isNotNull(localOutbox.settledSeq)))
      for (const entry of settledThere) {
        if (entry.settledSeq === REJECTED) {
          const refusal = reasons.get(entry.mutationId)
          await tx
            .insert(localRejections)
            .values({
              mutationId: entry.mutationId,
              name: entry.name,
              args: entry.args,
              errorCode: refusal?.code ?? 'conflict',
              errorMessage: refusal?.message ?? 'The server refused this change.',
            })
            .onConflictDoNothing()
        }
        await tx.delete(localOutbox).where(eq(localOutbox.mutationId, entry.mutationId))
      }
      await tx.update(localOutbox).set({ settledSeq: null })
      await tx.update(localSyncState).set({ deviceId, syncedSeq: null }).where(eq(localSyncState.id, 1))
      return pendingCount(tx)
    })
    if (resent === null) return
    this.id = deviceId
    this.noteRecovery(reason, resent)
  }

  /** Notes what a push answered; the stream settles them for good (SPEC P5, B3). */
  private async recordResults(results: MutationResult[]) {
    if (results.length === 0) return
    const restored = await this.db.transaction(async (tx) => {
      const { syncedSeq } = await readState(tx)
      let behind = false
      for (const r of results) {
        // A rejected one waits for its record in the stream, which brings the reason durably.
        const [entry] = await tx
          .update(localOutbox)
          .set({ settledSeq: r.status === 'applied' ? r.seq : REJECTED })
          .where(eq(localOutbox.mutationId, r.id))
          .returning({ id: localOutbox.mutationId })
        // Applied at a seq this device has passed, yet still pending here: the server's seqs
        // started again below the device's offset (a restore from a backup, B15). Its stream
        // from that offset would skip this result and more; the device starts from a snapshot.
        if (entry && r.status === 'applied' && r.seq > 0 && syncedSeq !== null && r.seq <= syncedSeq) behind = true
      }
      if (behind) await tx.update(localSyncState).set({ syncedSeq: null }).where(eq(localSyncState.id, 1))
      return behind ? pendingCount(tx) : null
    })
    if (restored !== null) this.noteRecovery('server-restored', restored)
  }

  private noteRecovery(reason: Recovery['reason'], resent: number) {
    this.statusValue.recovery = { reason, resent, message: recoveryMessage(reason, resent), at: this.now() }
    this.emit()
  }

  // Pull and rebase ------------------------------------------------------------------------------

  /**
   * Pulls once and applies what came, with pending writes reverted before and replayed after,
   * in one local transaction (SPEC B2). Returns whether the device is up to date.
   */
  async pull({ waitMs = 0, signal }: { waitMs?: number; signal?: AbortSignal } = {}): Promise<boolean> {
    const state = await readState(this.db)
    this.id = state.deviceId
    if (state.syncedSeq === null) {
      await this.refetch()
      return false
    }
    const result = await this.guard(() =>
      this.transport.pull({ deviceId: state.deviceId, offset: state.syncedSeq!, limit: this.options.pullLimit, waitMs, signal }),
    )
    if (result.type === 'must-refetch') {
      await this.refetch()
      return false
    }
    await this.db.transaction(async (tx) => {
      const current = await readState(tx)
      // Another pull (another tab, a retried request) may have applied this batch already, or
      // the device registered anew (B15) since it asked.
      if (current.syncedSeq !== state.syncedSeq || current.deviceId !== state.deviceId) return
      // W4: which workouts this batch re-dates into the window the device lacks, read before it.
      const held = await storedWindow(tx)
      const window = result.window ?? everything.setting
      const windowed = cutOf(window) !== null || held.heldFrom !== null
      const lacking = windowed ? await lackingRoots(tx, result.changes, cutOf(window)) : []
      // B14: before the batch settles this device's edits, note which of its values it replaces.
      await noteReplacedEdits(tx, result.changes, this.deviceId, this.userId)
      await this.rebase(tx, result.changes)
      await tx
        .update(localSyncState)
        .set({ syncedSeq: result.offset, horizon: result.horizon, lastSyncedAt: this.now() })
        .where(eq(localSyncState.id, 1))
      if (windowed) await this.keepWindow(tx, held, window, result.changes, lacking)
    })
    this.statusValue.lag = result.head - result.offset
    await this.fillWindow()
    await this.refreshStatus()
    return result.upToDate
  }

  // Storage window (SPEC W1-W6) ----------------------------------------------------------------

  /**
   * Brings the replica to the window a pull answer carries, in the batch's transaction (W3, W4):
   * narrowed, or with workouts before the cut arriving, it prunes what is outside (only with an
   * empty outbox: never a pending write's rows; otherwise once it empties); widened, it notes the
   * range to fetch; workouts re-dated into the window are noted as wanted.
   */
  private async keepWindow(tx: Tx, held: HeldWindow, window: WindowInForce, changes: Change[], lacking: string[]) {
    const cut = cutOf(window)
    const next: HeldWindow = { ...held, setting: window, wanted: [...new Set([...held.wanted, ...lacking])] }
    if (cut === null) {
      next.keptStale = false
      next.pruneDue = false
    } else {
      if (touchesKept(changes, cut)) next.keptStale = true
      const narrowing = held.heldFrom === null || cut > held.heldFrom
      if (narrowing || changes.length > 0 || held.pruneDue) {
        if ((await pendingCount(tx)) === 0) {
          await pruneOutside(tx, cut)
          next.pruneDue = false
          if (narrowing) next.heldFrom = cut
          if (narrowing) next.cursor = null
        } else {
          next.pruneDue = true
        }
      }
    }
    await storeWindow(tx, next)
  }

  private fillingWindow = false

  /**
   * Fetches what the window needs and the replica lacks (W4, W5), a request at a time, each
   * applied in a transaction of its own (with pending writes reverted and replayed around it):
   * the workouts re-dated into the window, then the kept ones if they may have changed, then a
   * widening's range in pages, newest first, its place stored after each page.
   */
  async fillWindow(): Promise<void> {
    const transport = this.transport
    if (!transport.history || this.fillingWindow) return
    this.fillingWindow = true
    try {
      const ask = (params: Omit<HistoryParams, 'deviceId'>) => this.guard(() => transport.history!({ deviceId: this.deviceId, ...params }))
      for (;;) {
        const held = await storedWindow(this.db)
        const cut = cutOf(held.setting)
        if (held.wanted.length > 0) {
          const ids = held.wanted.slice(0, MAX_HISTORY_ROOTS)
          const answer = await ask({ roots: ids })
          // A cut answer (its size budget, W5) brought the first of them: the rest are asked again.
          const done = answer.next === null ? ids : answer.roots.map((r) => r.id)
          await this.storeHistory(answer, (now) => ({ ...now, wanted: now.wanted.filter((id) => !done.includes(id)) }))
          continue
        }
        if (held.keptStale && cut !== null) {
          const answer = await ask({ kept: '1' })
          const here = new Set(await heldBefore(this.db, cut))
          const missing = answer.roots.map((r) => r.id).filter((id) => !here.has(id))
          await this.db.transaction(async (tx) => {
            const now = await storedWindow(tx)
            await storeWindow(tx, { ...now, keptStale: false, pruneDue: true, wanted: [...new Set([...now.wanted, ...missing])] })
          })
          continue
        }
        if (held.pruneDue && cut !== null && held.wanted.length === 0) {
          const pruned = await this.db.transaction(async (tx) => {
            if ((await pendingCount(tx)) > 0) return false
            await pruneOutside(tx, cut)
            await storeWindow(tx, { ...(await storedWindow(tx)), pruneDue: false })
            return true
          })
          if (pruned) continue
        }
        if (widening(held)) {
          this.statusValue.window = { ...this.statusValue.window, filling: this.statusValue.window.filling ?? { rows: 0 } }
          this.emit()
          const answer = await ask({ before: held.heldFrom!, from: cut ?? undefined, cursor: held.cursor ?? undefined, limit: 50 })
          const put = await this.storeHistory(answer, (now) =>
            now.heldFrom !== held.heldFrom || now.cursor !== held.cursor
              ? now
              : answer.next === null
                ? { ...now, heldFrom: cut, cursor: null }
                : { ...now, cursor: answer.next },
          )
          this.statusValue.window = { ...this.statusValue.window, filling: { rows: (this.statusValue.window.filling?.rows ?? 0) + put } }
          this.emit()
          continue
        }
        break
      }
    } finally {
      this.fillingWindow = false
      if (this.statusValue.window.filling) {
        this.statusValue.window = { ...this.statusValue.window, filling: null }
        this.emit()
      }
    }
  }

  /**
   * How many history rows the server counts in this device's window (W6), to set beside what the
   * device holds; null when the transport cannot ask. Throws {@link TransportError} offline.
   */
  async serverHistoryRows(): Promise<number | null> {
    const transport = this.transport
    if (!transport.history) return null
    const answer = await transport.history({ deviceId: await this.currentDeviceId(), count: '1' })
    return answer.rows ?? null
  }

  /** Puts a history answer's rows in the replica and updates the held window, in one transaction. */
  private async storeHistory(answer: HistoryResponse, update: (held: HeldWindow) => HeldWindow): Promise<number> {
    return this.db.transaction(async (tx) => {
      const pending = await pendingCount(tx)
      if (pending > 0) await revertPending(tx)
      const put = await putHistory(tx, answer)
      if (pending > 0) await replayPending(tx, this.userId)
      await storeWindow(tx, update(await storedWindow(tx)))
      return put
    })
  }

  private async rebase(tx: Tx, changes: Change[]) {
    if (changes.length === 0) return
    const pending = await pendingCount(tx)
    if (pending === 0) return applyChanges(tx, changes, this.deviceId)
    if (await applyBesidePending(tx, changes, this.deviceId)) return
    if (await settleBesidePending(tx, changes, this.deviceId)) return
    await revertPending(tx)
    await applyChanges(tx, changes, this.deviceId)
    await replayPending(tx, this.userId)
  }

  /**
   * Replaces the replica with a fresh snapshot, keeping and rebasing pending writes (SPEC B6):
   * for a new device, and for one behind the server's retention horizon.
   */
  async refetch(): Promise<void> {
    const deviceId = await this.currentDeviceId()
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
        let window: WindowInForce = everything.setting
        const tables = new Map(syncTables.map((t) => [t.table, t]))
        await this.guard(() =>
          this.transport.snapshot({ deviceId, sinceMutationId: since }, async (line) => {
            if (line.type === 'snapshot-begin') {
              horizon = line.horizon
              total = line.rows ?? null
              window = line.window ?? everything.setting
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
        // An entry the server answered at or below the snapshot's offset has its result in the
        // snapshot, which settled it above; one still here was forgotten (a server restored from a
        // backup) and is sent again: the server settles it once either way (P2, C4). Left settled,
        // it would wait for ever. One answered above the offset gets its result from the log.
        await tx
          .update(localOutbox)
          .set({ settledSeq: null })
          .where(and(isNotNull(localOutbox.settledSeq), lte(localOutbox.settledSeq, offset)))
        await replayPending(tx, this.userId)
        await tx.update(localSyncState).set({ syncedSeq: offset, horizon, lastSyncedAt: this.now() }).where(eq(localSyncState.id, 1))
        // W1: the snapshot holds the window whole (and the kept workouts before it).
        await storeWindow(tx, { ...everything, setting: window, heldFrom: cutOf(window) })
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
          if (this.statusValue.localError) {
            this.statusValue.localError = null
            this.emit()
          }
          if (!upToDate || !this.running) continue
          if (await this.hasUnpushed()) continue
          this.inFlight = new AbortController()
          await this.pull({ waitMs: liveWaitMs, signal: this.inFlight.signal })
        } catch (error) {
          if (!this.running) break
          if ((error as Error).name === 'AbortError') continue
          // Whatever the transport did not raise is this device's own failure (SPEC B6).
          const local = !(error instanceof TransportError)
          if (local) {
            this.statusValue.lastError = error instanceof Error ? error.message : String(error)
            this.statusValue.localError = localFailure(error)
            this.emit()
          }
          // No common protocol version (SPEC V2) or a failing device database (B6) is not fixed
          // by retrying soon: try again rarely.
          const incompatible = error instanceof TransportError && error.kind === 'version'
          backoff = incompatible || local ? maxBackoffMs : Math.min(maxBackoffMs, backoff ? backoff * 2 : 1000)
          // A busy server said when to come back (Retry-After): not sooner.
          const asked = error instanceof TransportError ? (error.retryAfterMs ?? 0) : 0
          await this.sleep(Math.max(backoff, asked))
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
    // A read that began before a local write committed would count the outbox without it, and
    // undo the count `mutate` gave the status: "all synced" beside the new row. Read again then.
    let writes: number
    do {
      writes = this.localWrites
      await this.readStatus()
    } while (writes !== this.localWrites)
    this.emit()
    return this.statusValue
  }

  /**
   * {@link refreshStatus} in the background, one at a time: asked for while one runs, it runs
   * once more after it. Each write asks; a burst of writes (a day logged offline, an import)
   * then costs one refresh running, not one per write, each reading again after every later
   * write (which made each write slower the longer the outbox: bench M6).
   */
  private refreshSoon() {
    this.statusAsked += 1
    this.statusRead ??= (async () => {
      let asked: number
      do {
        asked = this.statusAsked
        await this.refreshStatus()
      } while (asked !== this.statusAsked)
    })()
      .catch(() => undefined)
      .finally(() => (this.statusRead = undefined))
  }

  /** Background refreshes asked for so far, and the one running ({@link refreshSoon}). */
  private statusAsked = 0
  private statusRead: Promise<unknown> | undefined

  private async readStatus() {
    // The counts, the sync state and the open rejections: three reads.
    const [counts] = await rows<{ pending: number; oldest: string | null; uploads: number; failed: number }>(
      this.db,
      sql`select (select count(*)::int from ${localOutbox}) as pending,
                 (select min(${localOutbox.createdAt})::text from ${localOutbox}) as oldest,
                 (select count(*)::int from ${localUploads}) as uploads,
                 (select count(*)::int from ${localUploads} where ${localUploads.failedAt} is not null) as failed`,
    )
    const rejected = await this.db
      .select()
      .from(localRejections)
      .where(isNull(localRejections.dismissedAt))
      .orderBy(asc(localRejections.mutationId))
    const state = (await this.db.select().from(localSyncState).where(eq(localSyncState.id, 1)))[0]
    const held = windowOf(state?.filter)
    this.statusValue = {
      ...this.statusValue,
      pending: Number(counts?.pending ?? 0),
      oldestPendingAt: counts?.oldest ? new Date(counts.oldest) : null,
      lastSyncedAt: state?.lastSyncedAt ?? null,
      uploads: { pending: Number(counts?.uploads ?? 0), failed: Number(counts?.failed ?? 0) },
      window: { setting: held.setting, from: cutOf(held.setting), heldFrom: held.heldFrom, filling: this.statusValue.window.filling },
      rejected: rejected.map((r) => ({
        mutationId: r.mutationId,
        name: r.name,
        code: r.errorCode,
        message: r.errorMessage,
        at: r.rejectedAt,
      })),
    }
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

  /** Hides the notice of a re-registration (B15). */
  dismissRecovery(): void {
    this.statusValue = { ...this.statusValue, recovery: null }
    this.emit()
  }

  async dismissRejection(mutationId: number) {
    await this.db.update(localRejections).set({ dismissedAt: this.now() }).where(eq(localRejections.mutationId, mutationId))
    await this.refreshStatus()
  }
}

/**
 * A local failure in words for the status (SPEC B6): the database's own reason, on one line,
 * rather than the statement and its parameters.
 */
function localFailure(error: unknown): string {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error
  const reason = (cause instanceof Error ? cause.message : String(cause)).split('\n')[0]!.slice(0, 300)
  return `This device could not store what it synced (${reason}). Your changes are kept on this device, and sync keeps trying.`
}
