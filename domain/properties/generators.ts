/**
 * What the property tests of the domain share (`domain/properties/*.test.ts`, one file per
 * property so Vitest runs them in parallel): generators of attributes, values and schema edits,
 * and the helpers that read a schema back from the database.
 *
 * Harness: each database property gets ONE migrated PGlite (server schema) from `suiteWorld()`,
 * made in beforeAll and closed in afterAll, driven through `world()` exactly as the server
 * applies mutations. A run isolates itself by making fresh users (so fresh default libraries)
 * and fresh ids with newId(), and only ever reads rows scoped to those users and libraries, so
 * runs never see each other. Every assertion is on rows read back from the database (or, for
 * the pure laws, on the functions' results). Each property runs under a fixed seed and counts
 * what its runs reached, failing if the generators stop reaching it.
 */
import { asc, inArray } from 'drizzle-orm'
import fc from 'fast-check'
import { afterAll, beforeAll } from 'vitest'
import * as s from '@/db/schema'
import { attributeTypes, type AttributeType } from '@/db/schema'
import { testPglite } from '@/db/testing/pglite'
import type { Db } from '@/db/types'
import type { EntryTree } from '../equality'
import { newId } from '../ids'
import type { AttributeInput } from '../mutators/attributes'
import type { EntryInput } from '../mutators/entries'
import { world, type World } from '../testing/world'
import type { Value } from '../values'

export const words = ['Load', 'Reps', 'Time', 'Distance', 'RPE', 'Notes', 'Grip', 'Tempo', 'Side', 'Felt good']
export const nameArb = fc.tuple(fc.constantFrom(...words), fc.nat(99)).map(([w, n]) => `${w} ${n}`)
export const typeArb = fc.constantFrom(...attributeTypes)

/** An attribute to create or append; its ids are made when it is used. */
export type NewAttr = { name: string; type: AttributeType; required: boolean; retired: boolean; options: string[] }
export const newAttrArb = (opts: { required?: boolean } = {}): fc.Arbitrary<NewAttr> =>
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

export function attributeInput(a: NewAttr): AttributeInput {
  return {
    id: newId(),
    name: a.name,
    type: a.type,
    required: a.required,
    retired: a.retired,
    ...(a.type === 'choice' ? { options: a.options.map((label) => ({ id: newId(), label })) } : {}),
  }
}

/**
 * Raw material for one value; `valueFor` picks what fits the attribute's type. Numbers stay
 * within every type's plausible bound (domain/bounds.ts: 0 to 1000 fits them all; the generated
 * names, "RPE 12", are never an RPE's), since a value past it is refused, not stored.
 */
export type ValueSeed = { include: boolean; num: number; nonneg: number; int: number; text: string; bool: boolean; choice: number }
export const valueSeedArb: fc.Arbitrary<ValueSeed> = fc.record({
  include: fc.boolean(),
  num: fc.double({ min: 0, max: 1000, noNaN: true }),
  nonneg: fc.double({ min: 0, max: 1000, noNaN: true }),
  int: fc.integer({ min: 0, max: 1000 }),
  text: fc.string({ unit: 'grapheme', maxLength: 12 }),
  bool: fc.boolean(),
  choice: fc.nat(),
})

export function valueFor(type: AttributeType, seed: ValueSeed, optionIds: string[]): Value | undefined {
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

export type AttrRow = typeof s.attributes.$inferSelect
export type OptionRow = typeof s.attributeOptions.$inferSelect

/** An activity's attributes by ordinal, and their options by attribute and ordinal. */
export async function schemaRows(db: Db, activityIds: string[]): Promise<{ attrs: AttrRow[]; opts: OptionRow[] }> {
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
export function asInputs(attrs: AttrRow[], opts: OptionRow[]): AttributeInput[] {
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

/**
 * Values for one entry node of `activityId`: every required live attribute, and others by chance,
 * but at least one where the activity has any (logEntry refuses a set with nothing filled in).
 */
export function valuesFor(activityId: string, attrs: AttrRow[], opts: OptionRow[], seeds: ValueSeed[]): Record<string, Value> {
  const values: Record<string, Value> = {}
  const own = attrs.filter((a) => a.activityId === activityId)
  const none = own.every((a, i) => !seeds[i % seeds.length]!.include && !(a.required && a.retiredAt === null))
  own.forEach((a, i) => {
    const seed = seeds[i % seeds.length]!
    if (!seed.include && !(a.required && a.retiredAt === null) && !(none && i === 0)) return
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
export function entryFromTree(
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
  // logEntry refuses an entry with nothing filled in: a node left without values or entries gets a note.
  const filled = (e: EntryInput): EntryInput => {
    const children = e.children?.map(filled) ?? []
    const empty = Object.keys(e.values ?? {}).length === 0 && children.length === 0
    return { ...e, children, ...(empty ? { notes: 'nothing measured' } : {}) }
  }
  return filled(build(tree, performedAt))
}

/** Generous: a loaded 2-core machine runs these several times slower than an idle one. */
export const PROPERTY_TIMEOUT = 180_000

export const base = Date.parse('2026-01-05T06:00:00.000Z')
export const iso = (ms: number) => new Date(ms).toISOString()

export async function openWorld(): Promise<World> {
  return world({ ...(await testPglite('server')), runtime: 'server' })
}

/**
 * The one world of the describe block this is called in: opened by `openWorld()` in its
 * beforeAll and closed in its afterAll. What it returns forwards to that world, so a suite can
 * hold it before the world is open.
 */
export function suiteWorld(): World {
  let current: World | undefined
  beforeAll(async () => {
    current = await openWorld()
  })
  afterAll(async () => {
    await current?.close()
  })
  const open = () => {
    if (!current) throw new Error('The suite world is used outside its tests.')
    return current
  }
  return {
    get db() {
      return open().db
    },
    get runtime() {
      return open().runtime
    },
    close: () => open().close(),
    user: (name) => open().user(name),
    run: (userId, name, args) => open().run(userId, name, args),
    ok: (userId, name, args) => open().ok(userId, name, args),
  }
}

// Edits of an attribute list (the append-only property proposes them; the copy property makes clean ones).

export type CleanAction =
  | { kind: 'keep' }
  | { kind: 'rename'; name: string }
  | { kind: 'retire'; retired: boolean }
  | { kind: 'require'; required: boolean }
  | { kind: 'appendOptions'; labels: string[] }
export type BreakingAction =
  | { kind: 'remove'; at: number }
  | { kind: 'move'; from: number; to: number }
  | { kind: 'retype'; at: number; type: AttributeType }
  | { kind: 'dropOption'; at: number; option: number }
  | { kind: 'moveOption'; at: number; from: number; to: number }
export type SetAttributesStep = { kind: 'setAttributes'; clean: CleanAction[]; breaking: BreakingAction | null; append: NewAttr[] }

export const cleanActionArb: fc.Arbitrary<CleanAction> = fc.oneof(
  { weight: 4, arbitrary: fc.constant({ kind: 'keep' as const }) },
  { weight: 2, arbitrary: nameArb.map((name) => ({ kind: 'rename' as const, name })) },
  { weight: 2, arbitrary: fc.boolean().map((retired) => ({ kind: 'retire' as const, retired })) },
  { weight: 1, arbitrary: fc.boolean().map((required) => ({ kind: 'require' as const, required })) },
  { weight: 2, arbitrary: fc.array(nameArb, { minLength: 1, maxLength: 2 }).map((labels) => ({ kind: 'appendOptions' as const, labels })) },
)
export const breakingActionArb: fc.Arbitrary<BreakingAction> = fc.oneof(
  fc.record({ kind: fc.constant('remove' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('move' as const), from: fc.nat(), to: fc.nat() }),
  fc.record({ kind: fc.constant('retype' as const), at: fc.nat(), type: typeArb }),
  fc.record({ kind: fc.constant('dropOption' as const), at: fc.nat(), option: fc.nat() }),
  fc.record({ kind: fc.constant('moveOption' as const), at: fc.nat(), from: fc.nat(), to: fc.nat() }),
)

/** Applies the generated actions to the current list; the result may break the append-only rule. */
export function propose(current: AttributeInput[], step: SetAttributesStep): AttributeInput[] {
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

export const repeatArb = fc.integer({ min: 1, max: 3 })
