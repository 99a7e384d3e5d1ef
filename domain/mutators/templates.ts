/**
 * A sequence's template: its ordered children, each repeated, and a version bumped whenever the
 * structure changes (entries record the version they were logged with).
 */
import { and, asc, eq, inArray } from 'drizzle-orm'
import { z } from 'zod'
import { activities, sequenceItems, templateVersions, type TemplateStructure } from '@/db/schema'
import type { Tx } from '@/db/types'
import { MutationError, notFound } from '../errors'
import { deriveId, requireActivity, uniqueIds, type ActivityRow } from './activity-common'
import { defineMutator, idSchema, type MutationContext } from './define'

export const MAX_ITEMS = 200

export const templateItemSchema = z.object({
  id: idSchema,
  childId: idSchema,
  repeat: z.number().int().min(1, 'must be at least 1').max(100, 'must be at most 100').default(1),
})
export type TemplateItemInput = z.input<typeof templateItemSchema>

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
export async function writeTemplate(ctx: MutationContext, activity: ActivityRow, items: TemplateItem[], { initial = false } = {}) {
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
export function templateVersionId(activityId: string, version: number): string {
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
