/**
 * The upload queue (sync/SPEC.md M7), run by the tab that leads (B8) beside the sync loop: the
 * blobs in `local_uploads`, in the order attached, one at a time. Its state is the table, so a
 * reload, a crash or another tab taking the lead continues where it stopped.
 *
 * - An entry waits while the mutation that attached it is in `local_outbox`: the server must have
 *   applied it (the `media` row the upload is checked against is there) or rejected it (then the
 *   upload is answered 404, and dropped). So no upload ever holds up a mutation.
 * - `stored`, `held` and 404 end an entry; any other refusal (400, 413, 415, ...) keeps it, failed,
 *   with the server's words for the photo to show; bytes missing from the store fail it too.
 * - The network failing, the server failing or busy: the entry's attempts and next attempt are
 *   written (1 s doubling to 30 s, or the `Retry-After` if later), and the queue holds until then,
 *   since the next blob would go the same way. A kick with `retry` (reconnecting) ends the wait.
 * - 401: the queue stops until kicked (the session came back).
 * - After a round that found the outbox empty, the device sweeps (M12).
 */
import { and, asc, eq, inArray, isNull } from 'drizzle-orm'
import { localOutbox, localUploads } from '@/db/schema/local'
import type { Db } from '@/db/types'
import { TransportError, type MediaTransport } from '../transport'
import type { BlobStore } from './blob-store'

export type UploadQueueOptions = {
  db: Db
  blobs: BlobStore
  transport: MediaTransport
  /** Runs after a round that found the outbox empty (`DevicePhotos.sweep`). */
  sweep?: () => Promise<unknown>
  now?: () => Date
  maxBackoffMs?: number
  /** Told of a failure of the device's own (its database): the queue tries again later. */
  onError?: (error: unknown) => void
}

/** What one round did. `stopped`: it ended early (`auth`: until kicked; `backoff`: until `retryAt`). */
export type UploadRound = {
  uploaded: number
  /** Entries ended by a 404: no photo of this account names the hash any more. */
  dropped: number
  failed: number
  /** Entries whose attach is still in the outbox. */
  waiting: number
  retryAt: Date | null
  stopped: 'auth' | 'backoff' | null
}

const FIRST_BACKOFF_MS = 1000

/** The wait before attempt `attempts + 1`, after `attempts` failures: 1 s doubling, at most `max`. */
export function backoffMs(attempts: number, max = 30_000): number {
  return Math.min(max, FIRST_BACKOFF_MS * 2 ** Math.max(0, attempts - 1))
}

type UploadEntry = typeof localUploads.$inferSelect

/**
 * The entry as this round read it: a photo attached again with the same bytes meanwhile takes the
 * row over (a new mutation, a fresh start), and what became of the older request is not its news.
 */
const same = (entry: UploadEntry) => and(eq(localUploads.id, entry.id), eq(localUploads.mutationId, entry.mutationId))

const missingBytes = 'This photo’s bytes are no longer on this device, so it cannot be uploaded. Remove the photo and attach it again.'

export class UploadQueue {
  private readonly db: Db
  private readonly now: () => Date
  private readonly maxBackoffMs: number
  /** Until when a failure of the network or the server holds every upload (in memory). */
  private holdUntil: number | null = null
  private authStopped = false
  private retryNext = false
  private kicked = false
  private running = false
  private wake: (() => void) | undefined
  private inFlight: AbortController | undefined
  private loopDone: Promise<void> | undefined

  constructor(private readonly options: UploadQueueOptions) {
    this.db = options.db
    this.now = options.now ?? (() => new Date())
    this.maxBackoffMs = options.maxBackoffMs ?? 30_000
  }

  /**
   * One round: every entry that is ready, in id order, until one fails for a reason the next
   * would share. `retry`: entries backing off are ready too.
   */
  async runOnce({ retry = false }: { retry?: boolean } = {}): Promise<UploadRound> {
    const round: UploadRound = { uploaded: 0, dropped: 0, failed: 0, waiting: 0, retryAt: null, stopped: null }
    const startedAt = this.now().getTime()
    if (retry) this.holdUntil = null
    if (this.holdUntil !== null && startedAt < this.holdUntil) {
      return { ...round, retryAt: new Date(this.holdUntil), stopped: 'backoff' }
    }
    this.holdUntil = null
    const entries = await this.db.select().from(localUploads).where(isNull(localUploads.failedAt)).orderBy(asc(localUploads.id))
    const attaching = new Set(
      entries.length === 0
        ? []
        : (
            await this.db
              .select({ id: localOutbox.mutationId })
              .from(localOutbox)
              .where(
                inArray(
                  localOutbox.mutationId,
                  entries.map((e) => e.mutationId),
                ),
              )
          ).map((r) => r.id),
    )
    for (const entry of entries) {
      if (attaching.has(entry.mutationId)) {
        round.waiting++
        continue
      }
      const due = entry.nextAttemptAt?.getTime() ?? 0
      if (!retry && due > startedAt) {
        if (!round.retryAt || due < round.retryAt.getTime()) round.retryAt = new Date(due)
        continue
      }
      const blob = await this.options.blobs.get(entry.sha256)
      if (!blob) {
        await this.fail(entry, missingBytes)
        round.failed++
        continue
      }
      const bytes = new Uint8Array(await blob.arrayBuffer())
      this.inFlight = new AbortController()
      try {
        await this.options.transport.putMedia(entry.sha256, bytes, entry.mimeType, this.inFlight.signal)
        await this.db.delete(localUploads).where(same(entry))
        round.uploaded++
      } catch (error) {
        if (!(error instanceof TransportError)) throw error
        if (error.kind === 'not-found') {
          await this.db.delete(localUploads).where(same(entry))
          round.dropped++
          continue
        }
        if (error.kind === 'auth') {
          this.authStopped = true
          return { ...round, stopped: 'auth' }
        }
        if (error.kind === 'refused' || error.kind === 'too-large') {
          await this.fail(entry, error.message)
          round.failed++
          continue
        }
        // Offline, the server failing or busy (or speaking another protocol): later, for all.
        const attempts = entry.attempts + 1
        const failedAt = this.now().getTime()
        const retryAt = new Date(failedAt + Math.max(backoffMs(attempts, this.maxBackoffMs), error.retryAfterMs ?? 0))
        await this.db.update(localUploads).set({ attempts, nextAttemptAt: retryAt, lastError: error.message }).where(same(entry))
        this.holdUntil = retryAt.getTime()
        return { ...round, retryAt, stopped: 'backoff' }
      } finally {
        this.inFlight = undefined
      }
    }
    const [queued] = await this.db.select({ id: localOutbox.mutationId }).from(localOutbox).limit(1)
    if (!queued) await this.options.sweep?.()
    return round
  }

  private async fail(entry: UploadEntry, message: string) {
    await this.db.update(localUploads).set({ failedAt: this.now(), lastError: message }).where(same(entry))
  }

  // The loop -------------------------------------------------------------------------------------

  /** Uploads until {@link stop}: a round, then a wait until the next entry is due or a kick. */
  start(): void {
    if (this.running) return
    this.running = true
    this.loopDone = (async () => {
      while (this.running) {
        let wait: number | null
        try {
          this.kicked = false
          const retry = this.retryNext
          this.retryNext = false
          if (this.authStopped) {
            wait = null
          } else {
            const round = await this.runOnce({ retry })
            wait = round.stopped === 'auth' || !round.retryAt ? null : Math.max(0, round.retryAt.getTime() - this.now().getTime())
          }
        } catch (error) {
          if (!this.running) break
          if ((error as Error).name !== 'AbortError') this.options.onError?.(error)
          wait = this.maxBackoffMs
        }
        if (!this.running) break
        if (this.kicked) continue
        await this.sleep(wait)
      }
    })()
  }

  /**
   * Runs a round soon (after an attach, when the outbox changed): ends the wait, and a stop for
   * a 401. `retry` (reconnecting, the session back): entries backing off go now too.
   */
  kick({ retry = false }: { retry?: boolean } = {}): void {
    this.authStopped = false
    if (retry) this.retryNext = true
    this.kicked = true
    this.wake?.()
  }

  /** Stops the loop, cancelling an upload in flight (its entry stays, for the next leader). */
  async stop(): Promise<void> {
    this.running = false
    this.inFlight?.abort()
    this.wake?.()
    await this.loopDone
  }

  /** Waits `ms`, or until kicked (null: only a kick). */
  private sleep(ms: number | null): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer)
        this.wake = undefined
        resolve()
      }
      const timer = ms === null ? undefined : setTimeout(done, ms)
      this.wake = done
    })
  }
}
