/**
 * Imports (`db/schema/imports.ts`): a file's history written as ordinary mutations, so an import
 * made offline syncs later like anything else logged. `startImport` records the import;
 * `importWorkouts` writes a batch of its workouts, each an entry tree with its provenance, and
 * skips a workout whose key this user already has (a re-import of the same file, or the same
 * file imported on two devices); `undoImport` deletes every entry the import wrote and nothing
 * else.
 */
import { and, eq, inArray, isNotNull, sql } from 'drizzle-orm'
import { z } from 'zod'
import { entries, entryMedia, entryTags, entryValues, imports, importSources } from '@/db/schema'
import { rows } from '@/db/rows'
import { MutationError, notFound } from '../errors'
import { defineMutator, idSchema, textSchema, type MutationContext } from './define'
import { entryInputSchema, flatten, insertEntryTree, MAX_ENTRY_NODES } from './entries'

/** Workouts in one `importWorkouts` batch, and entries across them (one push stays small: SPEC B5). */
export const MAX_IMPORT_WORKOUTS = 200
export const MAX_IMPORT_BATCH_NODES = MAX_ENTRY_NODES

const keySchema = textSchema().min(1, 'must not be empty').max(500, 'must be at most 500 characters')

export const startImport = defineMutator(
  'startImport',
  z.object({
    id: idSchema,
    source: z.enum(importSources, `must be one of ${importSources.join(', ')}`),
    fileName: textSchema().trim().min(1, 'must not be blank').max(255, 'must be at most 255 characters'),
    fileRows: z.number().int().min(0).max(10_000_000),
  }),
  async (ctx, args) => {
    const [same] = await ctx.tx.select({ id: imports.id }).from(imports).where(eq(imports.id, args.id))
    if (same) throw new MutationError('conflict', `An import with id ${args.id} exists already.`)
    await ctx.tx
      .insert(imports)
      .values({
        id: args.id,
        userId: ctx.userId,
        source: args.source,
        fileName: args.fileName,
        fileRows: args.fileRows,
        createdAt: ctx.now,
      })
  },
)

async function requireOwnImport(ctx: MutationContext, importId: string) {
  const [found] = await ctx.tx.select().from(imports).where(eq(imports.id, importId))
  if (!found || found.userId !== ctx.userId) throw notFound('The import')
  return found
}

export const importWorkouts = defineMutator(
  'importWorkouts',
  z.object({
    importId: idSchema,
    workouts: z
      .array(
        z.object({
          key: keySchema,
          entry: entryInputSchema,
          /** The file's row of each entry of the tree, in tree order (a node before its children). */
          rows: z.array(z.number().int().min(1)).max(MAX_ENTRY_NODES),
        }),
      )
      .min(1, 'must hold at least one workout')
      .max(MAX_IMPORT_WORKOUTS, `must hold at most ${MAX_IMPORT_WORKOUTS} workouts`),
  }),
  async (ctx, args) => {
    const found = await requireOwnImport(ctx, args.importId)
    if (found.undoneAt) throw new MutationError('conflict', 'This import was undone; import the file again to bring its workouts back.')
    const nodes = args.workouts.reduce((n, w) => n + flatten(w.entry).length, 0)
    if (nodes > MAX_IMPORT_BATCH_NODES) {
      throw new MutationError('invalid_args', `A batch of imported workouts may hold at most ${MAX_IMPORT_BATCH_NODES} entries.`)
    }
    // Two devices importing the same file at once must not both find a key missing and both write
    // it: the check and the write run under a lock per user (released at commit; SPEC I2).
    await rows(ctx.tx, sql`select pg_advisory_xact_lock(hashtext(${'cadence-import:' + ctx.userId}))`)
    const keys = [...new Set(args.workouts.map((w) => w.key))]
    const had = await ctx.tx
      .select({ key: entries.importKey })
      .from(entries)
      .where(and(eq(entries.userId, ctx.userId), isNotNull(entries.importKey), inArray(entries.importKey, keys)))
    const skip = new Set(had.map((h) => h.key))
    for (const workout of args.workouts) {
      if (skip.has(workout.key)) continue
      skip.add(workout.key)
      await insertEntryTree(ctx, workout.entry, { importId: args.importId, key: workout.key, rows: workout.rows })
    }
  },
)

/**
 * Deletes every entry the import wrote, with their values, tags and photo links (explicitly, not
 * by cascade: the device's schema has no foreign keys), and marks the import undone. Activities
 * it created stay: other entries may use them by now, and they cost nothing.
 */
export const undoImport = defineMutator('undoImport', z.object({ importId: idSchema }), async (ctx, args) => {
  const found = await requireOwnImport(ctx, args.importId)
  if (found.undoneAt) return
  const ids = (
    await rows<{ id: string }>(
      ctx.tx,
      sql`with recursive subtree(id, depth) as (
            select id, 0 from entries where import_id = ${args.importId} and user_id = ${ctx.userId} and parent_id is null
            union all
            select e.id, s.depth + 1 from entries e join subtree s on e.parent_id = s.id
          )
          select id from subtree order by depth desc`,
    )
  ).map((r) => r.id)
  for (let i = 0; i < ids.length; i += 1000) {
    const chunk = ids.slice(i, i + 1000)
    await ctx.tx.delete(entryValues).where(inArray(entryValues.entryId, chunk))
    await ctx.tx.delete(entryTags).where(inArray(entryTags.entryId, chunk))
    await ctx.tx.delete(entryMedia).where(inArray(entryMedia.entryId, chunk))
  }
  // Deepest first, so no child outlives its parent even for a moment.
  for (let i = 0; i < ids.length; i += 1000) await ctx.tx.delete(entries).where(inArray(entries.id, ids.slice(i, i + 1000)))
  await ctx.tx.update(imports).set({ undoneAt: ctx.now }).where(eq(imports.id, args.importId))
})
