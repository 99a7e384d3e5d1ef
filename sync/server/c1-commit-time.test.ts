/**
 * Compaction by age goes by when a transaction committed, not when it began (sync/SPEC.md C1):
 * a long transaction that committed inside the keep window is recent history.
 */
import { sql } from 'drizzle-orm'
import { afterEach, beforeEach, expect, test } from 'vitest'
import { rows } from '@/db/rows'
import { newId } from '@/domain/ids'
import { compact } from './compact'
import type { TestServer, TestUser } from './testing/harness'
import { pgliteServer } from './testing/pglite'

let server: TestServer
let ann: TestUser
beforeEach(async () => {
  server = await pgliteServer()
  ann = await server.user('Ann')
})
afterEach(async () => {
  await server.close()
})

test('[C1] a transaction is as old as its commit: a long one that committed inside the keep window is kept', async () => {
  const began = Date.now()
  await server.db.transaction(async (tx) => {
    await tx.execute(sql`insert into tags (id, user_id, name) values (${newId()}, ${ann.id}, 'Slow')`)
    await tx.execute(sql`select pg_sleep(1.2)`)
  })
  const [last] = await rows<{ seq: string; committed: string | Date }>(
    server.db,
    sql`select seq::text as seq, committed_at as committed from change_transactions order by seq desc limit 1`,
  )
  expect(new Date(last!.committed).getTime() - began).toBeGreaterThanOrEqual(1000)

  // Keep what committed after a moment between the transaction's start and its commit.
  const result = await compact(server.db, { keepDays: 0, now: new Date(began + 500) })
  expect(result.horizon).toBeLessThan(Number(last!.seq))
  const [kept] = await rows<{ n: number }>(server.db, sql`select count(*)::int as n from change_transactions where seq = ${last!.seq}`)
  expect(kept!.n).toBe(1)
})
