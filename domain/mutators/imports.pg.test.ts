/**
 * [I2] on real PostgreSQL with several connections: devices importing the same file at once
 * write each workout once (the key check and the write run under a per-user lock; PGlite has one
 * connection and would hide the race).
 */
import { and, eq, isNotNull } from 'drizzle-orm'
import { importWorkoutCount } from '@/db/queries/imports'
import { afterEach, beforeEach, expect, test } from 'vitest'
import { entries } from '@/db/schema'
import { testPostgres } from '@/db/testing/postgres'
import { newId } from '../ids'
import { strengthActivity, world, type World } from '../testing/world'

let w: World
beforeEach(async () => {
  w = world({ ...(await testPostgres({ max: 10 })), runtime: 'server' })
})
afterEach(() => w.close())

test('[I2] eight concurrent imports of the same workouts write each workout once', async () => {
  const ann = await w.user('Ann')
  const squat = strengthActivity(ann.libraryId, 'Squat')
  await w.ok(ann.id, 'createActivity', squat.args)
  const keys = Array.from({ length: 25 }, (_, i) => `strong|2025-01-${String(i + 1).padStart(2, '0')} 18:00:00|Legs`)
  const importIds = Array.from({ length: 8 }, () => newId())
  for (const id of importIds) await w.ok(ann.id, 'startImport', { id, source: 'strong', fileName: 'strong.csv', fileRows: 25 })

  const outcomes = await Promise.all(
    importIds.map((importId) =>
      w.run(ann.id, 'importWorkouts', {
        importId,
        workouts: keys.map((key, i) => ({
          key,
          entry: {
            id: newId(),
            activityId: squat.ids.id,
            performedAt: `2025-01-${String(i + 1).padStart(2, '0')}T18:00:00Z`,
            values: { [squat.ids.weight]: 100, [squat.ids.reps]: 5 },
          },
          rows: [i + 2],
        })),
      }),
    ),
  )
  expect(outcomes.every((o) => o.status === 'applied')).toBe(true)
  const written = await w.db
    .select({ key: entries.importKey })
    .from(entries)
    .where(and(eq(entries.userId, ann.id), isNotNull(entries.importKey)))
  expect(written.map((r) => r.key).sort()).toEqual([...keys].sort())
})

test('[I3] an undo racing a batch of the same import leaves no workout behind: the batch goes first, or is refused', async () => {
  const ann = await w.user('Ann')
  const squat = strengthActivity(ann.libraryId, 'Squat')
  await w.ok(ann.id, 'createActivity', squat.args)
  for (let round = 0; round < 15; round++) {
    const importId = newId()
    await w.ok(ann.id, 'startImport', { id: importId, source: 'strong', fileName: 'strong.csv', fileRows: 5 })
    const batch = w.run(ann.id, 'importWorkouts', {
      importId,
      workouts: Array.from({ length: 5 }, (_, i) => ({
        key: `strong|${round}|${i}`,
        entry: {
          id: newId(),
          activityId: squat.ids.id,
          performedAt: '2025-01-01T18:00:00Z',
          values: { [squat.ids.weight]: 100, [squat.ids.reps]: 5 },
        },
        rows: [i + 2],
      })),
    })
    const undo = w.run(ann.id, 'undoImport', { importId })
    const [written, undone] = await Promise.all([batch, undo])
    expect(undone.status).toBe('applied')
    if (written.status === 'rejected') expect(written.code).toBe('conflict')
    expect(await importWorkoutCount(w.db, importId)).toBe(0)
  }
})
