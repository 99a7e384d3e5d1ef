/**
 * The sync server's rules on PGlite, through the HTTP handlers: devices push and pull as a
 * browser would, and each test checks what a device can observe (push results, pulled changes,
 * the rows it ends up holding). Rule ids refer to sync/SPEC.md.
 */
import { sql } from 'drizzle-orm'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { rows } from '@/db/rows'
import { newId } from '@/domain/ids'
import { strengthActivity } from '@/domain/testing/world'
import { mutationDigest } from '../protocol'
import { HttpTransport } from '../client/transport'
import { compact } from './compact'
import { handlerFetch } from './testing/fetch'
import { userEmail, type TestServer, type TestUser } from './testing/harness'
import { pgliteServer } from './testing/pglite'

let server: TestServer
let ann: TestUser
let bob: TestUser
beforeEach(async () => {
  server = await pgliteServer()
  ann = await server.user('Ann')
  bob = await server.user('Bob')
})
afterEach(async () => {
  await server.close()
})

const at = '2026-11-20T07:30:00.000Z'

async function squatFor(user: TestUser, device = user.device()) {
  const squat = strengthActivity(user.libraryId)
  expect(await device.mutate('createActivity', squat.args)).toMatchObject({ status: 'applied' })
  return { device, ids: squat.ids }
}

describe('push', () => {
  test('[P2] a duplicate is not applied again and gets its recorded result', async () => {
    const device = ann.device()
    const squat = strengthActivity(ann.libraryId)
    const m = device.mutation('createActivity', squat.args)
    const first = await device.push([m])
    expect(first.results[0]).toMatchObject({ id: 1, status: 'applied', seq: expect.any(Number) })
    const again = await device.push([m])
    expect(again).toEqual(first)
    const count = await rows<{ n: number }>(server.db, sql`select count(*)::int as n from activities where id = ${squat.ids.id}`)
    expect(count[0]?.n).toBe(1)
  })

  test('[P2] a push of another mutation under a settled id gets no recorded result: the device is told to register anew', async () => {
    const device = ann.device()
    const first = device.mutation('createTag', { id: newId(), name: 'First' })
    const [applied] = (await device.push([first])).results
    const other = { id: first.id, name: 'createTag', args: { id: newId(), name: 'Other' } }
    expect(await device.push([other])).toEqual({
      type: 'reregister',
      results: [],
      mutationId: 1,
      message: expect.stringMatching(/another change as this device's change 1.*restored from an earlier copy/),
      horizon: expect.any(Number),
    })
    expect(await device.push([{ ...first, name: 'deleteTag' }])).toMatchObject({ type: 'reregister', mutationId: 1 })
    // The same mutation again gets its result, whatever the order of its arguments' keys.
    const reordered = { ...first, args: { name: first.args.name, id: first.args.id } }
    expect(await device.push([reordered])).toEqual({ type: 'pushed', results: [applied], horizon: expect.any(Number) })
    const tags = await rows<{ name: string }>(server.db, sql`select name from tags`)
    expect(tags.map((t) => t.name)).toEqual(['First'])
  })

  test('[P2][V1] a device of protocol 1, and a result recorded before digests were kept, get the recorded result as before', async () => {
    const device = ann.device()
    const first = device.mutation('createTag', { id: newId(), name: 'First' })
    const [applied] = (await device.push([first])).results
    const other = { id: first.id, name: 'createTag', args: { id: newId(), name: 'Other' } }
    const v1 = new HttpTransport({ fetch: handlerFetch(() => server.service, ann.token) })
    expect(await v1.push({ protocolVersion: 1, deviceId: device.id, mutations: [other] })).toMatchObject({
      type: 'pushed',
      results: [applied],
    })
    await server.db.execute(sql`update mutation_results set args_digest = null`)
    expect(await device.push([other])).toMatchObject({ type: 'pushed', results: [applied] })
  })

  test('[P2][B5] a mutation sent withheld (too large to send) is recorded rejected with the reason, and its duplicate gets that result', async () => {
    const device = ann.device()
    const args = { id: newId(), name: 'x'.repeat(1_200_000) }
    const withheld = {
      id: 1,
      name: 'createTag',
      args: null,
      withheld: { bytes: 1_200_100, digest: await mutationDigest('createTag', args) },
    }
    const response = await device.push([withheld])
    expect(response.results).toEqual([
      {
        id: 1,
        status: 'rejected',
        code: 'invalid_args',
        message: 'This change is too large to sync: 1,201 KB, and the server takes at most 1,000 KB at a time. It was not sent.',
      },
    ])
    expect(await device.push([withheld])).toEqual(response)
    expect(await rows(server.db, sql`select 1 from tags`)).toEqual([])
  })

  test('[P2] a gap is refused with the id expected next; nothing after it is applied', async () => {
    const device = ann.device()
    const a = device.mutation('createTag', { id: newId(), name: 'A' })
    device.mutation('createTag', { id: newId(), name: 'lost in transit' })
    const c = device.mutation('createTag', { id: newId(), name: 'C' })
    const response = await device.push([a, c])
    expect(response).toMatchObject({ type: 'gap', expected: 2, results: [{ id: 1, status: 'applied' }] })
    const tags = await rows<{ name: string }>(server.db, sql`select name from tags`)
    expect(tags.map((t) => t.name)).toEqual(['A'])
  })

  test('[P2] a device id with nothing settled starts where the device says its outbox starts: entries before the push are asked for', async () => {
    // The device holds #1 answered by a server since restored to before it, and pushes only #2.
    const device = ann.device()
    const forgotten = device.mutation('createTag', { id: newId(), name: 'Answered, then forgotten' })
    const next = device.mutation('createTag', { id: newId(), name: 'Next' })
    expect(await device.push([next], { outboxStart: 1 })).toMatchObject({ type: 'gap', expected: 1, results: [] })
    expect(await device.push([forgotten, next], { outboxStart: 1 })).toMatchObject({
      type: 'pushed',
      results: [
        { id: 1, status: 'applied' },
        { id: 2, status: 'applied' },
      ],
    })
    // A device that registered anew (B15) keeps its numbers: its outbox starts at its first push.
    const again = bob.device()
    expect(await again.push([{ id: 7, name: 'createTag', args: { id: newId(), name: 'Kept number' } }], { outboxStart: 7 })).toMatchObject({
      type: 'pushed',
      results: [{ id: 7, status: 'applied' }],
    })
    // An outbox said to start after the push's first id changes nothing.
    const third = bob.device()
    expect(await third.push([{ id: 3, name: 'createTag', args: { id: newId(), name: 'Three' } }], { outboxStart: 9 })).toMatchObject({
      type: 'pushed',
      results: [{ id: 3, status: 'applied' }],
    })
  })

  test('[P2][P3][P4] a refusal writes nothing but its result; an applied mutation commits with its result, the whole push in one transaction', async () => {
    const device = ann.device()
    const ok = device.mutation('createTag', { id: newId(), name: 'Heavy' })
    const refused = device.mutation('createTag', { id: newId(), name: 'Heavy' })
    const response = await device.push([ok, refused])
    expect(response.results).toEqual([
      { id: 1, status: 'applied', seq: expect.any(Number) },
      { id: 2, status: 'rejected', code: 'conflict', message: 'You have a tag called "Heavy" already.' },
    ])
    // The applied mutation's effects and its result share one commit (one seq), with the refused
    // one's result: a push is one transaction (P2).
    const log = await rows<{ seq: string; table_name: string }>(
      server.db,
      sql`select t.seq::text as seq, l.table_name from change_log l join change_transactions t on t.tx = l.tx where l.table_name in ('tags', 'mutation_results') order by t.seq, l.op`,
    )
    const applied = response.results[0] as { seq: number }
    expect(log.filter((l) => Number(l.seq) === applied.seq).map((l) => l.table_name)).toEqual([
      'tags',
      'mutation_results',
      'mutation_results',
    ])
    expect(log.filter((l) => l.table_name === 'tags')).toHaveLength(1)
  })

  test('[P5] a device learns every result from its own stream; other devices do not see it', async () => {
    const phone = ann.device()
    const laptop = ann.device()
    await phone.mutate('createTag', { id: newId(), name: 'PR' })
    await phone.mutate('createTag', { id: newId(), name: 'PR' })
    await phone.catchUp()
    expect(phone.replica.table('mutation_results').map((r) => [r.mutation_id, r.status, r.error_code])).toEqual([
      [1, 'applied', null],
      [2, 'rejected', 'conflict'],
    ])
    await laptop.catchUp()
    expect(laptop.replica.table('mutation_results')).toEqual([])
    expect(laptop.replica.table('tags').map((t) => t.name)).toEqual(['PR'])
  })

  test('[P1] a device id belongs to one user', async () => {
    const device = ann.device()
    await device.mutate('createTag', { id: newId(), name: 'Mine' })
    const stolen = bob.device()
    Object.assign(stolen, { id: device.id })
    await expect(stolen.mutate('createTag', { id: newId(), name: 'Yours' })).rejects.toMatchObject({
      kind: 'refused',
      message: expect.stringMatching(/belongs to another account/),
    })
  })
})

describe('pull', () => {
  test('[R1][A2] a device gets its user scope and its libraries, nothing of anyone else', async () => {
    const { ids } = await squatFor(ann)
    await ann.device().mutate('logEntry', { entry: { id: newId(), activityId: ids.id, performedAt: at, values: { [ids.reps]: 5 } } })
    const bobs = bob.device()
    await bobs.catchUp()
    expect(bobs.replica.table('entries')).toEqual([])
    expect(bobs.replica.table('activities')).toEqual([])
    expect(bobs.replica.table('users').map((u) => u.id)).toEqual([bob.id])
    const anns = ann.device()
    await anns.catchUp()
    expect(anns.replica.table('entries')).toHaveLength(1)
    expect(anns.replica.table('activities').map((a) => a.id)).toEqual([ids.id])
  })

  test('[R2][R3] pages hold whole transactions; a transaction larger than the page comes alone; the offset reaches the head', async () => {
    const { device, ids } = await squatFor(ann)
    // One transaction with 1 entry + 3 values + result: 5 changes.
    await device.mutate('logEntry', {
      entry: { id: newId(), activityId: ids.id, performedAt: at, values: { [ids.reps]: 5, [ids.weight]: 100, [ids.grip]: ids.wide } },
    })
    await device.mutate('createTag', { id: newId(), name: 'A' })
    const reader = ann.device()
    const pages: { seqs: number[]; offset: number; upToDate: boolean }[] = []
    for (;;) {
      const page = await reader.pullOnce({ limit: 2 })
      if (page.type !== 'changes') throw new Error(page.message)
      pages.push({ seqs: [...new Set(page.changes.map((c) => c.seq))], offset: page.offset, upToDate: page.upToDate })
      if (page.upToDate) break
    }
    // Every page is whole transactions: no seq appears in two pages.
    const seen = pages.flatMap((p) => p.seqs)
    expect(new Set(seen).size).toBe(seen.length)
    const logTx = pages.find((p) => p.seqs.length === 1 && p.offset === p.seqs[0])
    expect(logTx).toBeDefined()
    expect(pages.at(-1)?.upToDate).toBe(true)
    expect(reader.replica.table('entry_values')).toHaveLength(3)
  })

  test('[R3] a device that has caught up moves to the head even when the new transactions are not for it', async () => {
    const bobs = bob.device()
    await bobs.catchUp()
    await squatFor(ann)
    const result = await bobs.pullOnce()
    expect(result).toMatchObject({ type: 'changes', changes: [], upToDate: true })
    expect(result.type === 'changes' && result.offset).toBe(result.type === 'changes' && result.head)
  })

  test('[R4][L5] a waiting pull answers as soon as a commit lands', async () => {
    const reader = ann.device()
    const writer = ann.device()
    await writer.catchUp()
    await reader.catchUp()
    const started = Date.now()
    const waiting = reader.pullOnce({ waitMs: 10_000 })
    await new Promise((r) => setTimeout(r, 50))
    await writer.mutate('createTag', { id: newId(), name: 'Live' })
    const result = await waiting
    const elapsed = Date.now() - started
    expect(result.type === 'changes' && result.changes.map((c) => c.table)).toContain('tags')
    expect(elapsed).toBeLessThan(5_000)
  })

  test('[R4] a waiting pull with nothing new answers up to date when its wait ends', async () => {
    const reader = ann.device()
    await reader.catchUp()
    const result = await reader.pullOnce({ waitMs: 100 })
    expect(result).toMatchObject({ type: 'changes', changes: [], upToDate: true })
  })

  test('[L1] cascades and subtrees are in the log: deleting a workout deletes its sets on every device', async () => {
    const { device, ids } = await squatFor(ann)
    const root = newId()
    const day = newId()
    await device.mutate('createActivity', {
      id: day,
      libraryId: ann.libraryId,
      name: 'Day',
      kind: 'sequence',
      items: [{ id: newId(), childId: ids.id, repeat: 2 }],
    })
    await device.mutate('logEntry', {
      entry: {
        id: root,
        activityId: day,
        performedAt: at,
        children: [0, 1].map(() => ({ id: newId(), activityId: ids.id, values: { [ids.reps]: 5 } })),
      },
    })
    const other = ann.device()
    await other.catchUp()
    expect(other.replica.table('entries')).toHaveLength(3)
    await device.mutate('deleteEntry', { entryId: root })
    await other.catchUp()
    expect(other.replica.table('entries')).toEqual([])
    expect(other.replica.table('entry_values')).toEqual([])
  })
})

describe('snapshot', () => {
  test('[N1] a snapshot plus the log from its offset equals a device that followed the log from the start', async () => {
    const { device, ids } = await squatFor(ann)
    for (let i = 0; i < 5; i++) {
      await device.mutate('logEntry', { entry: { id: newId(), activityId: ids.id, performedAt: at, values: { [ids.reps]: i + 1 } } })
    }
    const follower = ann.device()
    await follower.catchUp()
    const fresh = ann.device()
    await fresh.snapshot()
    await device.mutate('renameActivity', { activityId: ids.id, name: 'Low-bar squat' })
    await follower.catchUp()
    await fresh.catchUp()
    const withoutResults = (d: typeof follower) =>
      d.replica.picture().filter(([k]) => !k.startsWith('mutation_results|') && !k.startsWith('devices|'))
    expect(withoutResults(fresh)).toEqual(withoutResults(follower))
    expect(fresh.replica.table('activities')[0]?.name).toBe('Low-bar squat')
  })

  test('[N2][N3] a snapshot streams in pages, announcing its row count first', async () => {
    const { device, ids } = await squatFor(ann)
    const entries = Array.from({ length: 30 }, () => ({ id: newId(), activityId: ids.id, values: { [ids.reps]: 1 } }))
    await device.mutate('logEntry', { entry: { id: newId(), activityId: ids.id, performedAt: at, values: { [ids.reps]: 1 } } })
    const day = newId()
    await device.mutate('createActivity', { id: day, libraryId: ann.libraryId, name: 'Day', kind: 'sequence', items: [] })
    await device.mutate('logEntry', { entry: { id: newId(), activityId: day, performedAt: at, children: entries } })
    const { streamSnapshot } = await import('./snapshot')
    const pages: number[] = []
    let announced: number | undefined
    let streamed = 0
    let ended: number | undefined
    await streamSnapshot(
      server.db,
      { userId: ann.id, deviceId: device.id },
      async (line) => {
        if (line.type === 'snapshot-begin') announced = line.rows
        if (line.type === 'rows') streamed += line.rows.length
        if (line.type === 'rows' && line.table === 'entries') pages.push(line.rows.length)
        if (line.type === 'snapshot-end') ended = line.rowCount
      },
      { pageRows: 10 },
    )
    expect(pages).toEqual([10, 10, 10, 2])
    // N3: the first line announces how many rows follow, so a device can show a percentage.
    expect(announced).toBe(streamed)
    expect(ended).toBe(streamed)
  })
})

describe('scope changes', () => {
  test('[S2] a grant brings the library to the member from the grant, without a resync', async () => {
    const { ids } = await squatFor(ann)
    const bobs = bob.device()
    await bobs.catchUp()
    const before = bobs.offset
    const inviteId = newId()
    await ann.device().mutate('shareLibrary', { inviteId, libraryId: ann.libraryId, email: bob.email, role: 'viewer' })
    // S4: the invitation grants nothing until Bob accepts it (from another of his devices).
    expect(await bobs.catchUp()).toEqual([])
    await bob.device().mutate('acceptInvitation', { inviteId })
    const changes = await bobs.catchUp()
    expect(changes.every((c) => c.seq > before)).toBe(true)
    expect(changes.find((c) => c.kind === 'scope_added')).toMatchObject({ scope: `user:${bob.id}`, key: { id: ann.libraryId } })
    expect(bobs.replica.table('activities').map((a) => a.id)).toEqual([ids.id])
    expect(bobs.replica.table('attributes')).toHaveLength(3)
    expect(
      bobs.replica
        .table('libraries')
        .map((l) => l.id)
        .sort(),
    ).toEqual([ann.libraryId, bob.libraryId].sort())
    // From then on the library's own scope brings its changes.
    await ann.device().mutate('renameActivity', { activityId: ids.id, name: 'Pause squat' })
    await bobs.catchUp()
    expect(bobs.replica.table('activities')[0]?.name).toBe('Pause squat')
  })

  test('[S3] a revocation removes the library from the device, and a pending write into it is rejected with the reason', async () => {
    const { ids } = await squatFor(ann)
    const inviteId = newId()
    await ann.device().mutate('shareLibrary', { inviteId, libraryId: ann.libraryId, email: bob.email, role: 'editor' })
    await bob.device().mutate('acceptInvitation', { inviteId })
    const bobs = bob.device()
    await bobs.catchUp()
    expect(bobs.replica.table('activities')).toHaveLength(1)
    const pending = bobs.mutation('renameActivity', { activityId: ids.id, name: 'Bob was here' })
    await ann.device().mutate('revokeMember', { libraryId: ann.libraryId, userId: bob.id })
    const response = await bobs.push([pending])
    expect(response.results).toEqual([
      { id: pending.id, status: 'rejected', code: 'not_found', message: 'The library was not found, or is not shared with you.' },
    ])
    await bobs.catchUp()
    expect(bobs.replica.table('activities')).toEqual([])
    expect(bobs.replica.table('libraries').map((l) => l.id)).toEqual([bob.libraryId])
    expect(bobs.replica.table('mutation_results').map((r) => r.status)).toEqual(['rejected'])
    const [name] = await rows<{ name: string }>(server.db, sql`select name from activities where id = ${ids.id}`)
    expect(name?.name).toBe('Back squat')
  })

  test('[S1] deleting a library removes it from its owner’s devices', async () => {
    const lib = newId()
    const device = ann.device()
    await device.mutate('createLibrary', { id: lib, name: 'Temp' })
    const other = ann.device()
    await other.catchUp()
    expect(other.replica.table('libraries').map((l) => l.id)).toContain(lib)
    await device.mutate('deleteLibrary', { libraryId: lib })
    await other.catchUp()
    expect(other.replica.table('libraries').map((l) => l.id)).not.toContain(lib)
  })
})

describe('compaction', () => {
  test('[C1][C2][C3] a device behind the horizon is told to refetch, and a snapshot gets it going again', async () => {
    const device = ann.device()
    await device.catchUp()
    const behind = ann.device()
    for (let i = 0; i < 3; i++) await device.mutate('createTag', { id: newId(), name: `t${i}` })
    await device.catchUp()
    const result = await compact(server.db, { keepDays: 0, keepTransactions: 1, now: new Date(Date.now() + 1000) })
    expect(result.horizon).toBeGreaterThan(0)
    expect(result.removedChanges).toBeGreaterThan(0)
    const refused = await behind.pullOnce()
    expect(refused).toMatchObject({
      type: 'must-refetch',
      horizon: result.horizon,
      message: expect.stringContaining('Fetch a snapshot, keep your pending writes'),
    })
    await behind.snapshot()
    await behind.catchUp()
    expect(
      behind.replica
        .table('tags')
        .map((t) => t.name)
        .sort(),
    ).toEqual(['t0', 't1', 't2'])
    const ok = await device.pullOnce()
    expect(ok).toMatchObject({ type: 'changes', horizon: result.horizon })
    // Compaction never lowers the horizon.
    expect((await compact(server.db, { keepDays: 365 })).horizon).toBe(result.horizon)
  })
})

test('[L1] the capture triggers and syncTables agree on every synced table', async () => {
  const { syncTables } = await import('@/db/schema/registry')
  const { captureFunction } = await import('@/db/sync-triggers')
  // Per table: three statement-level triggers (insert, update, delete), each calling its table's own function.
  const triggers = await rows<{ table: string; name: string; fn: string; per_row: boolean }>(
    server.db,
    sql`select c.relname as table, t.tgname as name, p.proname as fn, (t.tgtype & 1) = 1 as per_row
          from pg_trigger t join pg_class c on c.oid = t.tgrelid join pg_proc p on p.oid = t.tgfoid
         where not t.tgisinternal and starts_with(p.proname::text, 'cadence_capture')`,
  )
  const byTable = new Map<string, string[]>()
  for (const t of triggers) {
    expect(t.fn, t.name).toBe(captureFunction(t.table))
    expect(t.per_row, t.name).toBe(false)
    byTable.set(t.table, [...(byTable.get(t.table) ?? []), t.name].sort())
  }
  for (const table of syncTables) {
    expect(byTable.get(table.table), table.table).toEqual(['delete', 'insert', 'update'].map((e) => `${table.table}_capture_${e}`))
  }
  expect([...byTable.keys()].sort()).toEqual(syncTables.map((t) => t.table).sort())
  expect(await userEmail(server.db, ann.id)).toBe(ann.email)
})
