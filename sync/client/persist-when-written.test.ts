/**
 * [B9] The device database persists after every write and only then. PGlite in Node on
 * `memory://` uses the same Emscripten file system calls as IndexedDB's in the browser, so a
 * write Postgres makes that these hooks miss shows here as a statement that wrote without
 * marking the database dirty.
 */
import { PGlite } from '@electric-sql/pglite'
import { afterEach, beforeEach, expect, test } from 'vitest'
import { persistOnlyWhenWritten } from './persist-when-written'

let pg: PGlite
let persisted = 0
let tracker: { dirty(): boolean }
beforeEach(async () => {
  pg = await PGlite.create('memory://')
  persisted = 0
  const original = pg.syncToFs.bind(pg)
  pg.syncToFs = async () => {
    persisted += 1
    await original()
  }
  tracker = persistOnlyWhenWritten(pg)
  await pg.exec('create table sets (id int primary key, reps int); insert into sets select g, g from generate_series(1, 100) g')
  // Settle what start-up and the set-up wrote.
  await pg.exec('checkpoint')
  persisted = 0
})
afterEach(async () => {
  await pg.close()
})

test('[B9] reads do not persist', async () => {
  for (let i = 0; i < 5; i++) await pg.query('select count(*) from sets where reps > $1', [i])
  await pg.query('select * from pg_class limit 10')
  expect(persisted).toBe(0)
})

test('[B9] every kind of write persists before its statement returns', async () => {
  const writes = [
    'insert into sets values (101, 5)',
    'update sets set reps = reps + 1 where id = 1',
    'delete from sets where id = 2',
    'create table notes (id int primary key, body text)',
    'create index on sets (reps)',
    'truncate notes',
    'alter table sets add column rpe numeric',
    'vacuum sets',
    'checkpoint',
    'drop table notes',
  ]
  for (const statement of writes) {
    const before = persisted
    await pg.exec(statement)
    expect({ statement, persisted: persisted - before }).toEqual({ statement, persisted: 1 })
    expect(tracker.dirty()).toBe(false)
  }
})

/** A simple-query protocol message, as the PGlite worker receives it from a tab. */
function simpleQuery(sql: string): Uint8Array {
  const text = new TextEncoder().encode(`${sql}\0`)
  const message = new Uint8Array(5 + text.length)
  message[0] = 'Q'.charCodeAt(0)
  new DataView(message.buffer).setInt32(1, 4 + text.length)
  message.set(text, 5)
  return message
}

test('[B9] a transaction run through the worker is persisted when its COMMIT returns, not on each statement', async () => {
  // The worker runs each protocol message a tab sends with execProtocol, which persists after it.
  for (const statement of ['BEGIN', 'INSERT INTO sets VALUES (200, 1)', 'INSERT INTO sets VALUES (201, 1)', 'SELECT count(*) FROM sets']) {
    await pg.execProtocol(simpleQuery(statement))
  }
  const beforeCommit = persisted
  await pg.execProtocol(simpleQuery('COMMIT'))
  expect(persisted).toBe(beforeCommit + 1)
  expect(tracker.dirty()).toBe(false)
  expect(beforeCommit).toBe(0)
  expect((await pg.query('select count(*)::int as n from sets where id >= 200')).rows).toEqual([{ n: 2 }])
})

test('[B9] a database opened from the template persists on its first statement, even a read', async () => {
  // What the template wrote went to the file system before the hooks were in place.
  const fresh = await PGlite.create('memory://')
  let count = 0
  const original = fresh.syncToFs.bind(fresh)
  fresh.syncToFs = async () => {
    count += 1
    await original()
  }
  persistOnlyWhenWritten(fresh)
  await fresh.query('select 1')
  await fresh.query('select 2')
  expect(count).toBe(1)
  await fresh.close()
})
