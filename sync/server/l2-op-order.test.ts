/**
 * SPEC L2: within one server transaction the changes are numbered op = 0, 1, 2… in the order
 * they happened, so a device that applies them in (seq, op) order ends where the server did.
 *
 * Harness: the server's own push and pull functions on PGlite (no HTTP: the numbering is the
 * database's). One push is one transaction (P2); its mutations create a tag, delete it and give
 * its name to a new one, so the order matters: applied in another order, a device would keep
 * the deleted tag, or hold two tags of one name, which its unique constraint refuses. (A test
 * run with `cadence_next_op()` counting down instead of up fails here.)
 */
import { eq } from 'drizzle-orm'
import { afterEach, beforeEach, expect, test } from 'vitest'
import { provisionUser } from '@/db/queries/libraries'
import { tags, users } from '@/db/schema'
import { testPglite, type TestPglite } from '@/db/testing/pglite'
import { newId } from '@/domain/ids'
import { PROTOCOL_VERSION, type Change } from '../protocol'
import { registerDevice } from './devices'
import { pull } from './pull'
import { push } from './push'

let server: TestPglite
beforeEach(async () => {
  server = await testPglite('server')
})
afterEach(() => server.close())

test('[L2] the changes of one transaction are numbered 0, 1, 2… in the order they happened', async () => {
  const userId = newId()
  await server.db.insert(users).values({ id: userId, name: 'Ann', email: `ann-${userId}@example.com` })
  await provisionUser(server.db, userId, 'Ann')
  const deviceId = newId()
  await registerDevice(server.db, userId, deviceId)
  const [legs, push2, legsAgain] = [newId(), newId(), newId()]

  const pushed = await push(server.db, userId, {
    protocolVersion: PROTOCOL_VERSION,
    deviceId,
    mutations: [
      { id: 1, name: 'createTag', args: { id: legs, name: 'Legs' } },
      { id: 2, name: 'createTag', args: { id: push2, name: 'Push' } },
      { id: 3, name: 'deleteTag', args: { tagId: legs } },
      { id: 4, name: 'createTag', args: { id: legsAgain, name: 'Legs' } },
    ],
  })
  expect(pushed.results.map((r) => r.status)).toEqual(['applied', 'applied', 'applied', 'applied'])
  const seq = pushed.results[0]!.status === 'applied' ? pushed.results[0]!.seq : -1

  const pulled = await pull(server.db, { userId, deviceId }, { offset: seq - 1, limit: 1000 })
  if (pulled.type !== 'changes') throw new Error(`pull answered ${pulled.type}`)
  const ofPush = pulled.changes.filter((c) => c.seq === seq)
  expect(ofPush.map((c) => c.op)).toEqual(ofPush.map((_, i) => i))

  // The mutations' effects in the order they ran, then the push's results, written together (P4).
  const what = (c: Change) =>
    c.table === 'mutation_results' ? `result ${String(c.row?.mutation_id)}` : c.table === 'tags' ? `${c.kind} ${String(c.key.id)}` : null
  expect(ofPush.map(what).filter((w) => w !== null)).toEqual([
    `insert ${legs}`,
    `insert ${push2}`,
    `delete ${legs}`,
    `insert ${legsAgain}`,
    'result 1',
    'result 2',
    'result 3',
    'result 4',
  ])
  const names = await server.db.select({ id: tags.id, name: tags.name }).from(tags).where(eq(tags.userId, userId))
  expect(names.sort((a, b) => a.name.localeCompare(b.name))).toEqual([
    { id: legsAgain, name: 'Legs' },
    { id: push2, name: 'Push' },
  ])
})
