/**
 * The device as a page sees it: one object per tab over the shared device database, owning what
 * used to be spread over the React tree (sync/SPEC.md B8, B12, B13).
 *
 * - Leadership (B8): every tab asks for the Web Lock `cadence-sync:<user>`; the holder runs the
 *   sync loop, and the browser hands the lock to the next tab when the holder closes.
 * - Notifications (B12): the database notifies `cadence_local` once per table and statement; a
 *   tab gathers one event-loop turn of them, tells its pages to re-read only when a synced table
 *   changed, refreshes its status when the bookkeeping did, and the leader kicks its loop only
 *   for a write not yet pushed (one another tab made).
 * - Sign-out (B13): any tab may sign out. It tells every tab on a broadcast channel; each tab's loop
 *   stops for good, and whichever tab then holds the sync lock (no loop can be running) clears
 *   the device, once: later holders find the sync state gone and clear nothing.
 * - A lost session (A7): the device keeps its account and its pending writes when the server
 *   session ends or another account signs in. Its status says so; it sends nothing until the
 *   session is this account's again (it asks who is signed in), and then pushes what waited.
 *   Another account's session on a device with pending writes is the user's choice: sign in
 *   again as the device's account, or discard them ({@link Device.forgetAccount}).
 *
 * Every dependency on the browser (the lock manager, the broadcast channel, online events, the
 * end-of-turn timer, the transport, the database and its notifications) is passed in, so Node
 * tests run several "tabs" over one PGlite (device.test.ts); `browser.ts` wires the real ones.
 */
import { eq } from 'drizzle-orm'
import { users } from '@/db/schema'
import { localSyncState } from '@/db/schema/local'
import type { Db } from '@/db/types'
import { newId } from '@/domain/ids'
import type { MutatorArgs, MutatorName } from '@/domain/mutators'
import { SyncClient, clearDevice, emptySyncStatus, initDevice, type MutateOptions, type SyncStatus } from './client'
import { MemoryBlobStore, type BlobStore } from './media/blob-store'
import { DevicePhotos } from './media/photos'
import { UploadQueue } from './media/uploads'
import { TransportError, hasMedia, type MediaTransport, type Transport } from './transport'

/** The device database a tab holds: Drizzle over it, plus its notifications. */
export type DeviceDatabase = {
  db: Db
  /** Calls `callback` with each notification on `channel`; resolves once listening. */
  listen(channel: string, callback: (payload: string) => void): Promise<() => void>
  /** Calls `callback` after the database moved to another tab's worker (B8). */
  onMoved(callback: () => void): () => void
  close(): Promise<void>
}

/** What the device needs of `navigator.locks`. */
export type LockManagerLike = {
  request(name: string, options: { signal?: AbortSignal }, callback: () => Promise<void>): Promise<unknown>
}

/** What the device needs of a `BroadcastChannel`: every other tab's channel of the same name hears a post. */
export type ChannelLike = {
  postMessage(message: unknown): void
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void
  removeEventListener(type: 'message', listener: (event: { data: unknown }) => void): void
  close(): void
}

export type DeviceOptions = {
  database: DeviceDatabase
  /** The sync endpoints' client; the photo blobs' too when it has them (the wire client does). */
  transport: Transport | (Transport & MediaTransport)
  /** Where photo bytes are kept (SPEC M6); default in memory. */
  blobs?: BlobStore
  /** The origin's storage quota (`navigator.storage.estimate`), for the photo cache's default budget (M11). */
  estimate?: () => Promise<{ quota?: number }>
  locks: LockManagerLike
  /** Opens the tabs' broadcast channel of that name. */
  channel: (name: string) => ChannelLike
  /** Calls `listener` when the network comes back; returns how to stop. */
  onOnline: (listener: () => void) => () => void
  /**
   * Who is signed in on the server: the user's id, or null when nobody is; throws when the
   * server cannot be reached (a device that holds an account then opens offline, as it is).
   */
  sessionUser: () => Promise<string | null>
  /** Ends the server session once a sign-out has cleared the device (each tab calls it). */
  endSession?: () => Promise<void>
  /** Runs `callback` after the current event-loop turn (default `setTimeout(callback, 0)`). */
  afterTurn?: (callback: () => void) => void
  deviceName?: string
  /** Options of the sync loop (tests shorten the long poll). */
  loop?: { liveWaitMs?: number; maxBackoffMs?: number }
  /** The clock for new mutations. */
  now?: () => Date
}

/**
 * The server session as this device last found it (SPEC A7): `signed-in` (or not known yet,
 * offline); `lost`, nobody is signed in (the session expired, or the cookies were cleared);
 * `other-account`, the session is another account's. Pending writes stay queued in both.
 */
export type SessionState = 'signed-in' | 'lost' | 'other-account'

export type DeviceStatus = SyncStatus & {
  /** This tab runs the sync loop for every tab. */
  leader: boolean
  /** The device was cleared by a sign-out (in this tab or another): pages go to sign-in. */
  signedOut: boolean
  session: SessionState
  /** The address of the account this device holds, once its profile is on the device. */
  accountEmail: string | null
}

/** The status of a device that is not open yet (what a page shows while it opens): a fresh object each call. */
export function emptyDeviceStatus(): DeviceStatus {
  return { ...emptySyncStatus(), leader: false, signedOut: false, session: 'signed-in', accountEmail: null }
}

/**
 * Between the tabs of one account. `endSession` says whether the tabs end the server session once
 * the device is cleared: not when it is another account's (absent, from an older tab: yes).
 * `session`: what a tab found of the server session (the browser profile's, so every tab's); a
 * tab that hears it was found signed in again syncs now.
 */
type Message =
  { type: 'sign-out'; endSession?: boolean } | { type: 'signed-out'; endSession?: boolean } | { type: 'session'; session: SessionState }

const sessionStates: readonly string[] = ['signed-in', 'lost', 'other-account'] satisfies SessionState[]

function isMessage(data: unknown): data is Message {
  if (typeof data !== 'object' || data === null) return false
  const { type, session } = data as { type?: unknown; session?: unknown }
  return type === 'sign-out' || type === 'signed-out' || (type === 'session' && sessionStates.includes(session as string))
}

/**
 * Whose data this device holds, and how the server's session stands with it: the account in its
 * sync state, or on a fresh device the session's (null: nobody is signed in here).
 */
async function deviceAccount(
  db: Db,
  sessionUser: () => Promise<string | null>,
): Promise<{ userId: string | null; session: SessionState | undefined }> {
  const [state] = await db.select({ userId: localSyncState.userId }).from(localSyncState)
  if (!state) {
    const userId = await sessionUser().catch(() => null)
    return { userId, session: userId === null ? undefined : 'signed-in' }
  }
  // Unreachable (offline): not known; the device opens as it is, and its first request tells.
  const current = await sessionUser().catch(() => undefined)
  if (current === undefined) return { userId: state.userId, session: undefined }
  return { userId: state.userId, session: current === null ? 'lost' : current === state.userId ? 'signed-in' : 'other-account' }
}

/**
 * Opens the device for this tab: the account it holds (or the session's, on a fresh device),
 * its sync state, leadership and notifications. Null when nobody is signed in. It takes
 * `options.database`: closed here when there is no device to give (null, or a failure), and
 * otherwise by {@link Device.close}.
 *
 * When another account is signed in on the server (A7), a device with nothing pending is
 * cleared for it at once (every tab leaves, and comes back as that account); one with pending
 * writes keeps them and waits for the user's choice.
 */
export async function openDevice(options: DeviceOptions): Promise<Device | null> {
  const { database } = options
  let device: Device | undefined
  try {
    const { userId, session } = await deviceAccount(database.db, options.sessionUser)
    if (userId === null) {
      await database.close()
      return null
    }
    const state = await initDevice(database.db, { deviceId: newId(), userId })
    device = new Device(options, state.deviceId, userId, session)
    await device.start()
    // Photos still to upload are the account's too: their bytes would go with the device (M12).
    if (session === 'other-account' && device.status.pending === 0 && device.status.uploads.pending === 0) {
      // After the caller has subscribed to the status, which then says the device signed out.
      const forgetting = device
      setTimeout(() => void forgetting.forgetAccount().catch(() => undefined), 0)
    }
    return device
  } catch (error) {
    await (device ? device.close() : database.close()).catch(() => undefined)
    throw error
  }
}

export class Device {
  private readonly client: SyncClient
  /** Photos on this device (SPEC M6-M12): attach, load, the cache's budget. */
  readonly photos: DevicePhotos
  /** The photo upload queue, run while this tab leads (M7). */
  private readonly uploads: UploadQueue
  private readonly db: Db
  private readonly channel: ChannelLike
  private readonly statusListeners = new Set<() => void>()
  private readonly dataListeners = new Set<() => void>()
  private readonly cleanups: (() => void)[] = []
  private readonly leadership = new AbortController()
  private snapshot: DeviceStatus
  private leader = false
  private signedOut = false
  private accountEmail: string | null = null
  /**
   * The next request asks who is signed in first: until one succeeded under this account's
   * session (which registers the device to it, so the server refuses it to anyone else, P1),
   * and after a request was refused or unauthorised.
   */
  private verifySession: boolean
  /** Whether the tabs end the server session after a clear (not when it is another account's). */
  private endSessionOnLeave = true
  private closed = false
  /** A sign-out began, here or in another tab: this tab's loop never runs again. */
  private ending = false
  /** This tab asked for the sign-out, so {@link signOut} leaves, not the broadcast. */
  private signingOutHere = false
  private leaving: Promise<void> | undefined
  private resigned!: Promise<void>
  private resign!: () => void
  private cleared!: Promise<void>
  private markCleared!: () => void
  private readonly changedTables = new Set<string>()
  private flushScheduled = false

  private session: SessionState

  /** Use {@link openDevice}. `found`: the session as opening found it (undefined: not known). */
  constructor(
    private readonly options: DeviceOptions,
    deviceId: string,
    readonly userId: string,
    private readonly found?: SessionState,
  ) {
    this.session = found ?? 'signed-in'
    this.verifySession = found !== 'signed-in'
    this.db = options.database.db
    this.resigned = new Promise((resolve) => (this.resign = resolve))
    this.cleared = new Promise((resolve) => (this.markCleared = resolve))
    this.client = new SyncClient({
      db: this.db,
      transport: this.watchSession(options.transport),
      deviceId,
      userId,
      deviceName: options.deviceName,
      now: options.now,
      // The page that wrote re-reads at once, without waiting for the database's notification.
      onLocalWrite: () => this.emitData(),
    })
    const blobs = options.blobs ?? new MemoryBlobStore()
    const media = this.watchMediaSession(options.transport)
    this.photos = new DevicePhotos({
      db: this.db,
      blobs,
      transport: media,
      mutate: (name, args, mutateOptions) => this.mutate(name, args, mutateOptions),
      estimate: options.estimate,
      now: options.now,
      onQueued: () => this.uploads.kick(),
    })
    this.uploads = new UploadQueue({
      db: this.db,
      blobs,
      transport: media,
      sweep: () => this.photos.sweep(),
      maxBackoffMs: options.loop?.maxBackoffMs,
    })
    this.snapshot = this.makeSnapshot()
    this.channel = options.channel(`cadence-device:${userId}`)
  }

  /** Subscribes to the channel, asks for leadership, listens for commits and the network. */
  async start(): Promise<void> {
    // The channel before the lock: a tab that misses a sign-out message subscribed after it was
    // posted, so it also asks for the lock after the signing-out tab did, and the device is
    // cleared before that tab could lead (it then finds no sync state and does not start).
    const onMessage = (event: { data: unknown }) => {
      if (isMessage(event.data)) this.heard(event.data)
    }
    this.channel.addEventListener('message', onMessage)
    this.cleanups.push(() => this.channel.removeEventListener('message', onMessage))
    this.cleanups.push(this.client.subscribe(() => this.updateStatus()))
    this.lead()
    const { database } = this.options
    this.cleanups.push(await database.listen('cadence_local', (table) => this.changed(table)))
    // After a move this tab listens on the new owner; re-read what may have changed meanwhile.
    this.cleanups.push(database.onMoved(() => this.changed('*')))
    this.cleanups.push(
      this.options.onOnline(() => {
        this.client.kick()
        this.uploads.kick({ retry: true })
      }),
    )
    await this.readAccountEmail()
    await this.client.refreshStatus()
    // Tabs of this account that lost the session learn it is back (this tab signed in again).
    if (this.found) this.tellSession()
  }

  private async readAccountEmail() {
    const [me] = await this.db.select({ email: users.email }).from(users).where(eq(users.id, this.userId))
    this.accountEmail = me?.email ?? null
  }

  // The session (A7) ---------------------------------------------------------------------------

  /**
   * The transport the sync loop uses: while the session is not known to be this account's, each
   * request first asks the server who is signed in, and is sent only when it is this account
   * (so nothing of this account is pushed under another one's session); an unauthorised answer
   * marks the session lost. The loop's back-off paces the asking.
   */
  private watchSession(transport: Transport): Transport {
    const send = async <T>(request: () => Promise<T>): Promise<T> => {
      if (this.session !== 'signed-in' || this.verifySession) await this.checkSession()
      try {
        return await request()
      } catch (error) {
        if (error instanceof TransportError && (error.kind === 'auth' || error.kind === 'refused')) this.verifySession = true
        if (error instanceof TransportError && error.kind === 'auth') this.setSession('lost')
        throw error
      }
    }
    return {
      push: (request) => send(() => transport.push(request)),
      pull: (params) => send(() => transport.pull(params)),
      snapshot: (params, onLine) => send(() => transport.snapshot(params, onLine)),
      // A storage window's history pages (W5) go the same way, when the transport reaches them.
      ...(transport.history ? { history: (params) => send(() => transport.history!(params)) } : {}),
    }
  }

  /**
   * The photo blobs' endpoints behind the same session check (A7): an upload under another
   * account's session would be answered 404, and its entry dropped with the bytes never sent.
   * A transport without them (a test's) is never reachable.
   */
  private watchMediaSession(transport: DeviceOptions['transport']): MediaTransport {
    const send = async <T>(request: () => Promise<T>): Promise<T> => {
      if (this.session !== 'signed-in' || this.verifySession) await this.checkSession()
      try {
        return await request()
      } catch (error) {
        if (error instanceof TransportError && error.kind === 'auth') {
          this.verifySession = true
          this.setSession('lost')
        }
        // "No photo of yours names it" ends an upload for good (M7): first make sure it was asked
        // under this account's session, not another's signed in a moment ago in another tab.
        if (error instanceof TransportError && error.kind === 'not-found') await this.checkSession()
        throw error
      }
    }
    if (!hasMedia(transport)) {
      const unreachable = async (): Promise<never> => {
        throw new TransportError('offline', 'Photos cannot be reached from this device.')
      }
      return { putMedia: unreachable, getMedia: unreachable }
    }
    return {
      putMedia: (sha256, bytes, mimeType, signal) => send(() => transport.putMedia(sha256, bytes, mimeType, signal)),
      getMedia: (sha256, signal) => send(() => transport.getMedia(sha256, signal)),
    }
  }

  private async checkSession() {
    let current: string | null
    try {
      current = await this.options.sessionUser()
    } catch {
      throw new TransportError('offline', 'The server cannot be reached.')
    }
    if (current === this.userId) {
      this.verifySession = false
      return this.setSession('signed-in')
    }
    this.setSession(current === null ? 'lost' : 'other-account')
    throw new TransportError(
      'auth',
      current === null ? 'Signed out: sign in again to sync.' : 'Another account is signed in: this device’s changes wait for theirs.',
    )
  }

  /** Records what this tab found of the session and, unless it heard it, tells the other tabs. */
  private setSession(session: SessionState, { heard = false } = {}) {
    if (this.session === session) return
    this.session = session
    this.updateStatus()
    if (!heard) this.tellSession()
  }

  private tellSession() {
    if (!this.closed) this.channel.postMessage({ type: 'session', session: this.session } satisfies Message)
  }

  /**
   * Ends the server session (another account's, or none) so that the device's own account can
   * sign in again; the device keeps everything. The page then goes to sign-in.
   */
  async endServerSession(): Promise<void> {
    await this.options.endSession?.()
    this.setSession('lost')
  }

  // Reading and writing ------------------------------------------------------------------------

  /** Runs a read (a `db/queries` function) on the device database, for the signed-in user. */
  query<T>(read: (db: Db, userId: string) => Promise<T>): Promise<T> {
    return read(this.db, this.userId)
  }

  /** Runs a mutation on the device and queues it (SPEC B1, B10); a refusal throws `MutationError`. */
  mutate<N extends MutatorName>(name: N, args: MutatorArgs<N>, options?: MutateOptions): Promise<number> {
    if (this.ending) return Promise.reject(new Error('This device is signing out.'))
    // The person at the device signed in as someone else: nothing is written in this account's name.
    if (this.session === 'other-account') {
      return Promise.reject(
        new Error('Another account is signed in. Sign in again as this device’s account, or discard its changes, first.'),
      )
    }
    return this.client.mutate(name, args, options)
  }

  /** The history rows the server counts in this device's window (W6), or null if it cannot say. */
  serverHistoryRows(): Promise<number | null> {
    return this.client.serverHistoryRows()
  }

  /** Hides a rejected change from the status. */
  dismissRejection(mutationId: number): Promise<void> {
    return this.client.dismissRejection(mutationId)
  }

  /** Hides the notice that the device registered with the server again (B15). */
  dismissRecovery(): void {
    this.client.dismissRecovery()
  }

  /** This device's id with the server; a new one after it registered again (B15). */
  get deviceId(): string {
    return this.client.deviceId
  }

  // Status and change notifications ------------------------------------------------------------

  /** The latest status; a new object whenever it changed (for `useSyncExternalStore`). */
  get status(): DeviceStatus {
    return this.snapshot
  }

  /** Reads the status from the database now (pending writes before a sign-out, say). */
  async refreshStatus(): Promise<DeviceStatus> {
    await this.client.refreshStatus()
    return this.snapshot
  }

  /** Calls `listener` whenever {@link status} changes. */
  subscribe(listener: () => void): () => void {
    this.statusListeners.add(listener)
    return () => void this.statusListeners.delete(listener)
  }

  /** Calls `listener` when data the pages read (a synced table) may have changed. */
  onDataChange(listener: () => void): () => void {
    this.dataListeners.add(listener)
    return () => void this.dataListeners.delete(listener)
  }

  private makeSnapshot(): DeviceStatus {
    return {
      ...this.client.status,
      rejected: [...this.client.status.rejected],
      leader: this.leader,
      signedOut: this.signedOut,
      session: this.session,
      accountEmail: this.accountEmail,
    }
  }

  private updateStatus() {
    // The client changes some fields of its status in place; a fresh object tells React.
    this.snapshot = this.makeSnapshot()
    for (const listener of this.statusListeners) listener()
  }

  private emitData() {
    for (const listener of this.dataListeners) listener()
  }

  /** B12: one event-loop turn of notifications is handled once. */
  private changed(table: string) {
    this.changedTables.add(table)
    if (this.flushScheduled) return
    this.flushScheduled = true
    const afterTurn = this.options.afterTurn ?? ((callback) => void setTimeout(callback, 0))
    afterTurn(() => this.flush())
  }

  private flush() {
    this.flushScheduled = false
    const tables = [...this.changedTables]
    this.changedTables.clear()
    if (this.closed) return
    // Pages read only synced tables; the local_* bookkeeping is the status's ('*': both).
    const bookkeeping = (table: string) => table.startsWith('local_')
    if (!tables.every(bookkeeping)) {
      this.emitData()
      // A new device learns its account's address with its first snapshot.
      if (this.accountEmail === null) {
        this.readAccountEmail()
          .then(() => this.accountEmail !== null && this.updateStatus())
          .catch(() => undefined)
      }
    }
    if (tables.some((table) => table === '*' || bookkeeping(table))) this.client.refreshStatus().catch(() => undefined)
    // Only a write not yet pushed kicks the loop: each pull updates the sync state, and the
    // loop's own bookkeeping must not end the long poll that follows it.
    if (tables.includes('local_outbox')) this.client.kickIfUnpushed().catch(() => undefined)
    // An attach left the outbox (its upload may go), or one was queued in another tab (M7): an
    // attach writes the outbox too. Not on the queue's own writes, which would wake it again.
    if (tables.some((table) => table === '*' || table === 'local_outbox')) this.uploads.kick()
  }

  // Leadership and sign-out --------------------------------------------------------------------

  private lead() {
    this.options.locks
      .request(`cadence-sync:${this.userId}`, { signal: this.leadership.signal }, async () => {
        if (this.closed) return
        if (this.ending) return this.clearOnce()
        // A tab that opened as the device was being cleared gets the lock after the clear.
        if (!(await this.holdsAccount())) return this.heard({ type: 'signed-out' })
        // The tab may have closed, or heard of a sign-out, while it looked.
        if (this.closed) return
        if (this.ending) return this.clearOnce()
        this.client.start(this.options.loop)
        this.uploads.start()
        this.setLeader(true)
        await this.resigned
        await Promise.all([this.client.stop(), this.uploads.stop()])
        this.setLeader(false)
        if (this.ending && !this.closed) await this.clearOnce()
      })
      .catch(() => undefined)
  }

  private setLeader(leader: boolean) {
    this.leader = leader
    this.updateStatus()
  }

  private async holdsAccount(): Promise<boolean> {
    const [state] = await this.db.select({ userId: localSyncState.userId }).from(localSyncState).where(eq(localSyncState.id, 1))
    return state?.userId === this.userId
  }

  /**
   * Runs while this tab holds the sync lock and no loop runs anywhere: clears the device unless
   * an earlier holder did, then tells every tab.
   */
  private async clearOnce() {
    if (await this.holdsAccount()) {
      await clearDevice(this.db)
      // Every photo's bytes too (M12). Should this fail, the next account's sweep takes bytes
      // no index row names once they are an hour old.
      await this.photos.clear().catch(() => undefined)
    }
    const message = { type: 'signed-out', endSession: this.endSessionOnLeave } satisfies Message
    this.channel.postMessage(message)
    this.heard(message)
  }

  private heard(message: Message) {
    if (message.type === 'session') {
      const back = message.session === 'signed-in' && this.session !== 'signed-in'
      this.setSession(message.session, { heard: true })
      if (back && !this.ending) {
        this.client.kick()
        this.uploads.kick({ retry: true })
      }
      return
    }
    // The tab that chose (sign-out or forget) keeps its choice; the others follow it, and none
    // ends a session it knows to be another account's (a tab that missed the message cannot tell).
    if (!this.signingOutHere) this.endSessionOnLeave = (message.endSession ?? true) && this.session !== 'other-account'
    this.ending = true
    this.resign()
    if (message.type === 'signed-out') {
      // Nothing is left to lead, and a queued request granted later must not clear an account
      // signed in again meanwhile. (Aborting does not release a lock this tab holds.)
      this.leadership.abort()
      this.markCleared()
      if (!this.signingOutHere) void this.leave()
    }
  }

  /**
   * Ends the server session, then lets the pages leave for sign-in. Every tab ends it (the
   * session is the profile's, and ending it twice is harmless): a tab that went to sign-in while
   * the session lived would be sent straight back by the sign-in page.
   */
  private leave(): Promise<void> {
    this.leaving ??= (async () => {
      if (this.endSessionOnLeave) await this.options.endSession?.().catch(() => undefined)
      this.signedOut = true
      this.updateStatus()
    })()
    return this.leaving
  }

  /**
   * Signs out on every tab: each tab's sync loop stops for good, the device is cleared once,
   * then the server session ends. Resolves when the device is cleared and the session ended.
   */
  async signOut(): Promise<void> {
    await this.clearEverywhere(true)
  }

  /**
   * Forgets this device's account without ending the server session, which is another
   * account's (A7): as {@link signOut}, every tab stops, the device is cleared once (pending
   * writes too: the caller has the user's yes) and the pages leave, to come back as the
   * signed-in account.
   */
  async forgetAccount(): Promise<void> {
    await this.clearEverywhere(false)
  }

  private async clearEverywhere(endSession: boolean): Promise<void> {
    if (this.closed) return
    if (!this.ending) {
      this.signingOutHere = true
      this.ending = true
      this.endSessionOnLeave = endSession
      this.channel.postMessage({ type: 'sign-out', endSession } satisfies Message)
      // The leader (this tab or another) stops its loop and clears, holding the lock.
      this.resign()
    }
    await this.cleared
    await this.leave()
  }

  /** Leaves the device as it is: stops this tab's loop, gives up the lock, closes the database. */
  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    this.leadership.abort()
    this.resign()
    for (const cleanup of this.cleanups.splice(0)) cleanup()
    await Promise.all([this.client.stop(), this.uploads.stop()])
    this.channel.close()
    await this.options.database.close()
  }
}
