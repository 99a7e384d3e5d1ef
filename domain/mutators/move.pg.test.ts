/**
 * moveActivity under concurrency on PostgreSQL (sync/SPEC.md P7). A move locks the activity's
 * library, then the target's, and reads the activity again after the first lock: two moves of
 * one activity at once leave one live copy, never two; two moves that cross (A to B, B to A)
 * may deadlock, and the server runs the loser again (retryTransientConflicts), as a push would.
 */
import { and, eq, isNull } from 'drizzle-orm'
import { afterEach, beforeEach, expect, test } from 'vitest'
import * as s from '@/db/schema'
import { testPostgres } from '@/db/testing/postgres'
import { retryTransientConflicts } from '@/sync/server/retry'
import { newId } from '../ids'
import { strengthActivity, world, type World } from '../testing/world'

let w: World
let ann: { id: string; libraryId: string }
let a: string
let b: string
beforeEach(async () => {
  w = world({ ...(await testPostgres()), runtime: 'server' })
  ann = await w.user('Ann')
  a = newId()
  b = newId()
  await w.ok(ann.id, 'createLibrary', { id: a, name: 'A' })
  await w.ok(ann.id, 'createLibrary', { id: b, name: 'B' })
})
afterEach(() => w.close())

const move = (activityId: string, libraryId: string) =>
  retryTransientConflicts(() => w.run(ann.id, 'moveActivity', { id: newId(), activityId, libraryId }), { sleep: async () => {} })

const live = (originId: string) =>
  w.db
    .select({ libraryId: s.activities.libraryId })
    .from(s.activities)
    .where(and(eq(s.activities.originId, originId), isNull(s.activities.deletedAt)))

test('[M3] [P7] one activity moved to two libraries at once: one move applies, the other finds it gone; one live copy', async () => {
  for (let round = 0; round < 5; round++) {
    const squat = strengthActivity(ann.libraryId, `Squat ${round}`)
    await w.ok(ann.id, 'createActivity', squat.args)
    const outcomes = await Promise.all([move(squat.ids.id, a), move(squat.ids.id, b)])
    expect(outcomes.map((o) => o.status).sort()).toEqual(['applied', 'rejected'])
    expect(outcomes.find((o) => o.status === 'rejected')).toMatchObject({ code: 'not_found' })
    expect(await live(squat.ids.id)).toHaveLength(1)
  }
})

test('[M3] [P7] two moves that cross (A to B and B to A) both apply', async () => {
  for (let round = 0; round < 5; round++) {
    const inA = strengthActivity(a, `Row ${round}`)
    const inB = strengthActivity(b, `Press ${round}`)
    await w.ok(ann.id, 'createActivity', inA.args)
    await w.ok(ann.id, 'createActivity', inB.args)
    const outcomes = await Promise.all([move(inA.ids.id, b), move(inB.ids.id, a)])
    expect(outcomes).toEqual([{ status: 'applied' }, { status: 'applied' }])
    expect(await live(inA.ids.id)).toEqual([{ libraryId: b }])
    expect(await live(inB.ids.id)).toEqual([{ libraryId: a }])
  }
})
