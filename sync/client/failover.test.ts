/**
 * The tab's connection to the shared device database when the tab that owns it closes (B8).
 *
 * Harness: one real PGlite stands for the database in IndexedDB; each `FakeConnection` stands for
 * one PGliteWorker of this tab. A statement is "in flight" from the moment it is sent until the
 * leader answers; `hold()` keeps the leader from answering, so a test can move the database while
 * something is in flight, as a closing tab does. Moving rejects what was in flight with
 * PGliteWorker's error, and a real transaction whose statement was cut rolls back, as the old
 * leader's uncommitted transaction dies with its tab. A closed connection refuses every message,
 * as a closed BroadcastChannel does. Invariant: nothing is applied twice or half, every operation
 * the page started settles, and the page hears of every commit after the move.
 */
import type { PGlite, Transaction } from '@electric-sql/pglite'
import { drizzle } from 'drizzle-orm/pglite'
import { afterEach, beforeEach, expect, test } from 'vitest'
import * as schema from '@/db/schema'
import { testPglite, type TestPglite } from '@/db/testing/pglite'
import type { Db } from '@/db/types'
import { newId } from '@/domain/ids'
import { SyncClient, initDevice } from './client'
import { SharedDatabase, type Connection } from './failover'
import { networkFailure } from './testing/network'
import { HttpTransport } from './transport'

class World {
  readonly connections: FakeConnection[] = []
  /** Channels each connection LISTENs on at the current leader. */
  readonly listening = new Map<FakeConnection, Set<string>>()
  gate: Promise<void> | null = null
  /** When a new connection reaches a leader (never, to model a leader that is not there yet). */
  leaderFound: Promise<void> = Promise.resolve()
  private open: (() => void) | undefined
  /** The next transaction commits, but its answer is lost to a move. */
  loseNextCommitAnswer = false
  /** Runs between that commit and the move (another tab's sync loop, say). */
  beforeMove: () => Promise<void> = async () => {}

  constructor(readonly pg: PGlite) {}

  connect = (): Connection => {
    const connection = new FakeConnection(this)
    this.connections.push(connection)
    return connection
  }

  hold() {
    this.gate = new Promise((resolve) => (this.open = resolve))
  }

  release() {
    this.gate = null
    this.open?.()
  }

  /** The owner tab closes and another worker takes the database. */
  moveLeader() {
    this.listening.clear()
    for (const connection of this.connections) connection.leaderChanged()
  }

  notify(channel: string, payload: string) {
    for (const [connection, channels] of this.listening) if (channels.has(channel)) connection.deliver(channel, payload)
  }
}

function leaderChangedError() {
  return new Error('Leader changed, pending operation in indeterminate state')
}

class FakeConnection implements Connection {
  closed = false
  readonly waitReady: Promise<void>
  readonly inFlight = new Set<(error: Error) => void>()
  private readonly leaderCallbacks = new Set<() => void>()
  private readonly callbacks = new Map<string, (payload: string) => void>()

  constructor(private readonly world: World) {
    this.waitReady = world.leaderFound
  }

  private async send<T>(run: () => Promise<T>): Promise<T> {
    // As PGliteWorker: every operation first waits to reach a leader, closed or not.
    await this.waitReady
    if (this.closed) {
      const error = new Error("Failed to execute 'postMessage' on 'BroadcastChannel': Channel is closed")
      error.name = 'InvalidStateError'
      return Promise.reject(error)
    }
    return new Promise<T>((resolve, reject) => {
      this.inFlight.add(reject)
      void (this.world.gate ?? Promise.resolve())
        .then(() => (this.inFlight.has(reject) ? run() : undefined))
        .then(
          (value) => this.inFlight.has(reject) && resolve(value as T),
          (error: unknown) => reject(error),
        )
        .finally(() => this.inFlight.delete(reject))
    })
  }

  query: Connection['query'] = (...args) => this.send(() => this.world.pg.query(...args))
  exec: Connection['exec'] = (query, options) => {
    const listen = /^LISTEN (\w+)$/.exec(query)
    if (listen) return this.send(async () => (this.listenAtLeader(listen[1]!), []))
    return this.send(() => this.world.pg.exec(query, options))
  }
  transaction: Connection['transaction'] = (callback) =>
    this.send(async () => {
      const result = await this.world.pg.transaction((tx) =>
        callback({
          ...tx,
          query: (...args) => this.send(() => tx.query(...args)),
          exec: (...args) => this.send(() => tx.exec(...args)),
        } as Transaction),
      )
      if (this.world.loseNextCommitAnswer) {
        this.world.loseNextCommitAnswer = false
        await this.world.beforeMove()
        this.world.moveLeader()
        throw leaderChangedError()
      }
      return result
    })

  async listen(channel: string, callback: (payload: string) => void) {
    this.callbacks.set(channel, callback)
    await this.exec(`LISTEN ${channel}`)
    return async () => void this.callbacks.delete(channel)
  }

  private listenAtLeader(channel: string) {
    const channels = this.world.listening.get(this) ?? new Set()
    channels.add(channel)
    this.world.listening.set(this, channels)
  }

  deliver(channel: string, payload: string) {
    this.callbacks.get(channel)?.(payload)
  }

  onLeaderChange(callback: () => void) {
    this.leaderCallbacks.add(callback)
    return () => void this.leaderCallbacks.delete(callback)
  }

  leaderChanged() {
    if (this.closed) return
    for (const callback of this.leaderCallbacks) callback()
    for (const reject of [...this.inFlight]) {
      this.inFlight.delete(reject)
      reject(leaderChangedError())
    }
  }

  async close() {
    this.closed = true
  }
}

let local: TestPglite
let world: World
let shared: SharedDatabase
beforeEach(async () => {
  local = await testPglite('device')
  world = new World(local.pg)
  shared = new SharedDatabase(world.connect)
  await local.pg.exec('create table moves (n int primary key)')
})
afterEach(async () => {
  await shared.close()
  await local.close()
})

/** Waits until the current connection has a statement at the leader. */
async function sent() {
  while (world.connections.at(-1)!.inFlight.size === 0) await new Promise((resolve) => setImmediate(resolve))
}
/** A sync client on the shared database that never syncs (only its local writes matter here). */
async function offlineClient() {
  const db = drizzle({ client: shared as unknown as PGlite, schema, casing: 'snake_case' }) as unknown as Db
  const userId = newId()
  const { deviceId } = await initDevice(db, { deviceId: newId(), userId })
  const transport = new HttpTransport({ fetch: () => Promise.reject(networkFailure('this device is offline')) })
  return new SyncClient({ db, transport, deviceId, userId })
}

const moved = () => new Promise<void>((resolve) => shared.onMoved(resolve))
const numbers = async () => (await local.pg.query<{ n: number }>('select n from moves order by n')).rows.map((r) => r.n)

test('[B8] a read in flight when the owner tab closes is answered by the new owner', async () => {
  world.hold()
  const reading = shared.query<{ x: number }>('select 42 as x')
  await sent()
  world.moveLeader()
  world.release()
  expect((await reading).rows).toEqual([{ x: 42 }])
  // The connection that had something in flight was replaced, and refuses everything now.
  expect(world.connections.map((c) => c.closed)).toEqual([true, false])
})

test('[B8] a transaction cut by the move leaves nothing behind and runs again whole on the new owner', async () => {
  let runs = 0
  let midway: () => void = () => {}
  const reachedMidway = new Promise<void>((resolve) => (midway = resolve))
  let resume: () => void = () => {}
  const resumed = new Promise<void>((resolve) => (resume = resolve))
  const writing = shared.transaction(async (tx) => {
    runs += 1
    await tx.query('insert into moves values (1)')
    if (runs === 1) {
      midway()
      await resumed
    }
    await tx.query('insert into moves values (2)')
    return runs
  })
  await reachedMidway
  world.moveLeader()
  resume()
  expect(await writing).toBe(2)
  expect(await numbers()).toEqual([1, 2])
})

test('[B8] with nothing in flight the connection is kept, listens again at the new owner, then tells the page', async () => {
  const heard: string[] = []
  await shared.listen('cadence_local', (payload) => heard.push(payload))
  const movedOnce = moved()
  world.moveLeader()
  await movedOnce
  world.notify('cadence_local', 'after the move')
  expect(heard).toEqual(['after the move'])
  expect(world.connections).toHaveLength(1)
})

test('[B8] after a replaced connection the page hears each commit once, through the new one', async () => {
  const heard: string[] = []
  await shared.listen('cadence_local', (payload) => heard.push(payload))
  world.hold()
  const reading = shared.query('select 1')
  await sent()
  const movedOnce = moved()
  world.moveLeader()
  world.release()
  await reading
  await movedOnce
  world.notify('cadence_local', 'commit')
  expect(heard).toEqual(['commit'])
  expect(world.connections.map((c) => c.closed)).toEqual([true, false])
})

test('[B8] a mutation whose commit answer was lost to the move is queued once, not twice', async () => {
  const client = await offlineClient()
  world.loseNextCommitAnswer = true
  const id = await client.mutate('createTag', { id: newId(), name: 'Heavy' })
  expect(world.connections).toHaveLength(2)
  const outbox = await local.pg.query<{ mutation_id: number }>('select mutation_id from local_outbox')
  expect(outbox.rows.map((r) => Number(r.mutation_id))).toEqual([id])
  expect((await local.pg.query('select name from tags')).rows).toEqual([{ name: 'Heavy' }])
})

test('[B8] a mutation whose commit answer was lost is not queued again after it left the outbox', async () => {
  const client = await offlineClient()
  world.loseNextCommitAnswer = true
  // Before this tab runs it again, another tab's sync loop pushed it and settled it.
  world.beforeMove = async () => void (await local.pg.exec('delete from local_outbox'))
  const id = await client.mutate('createTag', { id: newId(), name: 'Heavy' })
  expect(id).toBe(1)
  expect((await local.pg.query('select count(*)::int as n from local_outbox')).rows).toEqual([{ n: 0 }])
  expect((await local.pg.query('select next_mutation_id from local_sync_state')).rows).toEqual([{ next_mutation_id: 2 }])
  expect((await local.pg.query('select name from tags')).rows).toEqual([{ name: 'Heavy' }])
})

test('[B8] an error that is not a move reaches the caller at once', async () => {
  await expect(shared.query('select * from no_such_table')).rejects.toThrow(/no_such_table/)
  expect(world.connections).toHaveLength(1)
})

test('[B8] a LISTEN cut by the move is made on the new owner, and each commit is heard once', async () => {
  const heard: string[] = []
  world.hold()
  const listening = shared.listen('cadence_local', (payload) => heard.push(payload))
  await sent()
  world.moveLeader()
  world.release()
  await listening
  world.notify('cadence_local', 'commit')
  expect(heard).toEqual(['commit'])
  expect(world.connections.map((c) => c.closed)).toEqual([true, false])
})

test('[B8] closing the database while an operation waits for a leader ends the operation', async () => {
  world.leaderFound = new Promise(() => {})
  const waiting = new SharedDatabase(world.connect)
  const reading = waiting.query('select 1')
  await waiting.close()
  await expect(reading).rejects.toThrow('The device database is closed.')
})
