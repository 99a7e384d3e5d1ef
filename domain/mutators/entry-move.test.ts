/**
 * Re-dating an entry (editEntry with performedAt): a workout moves with its sets, each set as far
 * as the workout, so the sets stay inside it (its duration, the charts by set time); a set
 * re-dated alone moves alone. Runs on PGlite with the server's and the device's schema: the
 * device applies the same mutator optimistically.
 */
import { asc, eq } from 'drizzle-orm'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { testPglite } from '@/db/testing/pglite'
import * as s from '@/db/schema'
import { newId } from '../ids'
import { strengthSequence, world, type World } from '../testing/world'

for (const kind of ['server', 'device'] as const) {
  describe(`re-dating on the ${kind} schema`, () => {
    let w: World
    let ann: { id: string; libraryId: string }
    let root: string
    let sets: string[]
    beforeEach(async () => {
      w = world({ ...(await testPglite(kind)), runtime: kind === 'server' ? 'server' : 'device' })
      ann = await w.user('Ann')
      const { id: day, child: squat } = await strengthSequence(w, ann, 'Leg day', 2)
      root = newId()
      sets = [newId(), newId()]
      await w.ok(ann.id, 'logEntry', {
        entry: {
          id: root,
          activityId: day,
          performedAt: '2026-12-03T07:00:00.000Z',
          children: sets.map((id, i) => ({
            id,
            activityId: squat.ids.id,
            performedAt: `2026-12-03T07:${10 + i * 30}:00.000Z`,
            values: { [squat.ids.reps]: 5, [squat.ids.weight]: 100 },
          })),
        },
      })
    })
    afterEach(() => w.close())

    const times = async () =>
      (await w.db.select().from(s.entries).orderBy(asc(s.entries.performedAt))).map((e) => [e.id, e.performedAt.toISOString()])

    test('[M2] a re-dated workout takes its sets along, each as far as the workout moved', async () => {
      await w.ok(ann.id, 'editEntry', { entryId: root, performedAt: '2026-12-01T18:30:00.000Z' })
      expect(await times()).toEqual([
        [root, '2026-12-01T18:30:00.000Z'],
        [sets[0], '2026-12-01T18:40:00.000Z'],
        [sets[1], '2026-12-01T19:10:00.000Z'],
      ])
      // Moved again, from where it is now.
      await w.ok(ann.id, 'editEntry', { entryId: root, performedAt: '2026-12-02T06:00:00.000Z' })
      expect((await times()).map(([, t]) => t)).toEqual([
        '2026-12-02T06:00:00.000Z',
        '2026-12-02T06:10:00.000Z',
        '2026-12-02T06:40:00.000Z',
      ])
    })

    test('a set re-dated on its own moves alone; an edit without a time moves nothing', async () => {
      await w.ok(ann.id, 'editEntry', { entryId: sets[1]!, performedAt: '2026-12-03T07:20:00.000Z' })
      await w.ok(ann.id, 'editEntry', { entryId: root, notes: 'Heavy' })
      expect(await times()).toEqual([
        [root, '2026-12-03T07:00:00.000Z'],
        [sets[0], '2026-12-03T07:10:00.000Z'],
        [sets[1], '2026-12-03T07:20:00.000Z'],
      ])
      const [row] = await w.db.select().from(s.entries).where(eq(s.entries.id, root))
      expect(row!.notes).toBe('Heavy')
    })
  })
}
