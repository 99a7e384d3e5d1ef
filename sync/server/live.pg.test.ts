/**
 * Live mode across server processes on real PostgreSQL (SPEC L5, R4). Two sync services share
 * one database, each with its own connection pool, its own LISTEN connection and its own
 * `ChangeNotifier`, as two app servers behind a load balancer would: instance A owns the test
 * database, instance B is a second process on it (`testing/postgres.ts`). Devices push through A
 * and long-poll through B, so the only way B learns of a commit is the `cadence_log`
 * notification that PostgreSQL delivers at commit. Each test checks what the waiting device
 * observes (the change, how soon) and that B's notifier lets go of every waiter.
 */
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { newId } from '@/domain/ids'
import { strengthActivity } from '@/domain/testing/world'
import type { PullResponse } from '../protocol'
import { readSyncState } from './state'
import { TestDevice, type TestServer, type TestUser } from './testing/harness'
import { anotherInstance, postgresServer } from './testing/postgres'

let a: TestServer
let b: TestServer
beforeEach(async () => {
  const { server, database } = await postgresServer()
  a = server
  b = await anotherInstance(a, database.url)
})
afterEach(async () => {
  await b.close()
  await a.close()
})

const WAIT_MS = 10_000

/** A device of `user` that talks to instance B. */
const onB = (user: TestUser) => new TestDevice(b.service, user)

async function until(what: string, condition: () => boolean, ms = 5_000) {
  const deadline = performance.now() + ms
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting until ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 1))
  }
}

/** A long-poll that records when it returned. */
function longPoll(device: TestDevice, waitMs = WAIT_MS) {
  return device.pullOnce({ waitMs }).then((result) => {
    if (result.type !== 'changes') throw new Error(`pull answered ${result.type}: ${result.message}`)
    return { result: result satisfies PullResponse, returnedAt: performance.now() }
  })
}

const stats = (xs: number[]) => {
  const sorted = [...xs].sort((x, y) => x - y)
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!.toFixed(1)
  return `min ${sorted[0]!.toFixed(1)} / median ${at(0.5)} / max ${sorted[sorted.length - 1]!.toFixed(1)} ms`
}

describe('live mode across server processes', () => {
  test('[R4][L5] a long-poll waiting on instance B answers a push committed through instance A at once', async () => {
    const ann = await a.user('Ann')
    const writer = ann.device()
    await writer.catchUp() // registers it, so its registration wakes nobody later
    const reader = onB(ann)
    await reader.catchUp()

    const rounds = 10
    const afterPush: number[] = []
    const afterPushStart: number[] = []
    for (let round = 0; round < rounds; round++) {
      const waiting = longPoll(reader)
      await until('the pull waits on B', () => b.service.notifier.waiting === 1)
      const tag = newId()
      const pushStarted = performance.now()
      const pushed = await writer.mutate('createTag', { id: tag, name: `Live ${round}` })
      const pushDone = performance.now()
      const { result, returnedAt } = await waiting
      expect(pushed).toMatchObject({ status: 'applied' })
      // The waiting pull returns the pushed transaction, and only it: the tag, and the writer's
      // device row moving its last mutation id (P4; devices sync in the user's scope).
      const seq = pushed.status === 'applied' ? pushed.seq : -1
      expect(result.changes.map((c) => [c.seq, c.table, c.key.id])).toEqual([
        [seq, 'tags', tag],
        [seq, 'devices', writer.id],
      ])
      expect(result).toMatchObject({ offset: seq, upToDate: true })
      expect(b.service.notifier.waiting).toBe(0)
      afterPush.push(returnedAt - pushDone)
      afterPushStart.push(returnedAt - pushStarted)
    }
    // Woken by the commit, not by the end of the wait (10 s).
    expect(Math.max(...afterPushStart)).toBeLessThan(1_000)
    expect(Math.max(...afterPush)).toBeLessThan(1_000)
    console.log(
      `[live.pg] push on A -> waiting pull on B returns, over ${rounds} rounds: from push completion ${stats(afterPush)}; ` +
        `from push start ${stats(afterPushStart)} (below 0: the pull returned before the push's response)`,
    )
  })

  test('[R4][L5] one commit on instance A wakes 50 pulls waiting on instance B; every one returns the change and none is left waiting', async () => {
    const ann = await a.user('Ann')
    const members = await Promise.all(['Bob', 'Cat', 'Dan', 'Eve', 'Fay'].map((n) => a.user(n)))
    const owner = ann.device()
    const squat = strengthActivity(ann.libraryId)
    expect(await owner.mutate('createActivity', squat.args)).toMatchObject({ status: 'applied' })
    for (const member of members) {
      const inviteId = newId()
      expect(await owner.mutate('shareLibrary', { inviteId, libraryId: ann.libraryId, email: member.email, role: 'viewer' })).toMatchObject(
        {
          status: 'applied',
        },
      )
      expect(await member.device().mutate('acceptInvitation', { inviteId })).toMatchObject({ status: 'applied' })
    }
    const readers = members.flatMap((member) => Array.from({ length: 10 }, () => onB(member)))
    // Register every device, then bring each to the head: nothing else commits after this.
    await Promise.all(readers.map((r) => r.catchUp()))
    for (const reader of readers) await reader.catchUp()
    const { head } = await readSyncState(a.db)
    expect(readers.every((r) => r.offset === head)).toBe(true)

    const waiting = readers.map((r) => longPoll(r))
    await until('50 pulls wait on B', () => b.service.notifier.waiting === readers.length)
    const generation = b.service.notifier.generation
    const pushStarted = performance.now()
    const pushed = await owner.mutate('renameActivity', { activityId: squat.ids.id, name: 'Pause squat' })
    const pushDone = performance.now()
    expect(pushed).toMatchObject({ status: 'applied', seq: head + 1 })
    const returned = await Promise.all(waiting)

    for (const { result } of returned) {
      expect(result.changes.map((c) => [c.table, c.kind, c.row?.name])).toEqual([['activities', 'update', 'Pause squat']])
      expect(result).toMatchObject({ offset: head + 1, head: head + 1, upToDate: true })
    }
    expect(readers.every((r) => r.replica.table('activities')[0]?.name === 'Pause squat')).toBe(true)
    expect(b.service.notifier.waiting).toBe(0)
    // One commit, one notification: a single wake-up served all 50.
    expect(b.service.notifier.generation).toBe(generation + 1)
    const last = Math.max(...returned.map((r) => r.returnedAt))
    const first = Math.min(...returned.map((r) => r.returnedAt))
    expect(last - pushStarted).toBeLessThan(3_000)
    console.log(
      `[live.pg] ${readers.length} waiting pulls on B, one commit on A: first returned ${(first - pushDone).toFixed(1)} ms, ` +
        `last ${(last - pushDone).toFixed(1)} ms after push completion (push took ${(pushDone - pushStarted).toFixed(1)} ms)`,
    )
  })

  test('[R4][R3] a wake-up for a change outside the device’s scopes does not end its wait; it answers empty and up to date when the wait ends', async () => {
    const ann = await a.user('Ann')
    const dan = await a.user('Dan')
    const writer = ann.device()
    await writer.catchUp()
    const outsider = onB(dan)
    await outsider.catchUp()

    const waitMs = 1_500
    const started = performance.now()
    const waiting = longPoll(outsider, waitMs)
    await until('the pull waits on B', () => b.service.notifier.waiting === 1)
    const generation = b.service.notifier.generation
    const pushed = await writer.mutate('createTag', { id: newId(), name: 'Not for Dan' })
    expect(pushed).toMatchObject({ status: 'applied' })
    // B heard the commit and re-checked, and the device went back to waiting.
    await until('B hears the commit', () => b.service.notifier.generation > generation)
    await until('the pull waits again', () => b.service.notifier.waiting === 1)
    const { result, returnedAt } = await waiting
    expect(returnedAt - started).toBeGreaterThanOrEqual(waitMs - 50)
    expect(result).toMatchObject({ changes: [], upToDate: true, offset: pushed.status === 'applied' ? pushed.seq : -1 })
    expect(b.service.notifier.waiting).toBe(0)
  })
})
