/**
 * addCatalogueExercise on a device-schema and a server-schema PGlite: the arguments name the
 * exercise, the rows come from the catalogue, and both runtimes write the same ids.
 */
import { asc, eq } from 'drizzle-orm'
import { afterEach, describe, expect, test } from 'vitest'
import { testPglite } from '@/db/testing/pglite'
import * as s from '@/db/schema'
import { newId } from '../ids'
import { world, type World } from '../testing/world'
import { catalogueAttributeId } from './catalogue'

let w: World | undefined
afterEach(async () => {
  await w?.close()
  w = undefined
})

async function rows(db: World['db'], id: string) {
  const [activity] = await db.select().from(s.activities).where(eq(s.activities.id, id))
  const attrs = await db.select().from(s.attributes).where(eq(s.attributes.activityId, id)).orderBy(asc(s.attributes.ordinal))
  return { activity, attrs }
}

describe.each(['server', 'device'] as const)('on a %s schema', (kind) => {
  test('[M1] adds the exercise as the user’s own activity: name, description and the attributes of its measure', async () => {
    w = world({ ...(await testPglite(kind)), runtime: kind })
    const ann = await w.user('Ann')
    const id = newId()
    await w.ok(ann.id, 'addCatalogueExercise', { id, libraryId: ann.libraryId, slug: 'bench-press-dumbbell' })
    const { activity, attrs } = await rows(w.db, id)
    expect(activity).toMatchObject({
      libraryId: ann.libraryId,
      name: 'Bench press (dumbbell)',
      description: 'Dumbbell · chest',
      kind: 'scalar',
      createdBy: ann.id,
    })
    expect(attrs.map((a) => [a.id, a.name, a.type])).toEqual([
      [catalogueAttributeId(id, { name: 'Weight', type: 'mass' }), 'Weight', 'mass'],
      [catalogueAttributeId(id, { name: 'Reps', type: 'integer' }), 'Reps', 'integer'],
    ])
  })

  test('a run is timed, and a chosen name replaces the catalogue’s', async () => {
    w = world({ ...(await testPglite(kind)), runtime: kind })
    const ann = await w.user('Ann')
    const id = newId()
    await w.ok(ann.id, 'addCatalogueExercise', { id, libraryId: ann.libraryId, slug: 'plank', name: 'Plank (bodyweight)' })
    const { activity, attrs } = await rows(w.db, id)
    expect(activity?.name).toBe('Plank (bodyweight)')
    expect(activity?.description).toBe('Bodyweight · core')
    expect(attrs.map((a) => a.type)).toEqual(['duration'])
  })

  test('[M1] an unknown exercise is refused as not found, and writes nothing', async () => {
    w = world({ ...(await testPglite(kind)), runtime: kind })
    const ann = await w.user('Ann')
    const id = newId()
    const outcome = await w.run(ann.id, 'addCatalogueExercise', { id, libraryId: ann.libraryId, slug: 'bench-press-spoon' })
    expect(outcome).toMatchObject({ status: 'rejected', code: 'not_found' })
    expect((await rows(w.db, id)).activity).toBeUndefined()
  })

  test('a library the user cannot see is refused as not found', async () => {
    w = world({ ...(await testPglite(kind)), runtime: kind })
    const ann = await w.user('Ann')
    const bob = await w.user('Bob')
    const outcome = await w.run(ann.id, 'addCatalogueExercise', { id: newId(), libraryId: bob.libraryId, slug: 'plank' })
    expect(outcome).toMatchObject({ status: 'rejected', code: 'not_found' })
  })
})
