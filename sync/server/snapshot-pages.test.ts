/**
 * Snapshots read a page at a time, each page in its own short read (SPEC N1, N2, A8), on the
 * embedded database (PGlite), which has a single connection: before, one snapshot's transaction
 * held it for as long as its reader took, and every other user's push and pull waited behind it.
 * Requests go to the route handlers in process; a reader that never reads just leaves the body.
 *
 * The consistency test writes between the pages of a snapshot being read: the rows a page finds
 * are then newer than the snapshot's offset, and the log from that offset must still bring the
 * device to exactly the server's rows.
 */
import { sql } from 'drizzle-orm'
import { afterEach, beforeEach, expect, test } from 'vitest'
import { newId } from '@/domain/ids'
import { strengthActivity } from '@/domain/testing/world'
import { PROTOCOL_VERSION, queryString, syncPaths, type SnapshotLine } from '../protocol'
import { HttpTransport } from '../client/transport'
import { handleSnapshot, snapshotsRunning } from './http'
import { replicaDiff, serverView, sleep } from './testing/concurrency'
import { handlerFetch, TEST_ORIGIN } from './testing/fetch'
import type { TestServer, TestUser } from './testing/harness'
import { largeAccount } from './testing/large-account'
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

function snapshotRequest(user: TestUser) {
  const query = queryString({ v: PROTOCOL_VERSION, deviceId: newId(), since: 0 })
  return new Request(`${TEST_ORIGIN}${syncPaths.snapshot}?${query}`, { headers: { authorization: `Bearer ${user.token}` } })
}

async function within<T>(ms: number, what: string, promise: Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms)))
  try {
    return await Promise.race([promise, late])
  } finally {
    clearTimeout(timer)
  }
}

/** Reads `response`'s NDJSON a line at a time, pausing `pauseMs` after each. */
async function readSlowly(response: Response, pauseMs: number): Promise<SnapshotLine[]> {
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader()
  const lines: SnapshotLine[] = []
  let buffered = ''
  for (;;) {
    const { done, value } = await reader.read()
    if (done) return lines
    buffered += value
    for (let newline; (newline = buffered.indexOf('\n')) >= 0; buffered = buffered.slice(newline + 1)) {
      lines.push(JSON.parse(buffered.slice(0, newline)) as SnapshotLine)
    }
    await sleep(pauseMs)
  }
}

test('[A8] on the embedded database, other users push and pull while a snapshot is left unread, and between its pages while it is read slowly', async () => {
  await largeAccount(ann, 2_500)
  const bobs = bob.device()
  await bobs.catchUp()

  const unread = await handleSnapshot(server.service, snapshotRequest(ann))
  expect(unread.status).toBe(200)
  const pushed = await within(2_000, "another user's push", bobs.mutate('createTag', { id: newId(), name: 'While Ann waits' }))
  expect(pushed).toMatchObject({ status: 'applied' })
  await within(2_000, "another user's pull", bobs.catchUp())
  await unread.body!.cancel()
  expect(snapshotsRunning(server.service)).toBe(0)

  server.service.limits = { snapshotPageRows: 250 }
  let streamed = false
  const slow = readSlowly(await handleSnapshot(server.service, snapshotRequest(ann)), 40).then((lines) => {
    streamed = true
    return lines
  })
  for (let i = 0; i < 3; i++) {
    expect(
      await within(2_000, `push ${i} during the snapshot`, bobs.mutate('createTag', { id: newId(), name: `During ${i}` })),
    ).toMatchObject({
      status: 'applied',
    })
    expect(streamed).toBe(false)
  }
  const lines = await slow
  expect(lines.at(-1)).toMatchObject({ type: 'snapshot-end', rowCount: (lines[0] as { rows: number }).rows })
  expect(lines.filter((l) => l.type === 'rows' && l.table === 'entry_values').map((l) => (l.type === 'rows' ? l.rows.length : 0))).toEqual(
    Array(10).fill(250),
  )
})

test('[N1][A2] writes between the pages of a snapshot: the snapshot plus the log from its offset is the server state; a library lost meanwhile sends nothing written after', async () => {
  server.service.limits = { snapshotPageRows: 3 }
  const cat = await server.user('Cat')
  const writer = ann.device()
  const tags = Array.from({ length: 12 }, () => newId())
  for (const [i, id] of tags.entries())
    expect(await writer.mutate('createTag', { id, name: `Tag ${i}` })).toMatchObject({ status: 'applied' })
  // Bob's library, shared with Ann and Cat (the membership rows are the grant, SPEC S1).
  const squat = strengthActivity(bob.libraryId)
  expect(await bob.device().mutate('createActivity', squat.args)).toMatchObject({ status: 'applied' })
  for (const member of [ann, cat]) {
    await server.db.execute(sql`insert into library_members (library_id, user_id, role) values (${bob.libraryId}, ${member.id}, 'viewer')`)
  }

  const fresh = ann.device()
  const transport = new HttpTransport({ fetch: handlerFetch(() => server.service, ann.token) })
  const lines: SnapshotLine[] = []
  let wrote = false
  await transport.snapshot({ deviceId: fresh.id }, async (line) => {
    lines.push(line)
    if (wrote || line.type !== 'rows' || line.table !== 'tags') return
    wrote = true
    // Between pages of the tags: one sent, one not yet, one deleted, one made.
    await server.db.execute(sql`update tags set color = 'red' where id in (${tags[0]}, ${tags[11]})`)
    expect(await writer.mutate('deleteTag', { tagId: tags[10]! })).toMatchObject({ status: 'applied' })
    expect(await writer.mutate('createTag', { id: newId(), name: 'Made meanwhile' })).toMatchObject({ status: 'applied' })
    // Ann loses Bob's library, and Bob then changes a row of it she had not been sent yet.
    await server.db.execute(sql`delete from library_members where library_id = ${bob.libraryId} and user_id = ${ann.id}`)
    await server.db.execute(sql`update library_members set role = 'editor' where library_id = ${bob.libraryId} and user_id = ${cat.id}`)
  })
  expect(wrote).toBe(true)

  const sent = lines.flatMap((l) => (l.type === 'rows' ? l.rows.map((row) => ({ table: l.table, row })) : []))
  expect(sent.filter(({ table, row }) => table === 'library_members' && row.user_id === cat.id && row.role === 'editor')).toEqual([])
  const begin = lines[0]
  if (begin?.type !== 'snapshot-begin') throw new Error('no snapshot-begin')
  for (const { table, row } of sent) fresh.replica.put(table, row)
  fresh.offset = begin.offset
  await fresh.catchUp()
  const view = await serverView(server.db, fresh)
  expect(replicaDiff(fresh.replica, view.replica)).toEqual([])
  expect(fresh.offset).toBe(view.offset)
  expect(fresh.replica.table('tags').filter((t) => t.color === 'red')).toHaveLength(2)
  expect(fresh.replica.table('activities')).toEqual([])
})

test('[A8] a snapshot still streaming at its deadline is cut, and its place given back', async () => {
  server.service.limits = { snapshotPageRows: 1, snapshotDeadlineMs: 300 }
  await largeAccount(ann, 20)
  const response = await handleSnapshot(server.service, snapshotRequest(ann))
  await expect(readSlowly(response, 50)).rejects.toThrow(/still streaming after 300 ms/)
  expect(snapshotsRunning(server.service)).toBe(0)
})
