/**
 * Photos on entries (sync/SPEC.md M5): the metadata a device writes when the user attaches,
 * removes or reorders a photo. The bytes are not in any mutation; they follow by upload (M7).
 */
import { and, asc, eq, inArray, notExists, sql } from 'drizzle-orm'
import { z } from 'zod'
import { entries, entryMedia, media } from '@/db/schema'
import type { Tx } from '@/db/types'
import { MAX_MEDIA_BYTES, MAX_PHOTOS_PER_ENTRY, mediaTypes, sha256Pattern } from '../media'
import { MutationError, notFound } from '../errors'
import { defineMutator, idSchema, type MutationContext } from './define'

const shaSchema = z.string().regex(sha256Pattern, 'must be a SHA-256 in 64 lower-case hex digits')
const pixelsSchema = z.number().int().min(1, 'must be at least 1 pixel').max(100_000, 'must be at most 100000 pixels')

export const photoSchema = z.object({
  id: idSchema,
  sha256: shaSchema,
  thumbSha256: shaSchema.optional(),
  mimeType: z.enum(mediaTypes, `must be one of ${mediaTypes.join(', ')}`),
  byteSize: z.number().int().min(1, 'must be at least 1 byte').max(MAX_MEDIA_BYTES, `must be at most ${MAX_MEDIA_BYTES} bytes`),
  width: pixelsSchema.optional(),
  height: pixelsSchema.optional(),
})
export type PhotoInput = z.input<typeof photoSchema>

/**
 * The caller's entry, locked: two devices attaching to one entry at once take turns, so the
 * photo limit and the order see each other's links (P7).
 */
async function requireOwnEntry(ctx: MutationContext, entryId: string) {
  const [entry] = await ctx.tx.select({ id: entries.id, userId: entries.userId }).from(entries).where(eq(entries.id, entryId)).for('update')
  if (!entry || entry.userId !== ctx.userId) throw notFound('The entry')
  return entry
}

/** An entry's photo links, in their order (ties by when they were made, then id). */
async function linksOf(tx: Tx, entryId: string) {
  return tx
    .select()
    .from(entryMedia)
    .where(eq(entryMedia.entryId, entryId))
    .orderBy(asc(entryMedia.ordinal), asc(entryMedia.createdAt), asc(entryMedia.mediaId))
}

/**
 * Attaches a new photo to an entry of the caller's, after its others. The photo's metadata is
 * the whole argument; `uploadedAt` stays null until the server holds its bytes (M8).
 */
export const attachMedia = defineMutator('attachMedia', z.object({ entryId: idSchema, photo: photoSchema }), async (ctx, args) => {
  await requireOwnEntry(ctx, args.entryId)
  const links = await linksOf(ctx.tx, args.entryId)
  if (links.length >= MAX_PHOTOS_PER_ENTRY) {
    throw new MutationError('invalid_args', `An entry may hold at most ${MAX_PHOTOS_PER_ENTRY} photos; remove one first.`)
  }
  const [taken] = await ctx.tx.select({ id: media.id }).from(media).where(eq(media.id, args.photo.id))
  if (taken) throw new MutationError('conflict', `A photo with id ${args.photo.id} exists already.`)
  const { photo } = args
  await ctx.tx.insert(media).values({
    id: photo.id,
    userId: ctx.userId,
    sha256: photo.sha256,
    thumbSha256: photo.thumbSha256 ?? null,
    mimeType: photo.mimeType,
    byteSize: photo.byteSize,
    width: photo.width ?? null,
    height: photo.height ?? null,
    createdAt: ctx.now,
  })
  const ordinal = links.reduce((max, l) => Math.max(max, l.ordinal + 1), 0)
  await ctx.tx.insert(entryMedia).values({ entryId: args.entryId, mediaId: photo.id, userId: ctx.userId, ordinal, createdAt: ctx.now })
})

/** Removes a photo from an entry; the photo itself goes with its last link (M12). */
export const detachMedia = defineMutator('detachMedia', z.object({ entryId: idSchema, mediaId: idSchema }), async (ctx, args) => {
  await requireOwnEntry(ctx, args.entryId)
  const removed = await ctx.tx
    .delete(entryMedia)
    .where(and(eq(entryMedia.entryId, args.entryId), eq(entryMedia.mediaId, args.mediaId)))
    .returning({ mediaId: entryMedia.mediaId })
  if (removed.length === 0) throw notFound('The photo')
  await deleteUnlinkedMedia(ctx.tx, [args.mediaId])
})

/**
 * Puts an entry's photos in the order given: the user's intent is that order (B14), so photos
 * it does not name (attached meanwhile on another device) keep their order after them.
 */
export const reorderMedia = defineMutator(
  'reorderMedia',
  z.object({ entryId: idSchema, mediaIds: z.array(idSchema).min(1).max(MAX_PHOTOS_PER_ENTRY) }),
  async (ctx, args) => {
    await requireOwnEntry(ctx, args.entryId)
    if (new Set(args.mediaIds).size !== args.mediaIds.length) {
      throw new MutationError('invalid_args', 'The same photo appears twice in the new order.')
    }
    const links = await linksOf(ctx.tx, args.entryId)
    const linked = new Set(links.map((l) => l.mediaId))
    const named = args.mediaIds.filter((id) => linked.has(id))
    if (named.length === 0) throw notFound('The photo')
    const rest = links.map((l) => l.mediaId).filter((id) => !named.includes(id))
    const order = [...named, ...rest]
    for (const [ordinal, mediaId] of order.entries()) {
      const link = links.find((l) => l.mediaId === mediaId)!
      if (link.ordinal === ordinal) continue
      await ctx.tx
        .update(entryMedia)
        .set({ ordinal })
        .where(and(eq(entryMedia.entryId, args.entryId), eq(entryMedia.mediaId, mediaId)))
    }
  },
)

/**
 * Deletes those photos no entry links any more: a photo goes with its last reference (an entry
 * deleted, a photo removed), in both runtimes alike (the device has no cascades, D1).
 */
export async function deleteUnlinkedMedia(tx: Tx, mediaIds: readonly string[]) {
  if (mediaIds.length === 0) return
  await tx.delete(media).where(
    and(
      inArray(media.id, [...mediaIds]),
      notExists(
        tx
          .select({ one: sql`1` })
          .from(entryMedia)
          .where(eq(entryMedia.mediaId, media.id)),
      ),
    ),
  )
}
