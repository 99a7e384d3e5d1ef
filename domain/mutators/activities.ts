import { and, asc, eq, inArray, isNull } from 'drizzle-orm'
import { v5 as uuidv5 } from 'uuid'
import { z } from 'zod'
import {
  activities,
  activityKinds,
  attributeOptions,
  attributes,
  attributeTypes,
  canonicalUnits,
  libraries,
  sequenceItems,
  templateVersions,
  type TemplateStructure,
} from '@/db/schema'
import type { Tx } from '@/db/types'
import { requireLibrary, type Need } from '../access'
import { MutationError, notFound } from '../errors'
import { defineMutator, descriptionSchema, idSchema, nameSchema, type MutationContext } from './define'

const MAX_ATTRIBUTES = 64
const MAX_OPTIONS = 200
const MAX_ITEMS = 200

const optionInputSchema = z.object({ id: idSchema, label: nameSchema, retired: z.boolean().optional() })

export const attributeInputSchema = z
  .object({
    id: idSchema,
    name: nameSchema,
    type: z.enum(attributeTypes, `must be one of ${attributeTypes.join(', ')}`),
    required: z.boolean().optional(),
    retired: z.boolean().optional(),
    options: z.array(optionInputSchema).max(MAX_OPTIONS).optional(),
  })
  .refine((a) => a.type === 'choice' || !a.options?.length, {
    message: 'only choice attributes take options',
    path: ['options'],
  })
export type AttributeInput = z.infer<typeof attributeInputSchema>

export const templateItemSchema = z.object({
  id: idSchema,
  childId: idSchema,
  repeat: z.number().int().min(1, 'must be at least 1').max(100, 'must be at most 100').default(1),
})
export type TemplateItemInput = z.input<typeof templateItemSchema>

export type ActivityRow = typeof activities.$inferSelect

/** A live activity the caller has `need` on, with its library. */
export async function requireActivity(ctx: MutationContext, activityId: string, need: Need) {
  const [activity] = await ctx.tx.select().from(activities).where(eq(activities.id, activityId))
  if (!activity || activity.deletedAt) throw notFound('The activity')
  const library = await requireLibrary(ctx.tx, ctx.userId, activity.libraryId, need)
  return { activity, library }
}

async function insertAttributes(ctx: MutationContext, activity: ActivityRow, inputs: AttributeInput[], firstOrdinal: number) {
  if (inputs.length === 0) return
  await ctx.tx.insert(attributes).values(
    inputs.map((a, i) => ({
      id: a.id,
      activityId: activity.id,
      libraryId: activity.libraryId,
      name: a.name,
      type: a.type,
      unit: canonicalUnits[a.type],
      ordinal: firstOrdinal + i,
      required: a.required ?? false,
      retiredAt: a.retired ? ctx.now : null,
      createdAt: ctx.now,
      updatedAt: ctx.now,
    })),
  )
  const options = inputs.flatMap((a) =>
    (a.options ?? []).map((o, i) => ({
      id: o.id,
      attributeId: a.id,
      libraryId: activity.libraryId,
      label: o.label,
      ordinal: i,
      retiredAt: o.retired ? ctx.now : null,
      createdAt: ctx.now,
    })),
  )
  if (options.length > 0) await ctx.tx.insert(attributeOptions).values(options)
}

function uniqueIds(ids: string[], what: string) {
  const seen = new Set<string>()
  for (const id of ids) {
    if (seen.has(id)) throw new MutationError('invalid_args', `The same id appears twice among the ${what}: ${id}.`)
    seen.add(id)
  }
}

export const createActivity = defineMutator(
  'createActivity',
  z.object({
    id: idSchema,
    libraryId: idSchema,
    name: nameSchema,
    kind: z.enum(activityKinds, 'must be scalar or sequence'),
    description: descriptionSchema.optional(),
    attributes: z.array(attributeInputSchema).max(MAX_ATTRIBUTES).default([]),
    items: z.array(templateItemSchema).max(MAX_ITEMS).optional(),
  }),
  async (ctx, args) => {
    const library = await requireLibrary(ctx.tx, ctx.userId, args.libraryId, 'edit')
    if (args.kind === 'scalar' && args.items?.length) {
      throw new MutationError('invalid_args', 'A scalar activity has no template items; make it a sequence to give it children.')
    }
    uniqueIds(
      args.attributes.map((a) => a.id),
      'attributes',
    )
    const [activity] = await ctx.tx
      .insert(activities)
      .values({
        id: args.id,
        libraryId: library.id,
        createdBy: ctx.userId,
        name: args.name,
        description: args.description ?? '',
        kind: args.kind,
        originId: args.id,
        createdAt: ctx.now,
        updatedAt: ctx.now,
      })
      .returning()
    await insertAttributes(ctx, activity!, args.attributes, 0)
    if (args.kind === 'sequence') {
      await writeTemplate(
        ctx,
        activity!,
        (args.items ?? []).map((i) => templateItemSchema.parse(i)),
        { initial: true },
      )
    }
  },
)

export const renameActivity = defineMutator(
  'renameActivity',
  z.object({ activityId: idSchema, name: nameSchema, description: descriptionSchema.optional() }),
  async (ctx, args) => {
    const { activity } = await requireActivity(ctx, args.activityId, 'edit')
    await ctx.tx
      .update(activities)
      .set({ name: args.name, ...(args.description === undefined ? {} : { description: args.description }), updatedAt: ctx.now })
      .where(eq(activities.id, activity.id))
  },
)

/**
 * Hides an activity from its library. Its rows stay, so entries logged against it (and copies
 * made from it) keep everything they point at.
 */
export const deleteActivity = defineMutator('deleteActivity', z.object({ activityId: idSchema }), async (ctx, args) => {
  const { activity } = await requireActivity(ctx, args.activityId, 'edit')
  const parents = await ctx.tx
    .selectDistinct({ name: activities.name })
    .from(sequenceItems)
    .innerJoin(activities, eq(activities.id, sequenceItems.parentId))
    .where(and(eq(sequenceItems.childId, activity.id), isNull(activities.deletedAt)))
  if (parents.length > 0) {
    throw new MutationError(
      'in_use',
      `"${activity.name}" is part of ${parents.map((p) => `"${p.name}"`).join(', ')}; remove it from ${parents.length === 1 ? 'that template' : 'those templates'} first.`,
    )
  }
  await ctx.tx.update(activities).set({ deletedAt: ctx.now, updatedAt: ctx.now }).where(eq(activities.id, activity.id))
})

// Templates ------------------------------------------------------------------------------------

type TemplateItem = z.infer<typeof templateItemSchema>

async function currentItems(tx: Tx, activityId: string): Promise<TemplateItem[]> {
  return tx
    .select({ id: sequenceItems.id, childId: sequenceItems.childId, repeat: sequenceItems.repeat })
    .from(sequenceItems)
    .where(eq(sequenceItems.parentId, activityId))
    .orderBy(asc(sequenceItems.ordinal), asc(sequenceItems.id))
}

/** True when `ancestorId` is reachable from `startId` through templates (or is it). */
async function reaches(tx: Tx, startId: string, ancestorId: string): Promise<boolean> {
  let frontier = [startId]
  const seen = new Set<string>()
  while (frontier.length > 0) {
    if (frontier.includes(ancestorId)) return true
    frontier.forEach((id) => seen.add(id))
    const next = await tx.select({ childId: sequenceItems.childId }).from(sequenceItems).where(inArray(sequenceItems.parentId, frontier))
    frontier = [...new Set(next.map((n) => n.childId))].filter((id) => !seen.has(id))
  }
  return false
}

/**
 * Replaces a sequence's children with `items` (in order) and, when the structure changed, bumps
 * its template version and records the new structure. Children must be live activities of the
 * same library, and no activity may contain itself.
 */
async function writeTemplate(ctx: MutationContext, activity: ActivityRow, items: TemplateItem[], { initial = false } = {}) {
  if (activity.kind !== 'sequence') {
    throw new MutationError('invalid_args', `"${activity.name}" is a scalar activity; only sequences have templates.`)
  }
  uniqueIds(
    items.map((i) => i.id),
    'template items',
  )
  const childIds = [...new Set(items.map((i) => i.childId))]
  const children = childIds.length ? await ctx.tx.select().from(activities).where(inArray(activities.id, childIds)) : []
  for (const childId of childIds) {
    const child = children.find((c) => c.id === childId)
    if (!child || child.deletedAt || child.libraryId !== activity.libraryId) {
      throw new MutationError('invalid_args', `Template children must be activities of the same library; ${childId} is not one.`)
    }
    if (await reaches(ctx.tx, child.id, activity.id)) {
      throw new MutationError('invalid_args', `"${child.name}" contains "${activity.name}", so it cannot also be inside it.`)
    }
  }

  const before = initial ? [] : await currentItems(ctx.tx, activity.id)
  const structure: TemplateStructure = items.map((i) => ({ childId: i.childId, repeat: i.repeat }))
  const unchanged = !initial && JSON.stringify(before.map((i) => ({ childId: i.childId, repeat: i.repeat }))) === JSON.stringify(structure)
  if (unchanged && before.map((i) => i.id).join() === items.map((i) => i.id).join()) return

  const keep = new Set(items.map((i) => i.id))
  const removed = before.filter((i) => !keep.has(i.id)).map((i) => i.id)
  if (removed.length > 0) await ctx.tx.delete(sequenceItems).where(inArray(sequenceItems.id, removed))
  const existing = new Set(before.map((i) => i.id))
  for (const [ordinal, item] of items.entries()) {
    if (existing.has(item.id)) {
      await ctx.tx
        .update(sequenceItems)
        .set({ childId: item.childId, repeat: item.repeat, ordinal })
        .where(and(eq(sequenceItems.id, item.id), eq(sequenceItems.parentId, activity.id)))
    } else {
      await ctx.tx.insert(sequenceItems).values({
        id: item.id,
        parentId: activity.id,
        childId: item.childId,
        libraryId: activity.libraryId,
        ordinal,
        repeat: item.repeat,
        createdAt: ctx.now,
      })
    }
  }
  if (unchanged) return
  const version = initial ? 1 : activity.templateVersion + 1
  if (!initial) {
    await ctx.tx.update(activities).set({ templateVersion: version, updatedAt: ctx.now }).where(eq(activities.id, activity.id))
  }
  await ctx.tx.insert(templateVersions).values({
    id: templateVersionId(activity.id, version),
    activityId: activity.id,
    libraryId: activity.libraryId,
    version,
    structure,
    createdAt: ctx.now,
  })
}

/**
 * The id of an activity's template version row, derived so the device and the server make the
 * same one when they run the same edit.
 */
function templateVersionId(activityId: string, version: number): string {
  return deriveId(activityId, `template-version:${version}`)
}

export const setTemplate = defineMutator(
  'setTemplate',
  z.object({ activityId: idSchema, items: z.array(templateItemSchema).max(MAX_ITEMS) }),
  async (ctx, args) => {
    const { activity } = await requireActivity(ctx, args.activityId, 'edit')
    await writeTemplate(ctx, activity, args.items)
  },
)

export const addTemplateItem = defineMutator(
  'addTemplateItem',
  z.object({ activityId: idSchema, item: templateItemSchema, position: z.number().int().min(0).optional() }),
  async (ctx, args) => {
    const { activity } = await requireActivity(ctx, args.activityId, 'edit')
    const items = await currentItems(ctx.tx, activity.id)
    items.splice(args.position ?? items.length, 0, args.item)
    await writeTemplate(ctx, activity, items)
  },
)

export const removeTemplateItem = defineMutator(
  'removeTemplateItem',
  z.object({ activityId: idSchema, itemId: idSchema }),
  async (ctx, args) => {
    const { activity } = await requireActivity(ctx, args.activityId, 'edit')
    const items = await currentItems(ctx.tx, activity.id)
    if (!items.some((i) => i.id === args.itemId)) throw notFound('That template item')
    await writeTemplate(
      ctx,
      activity,
      items.filter((i) => i.id !== args.itemId),
    )
  },
)

export const moveTemplateItem = defineMutator(
  'moveTemplateItem',
  z.object({ activityId: idSchema, itemId: idSchema, position: z.number().int().min(0) }),
  async (ctx, args) => {
    const { activity } = await requireActivity(ctx, args.activityId, 'edit')
    const items = await currentItems(ctx.tx, activity.id)
    const from = items.findIndex((i) => i.id === args.itemId)
    if (from < 0) throw notFound('That template item')
    const [item] = items.splice(from, 1)
    items.splice(Math.min(args.position, items.length), 0, item!)
    await writeTemplate(ctx, activity, items)
  },
)

// Attributes: append-only ------------------------------------------------------------------------

type AttributeRow = typeof attributes.$inferSelect

async function currentAttributes(tx: Tx, activityId: string): Promise<AttributeRow[]> {
  return tx.select().from(attributes).where(eq(attributes.activityId, activityId)).orderBy(asc(attributes.ordinal))
}

const retireAdvice = 'Retire it instead: it is then hidden for new entries and still shown for old ones.'

/**
 * Checks a proposed attribute list against the current one. Existing attributes must all stay,
 * in their order, with their type; they may be renamed or retired. New ones go at the end. The
 * same rule holds for the options of a choice attribute.
 */
export function checkAppendOnly(current: { id: string; name: string; type: string }[], proposed: AttributeInput[]) {
  for (const [i, attribute] of current.entries()) {
    const at = proposed.findIndex((p) => p.id === attribute.id)
    if (at < 0) {
      throw new MutationError(
        'append_only',
        `Attribute "${attribute.name}" cannot be removed: entries logged with it must keep their values. ${retireAdvice}`,
      )
    }
    if (at !== i) {
      throw new MutationError(
        'append_only',
        `Attribute "${attribute.name}" cannot move from position ${i + 1} to ${at + 1}: attributes keep their order so old values stay readable. Append new attributes at the end.`,
      )
    }
    const next = proposed[at]!
    if (next.type !== attribute.type) {
      throw new MutationError(
        'append_only',
        `Attribute "${attribute.name}" cannot change type from ${attribute.type} to ${next.type}: values already logged would no longer make sense. ${retireAdvice} Then append a new ${next.type} attribute.`,
      )
    }
  }
}

function checkOptionsAppendOnly(attributeName: string, current: { id: string; label: string }[], proposed: { id: string }[]) {
  for (const [i, option] of current.entries()) {
    const at = proposed.findIndex((p) => p.id === option.id)
    if (at < 0) {
      throw new MutationError(
        'append_only',
        `Choice "${option.label}" of "${attributeName}" cannot be removed: entries may have chosen it. Retire it instead.`,
      )
    }
    if (at !== i) {
      throw new MutationError('append_only', `Choice "${option.label}" of "${attributeName}" cannot move: choices keep their order.`)
    }
  }
}

/**
 * Edits an activity's whole attribute list in one go, as an editor form would submit it:
 * renames, retirements and appended attributes and choices apply; removing, re-ordering or
 * re-typing an existing one is refused with the reason and what to do instead.
 */
export const setAttributes = defineMutator(
  'setAttributes',
  z.object({ activityId: idSchema, attributes: z.array(attributeInputSchema).max(MAX_ATTRIBUTES) }),
  async (ctx, args) => {
    const { activity } = await requireActivity(ctx, args.activityId, 'edit')
    uniqueIds(
      args.attributes.map((a) => a.id),
      'attributes',
    )
    const current = await currentAttributes(ctx.tx, activity.id)
    checkAppendOnly(current, args.attributes)
    const options = current.length
      ? await ctx.tx
          .select()
          .from(attributeOptions)
          .where(
            inArray(
              attributeOptions.attributeId,
              current.map((a) => a.id),
            ),
          )
          .orderBy(asc(attributeOptions.ordinal))
      : []
    for (const [i, existing] of current.entries()) {
      const next = args.attributes[i]!
      const retiredAt = next.retired ? (existing.retiredAt ?? ctx.now) : null
      if (
        next.name !== existing.name ||
        (retiredAt === null) !== (existing.retiredAt === null) ||
        (next.required ?? existing.required) !== existing.required
      ) {
        await ctx.tx
          .update(attributes)
          .set({ name: next.name, retiredAt, required: next.required ?? existing.required, updatedAt: ctx.now })
          .where(eq(attributes.id, existing.id))
      }
      if (existing.type !== 'choice') continue
      const own = options.filter((o) => o.attributeId === existing.id)
      const proposed = next.options ?? own.map((o) => ({ id: o.id, label: o.label, retired: o.retiredAt !== null }))
      checkOptionsAppendOnly(existing.name, own, proposed)
      uniqueIds(
        proposed.map((o) => o.id),
        `choices of "${existing.name}"`,
      )
      for (const [j, option] of proposed.entries()) {
        const old = own[j]
        if (!old) {
          await ctx.tx.insert(attributeOptions).values({
            id: option.id,
            attributeId: existing.id,
            libraryId: activity.libraryId,
            label: option.label,
            ordinal: j,
            retiredAt: option.retired ? ctx.now : null,
            createdAt: ctx.now,
          })
        } else if (old.label !== option.label || (old.retiredAt !== null) !== Boolean(option.retired)) {
          await ctx.tx
            .update(attributeOptions)
            .set({ label: option.label, retiredAt: option.retired ? (old.retiredAt ?? ctx.now) : null })
            .where(eq(attributeOptions.id, old.id))
        }
      }
    }
    await insertAttributes(ctx, activity, args.attributes.slice(current.length), current.length)
  },
)

export const appendAttribute = defineMutator(
  'appendAttribute',
  z.object({ activityId: idSchema, attribute: attributeInputSchema }),
  async (ctx, args) => {
    const { activity } = await requireActivity(ctx, args.activityId, 'edit')
    const current = await currentAttributes(ctx.tx, activity.id)
    if (current.some((a) => a.id === args.attribute.id)) throw new MutationError('conflict', 'An attribute with this id exists already.')
    await insertAttributes(ctx, activity, [args.attribute], current.length)
  },
)

async function requireAttribute(ctx: MutationContext, attributeId: string) {
  const [attribute] = await ctx.tx.select().from(attributes).where(eq(attributes.id, attributeId))
  if (!attribute) throw notFound('The attribute')
  const { activity } = await requireActivity(ctx, attribute.activityId, 'edit')
  return { attribute, activity }
}

export const appendChoiceOption = defineMutator(
  'appendChoiceOption',
  z.object({ attributeId: idSchema, option: optionInputSchema }),
  async (ctx, args) => {
    const { attribute, activity } = await requireAttribute(ctx, args.attributeId)
    if (attribute.type !== 'choice') {
      throw new MutationError('invalid_args', `"${attribute.name}" is a ${attribute.type} attribute; only choice attributes have options.`)
    }
    const own = await ctx.tx
      .select({ ordinal: attributeOptions.ordinal })
      .from(attributeOptions)
      .where(eq(attributeOptions.attributeId, attribute.id))
    await ctx.tx.insert(attributeOptions).values({
      id: args.option.id,
      attributeId: attribute.id,
      libraryId: activity.libraryId,
      label: args.option.label,
      ordinal: own.length,
      retiredAt: args.option.retired ? ctx.now : null,
      createdAt: ctx.now,
    })
  },
)

export const renameAttribute = defineMutator(
  'renameAttribute',
  z.object({ attributeId: idSchema, name: nameSchema }),
  async (ctx, args) => {
    const { attribute } = await requireAttribute(ctx, args.attributeId)
    await ctx.tx.update(attributes).set({ name: args.name, updatedAt: ctx.now }).where(eq(attributes.id, attribute.id))
  },
)

export const retireAttribute = defineMutator(
  'retireAttribute',
  z.object({ attributeId: idSchema, retired: z.boolean().default(true) }),
  async (ctx, args) => {
    const { attribute } = await requireAttribute(ctx, args.attributeId)
    const retiredAt = args.retired ? (attribute.retiredAt ?? ctx.now) : null
    await ctx.tx.update(attributes).set({ retiredAt, updatedAt: ctx.now }).where(eq(attributes.id, attribute.id))
  },
)

// Duplicate-on-add -------------------------------------------------------------------------------

/**
 * An id derived from another id and a label: the device and the server compute the same one,
 * so a mutation that makes many rows (a deep copy) needs only one id in its arguments.
 */
export function deriveId(namespaceId: string, label: string): string {
  return uuidv5(label, namespaceId)
}

/**
 * Adds someone else's (or one's own) activity to a library the caller owns by copying it: the
 * activity, its attributes and choices and, for a sequence, its whole template tree of child
 * activities. Each copy records where it came from; the original can change or vanish later
 * without touching the copy or anything logged against it.
 */
export const addActivityToLibrary = defineMutator(
  'addActivityToLibrary',
  z.object({ id: idSchema, sourceActivityId: idSchema, libraryId: idSchema }),
  async (ctx, args) => {
    const { activity: source } = await requireActivity(ctx, args.sourceActivityId, 'read')
    const target = await requireLibrary(ctx.tx, ctx.userId, args.libraryId, 'own')

    // The source tree, breadth first; a child used twice is copied once.
    const tree: ActivityRow[] = [source]
    const items: (typeof sequenceItems.$inferSelect)[] = []
    for (let level = [source.id]; level.length > 0;) {
      const found = await ctx.tx.select().from(sequenceItems).where(inArray(sequenceItems.parentId, level))
      items.push(...found)
      const fresh = [...new Set(found.map((i) => i.childId))].filter((id) => !tree.some((a) => a.id === id))
      const children = fresh.length ? await ctx.tx.select().from(activities).where(inArray(activities.id, fresh)) : []
      tree.push(...children)
      level = children.map((c) => c.id)
    }
    const ids = tree.map((a) => a.id)
    const attrs = await ctx.tx.select().from(attributes).where(inArray(attributes.activityId, ids)).orderBy(asc(attributes.ordinal))
    const opts = attrs.length
      ? await ctx.tx
          .select()
          .from(attributeOptions)
          .where(
            inArray(
              attributeOptions.attributeId,
              attrs.map((a) => a.id),
            ),
          )
      : []
    const owners = await ctx.tx
      .select({ id: libraries.id, ownerId: libraries.ownerId })
      .from(libraries)
      .where(inArray(libraries.id, [...new Set(tree.map((a) => a.libraryId))]))
    const ownerOf = new Map(owners.map((o) => [o.id, o.ownerId]))

    const newIdOf = (oldId: string) => (oldId === source.id ? args.id : deriveId(args.id, oldId))
    await ctx.tx.insert(activities).values(
      tree.map((a) => ({
        id: newIdOf(a.id),
        libraryId: target.id,
        createdBy: ctx.userId,
        name: a.name,
        description: a.description,
        kind: a.kind,
        templateVersion: 1,
        copiedFromId: a.id,
        originId: a.originId,
        sourceOwnerId: ownerOf.get(a.libraryId) ?? null,
        copiedAt: ctx.now,
        createdAt: ctx.now,
        updatedAt: ctx.now,
      })),
    )
    if (attrs.length > 0) {
      await ctx.tx
        .insert(attributes)
        .values(
          attrs.map((a) => ({
            ...a,
            id: newIdOf(a.id),
            activityId: newIdOf(a.activityId),
            libraryId: target.id,
            createdAt: ctx.now,
            updatedAt: ctx.now,
          })),
        )
    }
    if (opts.length > 0) {
      await ctx.tx
        .insert(attributeOptions)
        .values(
          opts.map((o) => ({ ...o, id: newIdOf(o.id), attributeId: newIdOf(o.attributeId), libraryId: target.id, createdAt: ctx.now })),
        )
    }
    if (items.length > 0) {
      await ctx.tx.insert(sequenceItems).values(
        items.map((i) => ({
          ...i,
          id: newIdOf(i.id),
          parentId: newIdOf(i.parentId),
          childId: newIdOf(i.childId),
          libraryId: target.id,
          createdAt: ctx.now,
        })),
      )
    }
    const sequences = tree.filter((a) => a.kind === 'sequence')
    if (sequences.length > 0) {
      await ctx.tx.insert(templateVersions).values(
        sequences.map((a) => ({
          id: templateVersionId(newIdOf(a.id), 1),
          activityId: newIdOf(a.id),
          libraryId: target.id,
          version: 1,
          structure: items
            .filter((i) => i.parentId === a.id)
            .sort((x, y) => x.ordinal - y.ordinal || x.id.localeCompare(y.id))
            .map((i) => ({ childId: newIdOf(i.childId), repeat: i.repeat })),
          createdAt: ctx.now,
        })),
      )
    }
  },
)
