/**
 * Property 4: after a template edit, new entries stay qualitatively equal to old ones but diverge
 * structurally, and the "previous entry" queries follow suit.
 *
 * Harness and generators: `./generators.ts`.
 */
import { and, eq, inArray } from 'drizzle-orm'
import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { loadEntryTree, previousQualitativelyEqualEntry, previousStructurallyEqualEntry, templateTree } from '@/db/queries/entries'
import * as s from '@/db/schema'
import { qualitativelyEqual, structurallyEqual, structureKey } from '../equality'
import { newId } from '../ids'
import { base, entryFromTree, iso, PROPERTY_TIMEOUT, repeatArb, schemaRows, suiteWorld, valueSeedArb, valuesFor } from './generators'

type TemplateEdit =
  | { kind: 'add'; child: number; repeat: number; position: number | null }
  | { kind: 'remove'; item: number }
  | { kind: 'move'; item: number; by: number }
  | { kind: 'repeat'; item: number; by: number }

const templateEditArb: fc.Arbitrary<TemplateEdit> = fc.oneof(
  fc.record({ kind: fc.constant('add' as const), child: fc.nat(), repeat: repeatArb, position: fc.option(fc.nat(4)) }),
  fc.record({ kind: fc.constant('remove' as const), item: fc.nat() }),
  fc.record({ kind: fc.constant('move' as const), item: fc.nat(), by: fc.nat() }),
  fc.record({ kind: fc.constant('repeat' as const), item: fc.nat(), by: fc.integer({ min: 1, max: 2 }) }),
)

describe('template edits', () => {
  const w = suiteWorld()

  test(
    'after a template edit, new entries stay qualitatively equal to old ones but diverge structurally',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(repeatArb, { minLength: 1, maxLength: 3 }),
          fc.boolean(),
          templateEditArb,
          fc.integer({ min: 0, max: 365 * 24 * 60 }),
          fc.integer({ min: 1, max: 30 * 24 * 60 }),
          fc.array(valueSeedArb, { minLength: 1, maxLength: 3 }),
          async (repeats, nested, edit, startMinutes, gapMinutes, seeds) => {
            const user = await w.user('Cy')
            const lib = user.libraryId
            // One distinct child per item, a spare one for adding, and maybe a nested sequence
            // (of the first drill) in place of the last child.
            const scalars: string[] = []
            for (let i = 0; i <= repeats.length; i++) {
              const id = newId()
              await w.ok(user.id, 'createActivity', {
                id,
                libraryId: lib,
                name: `Drill ${i}`,
                kind: 'scalar',
                attributes: [{ id: newId(), name: 'Reps', type: 'integer' }],
              })
              scalars.push(id)
            }
            const pool = [...scalars]
            if (nested) {
              const id = newId()
              await w.ok(user.id, 'createActivity', {
                id,
                libraryId: lib,
                name: 'Circuit',
                kind: 'sequence',
                items: [{ id: newId(), childId: scalars[0]!, repeat: 2 }],
              })
              pool[repeats.length - 1] = id
            }
            const root = newId()
            const items = repeats.map((repeat, i) => ({ id: newId(), childId: pool[i]!, repeat }))
            await w.ok(user.id, 'createActivity', { id: root, libraryId: lib, name: 'Workout', kind: 'sequence', items })

            const { attrs, opts } = await schemaRows(w.db, scalars)
            const values = (activityId: string, n: number) =>
              valuesFor(activityId, attrs, opts, [...seeds.slice(n % seeds.length), ...seeds])
            const t1 = base + startMinutes * 60_000
            const t2 = t1 + gapMinutes * 60_000
            const oldShape = (await templateTree(w.db, root))!
            const oldEntry = entryFromTree(oldShape, iso(t1), values)
            await w.ok(user.id, 'logEntry', { entry: oldEntry })

            const n = items.length
            const kind = edit.kind === 'move' && n < 2 ? 'repeat' : edit.kind
            if (kind === 'add' && edit.kind === 'add') {
              await w.ok(user.id, 'addTemplateItem', {
                activityId: root,
                item: { id: newId(), childId: pool[edit.child % pool.length]!, repeat: edit.repeat },
                ...(edit.position === null ? {} : { position: edit.position }),
              })
            } else if (kind === 'remove' && edit.kind === 'remove') {
              await w.ok(user.id, 'removeTemplateItem', { activityId: root, itemId: items[edit.item % n]!.id })
            } else if (kind === 'move' && edit.kind === 'move') {
              const from = edit.item % n
              const to = (from + 1 + (edit.by % (n - 1))) % n
              await w.ok(user.id, 'moveTemplateItem', { activityId: root, itemId: items[from]!.id, position: to })
            } else {
              const at = ('item' in edit ? edit.item : 0) % n
              const by = edit.kind === 'repeat' ? edit.by : 1
              await w.ok(user.id, 'setTemplate', {
                activityId: root,
                items: items.map((it, i) => (i === at ? { ...it, repeat: it.repeat + by } : it)),
              })
            }
            const newShape = (await templateTree(w.db, root))!
            expect(structureKey(newShape)).not.toBe(structureKey(oldShape))
            const newEntry = entryFromTree(newShape, iso(t2), values)
            await w.ok(user.id, 'logEntry', { entry: newEntry })

            const rows = await w.db
              .select()
              .from(s.entries)
              .where(and(eq(s.entries.userId, user.id), inArray(s.entries.id, [oldEntry.id, newEntry.id])))
            expect(Object.fromEntries(rows.map((r) => [r.id, r.templateVersion]))).toEqual({ [oldEntry.id]: 1, [newEntry.id]: 2 })

            const oldTree = (await loadEntryTree(w.db, oldEntry.id))!
            const newTree = (await loadEntryTree(w.db, newEntry.id))!
            expect(structurallyEqual(oldTree, oldShape)).toBe(true)
            expect(structurallyEqual(newTree, newShape)).toBe(true)
            expect(qualitativelyEqual(oldTree, newTree)).toBe(true)
            expect(structurallyEqual(oldTree, newTree)).toBe(false)

            const afterBoth = new Date(t2 + 1000)
            const between = new Date(t2)
            expect((await previousStructurallyEqualEntry(w.db, user.id, newShape, afterBoth))?.id).toBe(newEntry.id)
            expect(await previousStructurallyEqualEntry(w.db, user.id, newShape, between)).toBeUndefined()
            expect((await previousStructurallyEqualEntry(w.db, user.id, oldShape, afterBoth))?.id).toBe(oldEntry.id)
            expect((await previousQualitativelyEqualEntry(w.db, user.id, root, between))?.id).toBe(oldEntry.id)
            expect((await previousQualitativelyEqualEntry(w.db, user.id, root, afterBoth))?.id).toBe(newEntry.id)
          },
        ),
        { seed: 20261104, numRuns: 40 },
      )
    },
    PROPERTY_TIMEOUT,
  )
})
