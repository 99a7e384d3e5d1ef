/**
 * The device facade's orchestration across tabs (sync/SPEC.md B8, B12, B13), in Node.
 *
 * Harness: one PGlite with the device schema stands for the database every tab shares; each
 * "tab" is a `Device` over it with its own LISTEN on `cadence_local`. The browser's pieces are
 * small fakes: a Web Lock manager that grants each name to one holder at a time in request order
 * (and drops an aborted request), a broadcast hub that delivers a post to every other open
 * channel of the same name on a later task, and a transport of this file's own that answers at
 * once, except a long poll, which waits until the loop aborts it. The end-of-turn timer is
 * manual where a test counts turns. The server's session is a variable (`serverUser`), and the
 * transport can be told to answer 401 or to be unreachable. Invariants: exactly one tab runs the
 * sync loop, and another takes over when it closes; one turn of notifications is handled once; a
 * sign-out in any tab stops every loop before the device is cleared, and clears it once; a lost
 * session keeps every pending write, and none is sent under another account's session.
 */
import { sql } from 'drizzle-orm'
import { afterEach, beforeEach, expect, test, vi } from 'vitest'
import { placeErrors } from '@/components/sync/field-errors'
import { rows } from '@/db/rows'
import { testPglite, type TestPglite } from '@/db/testing/pglite'
import { MutationError } from '@/domain/errors'
import { newId } from '@/domain/ids'
import type { PushRequest, PushResponse, PullResponse, SnapshotLine } from '../protocol'
import { PROTOCOL_VERSION } from '../protocol'
import { openDevice, type ChannelLike, type Device, type LockManagerLike } from './device'
import { TransportError, type PullParams, type SnapshotParams, type Transport } from './transport'

class FakeLocks implements LockManagerLike {
  private readonly held = new Set<string>()
  private readonly queues = new Map<string, { grant: () => void; signal?: AbortSignal }[]>()

  request(name: string, { signal }: { signal?: AbortSignal }, callback: () => Promise<void>): Promise<unknown> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(new DOMException('aborted', 'AbortError'))
      const waiter = {
        signal,
        grant: () => {
          this.held.add(name)
          callback()
            .then(resolve, reject)
            .finally(() => {
              this.held.delete(name)
              this.next(name)
            })
        },
      }
      signal?.addEventListener('abort', () => {
        const queue = this.queues.get(name) ?? []
        const at = queue.indexOf(waiter)
        if (at < 0) return
        queue.splice(at, 1)
        reject(new DOMException('aborted', 'AbortError'))
      })
      this.queues.set(name, [...(this.queues.get(name) ?? []), waiter])
      this.next(name)
    })
  }

  private next(name: string) {
    if (this.held.has(name)) return
    this.queues.get(name)?.shift()?.grant()
  }
}

class FakeBroadcast {
  private readonly open = new Set<{ name: string; listeners: Set<(event: { data: unknown }) => void> }>()

  channel = (name: string): ChannelLike => {
    const self = { name, listeners: new Set<(event: { data: unknown }) => void>() }
    this.open.add(self)
    return {
      postMessage: (data) => {
        for (const other of this.open) {
          if (other === self || other.name !== name) continue
          // A structured clone, delivered on a later task, as the browser does.
          const copy = structuredClone(data)
          setTimeout(() => other.listeners.forEach((listener) => listener({ data: copy })), 0)
        }
      },
      addEventListener: (_type, listener) => void self.listeners.add(listener),
      removeEventListener: (_type, listener) => void self.listeners.delete(listener),
      close: () => void this.open.delete(self),
    }
  }
}

/**
 * Answers every request at once, except a long poll, which waits for the loop to abort it.
 * It answers as the server would for the session of the moment (`serverUser`): 401 with none,
 * 403 under another account's (P1: the device is this account's), nothing when unreachable;
 * `failing = 'offline'` drops every request whatever the session.
 */
class FakeTransport implements Transport {
  readonly pushed: PushRequest[] = []
  requests = 0
  longPolls = 0
  abortedPolls = 0
  failing: 'offline' | null = null
  /** Requests that reached the server under another account's session. */
  refused = 0
  private seq = 0

  private answer() {
    this.requests++
    if (this.failing === 'offline' || serverUser === 'unreachable') throw new TransportError('offline', 'The server cannot be reached.')
    if (serverUser === null) throw new TransportError('auth', 'Signed out: sign in again to sync.')
    if (serverUser !== userId) {
      this.refused++
      throw new TransportError('refused', 'This device id belongs to another account.')
    }
  }

  /** The next push is answered as by a server that recorded another mutation under its first id (B15). */
  reregisterNext = false

  async push(request: PushRequest): Promise<PushResponse> {
    this.answer()
    this.pushed.push(request)
    if (this.reregisterNext) {
      this.reregisterNext = false
      return {
        type: 'reregister',
        mutationId: request.mutations[0]!.id,
        results: [],
        message: 'Another mutation was recorded under this id.',
        horizon: 0,
      }
    }
    return { type: 'pushed', results: request.mutations.map((m) => ({ id: m.id, status: 'applied', seq: ++this.seq })), horizon: 0 }
  }

  async pull({ waitMs = 0, signal }: PullParams): Promise<PullResponse> {
    this.answer()
    const answer: PullResponse = { type: 'changes', changes: [], offset: 0, head: 0, upToDate: true, horizon: 0 }
    if (waitMs === 0) return answer
    this.longPolls++
    return new Promise((_resolve, reject) => {
      signal?.addEventListener('abort', () => {
        this.abortedPolls++
        reject(new DOMException('The long poll was aborted.', 'AbortError'))
      })
    })
  }

  async snapshot(_params: SnapshotParams, onLine: (line: SnapshotLine) => Promise<void>): Promise<void> {
    this.answer()
    await onLine({ type: 'snapshot-begin', protocolVersion: PROTOCOL_VERSION, offset: 0, horizon: 0, scopes: [] })
    await onLine({ type: 'snapshot-end', offset: 0, rowCount: 0 })
  }
}

let local: TestPglite
let locks: FakeLocks
let broadcast: FakeBroadcast
let transport: FakeTransport
const userId = newId()
const tabs: Device[] = []
/** Who the server's session is: a user id, null (nobody), or `unreachable`. */
let serverUser: string | null | 'unreachable'
let sessionChecks = 0

beforeEach(async () => {
  local = await testPglite('device')
  serverUser = userId
  sessionChecks = 0
  sessionEndingWhen(Promise.resolve())
  locks = new FakeLocks()
  broadcast = new FakeBroadcast()
  transport = new FakeTransport()
  // Counts clearDevice's runs: its delete of the sync state fires this even when no row is left.
  await local.pg.exec(`
    create table clears (at timestamptz not null default now());
    create function count_clear() returns trigger language plpgsql as $$
      begin insert into clears default values; return null; end $$;
    create trigger count_clear after delete on local_sync_state for each statement execute function count_clear();
  `)
})

afterEach(async () => {
  for (const tab of tabs.splice(0)) await tab.close()
  await local.close()
})

/** This tab's handle on the shared database; `closed` counts its closes (the test closes the PGlite). */
function tabDatabase() {
  const handle = {
    closed: 0,
    db: local.db,
    listen: async (channel: string, callback: (payload: string) => void) => {
      const unlisten = await local.pg.listen(channel, callback)
      return () => void unlisten()
    },
    onMoved: () => () => {},
    close: async () => void handle.closed++,
  }
  return handle
}

function tabOptions({ turns, loop }: { turns?: (() => void)[]; loop?: { maxBackoffMs?: number } } = {}) {
  return {
    endSession: () => serverSession.end(),
    database: tabDatabase(),
    transport,
    locks,
    channel: broadcast.channel,
    onOnline: () => () => {},
    sessionUser: async () => {
      sessionChecks++
      if (serverUser === 'unreachable') throw new Error('The server cannot be reached.')
      return serverUser
    },
    afterTurn: turns ? (callback: () => void) => void turns.push(callback) : undefined,
    loop,
  }
}

/** The profile's server session: ending it takes as long as the test says. */
let serverSession: { end: () => Promise<void>; ended: boolean; calls: number }
function sessionEndingWhen(answered: Promise<void>) {
  serverSession = {
    ended: false,
    calls: 0,
    end: async () => {
      serverSession.calls++
      await answered
      serverSession.ended = true
    },
  }
}
sessionEndingWhen(Promise.resolve())

/** A tab of the same browser profile; `turns` collects its end-of-turn callbacks when given. */
async function openTab(options: { turns?: (() => void)[]; loop?: { maxBackoffMs?: number } } = {}): Promise<Device> {
  const device = await openDevice(tabOptions(options))
  if (!device) throw new Error('The tab did not open a device.')
  tabs.push(device)
  return device
}

const leaders = () => tabs.filter((tab) => tab.status.leader)
const count = async (table: string) =>
  (await rows<{ n: number }>(local.db, sql`select count(*)::int as n from ${sql.identifier(table)}`))[0]!.n
/** Lets notifications, broadcasts and the loops' queries run. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 50))

test('[B8] one tab of several runs the sync loop; when it closes, another takes over', async () => {
  const first = await openTab()
  const second = await openTab()
  await vi.waitFor(() => expect(transport.longPolls).toBe(1))
  expect(leaders()).toEqual([first])
  expect(second.status.leader).toBe(false)

  await first.close()
  tabs.splice(tabs.indexOf(first), 1)
  await vi.waitFor(() => expect(second.status.leader).toBe(true))
  await vi.waitFor(() => expect(transport.longPolls).toBe(2))
  expect(transport.abortedPolls).toBe(1)
})

test('[B12] a turn of notifications is handled once; pages re-read only for synced tables', async () => {
  const writer = await openTab()
  const turns: (() => void)[] = []
  const tab = await openTab({ turns })
  // The first sync is done and the leader waits in its long poll.
  await vi.waitFor(() => expect(transport.longPolls).toBe(1))
  await settle()
  turns.splice(0).forEach((flush) => flush())
  let reads = 0
  tab.onDataChange(() => reads++)

  // One mutation notifies for its synced table and for several bookkeeping tables.
  await writer.mutate('createTag', { id: newId(), name: 'Heavy' })
  await settle()
  expect(turns).toHaveLength(1)
  turns.splice(0).forEach((flush) => flush())
  expect(reads).toBe(1)

  // Bookkeeping alone (a rejection arriving) refreshes the status, not the pages.
  await local.db.execute(
    sql`insert into local_rejections (mutation_id, name, args, error_code, error_message) values (99, 'createTag', '{}', 'conflict', 'Already exists')`,
  )
  await settle()
  expect(turns).toHaveLength(1)
  turns.splice(0).forEach((flush) => flush())
  await vi.waitFor(() => expect(tab.status.rejected.map((r) => r.message)).toEqual(['Already exists']))
  expect(reads).toBe(1)
})

test('[B12] the leader kicks its loop for a write another tab made, not for the loop’s own bookkeeping', async () => {
  const leader = await openTab()
  const other = await openTab()
  await vi.waitFor(() => expect(transport.longPolls).toBe(1))
  expect(leader.status.leader).toBe(true)

  const tag = newId()
  await other.mutate('createTag', { id: tag, name: 'Heavy' })
  // The leader ends its long poll, pushes the write, and polls again.
  await vi.waitFor(() => expect(transport.pushed.flatMap((p) => p.mutations.map((m) => (m.args as { id: string }).id))).toEqual([tag]))
  await vi.waitFor(() => expect(transport.longPolls).toBe(2))
  expect(transport.abortedPolls).toBe(1)

  // What a pull writes (the sync state) and a settled outbox change nothing the loop must push.
  await local.db.execute(sql`update local_sync_state set last_synced_at = now()`)
  await local.db.execute(sql`update local_outbox set local_error = null`)
  await settle()
  await settle()
  expect(transport.abortedPolls).toBe(1)
  expect(transport.longPolls).toBe(2)
})

test('[B13] sign-out in a tab that does not lead stops the leader’s loop, clears the device once and signs every tab out', async () => {
  const leader = await openTab()
  const signingOut = await openTab()
  const third = await openTab()
  await vi.waitFor(() => expect(transport.longPolls).toBe(1))
  expect(leaders()).toEqual([leader])
  await signingOut.mutate('createTag', { id: newId(), name: 'Heavy' })
  await vi.waitFor(() => expect(transport.pushed).toHaveLength(1))

  await signingOut.signOut()
  expect(await count('local_sync_state')).toBe(0)
  expect(await count('tags')).toBe(0)
  expect(await count('local_outbox')).toBe(0)
  await vi.waitFor(() => expect(tabs.map((tab) => tab.status.signedOut)).toEqual([true, true, true]))
  // Every queued tab has had its turn at the lock by now; none cleared again, none led.
  await settle()
  expect(await count('clears')).toBe(1)
  expect(leaders()).toEqual([])
  // The leader's loop stopped before the clear: its long poll was ended, nothing was asked of
  // the server since, and it never ran on the cleared database (which fails with an error).
  const requests = transport.requests
  expect(transport.abortedPolls).toBe(transport.longPolls)
  await settle()
  expect(transport.requests).toBe(requests)
  expect(leader.status.lastError).toBeNull()
  await expect(third.mutate('createTag', { id: newId(), name: 'Late' })).rejects.toThrow(/signing out/)
})

test('[B13] no tab leaves for sign-in before the server session has ended', async () => {
  let answer!: () => void
  sessionEndingWhen(new Promise((resolve) => (answer = resolve)))
  const leader = await openTab()
  const signingOut = await openTab()
  await vi.waitFor(() => expect(leader.status.leader).toBe(true))
  const signedOut = signingOut.signOut()
  // The device is cleared at once; the sign-out request is still on its way.
  await vi.waitFor(async () => expect(await count('local_sync_state')).toBe(0))
  await settle()
  expect(tabs.map((tab) => tab.status.signedOut)).toEqual([false, false])
  answer()
  await signedOut
  await vi.waitFor(() => expect(tabs.map((tab) => tab.status.signedOut)).toEqual([true, true]))
  expect(serverSession.ended).toBe(true)
  // Each tab ended it once.
  expect(serverSession.calls).toBe(2)
  sessionEndingWhen(Promise.resolve())
})

test('[B13] sign-out in the leading tab stops its own loop first and clears once', async () => {
  const leader = await openTab()
  const other = await openTab()
  await vi.waitFor(() => expect(leader.status.leader).toBe(true))
  await leader.signOut()
  expect(await count('local_sync_state')).toBe(0)
  await vi.waitFor(() => expect(other.status.signedOut).toBe(true))
  await settle()
  expect(await count('clears')).toBe(1)
  expect(leaders()).toEqual([])
  expect(leader.status.lastError).toBeNull()
})

test('a refused mutation carries its issues to the form field that made them, in words', async () => {
  const tab = await openTab()
  const refusal = await tab.mutate('createLibrary', { id: newId(), name: '   ' }).catch((error: unknown) => error)
  expect(refusal).toBeInstanceOf(MutationError)
  expect((refusal as MutationError).issues).toEqual([{ path: ['name'], message: 'must not be blank' }])
  expect((refusal as MutationError).message).toBe('Name must not be blank')
  // The form with a `name` field shows it there and nothing in its notice.
  expect(placeErrors(refusal, ['name'])).toEqual({ fields: { name: 'Name must not be blank' }, rest: undefined })
  // A form without that field (or a button) shows it in its notice.
  expect(placeErrors(refusal, ['email'])).toEqual({ fields: {}, rest: 'Name must not be blank' })
  // A refusal that names no field goes to the notice as it was said.
  const missing = await tab.mutate('renameLibrary', { libraryId: newId(), name: 'Gym' }).catch((error: unknown) => error)
  expect(placeErrors(missing, ['name'])).toEqual({ fields: {}, rest: (missing as MutationError).message })
  expect(await count('local_outbox')).toBe(0)
})

test('with nobody signed in, or when it fails to start, opening closes the database it was given', async () => {
  serverUser = null
  const nobody = tabOptions()
  expect(await openDevice(nobody)).toBeNull()
  serverUser = userId
  expect(nobody.database.closed).toBe(1)
  expect(await count('local_sync_state')).toBe(0)

  const failing = tabOptions()
  failing.database.listen = async () => {
    throw new Error('The worker is gone.')
  }
  await expect(openDevice(failing)).rejects.toThrow('The worker is gone.')
  expect(failing.database.closed).toBe(1)
  // It let go of the sync lock: the next tab leads.
  const next = await openTab()
  await vi.waitFor(() => expect(next.status.leader).toBe(true))
})

// A7 ---------------------------------------------------------------------------------------------

/** Every tag id the transport was sent. */
const pushedTags = () => transport.pushed.flatMap((p) => p.mutations.map((m) => (m.args as { id: string }).id))

/** A device of `userId` with one write that never reached the server, and no tab open. */
async function deviceWithPendingWrite(): Promise<string> {
  transport.failing = 'offline'
  const tab = await openTab()
  const tag = newId()
  await tab.mutate('createTag', { id: tag, name: 'Heavy' })
  await tab.close()
  tabs.splice(tabs.indexOf(tab), 1)
  transport.failing = null
  return tag
}

test('[A7] a lost session is shown with the pending writes kept, nothing is sent meanwhile, and the writes push once the same account signs in again', async () => {
  const tab = await openTab({ loop: { maxBackoffMs: 20 } })
  await vi.waitFor(() => expect(transport.longPolls).toBe(1))

  // The session expires (or the cookies are cleared): the server answers 401.
  serverUser = null
  const tag = newId()
  await tab.mutate('createTag', { id: tag, name: 'Heavy' })
  await vi.waitFor(() => expect(tab.status.session).toBe('lost'))
  expect(tab.status.pending).toBe(1)
  expect(tab.status.online).toBe(true)

  // The loop keeps asking who is signed in, and sends nothing until it is this account.
  const requests = transport.requests
  const checks = sessionChecks
  await vi.waitFor(() => expect(sessionChecks).toBeGreaterThan(checks + 3))
  expect(transport.requests).toBe(requests)
  expect(pushedTags()).toEqual([])
  expect(await count('local_outbox')).toBe(1)

  // The same account signs in again (in a tab that opens after sign-in): the waiting tab syncs.
  serverUser = userId
  const returning = await openTab()
  expect(returning.status.session).toBe('signed-in')
  await vi.waitFor(() => expect(pushedTags()).toEqual([tag]))
  await vi.waitFor(() => expect(tab.status.session).toBe('signed-in'))
})

test('[A7] a device opened with no session says so at once and keeps its writes', async () => {
  const tag = await deviceWithPendingWrite()
  serverUser = null
  const tab = await openTab({ loop: { maxBackoffMs: 20 } })
  expect(tab.status.session).toBe('lost')
  expect(tab.status.pending).toBe(1)
  await settle()
  expect(pushedTags()).toEqual([])
  // Offline nothing can be told: the device opens as it is, signed in as far as it knows.
  serverUser = 'unreachable'
  const offline = await openTab({ loop: { maxBackoffMs: 20 } })
  expect(offline.status.session).toBe('signed-in')
  serverUser = userId
  await vi.waitFor(() => expect(pushedTags()).toEqual([tag]), { timeout: 5000 })
})

test('[A7] another account signed in: pending writes are kept, never applied under its session, and discarded only when the user says so', async () => {
  const tag = await deviceWithPendingWrite()
  const other = newId()
  serverUser = other
  transport.requests = 0
  const tab = await openTab({ loop: { maxBackoffMs: 20 } })
  const second = await openTab({ loop: { maxBackoffMs: 20 } })
  expect(tab.status.session).toBe('other-account')
  expect(tab.status.pending).toBe(1)
  // Nothing is cleared on its own, nothing reaches the server under the other account.
  const checks = sessionChecks
  await vi.waitFor(() => expect(sessionChecks).toBeGreaterThan(checks + 3))
  expect(transport.requests).toBe(0)
  expect(await count('local_outbox')).toBe(1)
  expect(await count('local_sync_state')).toBe(1)
  // Nor does the person now signed in write in this account's name.
  await expect(tab.mutate('createTag', { id: newId(), name: 'Theirs' })).rejects.toThrow(/Another account is signed in/)

  // "Sign in as them": the other session ends, the device keeps everything, and once the
  // device's account is back its write is pushed.
  await tab.endServerSession()
  expect(serverSession.calls).toBe(1)
  expect(tab.status.session).toBe('lost')
  serverUser = userId
  await vi.waitFor(() => expect(pushedTags()).toEqual([tag]))
  await vi.waitFor(() => expect([tab.status.session, second.status.session]).toEqual(['signed-in', 'signed-in']))

  // Another pending write, and another account signs in while the tabs run: the server refuses
  // the device to it (P1), and from then on the tabs ask before sending. This time the user
  // discards the write: every tab leaves, the device is cleared once, and the other account's
  // session is not ended.
  transport.failing = 'offline'
  await tab.mutate('createTag', { id: newId(), name: 'Lost on purpose' })
  serverUser = other
  transport.failing = null
  await vi.waitFor(() => expect([tab.status.session, second.status.session]).toEqual(['other-account', 'other-account']))
  const refused = transport.refused
  const asked = sessionChecks
  await vi.waitFor(() => expect(sessionChecks).toBeGreaterThan(asked + 3))
  expect(transport.refused).toBe(refused)
  await tab.forgetAccount()
  expect(await count('local_sync_state')).toBe(0)
  expect(await count('local_outbox')).toBe(0)
  await vi.waitFor(() => expect(tabs.map((t) => t.status.signedOut)).toEqual([true, true]))
  await settle()
  expect(await count('clears')).toBe(1)
  expect(serverSession.calls).toBe(1)
  expect(pushedTags()).toEqual([tag])
})

test('[A7] with nothing pending, another account’s session clears the device for it at once, and keeps that session', async () => {
  const tab = await openTab()
  await vi.waitFor(() => expect(transport.longPolls).toBe(1))
  await tab.close()
  tabs.splice(0)
  serverUser = newId()
  const reopened = await openTab()
  await vi.waitFor(() => expect(reopened.status.signedOut).toBe(true))
  expect(await count('local_sync_state')).toBe(0)
  expect(serverSession.calls).toBe(0)
  // The next open is the signed-in account's own, fresh device.
  const fresh = await openDevice(tabOptions())
  expect(fresh?.userId).toBe(serverUser)
  if (fresh) tabs.push(fresh)
})

test('[B15] a device that registered again says so in its status, under its new id, until the user dismisses it', async () => {
  const tab = await openTab()
  await vi.waitFor(() => expect(tab.status.leader).toBe(true))
  const before = tab.deviceId
  transport.reregisterNext = true
  await tab.mutate('createTag', { id: newId(), name: 'Heavy' })
  await vi.waitFor(() => expect(tab.status.recovery).toMatchObject({ reason: 'device-restored', resent: 1 }))
  expect(tab.status.recovery?.message).toMatch(/nothing was lost/)
  // The write went again, under the new id.
  await vi.waitFor(() => expect(transport.pushed.at(-1)?.deviceId).not.toBe(before))
  expect(tab.deviceId).toBe(transport.pushed.at(-1)?.deviceId)
  tab.dismissRecovery()
  expect(tab.status.recovery).toBeNull()
})
