/**
 * Creating, renaming and hiding activities, and their rest between sets (their attributes and
 * templates have their own files).
 */
import { and, eq, isNull } from 'drizzle-orm'
import { z } from 'zod'
import { activities, activityKinds, sequenceItems } from '@/db/schema'
import { requireLibrary } from '../access'
import { MutationError } from '../errors'
import { MAX_REST_SECONDS } from '../rest'
import { requireActivity, uniqueIds } from './activity-common'
import { attributeInputSchema, insertAttributes, MAX_ATTRIBUTES } from './attributes'
import { defineMutator, descriptionSchema, idSchema, nameSchema } from './define'
import { MAX_ITEMS, templateItemSchema, writeTemplate } from './templates'

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
      await writeTemplate(ctx, activity!, args.items ?? [], { initial: true })
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

/** Whole seconds from 0 to an hour, or null for the app's default (`domain/rest.ts`). */
export const restSecondsSchema = z
  .number('must be a number of seconds, or null for the default')
  .int('must be whole seconds')
  .min(0, 'must not be negative')
  .max(MAX_REST_SECONDS, `must be at most ${MAX_REST_SECONDS} (one hour)`)
  .nullable()

/**
 * Sets the rest the workout timer starts after a set of the activity (for a superset block,
 * after a round); null goes back to the default. It sets that field only, so it claims only
 * that field (sync/SPEC.md B14). Who may rename the activity may change its rest.
 */
export const setActivityRest = defineMutator(
  'setActivityRest',
  z.object({ activityId: idSchema, restSeconds: restSecondsSchema }),
  async (ctx, args) => {
    const { activity } = await requireActivity(ctx, args.activityId, 'edit')
    await ctx.tx.update(activities).set({ restSeconds: args.restSeconds, updatedAt: ctx.now }).where(eq(activities.id, activity.id))
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
