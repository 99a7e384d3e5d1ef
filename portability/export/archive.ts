/**
 * The Cadence archive: everything a user owns, in one JSON file that imports back into Cadence
 * (`restore.ts`) and that a person or another program can read (`archive.schema.json` documents
 * it field by field).
 *
 * ```
 * { format: 'cadence-archive', version: 1, exportedAt, checksum: 'sha256:<hex>', data: {...} }
 * ```
 *
 * - `data` holds the user's own libraries (not libraries others shared with them: those are
 *   their owners' to export) with every activity, deleted ones included, each with its attribute
 *   schema (retired attributes and choice options too), its current template and every template
 *   version; the user's entries as trees (workout → exercise or superset block → sets), children
 *   in order, each value decoded for its attribute (numbers in canonical units: kg, m, s; a
 *   choice is its option's id), and for an imported entry the import and file row it came from;
 *   the imports themselves; tags and which entries carry them; settings; goals; photo
 *   metadata (`media`, `entryMedia`; the bytes are not in the archive).
 * - `checksum` is SHA-256 of the canonical JSON of `data` (keys sorted, no spaces), so a file
 *   that was changed or cut short is refused, whatever key order or indentation it was saved with.
 * - It is read from the device database (works offline) or the server's: the same synced tables.
 *   A device holds the user's whole history (sync keeps every row of the user's scopes).
 */
import { asc, eq, inArray } from 'drizzle-orm'
import { z } from 'zod'
import {
  activities,
  attributeOptions,
  attributes,
  attributeTypes,
  activityKinds,
  distanceUnits,
  entries,
  entryMedia,
  entryTags,
  entryValues,
  goals,
  imports,
  importSources,
  libraries,
  massUnits,
  media,
  sequenceItems,
  tags,
  templateVersions,
  userSettings,
  users,
} from '@/db/schema'
import type { Queryable } from '@/db/types'
import { readSetType, setTypes } from '@/domain/set-types'
import { decodeValue } from '@/domain/values'
import { canonicalJson } from '@/sync/protocol'

export const ARCHIVE_FORMAT = 'cadence-archive'
export const ARCHIVE_VERSION = 1

/** A file that is not a Cadence archive this version can read, or one that was damaged; `message` says which. */
export class ArchiveError extends Error {
  override name = 'ArchiveError'
}

// The format, as zod schemas (types are inferred from them). `archive.schema.json` says the same
// in JSON Schema for readers outside this code base; a test holds the two to each other.

const id = z.uuid()
const instant = z.iso.datetime({ offset: true })
const value = z.union([z.number(), z.string(), z.boolean()])

const optionSchema = z.strictObject({ id, label: z.string(), ordinal: z.number().int(), retiredAt: instant.nullable(), createdAt: instant })

const attributeSchema = z.strictObject({
  id,
  name: z.string(),
  type: z.enum(attributeTypes),
  unit: z.string().nullable(),
  ordinal: z.number().int(),
  required: z.boolean(),
  retiredAt: instant.nullable(),
  createdAt: instant,
  updatedAt: instant,
  options: z.array(optionSchema),
})

const structureSchema = z.array(z.strictObject({ childId: id, repeat: z.number().int() }))

const activitySchema = z.strictObject({
  id,
  name: z.string(),
  description: z.string(),
  kind: z.enum(activityKinds),
  templateVersion: z.number().int(),
  restSeconds: z.number().int().nullable(),
  createdBy: id.nullable(),
  originId: id,
  copiedFromId: id.nullable(),
  sourceOwnerId: id.nullable(),
  copiedAt: instant.nullable(),
  deletedAt: instant.nullable(),
  createdAt: instant,
  updatedAt: instant,
  attributes: z.array(attributeSchema),
  items: z.array(z.strictObject({ id, childId: id, ordinal: z.number().int(), repeat: z.number().int(), createdAt: instant })),
  templateVersions: z.array(z.strictObject({ id, version: z.number().int(), structure: structureSchema, createdAt: instant })),
})

const librarySchema = z.strictObject({
  id,
  name: z.string(),
  description: z.string(),
  isDefault: z.boolean(),
  publishedAt: instant.nullable(),
  createdAt: instant,
  updatedAt: instant,
  activities: z.array(activitySchema),
})

export type ArchiveEntry = {
  id: string
  activityId: string
  performedAt: string
  notes: string
  setType: (typeof setTypes)[number]
  templateVersion: number
  values: { attributeId: string; value: string | number | boolean }[]
  /** The import that wrote it (`data.imports`), the file's row it came from, and on a root the workout's key in the file. */
  importId: string | null
  importRow: number | null
  importKey: string | null
  createdAt: string
  updatedAt: string
  children: ArchiveEntry[]
}

const entrySchema: z.ZodType<ArchiveEntry> = z.lazy(() =>
  z.strictObject({
    id,
    activityId: id,
    performedAt: instant,
    notes: z.string(),
    setType: z.enum(setTypes),
    templateVersion: z.number().int(),
    values: z.array(z.strictObject({ attributeId: id, value })),
    importId: id.nullable(),
    importRow: z.number().int().nullable(),
    importKey: z.string().nullable(),
    createdAt: instant,
    updatedAt: instant,
    children: z.array(entrySchema),
  }),
)

const settingsSchema = z.strictObject({
  massUnit: z.enum(massUnits),
  distanceUnit: z.enum(distanceUnits),
  weekStartsOn: z.number().int(),
  storageWindowDays: z.number().int().nullable(),
  keepPhotoLocation: z.boolean().nullable().optional(),
  equipment: z
    .strictObject({
      bars: z.array(z.strictObject({ name: z.string(), weight: z.number(), unit: z.enum(massUnits) })),
      plates: z.array(z.strictObject({ weight: z.number(), unit: z.enum(massUnits), pairs: z.number().int() })),
    })
    .nullable(),
  updatedAt: instant,
})

export const archiveDataSchema = z.strictObject({
  account: z.strictObject({ id, name: z.string(), email: z.string() }).nullable(),
  settings: settingsSchema.nullable(),
  libraries: z.array(librarySchema),
  tags: z.array(z.strictObject({ id, name: z.string(), color: z.string().nullable(), createdAt: instant })),
  entries: z.array(entrySchema),
  entryTags: z.array(z.strictObject({ entryId: id, tagId: id, createdAt: instant })),
  imports: z.array(
    z.strictObject({
      id,
      source: z.enum(importSources),
      fileName: z.string(),
      fileRows: z.number().int(),
      createdAt: instant,
      undoneAt: instant.nullable(),
    }),
  ),
  goals: z.array(
    z.strictObject({
      id,
      activityId: id,
      attributeId: id,
      target: z.number(),
      dueOn: z.iso.date().nullable(),
      achievedAt: instant.nullable(),
      createdAt: instant,
    }),
  ),
  media: z.array(
    z.strictObject({
      id,
      sha256: z.string().regex(/^[0-9a-f]{64}$/),
      thumbSha256: z
        .string()
        .regex(/^[0-9a-f]{64}$/)
        .nullable()
        .optional(),
      mimeType: z.string(),
      byteSize: z.number().int(),
      width: z.number().int().nullable(),
      height: z.number().int().nullable(),
      uploadedAt: instant.nullable(),
      createdAt: instant,
    }),
  ),
  entryMedia: z.array(z.strictObject({ entryId: id, mediaId: id, ordinal: z.number().int(), createdAt: instant })),
})

export const archiveSchema = z.strictObject({
  format: z.literal(ARCHIVE_FORMAT),
  version: z.literal(ARCHIVE_VERSION),
  exportedAt: instant,
  checksum: z.string().regex(/^sha256:[0-9a-f]{64}$/),
  data: archiveDataSchema,
})

export type ArchiveData = z.infer<typeof archiveDataSchema>
export type Archive = z.infer<typeof archiveSchema>
export type ArchiveLibrary = ArchiveData['libraries'][number]
export type ArchiveActivity = ArchiveLibrary['activities'][number]
export type ArchiveAttribute = ArchiveActivity['attributes'][number]

// Checksum ---------------------------------------------------------------------------------------

/** JSON with every object's keys sorted and no spaces: the protocol's, the same text for the same data. */
export { canonicalJson }

/** `sha256:<hex>` of the canonical JSON of `data` (Web Crypto: browsers and Node alike). */
export async function checksumOf(data: unknown): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(canonicalJson(data)))
  return `sha256:${[...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('')}`
}

// Reading ----------------------------------------------------------------------------------------

const iso = (d: Date) => d.toISOString()
const isoOrNull = (d: Date | null) => (d ? d.toISOString() : null)

/** What `exportArchive` reads, before the envelope: the user's data as the archive holds it. */
export async function readArchiveData(db: Queryable, userId: string): Promise<ArchiveData> {
  const [account] = await db.select({ id: users.id, name: users.name, email: users.email }).from(users).where(eq(users.id, userId))
  const [settings] = await db.select().from(userSettings).where(eq(userSettings.userId, userId))
  const libs = await db.select().from(libraries).where(eq(libraries.ownerId, userId)).orderBy(asc(libraries.createdAt), asc(libraries.id))
  libs.sort((a, b) => Number(b.isDefault) - Number(a.isDefault))
  const libraryIds = libs.map((l) => l.id)
  const acts = libraryIds.length
    ? await db
        .select()
        .from(activities)
        .where(inArray(activities.libraryId, libraryIds))
        .orderBy(asc(activities.createdAt), asc(activities.id))
    : []
  const byLibrary =
    <T extends { libraryId: string }>(table: T[]) =>
    (lib: string) =>
      table.filter((r) => r.libraryId === lib)
  const inLibraries = async <T>(read: () => Promise<T[]>) => (libraryIds.length ? read() : [])
  const attrs = await inLibraries(() =>
    db.select().from(attributes).where(inArray(attributes.libraryId, libraryIds)).orderBy(asc(attributes.ordinal)),
  )
  const opts = await inLibraries(() =>
    db.select().from(attributeOptions).where(inArray(attributeOptions.libraryId, libraryIds)).orderBy(asc(attributeOptions.ordinal)),
  )
  const items = await inLibraries(() =>
    db
      .select()
      .from(sequenceItems)
      .where(inArray(sequenceItems.libraryId, libraryIds))
      .orderBy(asc(sequenceItems.ordinal), asc(sequenceItems.id)),
  )
  const versions = await inLibraries(() =>
    db.select().from(templateVersions).where(inArray(templateVersions.libraryId, libraryIds)).orderBy(asc(templateVersions.version)),
  )
  const activitiesOf = byLibrary(acts)

  const data: ArchiveData = {
    account: account ?? null,
    settings: settings
      ? {
          massUnit: settings.massUnit,
          distanceUnit: settings.distanceUnit,
          weekStartsOn: settings.weekStartsOn,
          storageWindowDays: settings.storageWindowDays,
          keepPhotoLocation: settings.keepPhotoLocation,
          equipment: settings.equipment,
          updatedAt: iso(settings.updatedAt),
        }
      : null,
    libraries: libs.map((l) => ({
      id: l.id,
      name: l.name,
      description: l.description,
      isDefault: l.isDefault,
      publishedAt: isoOrNull(l.publishedAt),
      createdAt: iso(l.createdAt),
      updatedAt: iso(l.updatedAt),
      activities: activitiesOf(l.id).map((a) => ({
        id: a.id,
        name: a.name,
        description: a.description,
        kind: a.kind,
        templateVersion: a.templateVersion,
        restSeconds: a.restSeconds,
        createdBy: a.createdBy,
        originId: a.originId,
        copiedFromId: a.copiedFromId,
        sourceOwnerId: a.sourceOwnerId,
        copiedAt: isoOrNull(a.copiedAt),
        deletedAt: isoOrNull(a.deletedAt),
        createdAt: iso(a.createdAt),
        updatedAt: iso(a.updatedAt),
        attributes: attrs
          .filter((t) => t.activityId === a.id)
          .map((t) => ({
            id: t.id,
            name: t.name,
            type: t.type,
            unit: t.unit,
            ordinal: t.ordinal,
            required: t.required,
            retiredAt: isoOrNull(t.retiredAt),
            createdAt: iso(t.createdAt),
            updatedAt: iso(t.updatedAt),
            options: opts
              .filter((o) => o.attributeId === t.id)
              .map((o) => ({
                id: o.id,
                label: o.label,
                ordinal: o.ordinal,
                retiredAt: isoOrNull(o.retiredAt),
                createdAt: iso(o.createdAt),
              })),
          })),
        items: items
          .filter((i) => i.parentId === a.id)
          .map((i) => ({ id: i.id, childId: i.childId, ordinal: i.ordinal, repeat: i.repeat, createdAt: iso(i.createdAt) })),
        templateVersions: versions
          .filter((v) => v.activityId === a.id)
          .map((v) => ({
            id: v.id,
            version: v.version,
            structure: v.structure.map((s) => ({ childId: s.childId, repeat: s.repeat })),
            createdAt: iso(v.createdAt),
          })),
      })),
    })),
    ...(await readLog(db, userId)),
  }
  return data
}

/** The user's own rows: entries as trees, tags, goals and photo metadata. */
async function readLog(db: Queryable, userId: string): Promise<Omit<ArchiveData, 'account' | 'settings' | 'libraries'>> {
  const rowsOf = await db.select().from(entries).where(eq(entries.userId, userId)).orderBy(asc(entries.performedAt), asc(entries.id))
  const values = await db
    .select({ value: entryValues, type: attributes.type, ordinal: attributes.ordinal })
    .from(entryValues)
    .innerJoin(attributes, eq(attributes.id, entryValues.attributeId))
    .where(eq(entryValues.userId, userId))
    .orderBy(asc(attributes.ordinal))
  const valuesOf = new Map<string, ArchiveEntry['values']>()
  for (const v of values) {
    const decoded = decodeValue(v.type, v.value)
    if (decoded === null) continue
    const list = valuesOf.get(v.value.entryId) ?? []
    list.push({ attributeId: v.value.attributeId, value: decoded })
    valuesOf.set(v.value.entryId, list)
  }
  const childrenOf = new Map<string, typeof rowsOf>()
  for (const e of rowsOf) {
    if (e.parentId === null) continue
    const siblings = childrenOf.get(e.parentId)
    if (siblings) siblings.push(e)
    else childrenOf.set(e.parentId, [e])
  }
  const build = (e: (typeof rowsOf)[number]): ArchiveEntry => ({
    id: e.id,
    activityId: e.activityId,
    performedAt: iso(e.performedAt),
    notes: e.notes,
    setType: readSetType(e.setType),
    templateVersion: e.templateVersion,
    values: valuesOf.get(e.id) ?? [],
    importId: e.importId,
    importRow: e.importRow,
    importKey: e.importKey,
    createdAt: iso(e.createdAt),
    updatedAt: iso(e.updatedAt),
    children: (childrenOf.get(e.id) ?? []).sort((a, b) => a.ordinal - b.ordinal || a.id.localeCompare(b.id)).map(build),
  })
  const tagRows = await db.select().from(tags).where(eq(tags.userId, userId)).orderBy(asc(tags.name))
  const tagged = await db.select().from(entryTags).where(eq(entryTags.userId, userId)).orderBy(asc(entryTags.createdAt))
  const importRows = await db.select().from(imports).where(eq(imports.userId, userId)).orderBy(asc(imports.createdAt), asc(imports.id))
  const goalRows = await db.select().from(goals).where(eq(goals.userId, userId)).orderBy(asc(goals.createdAt), asc(goals.id))
  const mediaRows = await db.select().from(media).where(eq(media.userId, userId)).orderBy(asc(media.createdAt), asc(media.id))
  const linked = await db.select().from(entryMedia).where(eq(entryMedia.userId, userId)).orderBy(asc(entryMedia.ordinal))
  return {
    tags: tagRows.map((t) => ({ id: t.id, name: t.name, color: t.color, createdAt: iso(t.createdAt) })),
    entries: rowsOf.filter((e) => e.parentId === null).map(build),
    entryTags: tagged.map((t) => ({ entryId: t.entryId, tagId: t.tagId, createdAt: iso(t.createdAt) })),
    imports: importRows.map((i) => ({
      id: i.id,
      source: i.source,
      fileName: i.fileName,
      fileRows: i.fileRows,
      createdAt: iso(i.createdAt),
      undoneAt: isoOrNull(i.undoneAt),
    })),
    goals: goalRows.map((g) => ({
      id: g.id,
      activityId: g.activityId,
      attributeId: g.attributeId,
      target: g.target,
      dueOn: g.dueOn,
      achievedAt: isoOrNull(g.achievedAt),
      createdAt: iso(g.createdAt),
    })),
    media: mediaRows.map((m) => ({
      id: m.id,
      sha256: m.sha256,
      thumbSha256: m.thumbSha256,
      mimeType: m.mimeType,
      byteSize: m.byteSize,
      width: m.width,
      height: m.height,
      uploadedAt: isoOrNull(m.uploadedAt),
      createdAt: iso(m.createdAt),
    })),
    entryMedia: linked.map((l) => ({ entryId: l.entryId, mediaId: l.mediaId, ordinal: l.ordinal, createdAt: iso(l.createdAt) })),
  }
}

/** Everything `userId` owns, as a versioned archive with its checksum. */
export async function exportArchive(db: Queryable, userId: string, { now = new Date() } = {}): Promise<Archive> {
  const data = await readArchiveData(db, userId)
  return { format: ARCHIVE_FORMAT, version: ARCHIVE_VERSION, exportedAt: now.toISOString(), checksum: await checksumOf(data), data }
}

// Verifying --------------------------------------------------------------------------------------

/**
 * Reads an archive (its text, or the parsed JSON) and checks it is one this version can read and
 * that it is whole: the format, then the version, then the checksum, then every field. Throws
 * {@link ArchiveError} saying what is wrong.
 */
export async function verifyArchive(json: unknown): Promise<Archive> {
  let parsed = json
  if (typeof json === 'string') {
    try {
      parsed = JSON.parse(json.replace(/^\uFEFF/, ''))
    } catch {
      throw new ArchiveError('This is not a Cadence archive: the file is not JSON (or it was cut short).')
    }
  }
  if (typeof parsed !== 'object' || parsed === null || (parsed as { format?: unknown }).format !== ARCHIVE_FORMAT) {
    throw new ArchiveError('This is not a Cadence archive.')
  }
  const { version, checksum, data } = parsed as { version?: unknown; checksum?: unknown; data?: unknown }
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    throw new ArchiveError('This is not a Cadence archive: its version is missing.')
  }
  if (version > ARCHIVE_VERSION) {
    throw new ArchiveError(
      `This archive was made by a newer Cadence (version ${version}); this one reads version ${ARCHIVE_VERSION}. Update Cadence, then import it.`,
    )
  }
  if (typeof checksum !== 'string' || data === undefined || (await checksumOf(data)) !== checksum) {
    throw new ArchiveError('The checksum does not match: the file was changed or truncated.')
  }
  const result = archiveSchema.safeParse(parsed)
  if (!result.success) {
    const issue = result.error.issues[0]!
    throw new ArchiveError(`This archive is damaged: ${issue.path.join('.') || 'the file'}: ${issue.message}.`)
  }
  return result.data
}
