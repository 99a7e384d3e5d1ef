/**
 * Property 2: a copy is independent of its original. Nothing the original's owner does (edits,
 * template changes, deletion, unpublishing, even a raw delete of her library) changes any row of
 * the copier's library or log, and the copier can keep logging.
 *
 * Harness and generators: `./generators.ts`.
 */
import { asc, eq, type Column } from 'drizzle-orm'
import type { PgTable } from 'drizzle-orm/pg-core'
import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { loadEntryTree, templateTree } from '@/db/queries/entries'
import * as s from '@/db/schema'
import type { MutationOutcome } from '../apply'
import { structureKey, type EntryTree } from '../equality'
import { newId } from '../ids'
import {
  asInputs,
  attributeInput,
  base,
  cleanActionArb,
  entryFromTree,
  iso,
  nameArb,
  newAttrArb,
  propose,
  PROPERTY_TIMEOUT,
  repeatArb,
  schemaRows,
  suiteWorld,
  valueSeedArb,
  valuesFor,
  type CleanAction,
  type NewAttr,
  type ValueSeed,
} from './generators'

type AOp =
  | { kind: 'renameActivity'; target: number; name: string }
  | { kind: 'setAttributes'; target: number; clean: CleanAction[]; append: NewAttr[] }
  | { kind: 'appendChoiceOption'; at: number; label: string }
  | { kind: 'renameAttribute'; at: number; name: string }
  | { kind: 'retireAttribute'; at: number }
  | { kind: 'setTemplate'; items: { child: number; repeat: number }[] }
  | { kind: 'addTemplateItem'; child: number; repeat: number; position: number | null }
  | { kind: 'removeTemplateItem'; item: number }
  | { kind: 'moveTemplateItem'; item: number; position: number }
  | { kind: 'deleteActivity'; target: number }
  | { kind: 'unpublishLibrary' }
  | { kind: 'publishLibrary' }
  | { kind: 'deleteLibrary' }
  | { kind: 'hardDeleteLibrary' }
  | {
      kind: 'touchCopy'
      what: 'renameActivity' | 'renameAttribute' | 'retireAttribute' | 'appendChoiceOption' | 'deleteActivity' | 'setTemplate'
      at: number
    }

const aOpArb: fc.Arbitrary<AOp> = fc.oneof(
  fc.record({ kind: fc.constant('renameActivity' as const), target: fc.nat(), name: nameArb }),
  fc.record({
    kind: fc.constant('setAttributes' as const),
    target: fc.nat(),
    clean: fc.array(cleanActionArb, { maxLength: 4 }),
    append: fc.array(newAttrArb(), { maxLength: 2 }),
  }),
  fc.record({ kind: fc.constant('appendChoiceOption' as const), at: fc.nat(), label: nameArb }),
  fc.record({ kind: fc.constant('renameAttribute' as const), at: fc.nat(), name: nameArb }),
  fc.record({ kind: fc.constant('retireAttribute' as const), at: fc.nat() }),
  fc.record({
    kind: fc.constant('setTemplate' as const),
    items: fc.array(fc.record({ child: fc.nat(), repeat: repeatArb }), { maxLength: 4 }),
  }),
  fc.record({ kind: fc.constant('addTemplateItem' as const), child: fc.nat(), repeat: repeatArb, position: fc.option(fc.nat(4)) }),
  fc.record({ kind: fc.constant('removeTemplateItem' as const), item: fc.nat() }),
  fc.record({ kind: fc.constant('moveTemplateItem' as const), item: fc.nat(), position: fc.nat(4) }),
  fc.record({ kind: fc.constant('deleteActivity' as const), target: fc.nat() }),
  fc.constant({ kind: 'unpublishLibrary' as const }),
  fc.constant({ kind: 'publishLibrary' as const }),
  fc.constant({ kind: 'deleteLibrary' as const }),
  fc.constant({ kind: 'hardDeleteLibrary' as const }),
  fc.record({
    kind: fc.constant('touchCopy' as const),
    what: fc.constantFrom(
      'renameActivity' as const,
      'renameAttribute' as const,
      'retireAttribute' as const,
      'appendChoiceOption' as const,
      'deleteActivity' as const,
      'setTemplate' as const,
    ),
    at: fc.nat(),
  }),
)

describe('copies', () => {
  const w = suiteWorld()

  /** Every row of B's library and log, in a fixed order. */
  async function snapshot(userId: string, libraryId: string) {
    const db = w.db
    /** The rows of `table` in the library, by id. */
    const ofLibrary = async <T extends PgTable & { id: Column; libraryId: Column }>(table: T) =>
      (await db
        .select()
        .from(table as PgTable)
        .where(eq(table.libraryId, libraryId))
        .orderBy(asc(table.id))) as T['$inferSelect'][]
    return {
      library: await db.select().from(s.libraries).where(eq(s.libraries.id, libraryId)),
      activities: await ofLibrary(s.activities),
      attributes: await ofLibrary(s.attributes),
      options: await ofLibrary(s.attributeOptions),
      items: await ofLibrary(s.sequenceItems),
      versions: await ofLibrary(s.templateVersions),
      entries: await db.select().from(s.entries).where(eq(s.entries.userId, userId)).orderBy(asc(s.entries.id)),
      values: await db
        .select()
        .from(s.entryValues)
        .where(eq(s.entryValues.userId, userId))
        .orderBy(asc(s.entryValues.entryId), asc(s.entryValues.attributeId)),
    }
  }

  /** B logs one tree entry shaped like her copy's current template. */
  async function logAgainstCopy(userId: string, copyId: string, at: string, seeds: ValueSeed[]) {
    const tree = await templateTree(w.db, copyId)
    expect(tree).toBeDefined()
    const ids = new Set<string>()
    const walk = (t: EntryTree) => (ids.add(t.activityId), t.children.forEach(walk))
    walk(tree!)
    const { attrs, opts } = await schemaRows(w.db, [...ids])
    const entry = entryFromTree(tree!, at, (activityId, n) =>
      valuesFor(activityId, attrs, opts, [...seeds.slice(n % seeds.length), ...seeds]),
    )
    return { entry, outcome: await w.run(userId, 'logEntry', { entry }) }
  }

  test(
    'random edits and deletions of an original never change a copy or its entries',
    async () => {
      const stats = { hardDeleted: 0, libraryDeleted: 0, ops: 0, applied: 0 }
      await fc.assert(
        fc.asyncProperty(
          fc.array(
            fc.record({
              name: nameArb,
              attrs: fc.array(newAttrArb({ required: false }), { minLength: 1, maxLength: 3 }),
              repeat: repeatArb,
            }),
            { minLength: 1, maxLength: 3 },
          ),
          fc.array(newAttrArb({ required: false }), { maxLength: 1 }),
          fc.array(fc.array(valueSeedArb, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 2 }),
          fc.array(aOpArb, { minLength: 1, maxLength: 10 }),
          fc.boolean(),
          async (children, rootAttrs, entrySeeds, ops, finalHardDelete) => {
            const ann = await w.user('Ann')
            const bea = await w.user('Bea')
            // The original lives in a second library of Ann's, so that library can go entirely.
            const lib = newId()
            await w.ok(ann.id, 'createLibrary', { id: lib, name: 'Programmes' })
            const childIds: string[] = []
            for (const c of children) {
              const id = newId()
              await w.ok(ann.id, 'createActivity', {
                id,
                libraryId: lib,
                name: c.name,
                kind: 'scalar',
                attributes: c.attrs.map(attributeInput),
              })
              childIds.push(id)
            }
            const original = newId()
            await w.ok(ann.id, 'createActivity', {
              id: original,
              libraryId: lib,
              name: 'Session',
              kind: 'sequence',
              attributes: rootAttrs.map(attributeInput),
              items: children.map((c, i) => ({ id: newId(), childId: childIds[i]!, repeat: c.repeat })),
            })
            await w.ok(ann.id, 'publishLibrary', { libraryId: lib })
            const copy = newId()
            await w.ok(bea.id, 'addActivityToLibrary', { id: copy, sourceActivityId: original, libraryId: bea.libraryId })
            let clock = base
            for (const seeds of entrySeeds) {
              clock += 3_600_000
              const { outcome } = await logAgainstCopy(bea.id, copy, iso(clock), seeds)
              expect(outcome).toEqual({ status: 'applied' })
            }
            const before = await snapshot(bea.id, bea.libraryId)
            expect(before.activities).toHaveLength(children.length + 1)
            expect(before.entries.length).toBeGreaterThan(children.length)

            const annActivities = [original, ...childIds]
            const target = (n: number) => annActivities[n % annActivities.length]!
            const annAttributes = async () => (await schemaRows(w.db, annActivities)).attrs
            const annItems = () =>
              w.db
                .select()
                .from(s.sequenceItems)
                .where(eq(s.sequenceItems.parentId, original))
                .orderBy(asc(s.sequenceItems.ordinal), asc(s.sequenceItems.id))
            let libraryGone = false
            const hardDelete = async () => {
              if (libraryGone) return
              // A raw delete, as a script or an admin would run it: cascades take the library's rows,
              // templates included (sequence_items.child_id is NO ACTION, checked after the cascade).
              await w.db.delete(s.libraries).where(eq(s.libraries.id, lib))
              libraryGone = (await w.db.select().from(s.libraries).where(eq(s.libraries.id, lib))).length === 0
              expect(libraryGone).toBe(true)
              expect(await w.db.select().from(s.activities).where(eq(s.activities.libraryId, lib))).toEqual([])
              stats.hardDeleted++
            }

            for (const op of ops) {
              stats.ops++
              let outcome: MutationOutcome | undefined
              switch (op.kind) {
                case 'renameActivity':
                  outcome = await w.run(ann.id, 'renameActivity', { activityId: target(op.target), name: op.name })
                  break
                case 'setAttributes': {
                  const activityId = target(op.target)
                  const { attrs, opts } = await schemaRows(w.db, [activityId])
                  const attributes = propose(asInputs(attrs, opts), {
                    kind: 'setAttributes',
                    clean: op.clean,
                    breaking: null,
                    append: op.append,
                  })
                  outcome = await w.run(ann.id, 'setAttributes', { activityId, attributes })
                  break
                }
                case 'appendChoiceOption':
                case 'renameAttribute':
                case 'retireAttribute': {
                  const attrs = await annAttributes()
                  // A choice option goes to a choice attribute when there is one.
                  const among =
                    op.kind === 'appendChoiceOption' && attrs.some((x) => x.type === 'choice')
                      ? attrs.filter((x) => x.type === 'choice')
                      : attrs
                  const a = among.length ? among[op.at % among.length] : undefined
                  const attributeId = a?.id ?? newId()
                  if (op.kind === 'appendChoiceOption')
                    outcome = await w.run(ann.id, 'appendChoiceOption', { attributeId, option: { id: newId(), label: op.label } })
                  else if (op.kind === 'renameAttribute') outcome = await w.run(ann.id, 'renameAttribute', { attributeId, name: op.name })
                  else outcome = await w.run(ann.id, 'retireAttribute', { attributeId })
                  break
                }
                case 'setTemplate':
                  outcome = await w.run(ann.id, 'setTemplate', {
                    activityId: original,
                    items: op.items.map((i) => ({ id: newId(), childId: childIds[i.child % childIds.length]!, repeat: i.repeat })),
                  })
                  break
                case 'addTemplateItem':
                  outcome = await w.run(ann.id, 'addTemplateItem', {
                    activityId: original,
                    item: { id: newId(), childId: childIds[op.child % childIds.length]!, repeat: op.repeat },
                    ...(op.position === null ? {} : { position: op.position }),
                  })
                  break
                case 'removeTemplateItem':
                case 'moveTemplateItem': {
                  const items = await annItems()
                  const itemId = items.length ? items[op.item % items.length]!.id : newId()
                  outcome =
                    op.kind === 'removeTemplateItem'
                      ? await w.run(ann.id, 'removeTemplateItem', { activityId: original, itemId })
                      : await w.run(ann.id, 'moveTemplateItem', { activityId: original, itemId, position: op.position })
                  break
                }
                case 'deleteActivity':
                  outcome = await w.run(ann.id, 'deleteActivity', { activityId: target(op.target) })
                  break
                case 'unpublishLibrary':
                  outcome = await w.run(ann.id, 'unpublishLibrary', { libraryId: lib })
                  break
                case 'publishLibrary':
                  outcome = await w.run(ann.id, 'publishLibrary', { libraryId: lib })
                  break
                case 'deleteLibrary':
                  outcome = await w.run(ann.id, 'deleteLibrary', { libraryId: lib })
                  if (outcome.status === 'applied') {
                    libraryGone = true
                    stats.libraryDeleted++
                  }
                  break
                case 'hardDeleteLibrary':
                  await hardDelete()
                  break
                case 'touchCopy': {
                  // Ann aims at Bea's rows directly: she can neither see nor change them.
                  const mine = await snapshot(bea.id, bea.libraryId)
                  const act = mine.activities[op.at % mine.activities.length]!
                  const attr = mine.attributes.length ? mine.attributes[op.at % mine.attributes.length]! : undefined
                  const touched =
                    op.what === 'renameActivity'
                      ? await w.run(ann.id, 'renameActivity', { activityId: act.id, name: 'Mine now' })
                      : op.what === 'deleteActivity'
                        ? await w.run(ann.id, 'deleteActivity', { activityId: act.id })
                        : op.what === 'setTemplate'
                          ? await w.run(ann.id, 'setTemplate', { activityId: copy, items: [] })
                          : op.what === 'renameAttribute'
                            ? await w.run(ann.id, 'renameAttribute', { attributeId: attr?.id ?? newId(), name: 'Mine now' })
                            : op.what === 'retireAttribute'
                              ? await w.run(ann.id, 'retireAttribute', { attributeId: attr?.id ?? newId() })
                              : await w.run(ann.id, 'appendChoiceOption', {
                                  attributeId: attr?.id ?? newId(),
                                  option: { id: newId(), label: 'Mine now' },
                                })
                  expect(touched).toMatchObject({ status: 'rejected', code: 'not_found' })
                  break
                }
              }
              if (outcome?.status === 'applied') stats.applied++
            }
            if (finalHardDelete) await hardDelete()

            expect(await snapshot(bea.id, bea.libraryId)).toEqual(before)
            clock += 3_600_000
            const { entry, outcome } = await logAgainstCopy(bea.id, copy, iso(clock), entrySeeds[0]!)
            expect(outcome).toEqual({ status: 'applied' })
            const logged = await loadEntryTree(w.db, entry.id)
            expect(structureKey(logged!)).toBe(structureKey((await templateTree(w.db, copy))!))
          },
        ),
        { seed: 20261102, numRuns: 30 },
      )
      expect(stats.hardDeleted).toBeGreaterThan(10)
      expect(stats.applied).toBeGreaterThan(stats.ops / 4)
    },
    PROPERTY_TIMEOUT,
  )
})
