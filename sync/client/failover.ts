/**
 * The device database as one tab sees it: a connection to whichever tab's worker owns the
 * database now, that survives the owner closing (sync/SPEC.md B8).
 *
 * PGlite's worker proxies each statement from a tab to the leader's worker as several messages.
 * When the leader's tab closes, another worker opens the database from IndexedDB and becomes
 * leader, and PGliteWorker fails what was in flight with `LeaderChangedError`. But its clean-up
 * of that failure (a protocol Sync, a ROLLBACK) is sent on at once: lost while no leader listens,
 * so the promise never settles, or run on the new leader outside the locks, where it can roll back
 * another tab's transaction. So when the leader changes while this tab has an operation in flight,
 * the connection is closed (every later message on it fails at once, reaching nobody) and a new one
 * is opened; with nothing in flight the connection is kept. Either way each channel this tab
 * listens on is LISTENed again on the new leader, then {@link SharedDatabase.onMoved} listeners
 * run, so pages re-read what changed meanwhile.
 *
 * An operation that failed because the leader changed runs again on the new leader. The old
 * leader's uncommitted transaction died with its tab (nothing of it reached IndexedDB), so a
 * transaction is run again whole; its callback must be safe to run again when the earlier run may
 * have committed just before the leader went away (SyncClient.mutate checks for that).
 */
import type { PGliteInterface, Transaction } from '@electric-sql/pglite'

/** What this module needs of a PGliteWorker. */
export type Connection = Pick<PGliteInterface, 'query' | 'exec' | 'transaction'> & {
  readonly waitReady: Promise<void>
  onLeaderChange(callback: () => void): () => void
  listen(channel: string, callback: (payload: string) => void): Promise<() => Promise<void>>
  close(): Promise<void>
}

/**
 * An error that means "the database moved to another tab mid-operation": PGliteWorker's
 * LeaderChangedError, or a message sent on a connection this module closed for that reason.
 */
export function isMoveError(error: unknown): boolean {
  if (!(error instanceof Error)) return false
  return /^Leader changed/.test(error.message) || (error.name === 'InvalidStateError' && /closed/i.test(error.message))
}

/** How many times one operation may be caught by a move before the error reaches the caller. */
const MAX_ATTEMPTS = 5

type Slot = {
  connection: Connection
  /** Operations sent on it and not yet answered. */
  inflight: number
  /** Connected to the current leader (cleared when the leader changes). */
  connected: boolean
  replaced: Promise<void>
  replace: () => void
  unsubscribe: () => void
}

export class SharedDatabase {
  private slot: Slot
  private closed = false
  private readonly channels = new Map<string, Set<(payload: string) => void>>()
  private readonly movedListeners = new Set<() => void>()
  private readonly subscribed = new WeakMap<Connection, Set<string>>()

  /** `connect` opens a new connection to the shared database (a new PGliteWorker). */
  constructor(private readonly connect: () => Connection) {
    this.slot = this.attach(connect())
  }

  /** Resolves once the first connection reaches a leader. */
  get ready(): Promise<void> {
    return this.slot.connection.waitReady
  }

  query: PGliteInterface['query'] = (...args) => this.run((c) => c.query(...args))
  exec: PGliteInterface['exec'] = (...args) => this.run((c) => c.exec(...args))
  transaction = <T>(callback: (tx: Transaction) => Promise<T>): Promise<T> => this.run((c) => c.transaction(callback))

  /** Calls `callback` with each notification on `channel`, on whichever tab owns the database. */
  async listen(channel: string, callback: (payload: string) => void): Promise<() => void> {
    let callbacks = this.channels.get(channel)
    if (!callbacks) {
      callbacks = new Set()
      this.channels.set(channel, callbacks)
    }
    callbacks.add(callback)
    await this.run((c) => this.subscribe(c, channel))
    return () => void this.channels.get(channel)?.delete(callback)
  }

  /** Runs `callback` after the database moved to another tab and this tab listens again. */
  onMoved(callback: () => void): () => void {
    this.movedListeners.add(callback)
    return () => void this.movedListeners.delete(callback)
  }

  async close(): Promise<void> {
    this.closed = true
    this.slot.unsubscribe()
    this.slot.replace()
    await this.slot.connection.close()
  }

  private attach(connection: Connection): Slot {
    let replace!: () => void
    const replaced = new Promise<void>((resolve) => (replace = resolve))
    const slot: Slot = { connection, inflight: 0, connected: false, replaced, replace, unsubscribe: () => {} }
    slot.unsubscribe = connection.onLeaderChange(() => this.leaderChanged(slot))
    return slot
  }

  /** LISTENs on `channel` through `connection`, once per connection however often asked. */
  private async subscribe(connection: Connection, channel: string) {
    const channels = this.subscribed.get(connection) ?? new Set<string>()
    this.subscribed.set(connection, channels)
    if (channels.has(channel)) return
    channels.add(channel)
    try {
      await connection.listen(channel, (payload) => {
        for (const callback of this.channels.get(channel) ?? []) callback(payload)
      })
    } catch (error) {
      channels.delete(channel)
      throw error
    }
  }

  private leaderChanged(slot: Slot) {
    if (slot !== this.slot || this.closed) return
    slot.connected = false
    if (slot.inflight > 0) {
      // Opened before the old one closes, so its worker is already waiting in the election.
      this.slot = this.attach(this.connect())
      slot.unsubscribe()
      slot.replace()
      void slot.connection.close()
      const fresh = this.slot
      void Promise.all([...this.channels.keys()].map((channel) => this.run((c) => this.subscribe(c, channel), fresh)))
        .then(() => this.moved(fresh))
        .catch(() => undefined)
    } else {
      // The new leader knows nothing of this tab's LISTENs.
      void Promise.all([...this.channels.keys()].map((channel) => this.run((c) => c.exec(`LISTEN ${channel}`), slot)))
        .then(() => this.moved(slot))
        .catch(() => undefined)
    }
  }

  private moved(slot: Slot) {
    if (slot !== this.slot || this.closed) return
    for (const callback of this.movedListeners) callback()
  }

  /**
   * Runs `operation` on the current connection once it reaches a leader, again on the next one
   * if the database moved meanwhile. With `only`, on that connection or not at all.
   */
  private async run<R>(operation: (connection: Connection) => Promise<R>, only?: Slot): Promise<R> {
    for (let attempt = 1; ; attempt++) {
      if (this.closed) throw new Error('The device database is closed.')
      const slot = only ?? this.slot
      if (!slot.connected) {
        // Raced with `replaced` only while not connected: a reaction per operation on a promise
        // that may stay pending for the tab's life would pile up.
        await Promise.race([slot.connection.waitReady, slot.replaced])
        if (this.closed) throw new Error('The device database is closed.')
        if (slot === this.slot) slot.connected = true
      }
      if (slot !== this.slot) {
        if (only) throw new Error('The device database moved to another tab.')
        continue
      }
      slot.inflight += 1
      try {
        return await operation(slot.connection)
      } catch (error) {
        if (only || !isMoveError(error) || attempt >= MAX_ATTEMPTS) throw error
      } finally {
        slot.inflight -= 1
      }
    }
  }
}
