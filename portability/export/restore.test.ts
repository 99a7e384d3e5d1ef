/**
 * Archive round trip: a history written through the mutations is exported, the restore's
 * mutations are applied as another (fresh) user, and that user's export must say the same
 * thing once ids are numbered canonically and what a restore cannot keep is left out
 * (`canonicalize`). On PGlite, with the server's schema and the device's.
 */
import { afterEach, describe, expect, test } from 'vitest'
import { eq } from 'drizzle-orm'
import { testPglite } from '@/db/testing/pglite'
import { libraries } from '@/db/schema'
import { MAX_ENTRY_NODES } from '@/domain/mutators/entries'
import { MAX_IMPORT_WORKOUTS } from '@/domain/mutators/imports'
import { newId } from '@/domain/ids'
import { createActivity, world, type World } from '@/domain/testing/world'
import { exportArchive, verifyArchive, type Archive, type ArchiveEntry } from './archive'
import { canonicalize, restoreMutations } from './restore'
import { awkwardNotes, sampleHistory } from './sample-history'

let w: World
afterEach(() => w.close())

async function restoreAs(archive: Archive, user: { id: string; libraryId: string }) {
  for (const m of restoreMutations(archive, { userId: user.id, defaultLibraryId: user.libraryId }, newId)) {
    await w.ok(user.id, m.name, m.args as never)
  }
}

describe.each(['server', 'device'] as const)('restore (%s schema)', (schema) => {
  test('an archive restored into a fresh account exports the same data, ids and timestamps aside', async () => {
    w = world({ ...(await testPglite(schema)), runtime: schema })
    const ann = await w.user('Ann')
    await sampleHistory(w, ann)
    const archive = await verifyArchive(JSON.stringify(await exportArchive(w.db, ann.id)))

    const bob = await w.user('Bob')
    await restoreAs(archive, bob)
    const again = await exportArchive(w.db, bob.id)

    expect(canonicalize(again)).toEqual(canonicalize(archive))
    // The comparison is not vacuous: it holds the history, and a change shows.
    const data = again.data
    expect(data.libraries.map((l) => [l.name, l.isDefault, l.activities.length])).toEqual([
      ["Ann's library", true, 8],
      ['Travel', false, 1],
    ])
    const push = data.libraries[0]!.activities.find((a) => a.name === 'Push day')!
    expect(push.templateVersion).toBe(3)
    expect(push.templateVersions.map((v) => v.structure.length)).toEqual([1, 2, 3])
    expect(data.entries.map((e) => e.notes)).toContain(awkwardNotes)
    const sets = (e: ArchiveEntry): ArchiveEntry[] => (e.children.length ? e.children.flatMap(sets) : [e])
    expect(new Set(data.entries.flatMap(sets).map((s) => s.setType))).toEqual(new Set(['normal', 'warmup', 'drop', 'failure']))
    expect(data.entries.find((e) => e.notes === 'First one')!.templateVersion).toBe(1)
    expect(data.settings).toMatchObject({ massUnit: 'lb', weekStartsOn: 0, equipment: { bars: [{ name: 'Hotel bar' }] } })
    expect(data.entryTags).toHaveLength(3)
    expect(data.imports.map((i) => [i.source, i.undoneAt !== null])).toEqual([
      ['strong', false],
      ['hevy', true],
    ])
    expect(data.entries.filter((e) => e.importKey !== null).map((e) => e.importKey)).toEqual(['strong|2025-12-20 10:00:00|Imported day'])
    const changed = structuredClone(again)
    changed.data.entries[0]!.children[1]!.values[0]!.value = 61
    expect(canonicalize(changed)).not.toEqual(canonicalize(archive))
  })
})

describe('restore', () => {
  test('the default library is renamed onto the target default; the archive ids are not reused', async () => {
    w = world({ ...(await testPglite('device')), runtime: 'device' })
    const ann = await w.user('Ann')
    const history = await sampleHistory(w, ann)
    const archive = await exportArchive(w.db, ann.id)
    const bob = await w.user('Bob')
    const mutations = restoreMutations(archive, { userId: bob.id, defaultLibraryId: bob.libraryId }, newId)
    expect(mutations.filter((m) => m.name === 'createLibrary')).toHaveLength(1)
    expect(JSON.stringify(mutations)).not.toContain(history.push)
    expect(JSON.stringify(mutations)).not.toContain(ann.libraryId)
    await restoreAs(archive, bob)
    const [renamed] = await w.db.select().from(libraries).where(eq(libraries.id, bob.libraryId))
    expect(renamed!.name).toBe("Ann's library")
  })

  test('imported workouts are restored in batches within the mutation limits, keep their keys, and a re-import skips them', async () => {
    w = world({ ...(await testPglite('device')), runtime: 'device' })
    const ann = await w.user('Ann')
    const h = await sampleHistory(w, ann)
    const archive = await exportArchive(w.db, ann.id)
    const imported = archive.data.entries.find((e) => e.importId === h.strongImport)!
    const copies = Array.from({ length: MAX_IMPORT_WORKOUTS + 50 }, (_, i) => ({
      ...imported,
      id: newId(),
      importKey: `strong|copy ${i}`,
      children: imported.children.map((c) => ({ ...c, id: newId() })),
    }))
    archive.data.entries.push(...copies)
    const bob = await w.user('Bob')
    const mutations = restoreMutations(archive, { userId: bob.id, defaultLibraryId: bob.libraryId }, newId)
    const batches = mutations.flatMap((m) => (m.name === 'importWorkouts' ? [m.args.workouts.length] : []))
    expect(batches).toEqual([MAX_IMPORT_WORKOUTS, 51])
    expect(mutations.filter((m) => m.name === 'logEntry')).toHaveLength(archive.data.entries.length - 1 - copies.length)
    for (const m of mutations) await w.ok(bob.id, m.name, m.args as never)
    const restored = await exportArchive(w.db, bob.id)
    expect(restored.data.entries.filter((e) => e.importKey !== null)).toHaveLength(copies.length + 1)

    // The same file imported again into the restored account writes nothing.
    const again = newId()
    const push = restored.data.libraries[0]!.activities.find((a) => a.name === 'Push day')!
    await w.ok(bob.id, 'startImport', { id: again, source: 'strong', fileName: 'strong.csv', fileRows: 3 })
    await w.ok(bob.id, 'importWorkouts', {
      importId: again,
      workouts: [{ key: imported.importKey!, entry: { id: newId(), activityId: push.id, performedAt: imported.performedAt }, rows: [2] }],
    })
    expect((await exportArchive(w.db, bob.id)).data.entries).toHaveLength(restored.data.entries.length)
  })

  test('template edits replay in the order they happened, even when two templates held each other at different times', async () => {
    w = world({ ...(await testPglite('device')), runtime: 'device' })
    const ann = await w.user('Ann')
    const x = await createActivity(w, ann, { name: 'X', kind: 'scalar', attributes: [{ id: newId(), name: 'Reps', type: 'integer' }] })
    const items = (...children: string[]) => children.map((childId) => ({ id: newId(), childId, repeat: 1 }))
    const a = await createActivity(w, ann, { name: 'A', kind: 'sequence', items: items(x) })
    const b = await createActivity(w, ann, { name: 'B', kind: 'sequence', items: items(x) })
    await w.ok(ann.id, 'setTemplate', { activityId: a, items: items(x, b) })
    await w.ok(ann.id, 'setTemplate', { activityId: a, items: items(x) })
    await w.ok(ann.id, 'setTemplate', { activityId: b, items: items(x, a) })
    const archive = await exportArchive(w.db, ann.id)
    const bob = await w.user('Bob')
    await restoreAs(archive, bob)
    const again = await exportArchive(w.db, bob.id)
    expect(canonicalize(again)).toEqual(canonicalize(archive))
    expect(again.data.libraries[0]!.activities.map((t) => [t.name, t.templateVersion])).toEqual([
      ['X', 1],
      ['A', 3],
      ['B', 2],
    ])
  })

  test('an entry larger than one logEntry may hold is refused with the reason, before anything runs', async () => {
    w = world({ ...(await testPglite('device')), runtime: 'device' })
    const ann = await w.user('Ann')
    await sampleHistory(w, ann)
    const archive = await exportArchive(w.db, ann.id)
    const root = archive.data.entries.find((e) => e.children.length > 0)!
    const set = root.children[0]!
    root.children = Array.from({ length: MAX_ENTRY_NODES }, () => ({ ...set, id: newId() }))
    expect(() => restoreMutations(archive, { userId: ann.id, defaultLibraryId: ann.libraryId }, newId)).toThrow(
      /holds 2001 entries; Cadence logs at most 2000/,
    )
  })

  test('a template that refers to an activity not in the archive is refused as damaged', async () => {
    w = world({ ...(await testPglite('device')), runtime: 'device' })
    const ann = await w.user('Ann')
    await sampleHistory(w, ann)
    const archive = await exportArchive(w.db, ann.id)
    const push = archive.data.libraries[0]!.activities.find((a) => a.name === 'Push day')!
    push.templateVersions[0]!.structure[0]!.childId = newId()
    expect(() => restoreMutations(archive, { userId: ann.id, defaultLibraryId: ann.libraryId }, newId)).toThrow(/damaged/)
  })
})
