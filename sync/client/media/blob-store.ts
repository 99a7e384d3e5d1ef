/**
 * The device's blob cache (sync/SPEC.md M6): photo bytes by their SHA-256. What is in it, how big
 * and when last shown is indexed in the device database (`local_media_cache`), which decides
 * eviction (M11) and deletion (M12); the store itself only holds bytes.
 *
 * {@link CacheStorageBlobStore} is the browser's: Cache Storage (`cadence-media`), each blob a
 * `Response` with its type, under `/media-cache/<sha256>` (a key no request of the app's ever
 * fetches). {@link MemoryBlobStore} is for Node tests, and for a browser without Cache Storage.
 */

/** A blob the store holds, and when it was put there. */
export type StoredKey = { sha256: string; storedAt: Date }

export interface BlobStore {
  put(sha256: string, bytes: Uint8Array, mimeType: string): Promise<void>
  /** The bytes, typed as they were put; null when the store does not hold them. */
  get(sha256: string): Promise<Blob | null>
  has(sha256: string): Promise<boolean>
  delete(sha256: string): Promise<void>
  /** Deletes every blob (sign-out, B13). */
  clear(): Promise<void>
  keys(): Promise<StoredKey[]>
}

export const MEDIA_CACHE_NAME = 'cadence-media'
const KEY_PREFIX = '/media-cache/'
const STORED_AT = 'x-cadence-stored-at'

/** Blobs in Cache Storage, which counts in the origin's quota and outlives the tab. */
export class CacheStorageBlobStore implements BlobStore {
  constructor(
    private readonly storage: CacheStorage = caches,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /**
   * Opened for each call, not kept: a cache another tab deleted (a sign-out there) would keep
   * taking puts that nothing can read back.
   */
  private cache(): Promise<Cache> {
    return this.storage.open(MEDIA_CACHE_NAME)
  }

  async put(sha256: string, bytes: Uint8Array, mimeType: string): Promise<void> {
    const headers = { 'content-type': mimeType, 'content-length': String(bytes.byteLength), [STORED_AT]: this.now().toISOString() }
    await (await this.cache()).put(KEY_PREFIX + sha256, new Response(bytes as BodyInit, { headers }))
  }

  async get(sha256: string): Promise<Blob | null> {
    const response = await (await this.cache()).match(KEY_PREFIX + sha256)
    return response ? response.blob() : null
  }

  async has(sha256: string): Promise<boolean> {
    return (await (await this.cache()).match(KEY_PREFIX + sha256)) !== undefined
  }

  async delete(sha256: string): Promise<void> {
    await (await this.cache()).delete(KEY_PREFIX + sha256)
  }

  async clear(): Promise<void> {
    // One call however many blobs it holds; the next put opens the cache anew.
    await this.storage.delete(MEDIA_CACHE_NAME)
  }

  async keys(): Promise<StoredKey[]> {
    const cache = await this.cache()
    const keys: StoredKey[] = []
    for (const request of await cache.keys()) {
      const path = new URL(request.url).pathname
      if (!path.startsWith(KEY_PREFIX)) continue
      const response = await cache.match(request)
      const storedAt = new Date(response?.headers.get(STORED_AT) ?? 0)
      keys.push({ sha256: path.slice(KEY_PREFIX.length), storedAt: Number.isNaN(storedAt.getTime()) ? new Date(0) : storedAt })
    }
    return keys
  }
}

/** Blobs in memory: gone with the page. */
export class MemoryBlobStore implements BlobStore {
  private readonly blobs = new Map<string, { bytes: Uint8Array; mimeType: string; storedAt: Date }>()

  constructor(private readonly now: () => Date = () => new Date()) {}

  async put(sha256: string, bytes: Uint8Array, mimeType: string): Promise<void> {
    this.blobs.set(sha256, { bytes: bytes.slice(), mimeType, storedAt: this.now() })
  }

  async get(sha256: string): Promise<Blob | null> {
    const blob = this.blobs.get(sha256)
    return blob ? new Blob([blob.bytes as BlobPart], { type: blob.mimeType }) : null
  }

  async has(sha256: string): Promise<boolean> {
    return this.blobs.has(sha256)
  }

  async delete(sha256: string): Promise<void> {
    this.blobs.delete(sha256)
  }

  async clear(): Promise<void> {
    this.blobs.clear()
  }

  async keys(): Promise<StoredKey[]> {
    return [...this.blobs].map(([sha256, { storedAt }]) => ({ sha256, storedAt }))
  }
}
