/**
 * What pages read about photos on entries from the device database (sync/SPEC.md M5-M12): each
 * entry's photos in order, with where their bytes are (uploaded, still uploading, refused).
 */
import { and, asc, eq, inArray } from 'drizzle-orm'
import { entryMedia, media, userSettings } from '../schema'
import { localUploads } from '../schema/local'
import type { Queryable } from '../types'

export type EntryPhoto = {
  mediaId: string
  entryId: string
  sha256: string
  thumbSha256: string | null
  width: number | null
  height: number | null
  ordinal: number
  /** The server holds the image and its thumbnail (`media.uploaded_at`, set by the server). */
  uploaded: boolean
  /** A blob of it waits in this device's upload queue (M7). */
  uploading: boolean
  /** Why the server refused a blob of it for good, or null. */
  failed: string | null
}

/**
 * The photos of the given entries, by entry id (entries without photos are absent), each list
 * in its order. The upload state comes from this device's queue (`local_uploads`): a photo is
 * uploading while a blob of it (image or thumbnail) waits there, and failed when one was refused.
 */
export async function photosOfEntries(db: Queryable, userId: string, entryIds: readonly string[]): Promise<Map<string, EntryPhoto[]>> {
  const out = new Map<string, EntryPhoto[]>()
  if (entryIds.length === 0) return out
  const found = await db
    .select({
      mediaId: media.id,
      entryId: entryMedia.entryId,
      sha256: media.sha256,
      thumbSha256: media.thumbSha256,
      width: media.width,
      height: media.height,
      ordinal: entryMedia.ordinal,
      uploadedAt: media.uploadedAt,
    })
    .from(entryMedia)
    .innerJoin(media, eq(media.id, entryMedia.mediaId))
    .where(and(inArray(entryMedia.entryId, [...new Set(entryIds)]), eq(media.userId, userId)))
    .orderBy(asc(entryMedia.entryId), asc(entryMedia.ordinal), asc(entryMedia.createdAt), asc(entryMedia.mediaId))
  if (found.length === 0) return out
  const hashes = [...new Set(found.flatMap((p) => (p.thumbSha256 ? [p.sha256, p.thumbSha256] : [p.sha256])))]
  const queued = await db
    .select({ sha256: localUploads.sha256, failedAt: localUploads.failedAt, lastError: localUploads.lastError })
    .from(localUploads)
    .where(inArray(localUploads.sha256, hashes))
  const bySha = new Map(queued.map((u) => [u.sha256, u]))
  for (const p of found) {
    const blobs = [p.sha256, p.thumbSha256].flatMap((sha) => (sha && bySha.has(sha) ? [bySha.get(sha)!] : []))
    const refused = blobs.find((u) => u.failedAt !== null)
    const photo: EntryPhoto = {
      mediaId: p.mediaId,
      entryId: p.entryId,
      sha256: p.sha256,
      thumbSha256: p.thumbSha256,
      width: p.width,
      height: p.height,
      ordinal: p.ordinal,
      uploaded: p.uploadedAt !== null,
      uploading: blobs.some((u) => u.failedAt === null),
      failed: refused ? (refused.lastError ?? 'The server refused this photo.') : null,
    }
    const list = out.get(p.entryId)
    if (list) list.push(photo)
    else out.set(p.entryId, [photo])
  }
  return out
}

/** Whether the user keeps where photos were taken (`keep_photo_location`; no row or null: no). */
export async function keepsPhotoLocation(db: Queryable, userId: string): Promise<boolean> {
  const [row] = await db.select({ keep: userSettings.keepPhotoLocation }).from(userSettings).where(eq(userSettings.userId, userId))
  return row?.keep === true
}
