/**
 * Photos as a page of this device handles them (sync/SPEC.md M6, M10, M11, M12): attaching
 * (bytes into the blob cache, then the mutation with its upload entries and cache index rows in
 * one local transaction), loading (the cache, else the server, kept on arrival), the cache's
 * budget and eviction, and the sweep of bytes nothing names any more. Any tab does all of it
 * (downloads happen where the page is); only the leader uploads (`uploads.ts`) and sweeps.
 *
 * Invariants: a blob in `local_uploads` is never evicted or swept while a photo names it; the
 * bytes of a queued upload are in the store whenever its entry is (an attach puts them back
 * inside its own transaction if an eviction or sweep took them meanwhile: both delete bytes only
 * inside a transaction of theirs, and the device database runs one transaction at a time).
 */
import { asc, eq, inArray, isNotNull, isNull, sql } from 'drizzle-orm'
import { rows } from '@/db/rows'
import { localMediaCache, localMediaSettings, localUploads } from '@/db/schema/local'
import type { Db, Queryable } from '@/db/types'
import { newId } from '@/domain/ids'
import { isSha256, sha256Hex, sniffMediaType } from '@/domain/media'
import type { MutatorArgs, MutatorName } from '@/domain/mutators'
import type { PreparedBlob, PreparedPhoto } from '@/media/prepare'
import type { MutateOptions } from '../client'
import { pendingCount } from '../replica'
import { TransportError, type MediaTransport } from '../transport'
import type { BlobStore } from './blob-store'

export type PhotoUsage = {
  usedBytes: number
  budgetBytes: number
  budgetIsDefault: boolean
  /** What the default budget comes to on this device (M11), whether or not it is the one in use. */
  defaultBudgetBytes: number
  pendingUploads: number
  pendingBytes: number
  failedUploads: { sha256: string; error: string }[]
}

const MiB = 1024 * 1024
/** The default budget (M11): this share of the origin's quota, within these bounds. */
export const BUDGET_SHARE = 0.2
export const MIN_DEFAULT_BUDGET = 50 * MiB
export const MAX_DEFAULT_BUDGET = 1024 * MiB
/** The default budget when the browser tells no quota. */
export const FALLBACK_BUDGET = 200 * MiB
/** A page showing a photo again within this long does not write when it was viewed. */
const VIEW_GRANULARITY_MS = 60_000
/** Bytes in the store that no index row names are swept once this old (a crash left them, M6). */
export const ORPHAN_AGE_MS = 60 * 60_000
/**
 * Downloads at once: a page of history shows dozens of thumbnails, and the server serves 16 reads
 * at a time to everyone (M9); the rest wait their turn here rather than be refused there.
 */
export const MAX_DOWNLOADS = 4

/** The default budget for an origin with this quota (M11). */
export function defaultBudget(quota: number | undefined): number {
  if (quota === undefined || !Number.isFinite(quota) || quota <= 0) return FALLBACK_BUDGET
  return Math.round(Math.min(MAX_DEFAULT_BUDGET, Math.max(MIN_DEFAULT_BUDGET, quota * BUDGET_SHARE)))
}

type Mutate = <N extends MutatorName>(name: N, args: MutatorArgs<N>, options?: MutateOptions) => Promise<number>

export type DevicePhotosOptions = {
  db: Db
  blobs: BlobStore
  transport: MediaTransport
  /** The device's `mutate` (its refusals and sign-out checks included). */
  mutate: Mutate
  /** `navigator.storage.estimate`; absent, the budget's default is {@link FALLBACK_BUDGET}. */
  estimate?: () => Promise<{ quota?: number }>
  now?: () => Date
  /** Called when an attach queued uploads (the leader's queue starts on them). */
  onQueued?: () => void
}

/** What the sweep deleted. */
export type SweepResult = { cached: number; uploads: number; orphans: number }

export class DevicePhotos {
  private readonly db: Db
  private readonly blobs: BlobStore
  private readonly now: () => Date
  /** When this tab last wrote that a blob was viewed. */
  private readonly touched = new Map<string, number>()
  private readonly loading = new Map<string, Promise<Blob | null>>()
  private downloading = 0
  private readonly turns: (() => void)[] = []
  private quota: Promise<number | undefined> | undefined
  private lastOrphanSweep = -Infinity

  constructor(private readonly options: DevicePhotosOptions) {
    this.db = options.db
    this.blobs = options.blobs
    this.now = options.now ?? (() => new Date())
  }

  // Attaching ----------------------------------------------------------------------------------

  /**
   * Attaches a prepared photo to an entry (M6) and returns the new photo's id. The bytes are in
   * the blob cache before the mutation is written; the mutation, both upload entries (the
   * thumbnail first, so another device can show it soonest) and both cache index rows commit
   * together or not at all. A refusal throws as `mutate` does, and leaves nothing queued.
   */
  async attach(entryId: string, photo: PreparedPhoto): Promise<string> {
    const id = newId()
    const { image, thumbnail } = photo
    const parts: PreparedBlob[] = thumbnail.sha256 === image.sha256 ? [image] : [thumbnail, image]
    for (const part of parts) await this.blobs.put(part.sha256, part.bytes, part.mimeType)
    const args: MutatorArgs<'attachMedia'> = {
      entryId,
      photo: {
        id,
        sha256: image.sha256,
        thumbSha256: thumbnail.sha256 === image.sha256 ? undefined : thumbnail.sha256,
        mimeType: image.mimeType,
        byteSize: image.bytes.byteLength,
        width: photo.width,
        height: photo.height,
      },
    }
    const at = this.now()
    try {
      await this.options.mutate('attachMedia', args, {
        alongside: async (tx, mutationId) => {
          for (const part of parts) {
            // An eviction or a sweep may have taken these bytes since they were put (the same
            // photo, cached before); in this transaction, nothing else can.
            if (!(await this.blobs.has(part.sha256))) await this.blobs.put(part.sha256, part.bytes, part.mimeType)
            await tx
              .insert(localUploads)
              .values({ sha256: part.sha256, mimeType: part.mimeType, byteSize: part.bytes.byteLength, mutationId, createdAt: at })
              .onConflictDoUpdate({
                target: localUploads.sha256,
                // Attached again: a new chance, whatever became of the earlier upload.
                set: { mutationId: sql`excluded.mutation_id`, failedAt: null, lastError: null, attempts: 0, nextAttemptAt: null },
              })
            await tx
              .insert(localMediaCache)
              .values({ sha256: part.sha256, byteSize: part.bytes.byteLength, storedAt: at, viewedAt: at })
              .onConflictDoUpdate({ target: localMediaCache.sha256, set: { viewedAt: at } })
          }
        },
      })
    } catch (error) {
      await this.dropUnindexed(parts.map((p) => p.sha256)).catch(() => undefined)
      throw error
    }
    this.touched.set(image.sha256, at.getTime())
    this.options.onQueued?.()
    await this.enforceBudget().catch(() => undefined)
    return id
  }

  /** Bytes put for an attach that did not commit: deleted unless something else holds them. */
  private async dropUnindexed(shas: string[]) {
    await this.db.transaction(async (tx) => {
      const held = new Set(
        [
          ...(await tx.select({ sha: localMediaCache.sha256 }).from(localMediaCache).where(inArray(localMediaCache.sha256, shas))),
          ...(await tx.select({ sha: localUploads.sha256 }).from(localUploads).where(inArray(localUploads.sha256, shas))),
        ].map((r) => r.sha),
      )
      for (const sha of shas) if (!held.has(sha)) await this.blobs.delete(sha)
    })
  }

  /** Removes a photo from an entry; its bytes go once that has synced (M12). */
  async detach(entryId: string, mediaId: string): Promise<void> {
    await this.options.mutate('detachMedia', { entryId, mediaId })
  }

  /** Puts an entry's photos in this order. */
  async reorder(entryId: string, mediaIds: string[]): Promise<void> {
    await this.options.mutate('reorderMedia', { entryId, mediaIds })
  }

  // Loading (M10) --------------------------------------------------------------------------------

  /**
   * A blob by its hash: from the cache (noting it was viewed), else from the server, kept on
   * arrival. Null when it is neither here nor to be had (offline, not uploaded yet, or no photo
   * of this account has it): the page shows a placeholder saying so.
   */
  load(sha256: string): Promise<Blob | null> {
    if (!isSha256(sha256)) return Promise.resolve(null)
    let loading = this.loading.get(sha256)
    if (!loading) {
      loading = this.read(sha256).finally(() => this.loading.delete(sha256))
      this.loading.set(sha256, loading)
    }
    return loading
  }

  /** The server's answer for a blob, at most {@link MAX_DOWNLOADS} at once, the rest in turn. */
  private async download(sha256: string): Promise<Blob | null> {
    if (this.downloading >= MAX_DOWNLOADS) await new Promise<void>((resolve) => this.turns.push(resolve))
    else this.downloading++
    try {
      return await this.options.transport.getMedia(sha256)
    } finally {
      // The place passes to the next in line, or is given up.
      const next = this.turns.shift()
      if (next) next()
      else this.downloading--
    }
  }

  private async read(sha256: string): Promise<Blob | null> {
    const cached = await this.blobs.get(sha256)
    if (cached) {
      await this.viewed(sha256, cached.size).catch(() => undefined)
      return cached
    }
    let blob: Blob | null
    try {
      blob = await this.download(sha256)
    } catch (error) {
      if (error instanceof TransportError) return null
      throw error
    }
    if (!blob) return null
    const bytes = new Uint8Array(await blob.arrayBuffer())
    // What is kept under a hash is what hashes to it, whatever came over the network.
    if ((await sha256Hex(bytes)) !== sha256) return null
    const type = sniffMediaType(bytes) ?? (blob.type || 'application/octet-stream')
    await this.blobs.put(sha256, bytes, type)
    const at = this.now()
    await this.db
      .insert(localMediaCache)
      .values({ sha256, byteSize: bytes.byteLength, storedAt: at, viewedAt: at })
      .onConflictDoUpdate({ target: localMediaCache.sha256, set: { byteSize: bytes.byteLength, viewedAt: at } })
    this.touched.set(sha256, at.getTime())
    await this.enforceBudget({ keep: sha256 }).catch(() => undefined)
    return new Blob([bytes as BlobPart], { type })
  }

  /** Notes that a cached blob was shown, at most once a minute per blob (M11's order). */
  private async viewed(sha256: string, byteSize: number) {
    const at = this.now()
    const last = this.touched.get(sha256)
    if (last !== undefined && at.getTime() - last < VIEW_GRANULARITY_MS) return
    this.touched.set(sha256, at.getTime())
    // Bytes a crash left without their index row get one.
    await this.db
      .insert(localMediaCache)
      .values({ sha256, byteSize, storedAt: at, viewedAt: at })
      .onConflictDoUpdate({
        target: localMediaCache.sha256,
        set: { viewedAt: at },
        setWhere: sql`${localMediaCache.viewedAt} < ${new Date(at.getTime() - VIEW_GRANULARITY_MS)}`,
      })
  }

  // Budget and eviction (M11) --------------------------------------------------------------------

  /** The cache's budget: the user's, or the default from the origin's quota. */
  async budget(): Promise<{ bytes: number; isDefault: boolean }> {
    const [settings] = await this.db.select().from(localMediaSettings).where(eq(localMediaSettings.id, 1))
    if (settings?.budgetBytes != null) return { bytes: settings.budgetBytes, isDefault: false }
    return { bytes: await this.defaultBudget(), isDefault: true }
  }

  /** The default budget for this origin's quota, asked of the browser once. */
  private async defaultBudget(): Promise<number> {
    this.quota ??= (this.options.estimate?.() ?? Promise.resolve({} as { quota?: number })).then(
      (estimate) => estimate.quota,
      () => undefined,
    )
    return defaultBudget(await this.quota)
  }

  /** Sets the cache's budget in bytes (null: the default), then keeps within it. */
  async setBudget(bytes: number | null): Promise<void> {
    if (bytes !== null && !(Number.isSafeInteger(bytes) && bytes >= 0)) {
      throw new RangeError('The photo cache’s size must be a whole number of bytes, 0 or more.')
    }
    await this.db
      .insert(localMediaSettings)
      .values({ id: 1, budgetBytes: bytes })
      .onConflictDoUpdate({ target: localMediaSettings.id, set: { budgetBytes: bytes } })
    await this.enforceBudget()
  }

  /** What Settings shows: the cache's size and budget, and the uploads waiting or refused. */
  async usage(): Promise<PhotoUsage> {
    const [pending] = await this.db
      .select({ n: sql<number>`count(*)::int`, bytes: sql<number>`coalesce(sum(${localUploads.byteSize}), 0)::bigint` })
      .from(localUploads)
      .where(isNull(localUploads.failedAt))
    const failed = await this.db
      .select({ sha256: localUploads.sha256, error: localUploads.lastError })
      .from(localUploads)
      .where(isNotNull(localUploads.failedAt))
      .orderBy(asc(localUploads.id))
    const budget = await this.budget()
    return {
      usedBytes: await cacheBytes(this.db),
      budgetBytes: budget.bytes,
      budgetIsDefault: budget.isDefault,
      defaultBudgetBytes: await this.defaultBudget(),
      pendingUploads: Number(pending?.n ?? 0),
      pendingBytes: Number(pending?.bytes ?? 0),
      failedUploads: failed.map((f) => ({ sha256: f.sha256, error: f.error ?? 'The server refused this photo.' })),
    }
  }

  /**
   * Evicts the least recently viewed blobs until the cache is within its budget (M11). Only bytes
   * the server holds go: not one queued for upload, not one a photo not yet uploaded names;
   * bytes no photo names go too once the outbox is empty (a photo removed and synced). `keep`:
   * the blob just loaded for a page. Returns how many bytes were evicted.
   */
  async enforceBudget({ keep }: { keep?: string } = {}): Promise<number> {
    const { bytes: budget } = await this.budget()
    return this.db.transaction(async (tx) => {
      let used = await cacheBytes(tx)
      if (used <= budget) return 0
      const synced = (await pendingCount(tx)) === 0
      const candidates = await rows<{ sha256: string; byteSize: number }>(
        tx,
        sql`select c.sha256, c.byte_size as "byteSize" from local_media_cache c
            where not exists (select 1 from local_uploads u where u.sha256 = c.sha256)
              and c.sha256 <> ${keep ?? ''}
              and not exists (select 1 from media m where (m.sha256 = c.sha256 or m.thumb_sha256 = c.sha256) and m.uploaded_at is null)
              and (${synced} or exists (select 1 from media m where m.sha256 = c.sha256 or m.thumb_sha256 = c.sha256))
            order by c.viewed_at asc, c.sha256 asc`,
      )
      let evicted = 0
      for (const { sha256, byteSize } of candidates) {
        if (used <= budget) break
        await this.blobs.delete(sha256)
        await tx.delete(localMediaCache).where(eq(localMediaCache.sha256, sha256))
        used -= Number(byteSize)
        evicted += Number(byteSize)
      }
      return evicted
    })
  }

  // Sweep (M12) ----------------------------------------------------------------------------------

  /**
   * Deletes cached blobs and upload entries no `media` row names, once the outbox is empty (so
   * the device's rows are the server's): a photo removed, an entry deleted, an attach rejected, a
   * scope removed. Bytes in the store with no index row (a crash between putting them and the
   * attach's transaction) go once an hour old; the store is listed at most once an hour. Then
   * the cache is brought within its budget: the sweep follows every upload round that found the
   * outbox empty, so bytes that held it over while they waited go once uploaded (M11).
   */
  async sweep(): Promise<SweepResult> {
    const now = this.now().getTime()
    const listStore = now - this.lastOrphanSweep >= ORPHAN_AGE_MS
    const stored = listStore ? await this.blobs.keys() : []
    const result = await this.db.transaction(async (tx): Promise<SweepResult | null> => {
      if ((await pendingCount(tx)) > 0) return null
      // Read first, and write only what is there: every write to a bookkeeping table notifies
      // each tab (B12), and a write by every idle round would wake the queue into another.
      const unnamed = (table: string) =>
        sql`select sha256 from ${sql.identifier(table)} t
            where not exists (select 1 from media m where m.sha256 = t.sha256 or m.thumb_sha256 = t.sha256)`
      const uploads = (await rows<{ sha256: string }>(tx, unnamed('local_uploads'))).map((r) => r.sha256)
      const cached = (await rows<{ sha256: string }>(tx, unnamed('local_media_cache'))).map((r) => r.sha256)
      if (uploads.length > 0) await tx.delete(localUploads).where(inArray(localUploads.sha256, uploads))
      if (cached.length > 0) await tx.delete(localMediaCache).where(inArray(localMediaCache.sha256, cached))
      for (const sha256 of cached) await this.blobs.delete(sha256)
      let orphans = 0
      if (stored.length > 0) {
        const shas = stored.map((s) => s.sha256)
        const held = new Set(
          [
            ...(await tx.select({ sha: localMediaCache.sha256 }).from(localMediaCache).where(inArray(localMediaCache.sha256, shas))),
            ...(await tx.select({ sha: localUploads.sha256 }).from(localUploads).where(inArray(localUploads.sha256, shas))),
          ].map((r) => r.sha),
        )
        for (const { sha256, storedAt } of stored) {
          if (held.has(sha256) || now - storedAt.getTime() < ORPHAN_AGE_MS) continue
          await this.blobs.delete(sha256)
          orphans++
        }
      }
      return { cached: cached.length, uploads: uploads.length, orphans }
    })
    if (result && listStore) this.lastOrphanSweep = now
    // Bytes that waited to upload may have held the cache over its budget; uploaded, they may go.
    await this.enforceBudget().catch(() => undefined)
    return result ?? { cached: 0, uploads: 0, orphans: 0 }
  }

  /** Deletes every blob (sign-out, M12); the index rows go with the device's other tables. */
  async clear(): Promise<void> {
    this.touched.clear()
    await this.blobs.clear()
  }
}

async function cacheBytes(db: Queryable): Promise<number> {
  const [row] = await db.select({ bytes: sql<number>`coalesce(sum(${localMediaCache.byteSize}), 0)::bigint` }).from(localMediaCache)
  return Number(row?.bytes ?? 0)
}
