/**
 * SPEC L1, L2: the capture runs once per statement, from the statement's transition tables. A
 * statement that writes many rows logs one change per row; numbering goes on across statements
 * and tables; an update that moves a row to another scope leaves the old one and enters the new;
 * a changed key is a delete and an insert; a rolled-back savepoint's changes and numbers go with
 * it; a cascade's deletes are logged with the parent's (the device has no foreign keys, D1, so
 * their order does not matter).
 *
 * Harness: raw SQL on the server schema in PGlite, read back from change_log inside the writing
 * transaction (the capture is the database's; no push is needed to show it).
 */
import { sql } from 'drizzle-orm'
import { afterEach, beforeEach, expect, test } from 'vitest'
import { rows } from '@/db/rows'
import { users } from '@/db/schema'
import { testPglite, type TestPglite } from '@/db/testing/pglite'
import type { Tx } from '@/db/types'
import { newId } from '@/domain/ids'

let server: TestPglite
let ann: string
let bob: string
beforeEach(async () => {
  server = await testPglite('server')
  ;[ann, bob] = [newId(), newId()]
  await server.db.insert(users).values([
    { id: ann, name: 'Ann', email: `ann-${ann}@example.com` },
    { id: bob, name: 'Bob', email: `bob-${bob}@example.com` },
  ])
})
afterEach(() => server.close())

type Logged = { op: number; scope: string; table_name: string; kind: string; key: Record<string, string>; name: string | null }

/** This transaction's changes so far, in op order. */
const logged = (tx: Tx) =>
  rows<Logged>(
    tx,
    sql`select op, scope, table_name, kind, key, row->>'name' as name from change_log where tx = pg_current_xact_id() order by op`,
  )

test('[L1] [L2] one statement of many rows logs each row, numbered on from the statements before it', async () => {
  const [a, b, c] = [newId(), newId(), newId()]
  await server.db.transaction(async (tx) => {
    await tx.execute(sql`insert into tags (id, user_id, name) values (${a}::uuid, ${ann}::uuid, 'Legs')`)
    await tx.execute(
      sql`insert into tags (id, user_id, name) values (${b}::uuid, ${ann}::uuid, 'Push'), (${c}::uuid, ${ann}::uuid, 'Pull')`,
    )
    await tx.execute(sql`update tags set color = 'red' where user_id = ${ann}::uuid and id <> ${a}::uuid`)
    await tx.execute(sql`delete from tags where id = ${a}::uuid`)
    const log = await logged(tx)
    expect(log.map((l) => l.op)).toEqual([0, 1, 2, 3, 4, 5])
    expect(log.map((l) => l.kind)).toEqual(['insert', 'insert', 'insert', 'update', 'update', 'delete'])
    expect(log.map((l) => l.key.id)).toEqual([a, b, c, ...log.slice(3, 5).map((l) => l.key.id), a])
    expect(new Set(log.slice(3, 5).map((l) => l.key.id))).toEqual(new Set([b, c]))
    expect(new Set(log.map((l) => l.scope))).toEqual(new Set([`user:${ann}`]))
    expect(log.find((l) => l.kind === 'delete')!.name).toBeNull()
    expect(log[1]!.name).toBe('Push')
  })
})

test('[L1] an update that moves a row to another scope is a delete in the old and an insert in the new; one in place is an update', async () => {
  const [a, b] = [newId(), newId()]
  await server.db.transaction(async (tx) => {
    await tx.execute(
      sql`insert into tags (id, user_id, name) values (${a}::uuid, ${ann}::uuid, 'Legs'), (${b}::uuid, ${ann}::uuid, 'Push')`,
    )
    await tx.execute(sql`update tags set user_id = case when id = ${a}::uuid then ${bob}::uuid else user_id end, name = name || '!'`)
    const log = (await logged(tx)).slice(2)
    const ofA = log.filter((l) => l.key.id === a)
    expect(ofA.map((l) => [l.kind, l.scope, l.name])).toEqual([
      ['delete', `user:${ann}`, null],
      ['insert', `user:${bob}`, 'Legs!'],
    ])
    expect(log.filter((l) => l.key.id === b).map((l) => [l.kind, l.scope, l.name])).toEqual([['update', `user:${ann}`, 'Push!']])
    expect(log.map((l) => l.op)).toEqual([2, 3, 4])
  })
})

test('[L1] an update that changes a key is a delete of the old key and an insert of the new', async () => {
  const [a, renamed] = [newId(), newId()]
  await server.db.transaction(async (tx) => {
    await tx.execute(sql`insert into tags (id, user_id, name) values (${a}::uuid, ${ann}::uuid, 'Legs')`)
    await tx.execute(sql`update tags set id = ${renamed}::uuid where id = ${a}::uuid`)
    const log = (await logged(tx)).slice(1)
    expect(log.map((l) => [l.kind, l.key.id])).toEqual([
      ['delete', a],
      ['insert', renamed],
    ])
  })
})

test('[L2] [L3] a savepoint rolled back takes its changes and their numbers with it; the commit takes one seq', async () => {
  const [a, b, c] = [newId(), newId(), newId()]
  await server.db.transaction(async (tx) => {
    await tx.execute(sql`insert into tags (id, user_id, name) values (${a}::uuid, ${ann}::uuid, 'Legs')`)
    await tx.execute(sql`savepoint s`)
    await tx.execute(sql`insert into tags (id, user_id, name) values (${b}::uuid, ${ann}::uuid, 'Push')`)
    await tx.execute(sql`rollback to savepoint s`)
    await tx.execute(sql`insert into tags (id, user_id, name) values (${c}::uuid, ${ann}::uuid, 'Pull')`)
    const log = await logged(tx)
    expect(log.map((l) => [l.op, l.key.id])).toEqual([
      [0, a],
      [1, c],
    ])
  })
  // The transaction took a seq at commit, once.
  const [counted] = await rows<{ n: number }>(
    server.db,
    sql`select count(*)::int as n from change_transactions t where exists (select 1 from change_log l where l.tx = t.tx and l.key->>'id' = ${c})`,
  )
  expect(counted?.n).toBe(1)

  // The first change rolled back: the next is op 0 again, and the commit still takes its seq (L3).
  const [d, e] = [newId(), newId()]
  await server.db.transaction(async (tx) => {
    await tx.execute(sql`savepoint s`)
    await tx.execute(sql`insert into tags (id, user_id, name) values (${d}::uuid, ${ann}::uuid, 'Core')`)
    await tx.execute(sql`rollback to savepoint s`)
    await tx.execute(sql`insert into tags (id, user_id, name) values (${e}::uuid, ${ann}::uuid, 'Arms')`)
    expect((await logged(tx)).map((l) => [l.op, l.key.id])).toEqual([[0, e]])
  })
  const [seqOfE] = await rows<{ n: number }>(
    server.db,
    sql`select count(*)::int as n from change_transactions t join change_log l on l.tx = t.tx where l.key->>'id' = ${e}`,
  )
  expect(seqOfE?.n).toBe(1)
})

test('[L1] a cascade logs the deleted children with the parent', async () => {
  const [a, b] = [newId(), newId()]
  await server.db.execute(
    sql`insert into tags (id, user_id, name) values (${a}::uuid, ${bob}::uuid, 'Legs'), (${b}::uuid, ${bob}::uuid, 'Push')`,
  )
  await server.db.transaction(async (tx) => {
    await tx.execute(sql`delete from users where id = ${bob}::uuid`)
    const log = await logged(tx)
    const tags = log.filter((l) => l.table_name === 'tags')
    expect(tags.map((l) => [l.kind, l.scope]).sort()).toEqual([
      ['delete', `user:${bob}`],
      ['delete', `user:${bob}`],
    ])
    expect(log.filter((l) => l.table_name === 'users').map((l) => [l.kind, l.key.id])).toEqual([['delete', bob]])
    expect(log.map((l) => l.op)).toEqual(log.map((_, i) => i))
  })
})
