/**
 * Property-based tests of the domain's invariants, with fast-check under fixed seeds.
 *
 * Harness: each database property gets ONE migrated PGlite (server schema), made in beforeAll and
 * closed in afterAll, driven through `world()` exactly as the server applies mutations. A run
 * isolates itself by making fresh users (so fresh default libraries) and fresh ids with newId(),
 * and only ever reads rows scoped to those users and libraries, so runs never see each other.
 * Every assertion is on rows read back from the database (or, for the pure laws, on the
 * functions' results).
 *
 * Invariants:
 * 1. Attribute schemas are append-only: whatever sequence of schema edits (accepted or refused)
 *    and entries happens, every stored value still points at an attribute of its entry's
 *    activity with the type and ordinal it had when the value was written, and decodes to a
 *    value of that type (a choice to an option row of that same attribute), equal to the value
 *    logged. A refused edit or entry writes nothing; an accepted edit yields exactly the proposed
 *    schema, and the mutation accepts an edit exactly when it keeps the append-only rule.
 * 2. A copy is independent of its original: nothing the original's owner does (edits, template
 *    changes, deletion, unpublishing, even a raw delete of her library) changes any row of the
 *    copier's library or log, and the copier can keep logging.
 * 3. Equality laws over entry trees: both equalities are reflexive and symmetric, structural is
 *    transitive and implies qualitative, and structureKey decides structural equality.
 * 4. After a template edit, new entries stay qualitatively equal to old ones but diverge
 *    structurally, and the "previous entry" queries follow suit.
 *
 * Each property also counts what its runs reached (applied and refused edits, hard deletes, equal
 * pairs) and fails if the generators stop reaching it. Two bugs found along the way (NUL and
 * lone surrogates in text) are pinned as named tests next to property 1. Timeouts are generous because a busy 2-core
 * machine runs these several times slower than an idle one.
 */
import { and, asc, eq, inArray } from 'drizzle-orm'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { loadEntryTree, previousQualitativelyEqualEntry, previousStructurallyEqualEntry, templateTree } from '@/db/queries/entries'
import * as s from '@/db/schema'
import { attributeTypes, type AttributeType } from '@/db/schema'
import { testPglite } from '@/db/testing/pglite'
import type { Db } from '@/db/types'
import type { MutationOutcome } from './apply'
import { qualitativelyEqual, structurallyEqual, structureKey, type EntryTree } from './equality'
import { newId } from './ids'
import type { AttributeInput } from './mutators/attributes'
import type { EntryInput } from './mutators/entries'
import { world, type World } from './testing/world'
import { decodeValue, type Value } from './values'

// Shared generators ------------------------------------------------------------------------------

const words = ['Load', 'Reps', 'Time', 'Distance', 'RPE', 'Notes', 'Grip', 'Tempo', 'Side', 'Felt good']
const nameArb = fc.tuple(fc.constantFrom(...words), fc.nat(99)).map(([w, n]) => `${w} ${n}`)
const typeArb = fc.constantFrom(...attributeTypes)

/** An attribute to create or append; its ids are made when it is used. */
type NewAttr = { name: string; type: AttributeType; required: boolean; retired: boolean; options: string[] }
const newAttrArb = (opts: { required?: boolean } = {}): fc.Arbitrary<NewAttr> =>
  fc.record({
    name: nameArb,
    type: typeArb,
    required:
      opts.required === false
        ? fc.constant(false)
        : fc.oneof({ weight: 4, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
    retired: fc.constant(false),
    options: fc.array(nameArb, { minLength: 1, maxLength: 3 }),
  })

function attributeInput(a: NewAttr): AttributeInput {
  return {
    id: newId(),
    name: a.name,
    type: a.type,
    required: a.required,
    retired: a.retired,
    ...(a.type === 'choice' ? { options: a.options.map((label) => ({ id: newId(), label })) } : {}),
  }
}

/** Raw material for one value; `valueFor` picks what fits the attribute's type. */
type ValueSeed = { include: boolean; num: number; nonneg: number; int: number; text: string; bool: boolean; choice: number }
const valueSeedArb: fc.Arbitrary<ValueSeed> = fc.record({
  include: fc.boolean(),
  num: fc.double({ noNaN: true, noDefaultInfinity: true }),
  nonneg: fc.double({ min: 0, noNaN: true, noDefaultInfinity: true }),
  int: fc.maxSafeInteger(),
  text: fc.string({ unit: 'grapheme', maxLength: 12 }),
  bool: fc.boolean(),
  choice: fc.nat(),
})

function valueFor(type: AttributeType, seed: ValueSeed, optionIds: string[]): Value | undefined {
  switch (type) {
    case 'number':
    case 'mass':
      return seed.num
    case 'integer':
      return seed.int
    case 'duration':
    case 'distance':
      return seed.nonneg
    case 'text':
      return seed.text
    case 'boolean':
      return seed.bool
    case 'choice':
      return optionIds.length ? optionIds[seed.choice % optionIds.length] : undefined
  }
}

const jsTypeOf: Record<AttributeType, 'number' | 'string' | 'boolean'> = {
  number: 'number',
  integer: 'number',
  duration: 'number',
  distance: 'number',
  mass: 'number',
  text: 'string',
  choice: 'string',
  boolean: 'boolean',
}

type AttrRow = typeof s.attributes.$inferSelect
type OptionRow = typeof s.attributeOptions.$inferSelect

/** An activity's attributes by ordinal, and their options by attribute and ordinal. */
async function schemaRows(db: Db, activityIds: string[]): Promise<{ attrs: AttrRow[]; opts: OptionRow[] }> {
  const attrs = activityIds.length
    ? await db
        .select()
        .from(s.attributes)
        .where(inArray(s.attributes.activityId, activityIds))
        .orderBy(asc(s.attributes.activityId), asc(s.attributes.ordinal))
    : []
  const opts = attrs.length
    ? await db
        .select()
        .from(s.attributeOptions)
        .where(
          inArray(
            s.attributeOptions.attributeId,
            attrs.map((a) => a.id),
          ),
        )
        .orderBy(asc(s.attributeOptions.attributeId), asc(s.attributeOptions.ordinal))
    : []
  return { attrs, opts }
}

/** The attribute list as an editor form would submit it unchanged. */
function asInputs(attrs: AttrRow[], opts: OptionRow[]): AttributeInput[] {
  return attrs.map((a) => ({
    id: a.id,
    name: a.name,
    type: a.type,
    required: a.required,
    retired: a.retiredAt !== null,
    ...(a.type === 'choice'
      ? { options: opts.filter((o) => o.attributeId === a.id).map((o) => ({ id: o.id, label: o.label, retired: o.retiredAt !== null })) }
      : {}),
  }))
}

/** Values for one entry node of `activityId`: every required live attribute, and others by chance. */
function valuesFor(activityId: string, attrs: AttrRow[], opts: OptionRow[], seeds: ValueSeed[]): Record<string, Value> {
  const values: Record<string, Value> = {}
  attrs
    .filter((a) => a.activityId === activityId)
    .forEach((a, i) => {
      const seed = seeds[i % seeds.length]!
      if (!seed.include && !(a.required && a.retiredAt === null)) return
      const value = valueFor(
        a.type,
        seed,
        opts.filter((o) => o.attributeId === a.id).map((o) => o.id),
      )
      if (value !== undefined) values[a.id] = value
    })
  return values
}

/** An entry shaped like `tree` (a templateTree), with fresh ids and values per node. */
function entryFromTree(
  tree: EntryTree,
  performedAt: string | undefined,
  values: (activityId: string, n: number) => Record<string, Value>,
): EntryInput {
  let n = 0
  const build = (node: EntryTree, at?: string): EntryInput => ({
    id: newId(),
    activityId: node.activityId,
    ...(at ? { performedAt: at } : {}),
    values: values(node.activityId, n++),
    children: node.children.map((c) => build(c)),
  })
  return build(tree, performedAt)
}

/** Generous: a loaded 2-core machine runs these several times slower than an idle one. */
const PROPERTY_TIMEOUT = 180_000

const base = Date.parse('2026-01-05T06:00:00.000Z')
const iso = (ms: number) => new Date(ms).toISOString()

async function openWorld(): Promise<World> {
  return world({ ...(await testPglite('server')), runtime: 'server' })
}

// 1. Append-only attribute schemas ----------------------------------------------------------------

type CleanAction =
  | { kind: 'keep' }
  | { kind: 'rename'; name: string }
  | { kind: 'retire'; retired: boolean }
  | { kind: 'require'; required: boolean }
  | { kind: 'appendOptions'; labels: string[] }
type BreakingAction =
  | { kind: 'remove'; at: number }
  | { kind: 'move'; from: number; to: number }
  | { kind: 'retype'; at: number; type: AttributeType }
  | { kind: 'dropOption'; at: number; option: number }
  | { kind: 'moveOption'; at: number; from: number; to: number }
type SchemaStep =
  | { kind: 'log'; seeds: ValueSeed[] }
  | { kind: 'badLog'; at: number; variant: number; aimAtChoice: boolean; seeds: ValueSeed[] }
  | { kind: 'setAttributes'; clean: CleanAction[]; breaking: BreakingAction | null; append: NewAttr[] }
  | { kind: 'appendAttribute'; attr: NewAttr }
  | { kind: 'renameAttribute'; at: number; name: string }
  | { kind: 'retireAttribute'; at: number; retired: boolean }
  | { kind: 'appendChoiceOption'; at: number; label: string }

const cleanActionArb: fc.Arbitrary<CleanAction> = fc.oneof(
  { weight: 4, arbitrary: fc.constant({ kind: 'keep' as const }) },
  { weight: 2, arbitrary: nameArb.map((name) => ({ kind: 'rename' as const, name })) },
  { weight: 2, arbitrary: fc.boolean().map((retired) => ({ kind: 'retire' as const, retired })) },
  { weight: 1, arbitrary: fc.boolean().map((required) => ({ kind: 'require' as const, required })) },
  { weight: 2, arbitrary: fc.array(nameArb, { minLength: 1, maxLength: 2 }).map((labels) => ({ kind: 'appendOptions' as const, labels })) },
)
const breakingActionArb: fc.Arbitrary<BreakingAction> = fc.oneof(
  fc.record({ kind: fc.constant('remove' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('move' as const), from: fc.nat(), to: fc.nat() }),
  fc.record({ kind: fc.constant('retype' as const), at: fc.nat(), type: typeArb }),
  fc.record({ kind: fc.constant('dropOption' as const), at: fc.nat(), option: fc.nat() }),
  fc.record({ kind: fc.constant('moveOption' as const), at: fc.nat(), from: fc.nat(), to: fc.nat() }),
)
const schemaStepArb: fc.Arbitrary<SchemaStep> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('log' as const), seeds: fc.array(valueSeedArb, { minLength: 1, maxLength: 6 }) }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('badLog' as const),
      at: fc.nat(),
      variant: fc.nat(),
      aimAtChoice: fc.boolean(),
      seeds: fc.array(valueSeedArb, { minLength: 1, maxLength: 6 }),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('setAttributes' as const),
      clean: fc.array(cleanActionArb, { maxLength: 6 }),
      breaking: fc.option(breakingActionArb, { freq: 2 }),
      append: fc.array(newAttrArb(), { maxLength: 2 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('appendAttribute' as const), attr: newAttrArb() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('renameAttribute' as const), at: fc.nat(), name: nameArb }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('retireAttribute' as const), at: fc.nat(), retired: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('appendChoiceOption' as const), at: fc.nat(), label: nameArb }) },
)

/** A value the attribute must refuse: the wrong type, out of range, or a choice it does not have. */
function badValueFor(type: AttributeType, variant: number, wrongOptionIds: string[]): Value {
  const pick = <T>(...options: T[]) => options[variant % options.length]!
  switch (type) {
    case 'number':
    case 'mass':
      return pick<Value>('12', true)
    case 'integer':
      return pick<Value>(1.5, '3', -0.25)
    case 'duration':
    case 'distance':
      return pick<Value>(-1, -0.001, 'PT1M')
    case 'text':
      return pick<Value>(42, false, 'x'.repeat(10_001))
    case 'boolean':
      return pick<Value>('true', 1)
    case 'choice':
      return pick<Value>(...wrongOptionIds, newId(), 'Wide')
  }
}

/** Applies the generated actions to the current list; the result may break the append-only rule. */
function propose(current: AttributeInput[], step: Extract<SchemaStep, { kind: 'setAttributes' }>): AttributeInput[] {
  const proposal = current.map((a) => ({ ...a, ...(a.options ? { options: [...a.options] } : {}) }))
  step.clean.forEach((action, i) => {
    const a = proposal[i % Math.max(proposal.length, 1)]
    if (!a) return
    if (action.kind === 'rename') a.name = action.name
    if (action.kind === 'retire') a.retired = action.retired
    if (action.kind === 'require') a.required = action.required
    if (action.kind === 'appendOptions' && a.options) a.options.push(...action.labels.map((label) => ({ id: newId(), label })))
  })
  // The breaking action always breaks when it can: another position, another type, an
  // existing choice of a choice attribute.
  const b = step.breaking
  const n = proposal.length
  const choices = proposal.filter((a) => a.type === 'choice' && a.options?.length)
  if (b?.kind === 'remove' && n > 0) proposal.splice(b.at % n, 1)
  if (b?.kind === 'move' && n > 1) {
    const from = b.from % n
    const [moved] = proposal.splice(from, 1)
    proposal.splice((from + 1 + (b.to % (n - 1))) % n, 0, moved!)
  }
  if (b?.kind === 'retype' && n > 0) {
    const a = proposal[b.at % n]!
    a.type = b.type === a.type ? attributeTypes[(attributeTypes.indexOf(b.type) + 1) % attributeTypes.length]! : b.type
    if (a.type === 'choice') a.options = []
    else delete a.options
  }
  if (b?.kind === 'dropOption' && choices.length > 0) {
    const options = choices[b.at % choices.length]!.options!
    options.splice(b.option % options.length, 1)
  }
  if (b?.kind === 'moveOption' && choices.some((c) => c.options!.length > 1)) {
    const many = choices.filter((c) => c.options!.length > 1)
    const options = many[b.at % many.length]!.options!
    const from = b.from % options.length
    const [moved] = options.splice(from, 1)
    options.splice((from + 1 + (b.to % options.length)) % (options.length + 1), 0, moved!)
  }
  return [...proposal, ...step.append.map(attributeInput)]
}

/** The append-only rule, restated independently of the mutation's own check. */
function keepsAppendOnly(current: AttributeInput[], proposal: AttributeInput[]): boolean {
  return current.every((a, i) => {
    const p = proposal[i]
    if (!p || p.id !== a.id || p.type !== a.type) return false
    if (a.type !== 'choice' || !p.options) return true
    return (a.options ?? []).every((o, j) => p.options![j]?.id === o.id)
  })
}

/** The schema as rows say it is, in the shape of a proposal, for comparing the two. */
function normalise(list: AttributeInput[]) {
  return list.map((a) => ({
    id: a.id,
    name: a.name,
    type: a.type,
    required: a.required ?? false,
    retired: a.retired ?? false,
    options: a.type === 'choice' ? (a.options ?? []).map((o) => ({ id: o.id, label: o.label, retired: o.retired ?? false })) : [],
  }))
}

type Written = { entryId: string; attributeId: string; type: AttributeType; ordinal: number; value: Value }

describe('attribute schemas', () => {
  let w: World
  beforeAll(async () => {
    w = await openWorld()
  })
  afterAll(async () => {
    await w.close()
  })

  /** Every stored value of `userId` against what was written; every attribute ever seen kept its type and place. */
  async function checkValues(
    userId: string,
    activityId: string,
    written: Map<string, Written>,
    seen: Map<string, { type: AttributeType; ordinal: number }>,
  ) {
    const stored = await w.db
      .select({ row: s.entryValues, entryActivityId: s.entries.activityId })
      .from(s.entryValues)
      .innerJoin(s.entries, eq(s.entries.id, s.entryValues.entryId))
      .where(eq(s.entryValues.userId, userId))
    const { attrs, opts } = await schemaRows(w.db, [activityId])
    expect(stored).toHaveLength(written.size)
    for (const { row, entryActivityId } of stored) {
      const was = written.get(`${row.entryId}/${row.attributeId}`)
      expect(was, `an entry_values row nobody wrote: ${row.entryId}/${row.attributeId}`).toBeDefined()
      const attr = attrs.find((a) => a.id === row.attributeId)
      expect(attr, `the attribute of value ${row.entryId}/${row.attributeId} is gone`).toBeDefined()
      expect(attr!.activityId).toBe(entryActivityId)
      expect({ type: attr!.type, ordinal: attr!.ordinal }).toEqual({ type: was!.type, ordinal: was!.ordinal })
      const decoded = decodeValue(attr!.type, row)
      expect(decoded).not.toBeNull()
      expect(typeof decoded).toBe(jsTypeOf[attr!.type])
      // === rather than Object.is: a -0 may come back as 0, which is the same number of kilograms.
      expect(decoded === was!.value, `${attr!.type} value ${String(was!.value)} came back as ${String(decoded)}`).toBe(true)
      if (attr!.type === 'integer') expect(Number.isSafeInteger(decoded)).toBe(true)
      if (attr!.type === 'duration' || attr!.type === 'distance') expect(decoded as number).toBeGreaterThanOrEqual(0)
      if (attr!.type === 'choice') expect(opts.some((o) => o.id === decoded && o.attributeId === attr!.id)).toBe(true)
    }
    expect(attrs.map((a) => a.ordinal)).toEqual(attrs.map((_, i) => i))
    for (const a of attrs) {
      const before = seen.get(a.id)
      if (before) expect({ id: a.id, type: a.type, ordinal: a.ordinal }).toEqual({ id: a.id, ...before })
      seen.set(a.id, { type: a.type, ordinal: a.ordinal })
    }
    expect([...seen.keys()].filter((id) => !attrs.some((a) => a.id === id))).toEqual([])
  }

  test(
    'random sequences of attribute schema edits never make an old value uninterpretable',
    async () => {
      const stats = { applied: 0, rejected: 0, values: 0, refusedValues: 0 }
      await fc.assert(
        fc.asyncProperty(
          // A few attributes, among them always a choice with two or three options.
          fc
            .tuple(fc.array(newAttrArb(), { maxLength: 3 }), newAttrArb(), fc.array(nameArb, { minLength: 2, maxLength: 3 }), fc.nat())
            .map(([others, choice, labels, at]) =>
              others.toSpliced(at % (others.length + 1), 0, { ...choice, type: 'choice' as const, options: labels }),
            ),
          fc.array(fc.array(valueSeedArb, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 2 }),
          fc.array(schemaStepArb, { minLength: 1, maxLength: 14 }),
          async (initial, firstEntries, steps) => {
            const user = await w.user('Ann')
            const activityId = newId()
            await w.ok(user.id, 'createActivity', {
              id: activityId,
              libraryId: user.libraryId,
              name: 'Lift',
              kind: 'scalar',
              attributes: initial.map(attributeInput),
            })
            // Another activity of the same library, whose choice must not be accepted for this one.
            const foreignOptionId = newId()
            await w.ok(user.id, 'createActivity', {
              id: newId(),
              libraryId: user.libraryId,
              name: 'Other',
              kind: 'scalar',
              attributes: [{ id: newId(), name: 'Grip', type: 'choice', options: [{ id: foreignOptionId, label: 'Wide' }] }],
            })
            let logged = 0
            const written = new Map<string, Written>()
            const seen = new Map<string, { type: AttributeType; ordinal: number }>()
            let clock = base

            const log = async (seeds: ValueSeed[]) => {
              const { attrs, opts } = await schemaRows(w.db, [activityId])
              const entryId = newId()
              const values = valuesFor(activityId, attrs, opts, seeds)
              clock += 60_000
              await w.ok(user.id, 'logEntry', { entry: { id: entryId, activityId, performedAt: iso(clock), values } })
              logged++
              for (const [attributeId, value] of Object.entries(values)) {
                const a = attrs.find((x) => x.id === attributeId)!
                written.set(`${entryId}/${attributeId}`, { entryId, attributeId, type: a.type, ordinal: a.ordinal, value })
              }
            }

            const check = async () => {
              await checkValues(user.id, activityId, written, seen)
              expect(await w.db.select({ id: s.entries.id }).from(s.entries).where(eq(s.entries.userId, user.id))).toHaveLength(logged)
            }

            for (const seeds of firstEntries) await log(seeds)
            await check()

            for (const step of steps) {
              if (step.kind === 'log') {
                await log(step.seeds)
                await check()
                continue
              }
              if (step.kind === 'badLog') {
                // One value the attribute cannot hold: the whole entry is refused and nothing is written.
                const { attrs, opts } = await schemaRows(w.db, [activityId])
                const values = valuesFor(activityId, attrs, opts, step.seeds)
                const choiceAttrs = attrs.filter((x) => x.type === 'choice')
                const among = step.aimAtChoice && choiceAttrs.length ? choiceAttrs : attrs
                const a = among[step.at % among.length]!
                // Wrong choices: those of the activity's other choice attributes, and another activity's.
                const wrongOptionIds = [...opts.filter((o) => o.attributeId !== a.id).map((o) => o.id), foreignOptionId]
                values[a.id] = badValueFor(a.type, step.variant, wrongOptionIds)
                clock += 60_000
                const outcome = await w.run(user.id, 'logEntry', { entry: { id: newId(), activityId, performedAt: iso(clock), values } })
                expect(outcome, `${a.type} took ${JSON.stringify(values[a.id])}`).toMatchObject({
                  status: 'rejected',
                  code: 'invalid_args',
                })
                stats.refusedValues++
                await check()
                continue
              }
              const before = await schemaRows(w.db, [activityId])
              const current = asInputs(before.attrs, before.opts)
              const pick = (at: number) => before.attrs[at % before.attrs.length]
              let outcome: MutationOutcome
              let expected: { applied: true; schema?: AttributeInput[] } | { applied: false; code: string }
              switch (step.kind) {
                case 'setAttributes': {
                  const proposal = propose(current, step)
                  outcome = await w.run(user.id, 'setAttributes', { activityId, attributes: proposal })
                  expected = keepsAppendOnly(current, proposal)
                    ? { applied: true, schema: proposal }
                    : { applied: false, code: 'append_only' }
                  break
                }
                case 'appendAttribute': {
                  const attribute = attributeInput(step.attr)
                  outcome = await w.run(user.id, 'appendAttribute', { activityId, attribute })
                  expected = { applied: true, schema: [...current, attribute] }
                  break
                }
                case 'renameAttribute': {
                  const a = pick(step.at)!
                  outcome = await w.run(user.id, 'renameAttribute', { attributeId: a.id, name: step.name })
                  expected = { applied: true, schema: current.map((c) => (c.id === a.id ? { ...c, name: step.name } : c)) }
                  break
                }
                case 'retireAttribute': {
                  const a = pick(step.at)!
                  outcome = await w.run(user.id, 'retireAttribute', { attributeId: a.id, retired: step.retired })
                  expected = { applied: true, schema: current.map((c) => (c.id === a.id ? { ...c, retired: step.retired } : c)) }
                  break
                }
                case 'appendChoiceOption': {
                  const a = pick(step.at)!
                  const option = { id: newId(), label: step.label }
                  outcome = await w.run(user.id, 'appendChoiceOption', { attributeId: a.id, option })
                  expected =
                    a.type === 'choice'
                      ? { applied: true, schema: current.map((c) => (c.id === a.id ? { ...c, options: [...c.options!, option] } : c)) }
                      : { applied: false, code: 'invalid_args' }
                  break
                }
              }
              const after = await schemaRows(w.db, [activityId])
              if (expected.applied) {
                expect(outcome, `${step.kind} should apply`).toEqual({ status: 'applied' })
                expect(normalise(asInputs(after.attrs, after.opts))).toEqual(normalise(expected.schema!))
                stats.applied++
              } else {
                expect(outcome).toMatchObject({ status: 'rejected', code: expected.code })
                // A refused edit wrote nothing: every attribute and option row is as it was.
                expect(after).toEqual(before)
                stats.rejected++
              }
              await check()
            }
            stats.values += written.size
          },
        ),
        { seed: 20261101, numRuns: 30 },
      )
      // The generators must reach both outcomes and real values, or the property says little.
      expect(stats.applied).toBeGreaterThan(50)
      expect(stats.rejected).toBeGreaterThan(15)
      expect(stats.values).toBeGreaterThan(100)
      expect(stats.refusedValues).toBeGreaterThan(10)
    },
    PROPERTY_TIMEOUT,
  )

  // Regressions this suite found, pinned as named tests.
  async function logText(text: string) {
    const user = await w.user('Dee')
    const activityId = newId()
    const attributeId = newId()
    await w.ok(user.id, 'createActivity', {
      id: activityId,
      libraryId: user.libraryId,
      name: 'Journal',
      kind: 'scalar',
      attributes: [{ id: attributeId, name: 'Note', type: 'text' }],
    })
    const entryId = newId()
    let outcome: MutationOutcome | string
    try {
      outcome = await w.run(user.id, 'logEntry', {
        entry: { id: entryId, activityId, performedAt: iso(base), values: { [attributeId]: text } },
      })
    } catch (error) {
      outcome = `threw: ${String((error as { cause?: unknown }).cause ?? error)}`
    }
    const stored = await w.db.select().from(s.entryValues).where(eq(s.entryValues.entryId, entryId))
    return { outcome, stored: stored.map((r) => r.text) }
  }

  test('pinned: a text value containing U+0000 is refused as invalid_args', async () => {
    // Found by this suite: PostgreSQL cannot store NUL (22021) and logEntry used to throw.
    const { outcome, stored } = await logText('a\u0000b')
    expect(outcome).toMatchObject({ status: 'rejected', code: 'invalid_args' })
    expect(stored).toEqual([])
  })

  test('pinned: a text value with a lone surrogate is refused or read back unchanged', async () => {
    // Found by this suite: '\ud800x' used to be accepted and stored as '\ufffdx'.
    const { outcome, stored } = await logText('\ud800x')
    if (typeof outcome !== 'string' && outcome.status === 'rejected') expect(outcome.code).toBe('invalid_args')
    else expect(stored).toEqual(['\ud800x'])
  })
})

// 2. Copies are independent of their originals -----------------------------------------------------

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

const repeatArb = fc.integer({ min: 1, max: 3 })
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
  let w: World
  beforeAll(async () => {
    w = await openWorld()
  })
  afterAll(async () => {
    await w.close()
  })

  /** Every row of B's library and log, in a fixed order. */
  async function snapshot(userId: string, libraryId: string) {
    const db = w.db
    return {
      library: await db.select().from(s.libraries).where(eq(s.libraries.id, libraryId)),
      activities: await db.select().from(s.activities).where(eq(s.activities.libraryId, libraryId)).orderBy(asc(s.activities.id)),
      attributes: await db.select().from(s.attributes).where(eq(s.attributes.libraryId, libraryId)).orderBy(asc(s.attributes.id)),
      options: await db
        .select()
        .from(s.attributeOptions)
        .where(eq(s.attributeOptions.libraryId, libraryId))
        .orderBy(asc(s.attributeOptions.id)),
      items: await db.select().from(s.sequenceItems).where(eq(s.sequenceItems.libraryId, libraryId)).orderBy(asc(s.sequenceItems.id)),
      versions: await db
        .select()
        .from(s.templateVersions)
        .where(eq(s.templateVersions.libraryId, libraryId))
        .orderBy(asc(s.templateVersions.id)),
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

// 3. Equality laws ---------------------------------------------------------------------------------

const origins = ['a', 'b', 'c']
function treeArb(depth: number): fc.Arbitrary<EntryTree> {
  return fc.record({
    id: fc.uuid(),
    activityId: fc.uuid(),
    originId: fc.constantFrom(...origins),
    children: depth === 0 ? fc.constant([]) : fc.array(treeArb(depth - 1), { maxLength: 3 }),
  })
}

/** The same tree (shape and origins) under other entry and activity ids, as a copy would log it. */
function relabel(tree: EntryTree, tag: string): EntryTree {
  return {
    id: `${tree.id}-${tag}`,
    activityId: `${tree.activityId}-${tag}`,
    originId: tree.originId,
    children: tree.children.map((c) => relabel(c, tag)),
  }
}

describe('equality laws', () => {
  // a, b and c are each a relabelled copy of x, of y, or a tree of their own, so equal trees
  // (and chains of them) occur often enough to test the laws that need them.
  const familyArb = fc
    .record({
      x: treeArb(3),
      y: treeArb(3),
      own: fc.tuple(treeArb(3), treeArb(3), treeArb(3)),
      pick: fc.tuple(fc.nat(2), fc.nat(2), fc.nat(2)),
    })
    .map(
      ({ x, y, own, pick }) =>
        pick.map((p, i) => (p === 0 ? relabel(x, `x${i}`) : p === 1 ? relabel(y, `y${i}`) : own[i]!)) as [EntryTree, EntryTree, EntryTree],
    )

  test('qualitative and structural equality: reflexive, symmetric, transitive; structural implies qualitative and matches structureKey', () => {
    const seen = { structural: 0, qualitativeOnly: 0, transitiveChains: 0 }
    fc.assert(
      fc.property(familyArb, ([a, b, c]) => {
        for (const t of [a, b, c]) {
          expect(qualitativelyEqual(t, t)).toBe(true)
          expect(structurallyEqual(t, t)).toBe(true)
          expect(structurallyEqual(t, relabel(t, 'again'))).toBe(true)
        }
        for (const [p, q] of [
          [a, b],
          [b, c],
          [a, c],
        ] as const) {
          expect(qualitativelyEqual(p, q)).toBe(qualitativelyEqual(q, p))
          expect(structurallyEqual(p, q)).toBe(structurallyEqual(q, p))
          if (structurallyEqual(p, q)) expect(qualitativelyEqual(p, q)).toBe(true)
          expect(structurallyEqual(p, q)).toBe(structureKey(p) === structureKey(q))
          if (structurallyEqual(p, q)) seen.structural++
          else if (qualitativelyEqual(p, q)) seen.qualitativeOnly++
        }
        if (structurallyEqual(a, b) && structurallyEqual(b, c)) {
          seen.transitiveChains++
          expect(structurallyEqual(a, c)).toBe(true)
        }
        if (qualitativelyEqual(a, b) && qualitativelyEqual(b, c)) expect(qualitativelyEqual(a, c)).toBe(true)
      }),
      { seed: 20261103, numRuns: 1000 },
    )
    expect(seen.structural).toBeGreaterThan(250)
    expect(seen.qualitativeOnly).toBeGreaterThan(250)
    expect(seen.transitiveChains).toBeGreaterThan(50)
  })
})

// 4. Template edits split structural from qualitative equality --------------------------------------

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
  let w: World
  beforeAll(async () => {
    w = await openWorld()
  })
  afterAll(async () => {
    await w.close()
  })

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
