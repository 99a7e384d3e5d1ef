/**
 * An activity's attributes and the options of its choice attributes, append-only: entries
 * logged with an attribute must keep their values readable, so existing ones are renamed or
 * retired, never removed, re-ordered or re-typed (on the server a trigger holds the same rule).
 */
import { asc, eq, inArray } from 'drizzle-orm'
import { z } from 'zod'
import { attributeOptions, attributes, attributeTypes, canonicalUnits } from '@/db/schema'
import type { Tx } from '@/db/types'
import { MutationError, notFound } from '../errors'
import { requireActivity, uniqueIds, type ActivityRow } from './activity-common'
import { defineMutator, idSchema, nameSchema, type MutationContext } from './define'

export const MAX_ATTRIBUTES = 64
const MAX_OPTIONS = 200

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

type AttributeRow = typeof attributes.$inferSelect

async function currentAttributes(tx: Tx, activityId: string): Promise<AttributeRow[]> {
  return tx.select().from(attributes).where(eq(attributes.activityId, activityId)).orderBy(asc(attributes.ordinal))
}

/** The choice rows of the attributes `attributeIds`, in their ordinal order; none for no ids. */
export async function optionsOf(tx: Tx, attributeIds: string[]): Promise<(typeof attributeOptions.$inferSelect)[]> {
  if (attributeIds.length === 0) return []
  return tx
    .select()
    .from(attributeOptions)
    .where(inArray(attributeOptions.attributeId, attributeIds))
    .orderBy(asc(attributeOptions.ordinal))
}

const retireAdvice = 'Retire it instead: it is then hidden for new entries and still shown for old ones.'

/** Inserts `inputs` with their choices, numbered from `firstOrdinal`. */
export async function insertAttributes(ctx: MutationContext, activity: ActivityRow, inputs: AttributeInput[], firstOrdinal: number) {
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
    const options = await optionsOf(
      ctx.tx,
      current.map((a) => a.id),
    )
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
