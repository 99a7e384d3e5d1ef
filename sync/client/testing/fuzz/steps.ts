/** The steps of a seed: local writes, requests under faults, and the server's own events. */
import { sql } from 'drizzle-orm'
import { rows } from '@/db/rows'
import { compact } from '../../../server/compact'
import { TAG_NAMES, generators } from './generators'
import { attempt, judge, outcome, queue, serve } from './requests'
import { backupServer, offlineFieldEdits, restoreServer, sessionFault } from './faults'
import { photoMutation, upload, uploadWhileSyncing, viewPhoto } from './photos'
import { serverMutation } from './setup'
import { viewOf } from './views'
import { type AnyMutation, type Device, type World } from './world'

async function generate(w: World, d: Device): Promise<AnyMutation> {
  const view = await viewOf(d.db)
  return (await w.rng.weighted(generators)(w, d, view)) ?? (await generators[0]![1](w, d, view))!
}

async function mutate(w: World, d: Device) {
  await queue(w, d, await generate(w, d))
}

type Op = 'push' | 'pull' | 'sync' | 'refetch'

function startOp(d: Device, op: Op): Promise<unknown> {
  switch (op) {
    case 'push':
      return d.client.push()
    case 'pull':
      return d.client.pull()
    case 'sync':
      return d.client.sync()
    case 'refetch':
      return d.client.refetch()
  }
}

async function runOp(w: World, d: Device, op: Op) {
  w.log(`${d.name} ${op}${d.net.online ? '' : ' (offline)'}`)
  await attempt(w, d, op, () => startOp(d, op))
}

/** Something else happens while the device's request is in flight. */
async function interleave(w: World, d: Device) {
  const { rng } = w
  const op = rng.pick(['push', 'pull', 'sync'] as const)
  const what = rng.weighted([
    [5, 'mutate'],
    [2, 'other device'],
    [1, 'compact'],
    [1, 'restart'],
    [1, 'membership'],
    [1, 'session'],
  ] as const)
  w.log(`${d.name} ${op}, and while its request is held: ${what}`)
  const p = startOp(d, op)
  const result = outcome(p)
  await Promise.race([result, d.wire.waitFor(1)])
  let side: Promise<unknown> = Promise.resolve()
  if (d.wire.held.length > 0) {
    const inTransaction = d.wire.held[0]!.kind === 'snapshot'
    // A snapshot is read inside the device's transaction: a local write waits for it (so does
    // reading the device to choose one; a tag needs no reading).
    if (what === 'mutate')
      side = inTransaction ? queue(w, d, { name: 'createTag', args: { id: rng.uuid(), name: rng.pick(TAG_NAMES) } }) : mutate(w, d)
    else if (what === 'other device') {
      const other = rng.pick(w.devices.filter((o) => o !== d))
      await mutate(w, other)
      await runOp(w, other, 'push')
    } else if (what === 'compact') await compaction(w)
    else if (what === 'restart') await restart(w)
    else if (what === 'session') await sessionFault(w, d)
    else {
      // S2, P7: a grant or revocation commits while this device's write is on its way.
      if (op !== 'pull') w.count('membershipWhileWriting')
      await membershipOnServer(w)
    }
    if (!inTransaction) await side
  }
  await serve(w, d, [p, side], true)
  await side
  judge(w, d, op, await result)
}

/** Two requests of one device in flight at once, answered in a random order. */
async function concurrent(w: World, d: Device) {
  const { rng } = w
  const [a, b] = rng.pick([
    ['push', 'pull'],
    ['pull', 'push'],
    ['pull', 'pull'],
    ['push', 'push'],
    ['sync', 'pull'],
    ['pull', 'refetch'],
  ] as const)
  w.log(`${d.name} ${a} and ${b} at once${d.net.online ? '' : ' (offline)'}`)
  const first = startOp(d, a)
  const firstResult = outcome(first)
  await Promise.race([firstResult, d.wire.waitFor(1)])
  if (d.wire.held[0]?.kind === 'snapshot') {
    // The first holds the device's database until its snapshot is in: no overlap possible.
    await serve(w, d, [first], true)
  }
  const second = startOp(d, b)
  const secondResult = outcome(second)
  await Promise.race([secondResult, d.wire.waitFor(d.wire.held.length + 1)])
  await serve(w, d, [first, second], true)
  judge(w, d, a, await firstResult)
  judge(w, d, b, await secondResult)
}

async function compaction(w: World) {
  const keep = w.rng.int(0, 4)
  const { horizon, removedTransactions } = await compact(w.server.db, {
    keepDays: 0,
    keepTransactions: keep,
    now: new Date(Date.now() + 60_000),
  })
  w.count('compactions')
  w.log(`server compacts keeping ${keep}: horizon ${horizon}, ${removedTransactions} transactions removed`)
}

async function restart(w: World) {
  await w.server.restart()
  w.count('restarts')
  w.log('server restarts')
}

/** The owner changes a membership (a share is accepted by the invitee) from tabs the simulation does not model. */
async function membershipOnServer(w: World) {
  const { rng } = w
  const owner = rng.pick(w.users)
  const other = rng.pick(w.users.filter((u) => u.id !== owner.id))
  const [member] = await rows<{ role: string }>(
    w.server.db,
    sql`select role from library_members where library_id = ${owner.libraryId} and user_id = ${other.id}`,
  )
  if (member && rng.chance(0.7)) {
    w.count('revocations')
    return serverMutation(w, owner, { name: 'revokeMember', args: { libraryId: owner.libraryId, userId: other.id } })
  }
  w.count('shares')
  const role = rng.pick(['editor', 'viewer'] as const)
  const inviteId = rng.uuid()
  await serverMutation(w, owner, { name: 'shareLibrary', args: { inviteId, libraryId: owner.libraryId, email: other.email, role } })
  return serverMutation(w, other, { name: 'acceptInvitation', args: { inviteId } })
}

/** A long-poll that another device's write (or nothing, until it times out) answers. */
async function longPoll(w: World, d: Device) {
  const other = w.rng.pick(w.devices.filter((o) => o !== d))
  w.log(`${d.name} long-polls while ${other.name} writes`)
  const p = d.client.pull({ waitMs: 100 })
  const result = outcome(p)
  await Promise.race([result, d.wire.waitFor(1)])
  if (d.wire.held[0]?.kind === 'pull') {
    const polling = d.wire.deliver(0)
    await mutate(w, other)
    await runOp(w, other, 'push')
    await polling
  }
  await serve(w, d, [p], true)
  judge(w, d, 'long-poll', await result)
}

/**
 * Rush hour: several devices' requests reach the server at once, maybe while an owner changes a
 * membership, the log is compacted or the server restarts. The server's work interleaves
 * statement by statement.
 */
async function rush(w: World) {
  const { rng } = w
  const group = rng.shuffle(w.devices).slice(0, rng.int(2, w.devices.length))
  const extra = rng.weighted([
    [3, 'nothing else'],
    [3, 'membership'],
    [1, 'compact'],
    [1, 'restart'],
  ] as const)
  w.log(`rush: ${group.map((d) => d.name).join(', ')} at once, and ${extra}`)
  w.count('rushes')
  const tasks = group.map(async (d) => {
    const op = rng.pick(['push', 'pull', 'sync', 'mutate and sync', 'refetch'] as const)
    if (op !== 'mutate and sync') return runOp(w, d, op)
    await mutate(w, d)
    await runOp(w, d, 'sync')
  })
  if (extra === 'membership') {
    w.count('membershipDuringRush')
    tasks.push(membershipOnServer(w))
  }
  if (extra === 'compact') tasks.push(compaction(w))
  if (extra === 'restart') tasks.push(restart(w))
  const failed = (await Promise.allSettled(tasks)).find((r) => r.status === 'rejected')
  if (failed) throw failed.reason
}

async function toggle(w: World, d: Device) {
  d.net.online = !d.net.online
  w.count(d.net.online ? 'online' : 'offline')
  w.log(`${d.name} goes ${d.net.online ? 'online' : 'offline'}`)
}

type Step = (w: World, d: Device) => Promise<void>

/** What can happen in one step of a seed, by weight. */
export const steps: (readonly [number, Step])[] = [
  [42, mutate],
  [8, toggle],
  [10, (w, d) => runOp(w, d, 'push')],
  [10, (w, d) => runOp(w, d, 'pull')],
  [8, (w, d) => runOp(w, d, 'sync')],
  [2, (w, d) => runOp(w, d, 'refetch')],
  [6, interleave],
  [4, concurrent],
  [3, (w) => compaction(w)],
  [4, (w) => membershipOnServer(w)],
  [2, (w) => restart(w)],
  [2, longPoll],
  [6, (w) => rush(w)],
  [3, sessionFault],
  [2, (w) => backupServer(w)],
  [5, (w) => restoreServer(w)],
  [3, (w) => offlineFieldEdits(w)],
  // Photos (M5-M12): attached, removed, reordered; uploaded, alone or beside a push; shown elsewhere.
  [14, photoMutation],
  [5, upload],
  [2, uploadWhileSyncing],
  [5, viewPhoto],
]
