/** Duplicate-on-add: an activity joins another library as a copy, never as a shared row. */
import { asc, inArray } from 'drizzle-orm'
import { z } from 'zod'
import { activities, attributeOptions, attributes, libraries, sequenceItems, templateVersions } from '@/db/schema'
import { requireLibrary } from '../access'
import { deriveId, requireActivity, type ActivityRow } from './activity-common'
import { optionsOf } from './attributes'
import { defineMutator, idSchema } from './define'
import { templateVersionId } from './templates'

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
    const opts = await optionsOf(
      ctx.tx,
      attrs.map((a) => a.id),
    )
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
        restSeconds: a.restSeconds,
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
      await ctx.tx.insert(attributes).values(
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
