/**
 * Two devices re-date one workout at once on PostgreSQL: the second move waits for the first
 * to commit and takes its shift from the workout's time as the first left it, so the sets end
 * up where the later move puts the workout (not shifted by both). The first move is held open
 * inside its transaction while the second starts.
 */
import { asc } from 'drizzle-orm'
import { afterEach, beforeEach, expect, test } from 'vitest'
import { testPostgres } from '@/db/testing/postgres'
import * as s from '@/db/schema'
import { newId } from '../ids'
import { strengthSequence, world, type World } from '../testing/world'
import { runMutator } from '.'

let w: World
beforeEach(async () => {
  w = world({ ...(await testPostgres()), runtime: 'server' })
})
afterEach(() => w.close())

test('[M2] two moves of one workout at once: its sets follow the later one', async () => {
  const ann = await w.user('Ann')
  const { id: day, child: squat } = await strengthSequence(w, ann, 'Leg day', 1)
  const root = newId()
  await w.ok(ann.id, 'logEntry', {
    entry: {
      id: root,
      activityId: day,
      performedAt: '2026-12-03T07:00:00.000Z',
      children: [{ id: newId(), activityId: squat.ids.id, performedAt: '2026-12-03T07:30:00.000Z', values: { [squat.ids.reps]: 5 } }],
    },
  })
  let second: Promise<unknown> | undefined
  await w.db.transaction(async (tx) => {
    await runMutator({ tx, userId: ann.id, now: new Date(), runtime: 'server' }, 'editEntry', {
      entryId: root,
      performedAt: '2026-12-01T07:00:00.000Z',
    })
    second = w.ok(ann.id, 'editEntry', { entryId: root, performedAt: '2026-12-05T07:00:00.000Z' })
    // Long enough for the second move to read the workout and wait on its lock.
    await new Promise((resolve) => setTimeout(resolve, 500))
  })
  await second
  const times = (await w.db.select().from(s.entries).orderBy(asc(s.entries.performedAt))).map((e) => e.performedAt.toISOString())
  expect(times).toEqual(['2026-12-05T07:00:00.000Z', '2026-12-05T07:30:00.000Z'])
})
