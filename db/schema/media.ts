/**
 * Photos attached to entries (sync/SPEC.md, Media). Metadata rows sync like any row; the bytes
 * are content-addressed by SHA-256: a cache on each device, uploaded when online and downloaded
 * lazily. A photo is two blobs: the image (long edge at most 2048 px) and its thumbnail.
 *
 * Sync: `media` and `entryMedia` in user scope; `mediaBlobs` (the bytes) stay on the server and
 * are fetched by hash.
 */
import { sql } from 'drizzle-orm'
import { check, customType, index, integer, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core'
import { users } from './auth'
import { createdAt, id, instant } from './columns'
import { entries } from './entries'
import { syncScope } from './sync-scope'

const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({
  dataType: () => 'bytea',
})

export const media = pgTable(
  'media',
  {
    id: id(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    sha256: text().notNull(),
    mimeType: text().notNull(),
    byteSize: integer().notNull(),
    width: integer(),
    height: integer(),
    /** The thumbnail's bytes (long edge about 320 px); null: the image is its own thumbnail. */
    thumbSha256: text(),
    /** Set by the server once it holds the bytes of the image and of its thumbnail. */
    uploadedAt: instant(),
    createdAt: createdAt(),
  },
  (t) => [
    index().on(t.userId),
    index().on(t.sha256),
    index().on(t.thumbSha256),
    check('media_sha256_hex', sql`${t.sha256} ~ '^[0-9a-f]{64}$'`),
    check('media_thumb_sha256_hex', sql`${t.thumbSha256} is null or ${t.thumbSha256} ~ '^[0-9a-f]{64}$'`),
    check('media_byte_size_positive', sql`${t.byteSize} > 0`),
    check('media_mime_image', sql`${t.mimeType} like 'image/%'`),
  ],
)
syncScope(media, 'user', media.userId)

export const entryMedia = pgTable(
  'entry_media',
  {
    entryId: uuid()
      .notNull()
      .references(() => entries.id, { onDelete: 'cascade' }),
    mediaId: uuid()
      .notNull()
      .references(() => media.id, { onDelete: 'cascade' }),
    userId: uuid().notNull(),
    ordinal: integer().notNull().default(0),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.entryId, t.mediaId] }), index().on(t.mediaId), index().on(t.userId)],
)
syncScope(entryMedia, 'user', entryMedia.userId, { window: entryMedia.entryId })

/**
 * The bytes, once per hash whoever uploaded them (server-only). `mimeType` is what the bytes
 * are, read from them, not what the uploader said. `unreferencedSince`: when garbage collection
 * first found no `media` row naming the hash; the bytes go once that is older than the grace
 * period, and a reference found again clears it.
 */
export const mediaBlobs = pgTable(
  'media_blobs',
  {
    sha256: text().primaryKey(),
    data: bytea().notNull(),
    mimeType: text().notNull(),
    byteSize: integer().notNull(),
    createdAt: createdAt(),
    unreferencedSince: instant(),
  },
  (t) => [
    check('media_blobs_sha256_hex', sql`${t.sha256} ~ '^[0-9a-f]{64}$'`),
    check('media_blobs_size_matches', sql`${t.byteSize} = octet_length(${t.data})`),
  ],
)

/**
 * Who has proved holding a blob's bytes (server-only): a user whose upload of them hashed to
 * their name (SPEC M8). Knowing a hash is not holding the photo: a stranger can write a `media`
 * row naming anyone's hash, but is never served the bytes (M9), nor has that row marked
 * uploaded, without having uploaded them. Goes with the blob.
 */
export const mediaHolders = pgTable(
  'media_holders',
  {
    sha256: text()
      .notNull()
      .references(() => mediaBlobs.sha256, { onDelete: 'cascade' }),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.sha256, t.userId] }), index().on(t.userId)],
)
