/**
 * Concurrency on real PostgreSQL: grants during writes (SPEC S2, L3, L4), concurrent pushes into
 * one library (P3, P7), compaction during writes (C1, C2). PGlite runs one connection, so none
 * of this can happen there.
 *
 * The harness (`testing/harness.ts`, `testing/postgres.ts`) runs the real HTTP handlers, and so
 * the real `push()`, over a fresh database and a pool of 16 connections; devices push and pull
 * through the device's wire client. The deterministic tests pin one interleaving each. A grant
 * is held open by the test itself, its membership row inserted and uncommitted, while a writer
 * commits. Two pushes are stopped half-way by a row lock the test holds on an activity that
 * each renames in the middle of its run, so both have done their first part, uncommitted,
 * before either goes on; PostgreSQL's own view of who waits on a lock (`untilWaiting`) says
 * when each side has got there. The randomized runs put many devices on many connections at
 * once; their seed is printed.
 *
 * Every test ends the same way: each device, brought up to date as a device would be (pulling,
 * refetching when told to), holds exactly the server's view of its scopes, read straight from
 * the tables (`divergence` in `testing/concurrency.ts`); every push ends applied or rejected
 * with a reason, never as a failed request.
 */
import { sql } from 'drizzle-orm'
import { afterEach, describe, expect, test } from 'vitest'
import type { PostgresClient } from '@/db/postgres'
import { rows } from '@/db/rows'
import type { Db } from '@/db/types'
import { newId } from '@/domain/ids'
import type { MutatorArgs, MutatorName } from '@/domain/mutators'
import { strengthActivity } from '@/domain/testing/world'
import { mulberry32 } from '@/test/random'
import { TransportError } from '../client/transport'
import type { MutationResult, PushResponse } from '../protocol'
import { compact } from './compact'
import { readSyncState } from './state'
import type { TestDevice, TestServer, TestUser } from './testing/harness'
import {
  deferred,
  describeError,
  divergence,
  follow,
  holdRows,
  postgresServerFastDeadlocks,
  settle,
  sleep,
  untilWaiting,
} from './testing/concurrency'
import { postgresServer } from './testing/postgres'

let running: TestServer | undefined
afterEach(async () => {
  await running?.close()
  running = undefined
})

/** A server on a new database with a pool of 16 connections; `fastDeadlocks` as in `testing/concurrency.ts`. */
async function start({ fastDeadlocks = false } = {}) {
  const { server, client } = fastDeadlocks
    ? await postgresServerFastDeadlocks({ max: 16 })
    : await postgresServer({ max: 16 }).then(({ server, database }) => ({ server, client: database.client }))
  running = server
  return { server, db: server.db, client }
}

const at = '2026-11-20T07:30:00.000Z'

/** Pushes one mutation that must apply. */
async function ok<N extends MutatorName>(device: TestDevice, name: N, args: MutatorArgs<N>) {
  const result = await device.mutate(name, args)
  expect(result, `${name} ${JSON.stringify(args).slice(0, 120)}`).toMatchObject({ status: 'applied' })
}

/**
 * Pushes a run of mutations; a failed request is reported, not thrown, so both sides of a race
 * finish. A busy answer (429: the server's retries of a deadlock ran out, P7; nothing applied) is
 * sent again after a pause, as a device does; only a push still busy after 10 tries fails.
 */
async function pushRun(device: TestDevice, mutations: ReturnType<TestDevice['mutation']>[]): Promise<PushResponse | { failed: string }> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await device.push(mutations)
    } catch (error) {
      if (error instanceof TransportError && error.kind === 'busy' && attempt < 10) {
        await sleep(20 + Math.floor(Math.random() * 80))
        continue
      }
      return { failed: describeError(error) }
    }
  }
}

function resultsOf(response: PushResponse | { failed: string }): MutationResult[] {
  if ('failed' in response) throw new Error(`the push failed instead of answering: ${response.failed}`)
  expect(response.type).toBe('pushed')
  return response.results
}

const statusOf = (r: MutationResult) => (r.status === 'applied' ? 'applied' : `rejected ${r.code}`)

async function sequence(device: TestDevice, libraryId: string, name: string, items: { id: string; childId: string }[] = []) {
  const id = newId()
  await ok(device, 'createActivity', { id, libraryId, name, kind: 'sequence', attributes: [], items })
  return id
}

async function scalar(device: TestDevice, libraryId: string, name: string) {
  const activity = strengthActivity(libraryId, name)
  await ok(device, 'createActivity', activity.args)
  return activity.ids.id
}

async function activityRow(db: Db, id: string) {
  const [row] = await rows<{ name: string; deleted_at: string | null }>(db, sql`select name, deleted_at from activities where id = ${id}`)
  return row
}

/** Template edges `parent → child` that close a cycle, as `name → name` paths (none when acyclic). */
async function templateCycles(db: Db): Promise<string[]> {
  const edges = await rows<{ parent: string; child: string }>(db, sql`select parent_id as parent, child_id as child from sequence_items`)
  const names = new Map(
    (await rows<{ id: string; name: string }>(db, sql`select id, name from activities`)).map((a) => [a.id, a.name] as const),
  )
  const children = new Map<string, string[]>()
  for (const e of edges) children.set(e.parent, [...(children.get(e.parent) ?? []), e.child])
  const cycles: string[] = []
  const state = new Map<string, 'open' | 'done'>()
  const visit = (id: string, path: string[]) => {
    state.set(id, 'open')
    for (const child of children.get(id) ?? []) {
      if (state.get(child) === 'open') cycles.push([...path, id, child].map((x) => names.get(x) ?? x).join(' → '))
      else if (!state.has(child)) visit(child, [...path, id])
    }
    state.set(id, 'done')
  }
  for (const id of children.keys()) if (!state.has(id)) visit(id, [])
  return cycles
}

/** Live templates holding a deleted activity (deleteActivity refuses one that is in a live template). */
async function deletedInLiveTemplates(db: Db): Promise<string[]> {
  const found = await rows<{ parent: string; child: string }>(
    db,
    sql`select p.name as parent, c.name as child from sequence_items i
          join activities p on p.id = i.parent_id join activities c on c.id = i.child_id
         where p.deleted_at is null and c.deleted_at is not null`,
  )
  return found.map((f) => `"${f.parent}" holds deleted "${f.child}"`)
}

/** Sequences whose version is not their newest, or whose newest recorded structure is not their items. */
async function staleTemplateVersions(db: Db): Promise<string[]> {
  const found = await rows<{ name: string; version: number; latest: number | null }>(
    db,
    sql`select a.name, a.template_version as version,
               (select max(v.version) from template_versions v where v.activity_id = a.id) as latest
          from activities a
         where a.kind = 'sequence'
           and ((select max(v.version) from template_versions v where v.activity_id = a.id) is distinct from a.template_version
             or (select v.structure from template_versions v where v.activity_id = a.id and v.version = a.template_version)
                is distinct from coalesce((select jsonb_agg(jsonb_build_object('childId', i.child_id, 'repeat', i.repeat) order by i.ordinal, i.id)
                                             from sequence_items i where i.parent_id = a.id), '[]'::jsonb))`,
  )
  return found.map((f) => `"${f.name}": version ${f.version}, newest ${f.latest}, or its structure is not its items`)
}

/**
 * A grant as the server makes one: the membership row (SPEC S1), inserted in a transaction of
 * the test's own and left open until `commit()`. Which mutation writes that row (an invitation
 * accepted, a share) is the mutators' business; the capture (S2) hangs on the row alone.
 */
async function openGrant(
  client: PostgresClient,
  libraryId: string,
  userId: string,
  role: 'viewer' | 'editor' = 'viewer',
  { pauseMs = 0 } = {},
) {
  const inserted = deferred()
  const mayCommit = deferred()
  const done = client.begin(async (tx) => {
    await tx`insert into library_members (library_id, user_id, role) values (${libraryId}, ${userId}, ${role})`
    // The rest of a granting push (its result, the device's counter) takes a moment too.
    if (pauseMs > 0) await tx`select pg_sleep(${pauseMs / 1000})`
    inserted.resolve()
    await mayCommit.promise
  })
  await Promise.race([inserted.promise, done])
  return {
    async commit() {
      mayCommit.resolve()
      await done
    },
  }
}

async function grant(client: PostgresClient, libraryId: string, userId: string, role: 'viewer' | 'editor' = 'viewer', options = {}) {
  await (await openGrant(client, libraryId, userId, role, options)).commit()
}

describe('grants during writes', () => {
  /**
   * Olga owns a library where Ed is an editor and Squat an activity; Mia is not in it yet and
   * has a device at the head.
   */
  async function grantWindow() {
    const { server, db, client } = await start()
    const [olga, ed, mia] = (await Promise.all(['Olga', 'Ed', 'Mia'].map((n) => server.user(n)))) as [TestUser, TestUser, TestUser]
    const owner = olga.device()
    const editor = ed.device()
    const member = mia.device()
    const library = olga.libraryId
    await grant(client, library, ed.id, 'editor')
    const squat = strengthActivity(library, 'Squat')
    await ok(owner, 'createActivity', squat.args)
    for (const device of [owner, editor, member]) await settle(device)

    /** Grants Mia the library and leaves the grant uncommitted until `commit()`. */
    const openMiasGrant = () => openGrant(client, library, mia.id)

    /**
     * Runs the editor's push inside the window: it commits (`committed`), or, were writers ever
     * ordered behind grants, waits on a lock; `writing` is its answer either way.
     */
    async function writeInWindow(mutations: ReturnType<TestDevice['mutation']>[]) {
      const writing = pushRun(editor, mutations)
      const committed = (await untilWaiting(db, 1, [writing])) === 'settled'
      return { writing, committed }
    }

    return { server, db, olga, ed, mia, owner, editor, member, library, squat, openMiasGrant, writeInWindow }
  }

  test('[S2][L3] an activity renamed while a grant is open reaches the new member renamed, not as the grant found it', async () => {
    const w = await grantWindow()
    const grantOpen = await w.openMiasGrant()
    const { writing } = await w.writeInWindow([w.editor.mutation('renameActivity', { activityId: w.squat.ids.id, name: 'Front squat' })])
    await grantOpen.commit()
    expect(resultsOf(await writing).map(statusOf)).toEqual(['applied'])

    expect((await activityRow(w.db, w.squat.ids.id))?.name).toBe('Front squat')
    await settle(w.member)
    expect(w.member.replica.table('activities').find((a) => a.id === w.squat.ids.id)?.name).toBe('Front squat')
    expect(await divergence(w.db, [w.member, w.editor, w.owner, w.mia.device()])).toEqual([])
  })

  test('[S2][L4] an activity created while a grant is open reaches a member who pulled in between', async () => {
    const w = await grantWindow()
    const grantOpen = await w.openMiasGrant()
    const lunge = strengthActivity(w.library, 'Lunge')
    const { writing, committed } = await w.writeInWindow([w.editor.mutation('createActivity', lunge.args)])
    // The member pulls before the grant commits: the library is not in its scopes yet, so its
    // offset passes whatever the editor committed.
    const between = await w.member.pullOnce()
    expect(between).toMatchObject({ type: 'changes', upToDate: true })
    const [created] = committed ? resultsOf(await writing) : []
    if (created?.status === 'applied') expect(w.member.offset).toBeGreaterThanOrEqual(created.seq)
    await grantOpen.commit()
    expect(resultsOf(await writing).map(statusOf)).toEqual(['applied'])

    await settle(w.member)
    const held = w.member.replica
    expect(held.table('activities').find((a) => a.id === lunge.ids.id)?.name).toBe('Lunge')
    expect(
      held
        .table('attributes')
        .filter((a) => a.activity_id === lunge.ids.id)
        .map((a) => a.name)
        .sort(),
    ).toEqual(['Grip', 'Reps', 'Weight'])
    expect(held.table('attribute_options').filter((o) => o.attribute_id === lunge.ids.grip)).toHaveLength(2)
    expect(await divergence(w.db, [w.member, w.editor, w.owner, w.mia.device()])).toEqual([])
  })

  test('[S2][L3] an activity deleted and a template item removed while a grant is open stay gone on the member’s devices', async () => {
    const w = await grantWindow()
    const item = newId()
    const complex = await sequence(w.owner, w.library, 'Complex', [{ id: item, childId: w.squat.ids.id }])
    await settle(w.member)
    const grantOpen = await w.openMiasGrant()
    // One push, one transaction: Squat leaves the template (a row deleted), then goes itself.
    const { writing } = await w.writeInWindow([
      w.editor.mutation('removeTemplateItem', { activityId: complex, itemId: item }),
      w.editor.mutation('deleteActivity', { activityId: w.squat.ids.id }),
    ])
    await grantOpen.commit()
    expect(resultsOf(await writing).map(statusOf)).toEqual(['applied', 'applied'])

    expect((await activityRow(w.db, w.squat.ids.id))?.deleted_at).not.toBeNull()
    await settle(w.member)
    const held = w.member.replica
    expect(held.table('sequence_items').map((i) => i.id)).not.toContain(item)
    expect(held.table('activities').find((a) => a.id === w.squat.ids.id)?.deleted_at).not.toBeNull()
    expect(await divergence(w.db, [w.member, w.editor, w.owner, w.mia.device()])).toEqual([])
  })

  test('[S2][L3][L4] grants and revocations among eight writers on one library: every device ends with the server’s view of its scopes', async () => {
    const { server, db, client } = await start()
    const seed = Date.now() % 100_000
    const random = mulberry32(seed)
    const users = await Promise.all(['Olga', 'Ed', 'Flo', 'Mia', 'Nat', 'Oz', 'Pia'].map((n) => server.user(n)))
    const [olga, ed, flo, ...members] = users as [TestUser, TestUser, TestUser, ...TestUser[]]
    const library = olga.libraryId
    const setupDevice = olga.device()
    for (const editor of [ed, flo]) await grant(client, library, editor.id, 'editor')
    const activities: string[] = []
    for (let i = 0; i < 16; i++) activities.push(await scalar(setupDevice, library, `Lift ${i}`))
    const sequences: string[] = []
    for (let i = 0; i < 4; i++) sequences.push(await sequence(setupDevice, library, `Circuit ${i}`))

    // Eight writers (two per editor, four of the owner's), a revoking device, two following devices per member.
    const writers = [olga, olga, olga, olga, ed, ed, flo, flo].map((u) => u.device())
    const revoker = olga.device()
    const followers = members.flatMap((m) => [m.device(), m.device()])
    for (const device of [...writers, revoker, ...followers]) await settle(device)

    const violations: string[] = []
    let stopped = false
    const following = followers.map((device, i) => follow(device, mulberry32(seed + 1 + i), () => stopped))
    const created: string[] = []
    const write = async (device: TestDevice, w: number) => {
      const next = mulberry32(seed + 100 + w)
      for (let i = 0; i < 20; i++) {
        const roll = next()
        const pool = [...activities, ...created]
        const target = pool[Math.floor(next() * pool.length)]!
        let mutation
        if (roll < 0.55) mutation = device.mutation('renameActivity', { activityId: target, name: `w${w} ${i}` })
        else if (roll < 0.8) {
          const activity = strengthActivity(library, `New ${w}.${i}`)
          created.push(activity.ids.id)
          mutation = device.mutation('createActivity', activity.args)
        } else if (roll < 0.9) mutation = device.mutation('deleteActivity', { activityId: target })
        else {
          const item = { id: newId(), childId: target }
          mutation = device.mutation('addTemplateItem', { activityId: sequences[Math.floor(next() * sequences.length)]!, item })
        }
        const response = await pushRun(device, [mutation])
        if ('failed' in response) {
          violations.push(`writer ${w} #${i} ${mutation.name}: ${response.failed}`)
          return
        }
        if (response.type !== 'pushed') violations.push(`writer ${w} #${i}: answered ${response.type}`)
        if (next() < 0.2) await settle(device)
      }
    }
    const granted = new Set<string>()
    let grants = 0
    const grantAndRevoke = async () => {
      for (let round = 0; round < 28; round++) {
        const member = round < members.length ? members[round]! : members[Math.floor(random() * members.length)]!
        if (granted.has(member.id)) {
          const result = await revoker
            .mutate('revokeMember', { libraryId: library, userId: member.id })
            .catch((e: unknown) => describeError(e))
          if (typeof result === 'string' || result.status !== 'applied') violations.push(`revoke round ${round}: ${JSON.stringify(result)}`)
          granted.delete(member.id)
        } else {
          await grant(client, library, member.id, 'viewer', { pauseMs: Math.floor(random() * 20) })
          grants += 1
          granted.add(member.id)
        }
        await sleep(Math.floor(random() * 10))
      }
      // End with every member in, so the last grant of each races the last writes too.
      for (const member of members) {
        if (granted.has(member.id)) continue
        await grant(client, library, member.id, 'viewer', { pauseMs: 10 })
        grants += 1
        granted.add(member.id)
      }
    }
    const started = performance.now()
    await Promise.all([...writers.map(write), grantAndRevoke()])
    stopped = true
    const followed = await Promise.all(following)
    console.log(
      `[concurrency.pg] grants: ${writers.length} writers, ${grants} grants in ${((performance.now() - started) / 1000).toFixed(1)} s; ` +
        `follower pulls ${followed.map((f) => f.pulls).join('/')}; seed ${seed}`,
    )

    expect(violations).toEqual([])
    expect(followed.flatMap((f) => f.errors)).toEqual([])
    expect(await divergence(db, [...followers, ...writers, revoker, ...members.map((m) => m.device())])).toEqual([])
  }, 90_000)
})

describe('concurrent pushes into shared libraries', () => {
  /**
   * Olga's library, where Ed is an editor, and Ed's, where Olga is; a device each. The holds
   * are activities that a push renames in the middle: locks on them stop both pushes with what
   * came before done and uncommitted, until each side has got there.
   */
  async function twoEditors() {
    const { server, db, client } = await start()
    const [olga, ed] = (await Promise.all(['Olga', 'Ed'].map((n) => server.user(n)))) as [TestUser, TestUser]
    const a = olga.device()
    const b = ed.device()
    const library = olga.libraryId
    const second = ed.libraryId
    await grant(client, library, ed.id, 'editor')
    await grant(client, second, olga.id, 'editor')
    const holds = {
      a: await scalar(a, library, 'Hold A'),
      b: await scalar(a, library, 'Hold B'),
      bInSecond: await scalar(b, second, 'Hold B'),
    }
    type Run = (device: TestDevice) => ReturnType<TestDevice['mutation']>[]
    type Side = { before: Run; hold?: string; after?: Run }
    /**
     * Pushes `before` + a rename of its hold + `after` from each device at once (A's hold is
     * `holds.a`, B's `holds.b` unless given); both stop at the hold until each has done its
     * `before`, then run on together.
     */
    async function race(sideA: Side, sideB: Side) {
      for (const device of [a, b]) await settle(device)
      const holdA = sideA.hold ?? holds.a
      const holdB = sideB.hold ?? holds.b
      const held = await holdRows(client, 'activities', [holdA, holdB])
      const run = (device: TestDevice, side: Side, hold: string) =>
        pushRun(device, [
          ...side.before(device),
          device.mutation('renameActivity', { activityId: hold, name: 'Hold, renamed' }),
          ...(side.after?.(device) ?? []),
        ])
      const pushA = run(a, sideA, holdA)
      const pushB = run(b, sideB, holdB)
      await untilWaiting(db, 2, [pushA, pushB])
      await held.release()
      const [answerA, answerB] = await Promise.all([pushA, pushB])
      return [resultsOf(answerA), resultsOf(answerB)] as const
    }
    return { server, db, olga, ed, a, b, library, second, holds, race }
  }

  test('[P3][P7] two pushes putting C into X and X into C at once: one applies, the other is refused, and no template contains itself', async () => {
    const t = await twoEditors()
    const x = await sequence(t.a, t.library, 'X')
    const c = await sequence(t.a, t.library, 'C')
    const [fromA, fromB] = await t.race(
      { before: (d) => [d.mutation('addTemplateItem', { activityId: x, item: { id: newId(), childId: c } })] },
      { before: (d) => [d.mutation('addTemplateItem', { activityId: c, item: { id: newId(), childId: x } })] },
    )
    expect([fromA[1], fromB[1]].map((r) => r?.status)).toEqual(['applied', 'applied'])
    const outcomes = [fromA[0]!, fromB[0]!].map(statusOf).sort()
    expect(outcomes).toEqual(['applied', 'rejected invalid_args'])
    const refused = [fromA[0]!, fromB[0]!].find((r) => r.status === 'rejected')
    expect(refused?.status === 'rejected' && refused.message).toMatch(/contains/)
    expect(await templateCycles(t.db)).toEqual([])
    expect(await divergence(t.db, [t.a, t.b])).toEqual([])
  })

  test('[P3][P7] deleteActivity against addTemplateItem of the same activity at once: one applies, and no live template holds a deleted activity', async () => {
    const t = await twoEditors()
    const x = await sequence(t.a, t.library, 'X')
    const c = await scalar(t.a, t.library, 'C')
    const [fromA, fromB] = await t.race(
      { before: (d) => [d.mutation('deleteActivity', { activityId: c })] },
      { before: (d) => [d.mutation('addTemplateItem', { activityId: x, item: { id: newId(), childId: c } })] },
    )
    expect([fromA[1], fromB[1]].map((r) => r?.status)).toEqual(['applied', 'applied'])
    const [deleted, added] = [fromA[0]!, fromB[0]!]
    expect(
      [statusOf(deleted), statusOf(added)],
      'the delete refused as in use, or the add refused for a deleted child; never both applied',
    ).toSatisfy(([d, a]: string[]) => (d === 'applied' && a === 'rejected invalid_args') || (d === 'rejected in_use' && a === 'applied'))
    expect(await deletedInLiveTemplates(t.db)).toEqual([])
    expect(await divergence(t.db, [t.a, t.b])).toEqual([])
  })

  for (const where of ['in one library', 'in two libraries'] as const) {
    test(`[P3][P7] two devices renaming the same pair of activities ${where} in opposite order both apply, one after the other, without a failed push`, async () => {
      const t = await twoEditors()
      const p = await scalar(t.a, t.library, 'P')
      const q = await scalar(t.a, where === 'in one library' ? t.library : t.second, 'Q')
      // A renames P, then (after its hold) Q; B renames Q, then P: each holds what the other
      // needs next (the rows, or the libraries' locks). PostgreSQL breaks such a deadlock by
      // failing one transaction; the push must then run again, not answer 500.
      const [fromA, fromB] = await t.race(
        {
          before: (d) => [d.mutation('renameActivity', { activityId: p, name: 'P by A' })],
          after: (d) => [d.mutation('renameActivity', { activityId: q, name: 'Q by A' })],
        },
        {
          before: (d) => [d.mutation('renameActivity', { activityId: q, name: 'Q by B' })],
          hold: where === 'in one library' ? t.holds.b : t.holds.bInSecond,
          after: (d) => [d.mutation('renameActivity', { activityId: p, name: 'P by B' })],
        },
      )
      expect([...fromA, ...fromB].map(statusOf)).toEqual(Array(6).fill('applied'))
      // One push committed whole after the other: both names come from the same device.
      const names = [(await activityRow(t.db, p))?.name, (await activityRow(t.db, q))?.name]
      expect([
        ['P by A', 'Q by A'],
        ['P by B', 'Q by B'],
      ]).toContainEqual(names)
      expect(await divergence(t.db, [t.a, t.b])).toEqual([])
    })
  }

  test('[P3][P7] eight devices editing the templates of two libraries at once: every push applied or refused as in some serial order, invariants kept, replicas converge', async () => {
    // Pushes that change both libraries lock them in either order and deadlock often (P7 runs
    // them again); PostgreSQL looks for deadlocks after 50 ms here instead of a second.
    const { server, db, client } = await start({ fastDeadlocks: true })
    const seed = Date.now() % 100_000
    const [olga, ed, flo] = (await Promise.all(['Olga', 'Ed', 'Flo'].map((n) => server.user(n)))) as [TestUser, TestUser, TestUser]
    // Two libraries, each editable by all three, so one push may lock both, in either order.
    await grant(client, olga.libraryId, ed.id, 'editor')
    await grant(client, olga.libraryId, flo.id, 'editor')
    await grant(client, ed.libraryId, olga.id, 'editor')
    await grant(client, ed.libraryId, flo.id, 'editor')
    const setupDevice = olga.device()
    const libraries = [olga.libraryId, ed.libraryId].map((id) => ({ id, scalars: [] as string[], sequences: [] as string[] }))
    for (const [l, library] of libraries.entries()) {
      for (let i = 0; i < 5; i++) library.scalars.push(await scalar(setupDevice, library.id, `Lift ${l}.${i}`))
      for (let i = 0; i < 5; i++) library.sequences.push(await sequence(setupDevice, library.id, `Circuit ${l}.${i}`))
    }
    const items = new Map<string, string[]>() // sequence → item ids added to it

    const devices = [olga, olga, ed, ed, ed, flo, flo, flo].map((u) => u.device())
    for (const device of devices) await settle(device)
    const violations: string[] = []
    const outcomes = new Map<string, number>()
    // The refusals a serial run of these mutations can give; a concurrent run must not add any.
    const serialRefusals = new Set(['invalid_args', 'in_use', 'not_found'])
    let busy = 0

    const edit = async (device: TestDevice, d: number) => {
      const next = mulberry32(seed + d)
      const pick = <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)]!
      for (let i = 0; i < 10; i++) {
        const run = Array.from({ length: 1 + Math.floor(next() * 3) }, (_, k) => {
          const library = pick(libraries)
          const activities = [...library.scalars, ...library.sequences]
          const roll = next()
          if (roll < 0.35) return device.mutation('renameActivity', { activityId: pick(activities), name: `d${d} ${i}.${k}` })
          if (roll < 0.7) {
            const parent = pick(library.sequences)
            const item = { id: newId(), childId: pick(activities) }
            items.set(parent, [...(items.get(parent) ?? []), item.id])
            return device.mutation('addTemplateItem', { activityId: parent, item })
          }
          if (roll < 0.8) {
            const parent = pick(library.sequences)
            const item = pick(items.get(parent) ?? [newId()])
            return device.mutation('removeTemplateItem', { activityId: parent, itemId: item })
          }
          if (roll < 0.9) return device.mutation('deleteActivity', { activityId: pick(activities) })
          const created = strengthActivity(library.id, `New d${d} ${i}.${k}`)
          library.scalars.push(created.args.id)
          return device.mutation('createActivity', created.args)
        })
        // A push that kept colliding is answered 429, busy (P7); the device sends it again.
        let response = await pushRun(device, run)
        for (let retry = 0; 'failed' in response && response.failed.startsWith('refused') && retry < 5; retry++) {
          busy += 1
          await sleep(50 + Math.floor(next() * 100))
          response = await pushRun(device, run)
        }
        if ('failed' in response) {
          violations.push(`device ${d} push ${i}: ${response.failed}`)
          return
        }
        if (response.type !== 'pushed') violations.push(`device ${d} push ${i}: answered ${response.type}`)
        for (const [k, result] of response.results.entries()) {
          const outcome = `${run[k]!.name} ${statusOf(result)}`
          outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1)
          if (result.status === 'rejected' && (!serialRefusals.has(result.code) || !result.message)) {
            violations.push(`device ${d} push ${i} ${run[k]!.name}: rejected ${result.code}: ${result.message}`)
          }
        }
        if (next() < 0.25) await settle(device)
      }
    }
    const started = performance.now()
    await Promise.all(devices.map(edit))
    console.log(
      `[concurrency.pg] template edits: ${devices.length} devices in ${((performance.now() - started) / 1000).toFixed(1)} s, ${busy} pushes answered busy; ` +
        `${[...outcomes].map(([o, n]) => `${o}: ${n}`).join(', ')}; seed ${seed}`,
    )

    expect(violations).toEqual([])
    expect(await templateCycles(db)).toEqual([])
    expect(await deletedInLiveTemplates(db)).toEqual([])
    expect(await staleTemplateVersions(db)).toEqual([])
    expect(outcomes.get('addTemplateItem applied') ?? 0).toBeGreaterThan(0)
    expect(await divergence(db, devices)).toEqual([])
  }, 60_000)
})

describe('compaction during writes', () => {
  test('[C1] a write open while compaction runs keeps its changes when it commits inside the keep window: a device caught up at the cutoff pulls it, no refetch', async () => {
    const { server, db, client } = await start()
    const ann = await server.user('Ann')
    const reader = ann.device()
    const writers = [ann.device(), ann.device(), ann.device()]
    for (const device of [reader, ...writers]) await settle(device)

    const began = deferred()
    const mayCommit = deferred()
    const slow = client.begin(async (tx) => {
      await tx`insert into tags (id, user_id, name) values (${newId()}, ${ann.id}, 'Slow')`
      began.resolve()
      await mayCommit.promise
    })
    await began.promise
    // Others commit while it is open; compaction runs among them and removes what they committed.
    await Promise.all(writers.map((w, i) => ok(w, 'createTag', { id: newId(), name: `Quick ${i}` })))
    await compact(db, { keepDays: 0 })
    await settle(reader)
    const [{ cutoff }] = (await rows<{ cutoff: Date }>(db, sql`select clock_timestamp() as cutoff`)) as [{ cutoff: Date }]
    await sleep(20)
    mayCommit.resolve()
    await slow

    // Keep what committed after the cutoff: the slow write did, though it began before.
    const { horizon } = await compact(db, { keepDays: 0, now: new Date(cutoff) })
    expect(horizon).toBeLessThanOrEqual(reader.offset)
    const pulled = await reader.pullOnce()
    expect(pulled.type).toBe('changes')
    expect(reader.replica.table('tags').map((t) => t.name)).toContain('Slow')
    expect(await divergence(db, [reader, ...writers])).toEqual([])
  })

  test('[C1][C2][L3] compaction running among eight writers and following devices: the horizon only rises, the log keeps every seq above it, every device converges', async () => {
    const { server, db, client } = await start()
    const seed = Date.now() % 100_000
    const random = mulberry32(seed)
    const [ann, bob] = (await Promise.all(['Ann', 'Bob'].map((n) => server.user(n)))) as [TestUser, TestUser]
    await grant(client, ann.libraryId, bob.id, 'editor')
    const setupDevice = ann.device()
    const shared = await scalar(setupDevice, ann.libraryId, 'Shared')
    const own = new Map<TestUser, ReturnType<typeof strengthActivity>['ids']>()
    for (const user of [ann, bob]) {
      const activity = strengthActivity(user.libraryId, 'Own squat')
      await ok(user.device(), 'createActivity', activity.args)
      own.set(user, activity.ids)
    }
    const writers = [ann, ann, ann, ann, bob, bob, bob, bob].map((u) => u.device())
    const followers = [ann, ann, bob, bob].map((u) => u.device())
    const sleeper = bob.device()
    for (const device of [...writers, ...followers, sleeper]) await settle(device)

    const violations: string[] = []
    let writing = true
    let stopped = false
    // Now and then a follower goes quiet long enough for compaction to pass it.
    const following = followers.map((device, i) => follow(device, mulberry32(seed + 1 + i), () => stopped, { napChance: 0.1, napMs: 200 }))
    const write = async (device: TestDevice, w: number) => {
      const mine = own.get(device.user)!
      for (let i = 0; i < 40; i++) {
        const mutation =
          i % 3 === 0
            ? device.mutation('createTag', { id: newId(), name: `w${w} ${i}` })
            : i % 3 === 1
              ? device.mutation('logEntry', {
                  entry: { id: newId(), activityId: mine.id, performedAt: at, values: { [mine.reps]: i + 1, [mine.weight]: 100 } },
                })
              : device.mutation('renameActivity', { activityId: shared, name: `w${w} ${i}` })
        const response = await pushRun(device, [mutation])
        if ('failed' in response) {
          violations.push(`writer ${w} #${i}: ${response.failed}`)
          return
        }
        const [result] = response.results
        if (result?.status !== 'applied') violations.push(`writer ${w} #${i}: ${JSON.stringify(result)}`)
      }
    }
    const horizons: number[] = []
    const compactLoop = async () => {
      while (writing) {
        const { horizon } = await compact(db, { keepDays: 0, keepTransactions: 5 + Math.floor(random() * 40) })
        horizons.push(horizon)
        await sleep(5 + Math.floor(random() * 20))
      }
    }
    // C1 + L3 in one snapshot: the log holds exactly the transactions horizon+1..head.
    let audits = 0
    const audit = async () => {
      while (writing) {
        const [state] = await rows<{ head: number; horizon: number; n: number; low: number | null; high: number | null }>(
          db,
          sql`select s.seq::int as head, s.horizon_seq::int as horizon, count(t.seq)::int as n, min(t.seq)::int as low, max(t.seq)::int as high
                from sync_state s left join change_transactions t on true where s.id = 1 group by s.seq, s.horizon_seq`,
        )
        const { head, horizon, n, low, high } = state!
        audits += 1
        if (horizon > head || n !== head - horizon || (n > 0 && (low !== horizon + 1 || high !== head))) {
          violations.push(`audit: head ${head}, horizon ${horizon}, ${n} transactions from ${low} to ${high}`)
        }
        await sleep(7)
      }
    }
    // One device sleeps until compaction has passed it, then comes back (C2: refetch, rebase).
    const sleeping = (async () => {
      const asleepAt = sleeper.offset
      while (writing && (await readSyncState(db)).horizon <= asleepAt) await sleep(10)
      return settle(sleeper)
    })().catch((error: unknown) => {
      violations.push(`sleeper: ${describeError(error)}`)
      return 0
    })
    const started = performance.now()
    const background = [compactLoop(), audit()]
    await Promise.all(writers.map(write))
    writing = false
    await Promise.all(background)
    const sleeperRefetches = await sleeping
    stopped = true
    const followed = await Promise.all(following)
    const { head, horizon } = await readSyncState(db)
    console.log(
      `[concurrency.pg] compaction: ${writers.length} writers, head ${head}, horizon ${horizon}, ${horizons.length} compactions, ${audits} audits ` +
        `in ${((performance.now() - started) / 1000).toFixed(1)} s; follower refetches ${followed.map((f) => f.refetches).join('/')}, sleeper ${sleeperRefetches}; seed ${seed}`,
    )

    expect(violations).toEqual([])
    expect(followed.flatMap((f) => f.errors)).toEqual([])
    expect(horizons.every((h, i) => i === 0 || h >= horizons[i - 1]!)).toBe(true)
    expect(horizon).toBeGreaterThan(0)
    expect(sleeperRefetches).toBeGreaterThan(0)
    expect(await divergence(db, [...followers, ...writers, sleeper])).toEqual([])
  }, 60_000)
})
