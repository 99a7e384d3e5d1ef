/**
 * Imports (`db/schema/imports.ts`): a file's history written as ordinary mutations, so an import
 * made offline syncs later like anything else logged. `startImport` records the import;
 * `importWorkouts` writes a batch of its workouts, each an entry tree with its provenance, and
 * skips a workout whose key this user already has (a re-import of the same file, or the same
 * file imported on two devices); `undoImport` deletes the entries the import wrote, a batch of
 * workouts a call, and nothing else.
 */
import { and, eq, isNull, sql } from 'drizzle-orm'
import { z } from 'zod'
import { entries, imports, importSources } from '@/db/schema'
import { importedKeys } from '@/db/queries/imports'
import { rows } from '@/db/rows'
import { MutationError, notFound } from '../errors'
import { defineMutator, idSchema, textSchema, type MutationContext } from './define'
import { deleteEntryTrees, entryInputSchema, flatten, insertEntryTrees, MAX_ENTRY_NODES } from './entries'

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
    await ctx.tx.insert(imports).values({
      id: args.id,
      userId: ctx.userId,
      source: args.source,
      fileName: args.fileName,
      fileRows: args.fileRows,
      createdAt: ctx.now,
    })
  },
)

/**
 * The caller's import, its row locked, then the per-user import lock (SPEC I2): a batch and an
 * undo of one import run one after the other (an undo cannot miss a batch committing beside it),
 * and so do key checks and writes across imports. Always in this order, so they cannot deadlock.
 */
async function lockOwnImport(ctx: MutationContext, importId: string) {
  const [found] = await ctx.tx.select().from(imports).where(eq(imports.id, importId)).for('update')
  if (!found || found.userId !== ctx.userId) throw notFound('The import')
  await rows(ctx.tx, sql`select pg_advisory_xact_lock(hashtext(${'cadence-import:' + ctx.userId}))`)
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
    const found = await lockOwnImport(ctx, args.importId)
    if (found.undoneAt) throw new MutationError('conflict', 'This import was undone; import the file again to bring its workouts back.')
    const nodes = args.workouts.reduce((n, w) => n + flatten(w.entry).length, 0)
    if (nodes > MAX_IMPORT_BATCH_NODES) {
      throw new MutationError('invalid_args', `A batch of imported workouts may hold at most ${MAX_IMPORT_BATCH_NODES} entries.`)
    }
    const skip = await importedKeys(
      ctx.tx,
      ctx.userId,
      args.workouts.map((w) => w.key),
    )
    const trees = args.workouts.filter((w) => !skip.has(w.key) && skip.add(w.key))
    await insertEntryTrees(
      ctx,
      trees.map((w) => ({ entry: w.entry, provenance: { importId: args.importId, key: w.key, rows: w.rows } })),
    )
  },
)

/** Workouts one `undoImport` deletes: a transaction, and the pull that carries it, stay small (SPEC I3, R2). */
export const UNDO_BATCH_WORKOUTS = 20

/**
 * Marks the import undone and deletes a batch of the workouts it wrote, each with its values,
 * tags and photo links (`deleteEntryTrees`); the page calls it again until none is left. Activities it created stay: other entries may use
 * them by now, and they cost nothing.
 */
export const undoImport = defineMutator('undoImport', z.object({ importId: idSchema }), async (ctx, args) => {
  const found = await lockOwnImport(ctx, args.importId)
  if (!found.undoneAt) await ctx.tx.update(imports).set({ undoneAt: ctx.now }).where(eq(imports.id, args.importId))
  const roots = await ctx.tx
    .select({ id: entries.id })
    .from(entries)
    .where(and(eq(entries.importId, args.importId), eq(entries.userId, ctx.userId), isNull(entries.parentId)))
    .orderBy(entries.performedAt, entries.id)
    .limit(UNDO_BATCH_WORKOUTS)
  await deleteEntryTrees(
    ctx.tx,
    roots.map((r) => r.id),
  )
})
