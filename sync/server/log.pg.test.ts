/**
 * The change log's ordering on real PostgreSQL (SPEC L3, L4, R2, R3). PGlite runs one connection,
 * so commits there never overlap; only a server with concurrent transactions can show whether
 * `seq` really is commit order. The harness (`testing/harness.ts`, `testing/postgres.ts`) runs
 * the real HTTP handlers over a fresh database: devices push mutations and pull pages as a
 * browser would, many at once, through one connection pool.
 *
 * The invariant: a device that pulls page after page, while others commit, receives every change
 * in its scopes exactly once, in `(seq, op)` order, whole transactions per page, and ends with the
 * rows the server holds. It holds because `seq` is taken at commit under a lock held until the
 * commit is visible (L3) and a pull reads the head and the changes from one snapshot (L4): a
 * reader that sees `seq = n` sees every `seq < n`, so moving the offset to `n` skips nothing.
 * The focused tests replay the two interleavings that break the alternatives (a sequence or
 * the transaction id): an older transaction committing after a newer one.
 */
import { sql } from 'drizzle-orm'
import { afterEach, describe, expect, test } from 'vitest'
import { rows } from '@/db/rows'
import type { Db } from '@/db/types'
import { newId } from '@/domain/ids'
import type { MutatorArgs, MutatorName } from '@/domain/mutators'
import { strengthActivity } from '@/domain/testing/world'
import type { Change } from '../protocol'
import { scopeNames, scopesOf } from './scopes'
import { readSyncState } from './state'
import type { TestDevice, TestServer, TestUser } from './testing/harness'
import { postgresServer } from './testing/postgres'
import { mulberry32 } from '@/test/random'

let server: TestServer | undefined
afterEach(async () => {
  await server?.close()
  server = undefined
})

const at = '2026-11-20T07:30:00.000Z'
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

function deferred<T = void>() {
  let resolve!: (value: T) => void
  const promise = new Promise<T>((r) => (resolve = r))
  return { promise, resolve }
}

type LoggedChange = Omit<Change, 'seq'> & { seq: number; tx: string }

/** The whole change log in `(seq, op)` order, read straight from the tables. */
async function wholeLog(db: Db): Promise<LoggedChange[]> {
  const found = await rows<{
    seq: string
    tx: string
    op: number
    scope: Change['scope']
    table_name: string
    kind: Change['kind']
    key: Record<string, unknown>
    row: Record<string, unknown> | null
  }>(
    db,
    sql`select t.seq::text as seq, t.tx::text as tx, l.op, l.scope, l.table_name, l.kind, l.key, l.row
          from change_log l join change_transactions t on t.tx = l.tx
         order by t.seq, l.op`,
  )
  return found.map((r) => ({
    seq: Number(r.seq),
    tx: r.tx,
    op: r.op,
    scope: r.scope,
    table: r.table_name,
    kind: r.kind,
    key: r.key,
    row: r.row,
  }))
}

const stripTx = ({ tx: _tx, ...change }: LoggedChange): Change => change

/** What a puller saw, page by page, and every rule a page broke (R2, R3, L4). */
type Follow = {
  changes: Change[]
  pages: number
  pagesWithChanges: number
  pagesWhileWriting: number
  oversized: number
  violations: string[]
}

/**
 * Pulls with random small limits until `finished()` is true and a pull started after that is up
 * to date. Checks every page as it comes; never throws, so every puller runs to the end.
 */
async function follow(name: string, device: TestDevice, seed: number, finished: () => boolean, writing: () => boolean): Promise<Follow> {
  const next = mulberry32(seed) // seeded, so a failing run's page limits can be replayed
  const log: Follow = { changes: [], pages: 0, pagesWithChanges: 0, pagesWhileWriting: 0, oversized: 0, violations: [] }
  const pageOfSeq = new Map<number, number>()
  const fail = (message: string) => log.violations.push(`${name} page ${log.pages}: ${message}`)
  for (;;) {
    const last = finished()
    const during = writing()
    const before = device.offset
    const limit = 7 + Math.floor(next() * 44)
    let page
    try {
      page = await device.pullOnce({ limit })
    } catch (error) {
      fail(`pull failed: ${String(error)}`)
      return log
    }
    log.pages += 1
    if (page.type !== 'changes') {
      fail(`answered ${page.type}: ${page.message}`)
      return log
    }
    if (page.changes.length > 0) log.pagesWithChanges += 1
    if (during && page.changes.length > 0) log.pagesWhileWriting += 1
    const seqs = [...new Set(page.changes.map((c) => c.seq))]
    for (let i = 0; i < page.changes.length; i++) {
      const c = page.changes[i]!
      const prev = page.changes[i - 1]
      if (c.seq <= before) fail(`seq ${c.seq} at or below the offset ${before} it asked from`)
      if (prev && (c.seq < prev.seq || (c.seq === prev.seq && c.op <= prev.op))) fail(`(${c.seq}, ${c.op}) after (${prev.seq}, ${prev.op})`)
    }
    for (const seq of seqs) {
      const earlier = pageOfSeq.get(seq)
      if (earlier !== undefined) fail(`transaction ${seq} split: it was in page ${earlier} too`)
      pageOfSeq.set(seq, log.pages)
    }
    if (page.changes.length > limit) {
      log.oversized += 1
      if (seqs.length !== 1) fail(`${page.changes.length} changes over the limit ${limit} from ${seqs.length} transactions`)
    }
    if (page.offset < before) fail(`offset went back from ${before} to ${page.offset}`)
    if (seqs.length > 0 && page.offset < seqs[seqs.length - 1]!) fail(`offset ${page.offset} below its last seq ${seqs[seqs.length - 1]}`)
    if (page.offset > page.head) fail(`offset ${page.offset} beyond the head ${page.head}`)
    if (page.upToDate !== (page.offset === page.head)) fail(`upToDate ${page.upToDate} with offset ${page.offset} and head ${page.head}`)
    log.changes.push(...page.changes)
    if (last && page.upToDate) return log
    // A caught-up device would long-poll; a short pause keeps the pullers from starving the writers.
    if (page.upToDate) await sleep(3)
  }
}

describe('change log on PostgreSQL', () => {
  test('[L3][L4][R2][R3] pullers paging through concurrent writes get every change of their scopes once, whole, in order, and end with the server’s rows', async () => {
    const started = performance.now()
    const s = (await postgresServer({ max: 12 })).server
    server = s
    const [ann, bob, cat, dan] = (await Promise.all(['Ann', 'Bob', 'Cat', 'Dan'].map((n) => s.user(n)))) as [
      TestUser,
      TestUser,
      TestUser,
      TestUser,
    ]

    // Own activities to log against, a shared activity in each shared library to rename.
    const ok = async <N extends MutatorName>(user: TestUser, name: N, args: MutatorArgs<N>) => {
      expect(await user.device().mutate(name, args), name).toMatchObject({ status: 'applied' })
    }
    const own = new Map<TestUser, ReturnType<typeof strengthActivity>['ids']>()
    for (const user of [ann, bob, cat, dan]) {
      const activity = strengthActivity(user.libraryId, 'Own squat')
      own.set(user, activity.ids)
      await ok(user, 'createActivity', activity.args)
    }
    const sharedA = strengthActivity(ann.libraryId, 'Shared A')
    const sharedB = strengthActivity(bob.libraryId, 'Shared B')
    await ok(ann, 'createActivity', sharedA.args)
    await ok(bob, 'createActivity', sharedB.args)
    const share = async (owner: TestUser, member: TestUser, role: 'editor' | 'viewer') => {
      const inviteId = newId()
      await ok(owner, 'shareLibrary', { inviteId, libraryId: owner.libraryId, email: member.email, role })
      await ok(member, 'acceptInvitation', { inviteId })
    }
    await share(ann, bob, 'editor')
    await share(ann, cat, 'editor')
    await share(bob, dan, 'editor')
    await share(bob, ann, 'viewer')

    // 9 writers on 4 accounts; each renames shared activities it may edit.
    const writers: { label: string; user: TestUser; renames: string[] }[] = [
      ...[1, 2, 3].map((i) => ({ label: `ann${i}`, user: ann, renames: [sharedA.ids.id] })),
      ...[1, 2].map((i) => ({ label: `bob${i}`, user: bob, renames: [sharedA.ids.id, sharedB.ids.id] })),
      ...[1, 2].map((i) => ({ label: `cat${i}`, user: cat, renames: [sharedA.ids.id] })),
      ...[1, 2].map((i) => ({ label: `dan${i}`, user: dan, renames: [sharedB.ids.id] })),
    ]
    const perWriter = 335
    const violations: string[] = []
    let writing = true
    let finished = false

    const write = async ({ label, user, renames }: (typeof writers)[number]) => {
      const device = user.device()
      const mine = own.get(user)!
      let lastSeq = 0
      let applied = 0
      for (let i = 0; i < perWriter && violations.length === 0; i++) {
        try {
          const result =
            i % 3 === 0
              ? await device.mutate('createTag', { id: newId(), name: `${label}-${i}` })
              : i % 3 === 1
                ? await device.mutate('logEntry', {
                    entry: { id: newId(), activityId: mine.id, performedAt: at, values: { [mine.reps]: i + 1, [mine.weight]: 100 } },
                  })
                : await device.mutate('renameActivity', { activityId: renames[i % renames.length]!, name: `${label} ${i}` })
          if (result.status !== 'applied') violations.push(`${label} #${i}: ${result.code}: ${result.message}`)
          else if (result.seq <= lastSeq) violations.push(`${label} #${i}: seq ${result.seq} after ${lastSeq}`)
          else {
            lastSeq = result.seq
            applied += 1
          }
        } catch (error) {
          violations.push(`${label} #${i}: ${String(error)}`)
        }
      }
      return applied
    }

    // L3 + L4 directly: in any one snapshot, the committed seqs are exactly 1..head (nothing is
    // compacted here), so no reader can ever see seq n without every seq below it.
    let audits = 0
    const audit = async () => {
      while (writing) {
        const [state] = await rows<{ head: string; n: string; max: string | null }>(
          s.db,
          sql`select s.seq::text as head, count(t.seq)::text as n, max(t.seq)::text as max
                from sync_state s left join change_transactions t on true where s.id = 1 group by s.seq`,
        )
        audits += 1
        if (state!.n !== state!.head || (state!.max ?? '0') !== state!.head) {
          violations.push(`audit: head ${state!.head}, ${state!.n} transactions visible, highest ${state!.max}`)
        }
        await sleep(5)
      }
    }

    const pullers = [ann, bob, cat, dan].map((user) => ({ user, device: user.device() }))
    const seed = Date.now() % 100_000
    const loadStarted = performance.now()
    const following = pullers.map((p, i) =>
      follow(
        p.user.email.split('-')[0]!,
        p.device,
        seed + i,
        () => finished,
        () => writing,
      ),
    )
    const auditing = audit()
    const applied = await Promise.all(writers.map(write))
    const writeMs = performance.now() - loadStarted
    writing = false
    await auditing
    // A fresh device per account snapshots its scopes (N1) and registers itself; the pullers
    // then catch up past that registration too, so nothing needs leaving out of the comparison.
    const snapshots = await Promise.all(
      [ann, bob, cat, dan].map(async (user) => {
        const device = user.device()
        await device.snapshot()
        return device
      }),
    )
    finished = true
    const follows = await Promise.all(following)
    const loadMs = performance.now() - loadStarted

    const log = await wholeLog(s.db)
    const { head } = await readSyncState(s.db)
    const totalApplied = applied.reduce((a, b) => a + b, 0)
    console.log(
      `[log.pg] ${writers.length} writers, ${totalApplied} mutations applied in ${(writeMs / 1000).toFixed(1)} s ` +
        `(${Math.round(totalApplied / (writeMs / 1000))}/s); ${head} transactions, ${log.length} changes; ${audits} audits; ` +
        `pullers (changes/pages/with changes/while writing/one transaction over the limit): ${follows.map((f) => `${f.changes.length}/${f.pages}/${f.pagesWithChanges}/${f.pagesWhileWriting}/${f.oversized}`).join(', ')}; ` +
        `load ${(loadMs / 1000).toFixed(1)} s, setup ${((loadStarted - started) / 1000).toFixed(1)} s; page-limit seed ${seed}`,
    )

    expect(violations).toEqual([])
    expect(follows.flatMap((f) => f.violations)).toEqual([])
    // L2/L3: one seq per transaction, 1..head without a gap; ops 0, 1, 2… within each.
    const seqs = [...new Set(log.map((c) => c.seq))]
    expect(seqs).toEqual(Array.from({ length: head }, (_, i) => i + 1))
    const opsOf = new Map<number, number[]>()
    for (const c of log) opsOf.set(c.seq, [...(opsOf.get(c.seq) ?? []), c.op])
    expect([...opsOf.values()].filter((ops) => ops.some((op, i) => op !== i))).toEqual([])
    expect(new Set(log.map((c) => c.tx)).size).toBe(seqs.length)

    expect(totalApplied).toBe(writers.length * perWriter)

    for (const [i, { user, device }] of pullers.entries()) {
      const names = new Set(scopeNames(await scopesOf(s.db, user.id, device.id)))
      const expected = log.filter((c) => names.has(c.scope)).map(stripTx)
      const received = follows[i]!.changes
      const key = (c: Change) => `${c.seq}:${c.op}`
      // Exactly once: no (seq, op) twice, none missing, none extra, same order, same content.
      expect(new Set(received.map(key)).size, `${user.email}: duplicates`).toBe(received.length)
      expect(received.map(key), `${user.email}: (seq, op) sequence`).toEqual(expected.map(key))
      expect(received, `${user.email}: change contents`).toEqual(expected)
      expect(device.offset).toBe(head)
      // The replica a device builds from the stream is the server's state of its scopes.
      // The snapshots ran side by side, each registering its device: one may predate another's
      // registration (another account's), never a change of its own scopes.
      expect(
        expected.filter((c) => c.seq > snapshots[i]!.offset),
        `${user.email}: changes after its snapshot`,
      ).toEqual([])
      expect(device.replica.picture(), `${user.email}: replica`).toEqual(snapshots[i]!.replica.picture())
    }
    // The pullers really overlapped the writes, and the shared rows are in the pictures compared.
    expect(follows.every((f) => f.pagesWhileWriting >= 10)).toBe(true)
    expect(pullers[2]!.device.replica.table('activities').map((a) => a.name)).toContain(
      (await rows<{ name: string }>(s.db, sql`select name from activities where id = ${sharedA.ids.id}`))[0]!.name,
    )
  }, 300_000)

  test('[L3][R3] a transaction that started first and commits last takes the larger seq; a pull in between returns only the committed one and skips nothing', async () => {
    const pg = await postgresServer()
    server = pg.server
    const ann = await server.user('Ann')
    const reader = ann.device()
    await reader.catchUp()
    const [tagA, tagB] = [newId(), newId()]

    // A writes first (and so holds the older transaction id), then stays open.
    const aWrote = deferred<string>()
    const aMayCommit = deferred()
    const a = pg.database.client.begin(async (tx) => {
      await tx`insert into tags (id, user_id, name) values (${tagA}, ${ann.id}, 'A')`
      const [{ txid }] = (await tx`select pg_current_xact_id()::text as txid`) as unknown as [{ txid: string }]
      aWrote.resolve(txid)
      await aMayCommit.promise
    })
    const txA = await aWrote.promise
    // B starts later, writes, commits.
    const txB = await pg.database.client.begin(async (tx) => {
      await tx`insert into tags (id, user_id, name) values (${tagB}, ${ann.id}, 'B')`
      const [{ txid }] = (await tx`select pg_current_xact_id()::text as txid`) as unknown as [{ txid: string }]
      return txid
    })
    expect(BigInt(txA)).toBeLessThan(BigInt(txB))

    const first = await reader.pullOnce()
    if (first.type !== 'changes') throw new Error(first.message)
    expect(first.changes.map((c) => [c.table, c.key.id])).toEqual([['tags', tagB]])
    const seqB = first.changes[0]!.seq
    expect(first).toMatchObject({ offset: seqB, head: seqB, upToDate: true })

    aMayCommit.resolve()
    await a
    const second = await reader.pullOnce()
    if (second.type !== 'changes') throw new Error(second.message)
    expect(second.changes.map((c) => [c.table, c.key.id])).toEqual([['tags', tagA]])
    const seqA = second.changes[0]!.seq
    expect(seqB).toBeLessThan(seqA)
    expect(second).toMatchObject({ offset: seqA, head: seqA, upToDate: true })
    expect(await reader.catchUp()).toEqual([])
    expect(
      reader.replica
        .table('tags')
        .map((t) => t.name)
        .sort(),
    ).toEqual(['A', 'B'])

    // The log says so too: commit order (seq) and transaction id order disagree here, which is
    // exactly the case where serving by transaction id would have skipped A for ever.
    const log = await wholeLog(server.db)
    const inLog = log.filter((c) => c.table === 'tags')
    expect(inLog.map((c) => [c.key.id, c.seq, c.tx])).toEqual([
      [tagB, seqB, txB],
      [tagA, seqA, txA],
    ])
  })

  test('[L3] an older transaction that writes a row after a newer one committed it takes the later seq, so replaying by seq ends on the server’s version', async () => {
    const pg = await postgresServer()
    server = pg.server
    const ann = await server.user('Ann')
    const writer = ann.device()
    const tag = newId()
    expect(await writer.mutate('createTag', { id: tag, name: 'First' })).toMatchObject({ status: 'applied' })
    const reader = ann.device()
    await reader.catchUp()
    expect(reader.replica.table('tags').map((t) => t.name)).toEqual(['First'])

    const aStarted = deferred<string>()
    const aMayWrite = deferred()
    const a = pg.database.client.begin(async (tx) => {
      const [{ txid }] = (await tx`select pg_current_xact_id()::text as txid`) as unknown as [{ txid: string }]
      aStarted.resolve(txid)
      await aMayWrite.promise
      await tx`update tags set name = 'Older transaction' where id = ${tag}`
    })
    const txA = await aStarted.promise
    const txB = await pg.database.client.begin(async (tx) => {
      await tx`update tags set name = 'Newer transaction' where id = ${tag}`
      const [{ txid }] = (await tx`select pg_current_xact_id()::text as txid`) as unknown as [{ txid: string }]
      return txid
    })
    aMayWrite.resolve()
    await a
    expect(BigInt(txA)).toBeLessThan(BigInt(txB))

    const [onServer] = await rows<{ name: string }>(server.db, sql`select name from tags where id = ${tag}`)
    expect(onServer?.name).toBe('Older transaction')
    const received = await reader.catchUp()
    expect(received.filter((c) => c.table === 'tags').map((c) => c.row?.name)).toEqual(['Newer transaction', 'Older transaction'])
    expect(reader.replica.table('tags').map((t) => t.name)).toEqual([onServer?.name])

    // Replaying the same updates by transaction id would end on the other version.
    const updates = (await wholeLog(server.db)).filter((c) => c.table === 'tags' && c.kind === 'update')
    const byTx = [...updates].sort((x, y) => (BigInt(x.tx) < BigInt(y.tx) ? -1 : 1))
    expect(byTx.at(-1)?.row?.name).toBe('Newer transaction')
    expect(updates.at(-1)?.row?.name).toBe('Older transaction')
  })
})
