import 'server-only'
import { createHash } from 'node:crypto'
import { eq, sql } from 'drizzle-orm'
import { rows } from '@/db/rows'
import { mediaBlobs, mediaHolders } from '@/db/schema'
import type { Db } from '@/db/types'
import { MAX_MEDIA_BYTES, SNIFF_BYTES, isSha256, sniffMediaType, type MediaType } from '@/domain/media'
import type { ErrorResponse, MediaPutResponse } from '../protocol'
import { guarded, HttpError, json, limitsOf, refusal, type SyncService } from './http'
import type { SyncLimits } from './limits'

/*
 * A photo's bytes at `/api/media/<sha256>` (sync/SPEC.md M8, M9). The hash is the blob's whole
 * name, so whoever may read it may cache it for ever; who may read it is a user who holds a
 * `media` row naming it and has proved holding the bytes, by an upload of them that hashed to
 * their name (`media_holders`): anyone may write a row naming anyone's hash, so the row alone
 * proves nothing. A hash nobody has, another user's photo and a library's revoked member all get
 * one 404: the answer never says whether anybody else holds the bytes.
 */

const MIB = 1024 * 1024
const LIMIT_TEXT = `${MAX_MEDIA_BYTES / MIB} MB`
const ACCEPTED = 'JPEG, PNG, WebP or GIF'

const notFound = () => refusal(404, 'There is no photo of yours at this address.')

async function requireUser(service: SyncService, request: Request): Promise<string> {
  const userId = await service.authenticate(request)
  if (!userId) throw refusal(401, 'Sign in to upload or see photos.')
  return userId
}

function requireHash(sha: string) {
  if (!isSha256(sha)) throw refusal(400, 'A photo’s address must be its SHA-256 in 64 lower-case hex digits.')
}

/**
 * Whether `userId` holds a photo naming `sha` as its image or its thumbnail, and whether they
 * have proved holding its bytes (an earlier upload of theirs, `media_holders`).
 */
async function ownPhotos(db: Db, userId: string, sha: string): Promise<{ any: boolean; proved: boolean }> {
  const [found] = await rows<{ any: boolean; proved: boolean }>(
    db,
    sql`select exists (select 1 from media where user_id = ${userId} and (sha256 = ${sha} or thumb_sha256 = ${sha})) as any,
               exists (select 1 from media_holders where sha256 = ${sha} and user_id = ${userId}) as proved`,
  )
  return { any: found?.any ?? false, proved: found?.proved ?? false }
}

/** Records that `userId` uploaded bytes that hashed to `sha` (held by the server: the row follows the blob). */
async function noteHolder(db: Db, userId: string, sha: string) {
  await db.insert(mediaHolders).values({ sha256: sha, userId }).onConflictDoNothing()
}

/**
 * Counts the photo uploads (or reads) a server process serves at once, in all and per account
 * (SPEC M8). Per process, like the snapshot gate: instances behind a load balancer each keep
 * their own.
 */
class MediaGate {
  private reading = 0
  private readonly byUser = new Map<string, number>()

  /** A place, or null when `limit` are served (or `perUser` for this user); the function gives it back once. */
  enter(userId: string, limit: number, perUser = limit): (() => void) | null {
    const mine = this.byUser.get(userId) ?? 0
    if (this.reading >= limit || mine >= perUser) return null
    this.reading += 1
    this.byUser.set(userId, mine + 1)
    let left = false
    return () => {
      if (left) return
      left = true
      this.reading -= 1
      const rest = (this.byUser.get(userId) ?? 1) - 1
      if (rest > 0) this.byUser.set(userId, rest)
      else this.byUser.delete(userId)
    }
  }

  get running() {
    return this.reading
  }
}

const gates = new WeakMap<SyncService, { uploads: MediaGate; reads: MediaGate }>()
function gatesOf(service: SyncService) {
  let gate = gates.get(service)
  if (!gate) gates.set(service, (gate = { uploads: new MediaGate(), reads: new MediaGate() }))
  return gate
}
const gateOf = (service: SyncService) => gatesOf(service).uploads

const busy = (message: string, limits: SyncLimits) =>
  new HttpError(429, { type: 'error', message } satisfies ErrorResponse, { 'retry-after': String(limits.retryAfterSeconds) })

/** Photo bodies `service` is reading now (SPEC M8). */
export function uploadsReading(service: SyncService): number {
  return gateOf(service).running
}

type Received = { bytes: Buffer; sha256: string; type: MediaType }

const LATE = Symbol('late')

/**
 * Reads a photo's body whole: at most {@link MAX_MEDIA_BYTES}, hashed as it arrives, its type
 * read from its first bytes (a PDF is refused after 12 bytes, not 8 MiB). A body that stalls or
 * runs past the deadline is cut (408), one its client hangs up on or that ends short of its
 * `Content-Length` is refused (400); nothing of either is kept.
 */
async function readBlob(request: Request, limits: SyncLimits, declared: number | undefined): Promise<Received> {
  const reader = request.body?.getReader()
  if (!reader) throw emptyBody()
  const hash = createHash('sha256')
  const chunks: Buffer[] = []
  let size = 0
  let type: MediaType | null | undefined
  const ends = Date.now() + limits.mediaBodyDeadlineMs
  const stop = (error: HttpError) => {
    void reader.cancel().catch(() => undefined)
    return error
  }
  for (;;) {
    const wait = Math.min(limits.mediaBodyStallMs, ends - Date.now())
    const read = reader.read()
    read.catch(() => undefined)
    let timer: ReturnType<typeof setTimeout> | undefined
    const step = await Promise.race([read, new Promise<typeof LATE>((resolve) => (timer = setTimeout(() => resolve(LATE), wait)))])
      .catch((error: unknown) => {
        // A client that hangs up mid-body fails it with `aborted` (ECONNRESET), as in readJson (SPEC A12).
        const gone = request.signal.aborted || (error as NodeJS.ErrnoException).code === 'ECONNRESET'
        throw gone ? refusal(400, 'The upload ended before all of the photo had arrived; nothing was stored.') : error
      })
      .finally(() => clearTimeout(timer))
    if (step === LATE) {
      const stalled = wait === limits.mediaBodyStallMs && Date.now() < ends
      throw stop(
        refusal(
          408,
          stalled
            ? `The upload sent nothing for ${limits.mediaBodyStallMs / 1000} s and was ended; nothing was stored. It is retried.`
            : `The upload took longer than ${limits.mediaBodyDeadlineMs / 1000} s and was ended; nothing was stored. It is retried.`,
        ),
      )
    }
    if (step.done) break
    const chunk = Buffer.from(step.value.buffer, step.value.byteOffset, step.value.byteLength)
    size += chunk.byteLength
    if (size > MAX_MEDIA_BYTES) throw stop(tooLarge())
    hash.update(chunk)
    chunks.push(chunk)
    if (type === undefined && size >= SNIFF_BYTES) {
      type = sniffMediaType(Buffer.concat(chunks).subarray(0, SNIFF_BYTES))
      if (!type) throw stop(notAnImage())
    }
  }
  if (size === 0) throw emptyBody()
  if (declared !== undefined && size < declared) {
    throw refusal(400, `The upload ended after ${size} of its ${declared} bytes; nothing was stored.`)
  }
  const bytes = Buffer.concat(chunks, size)
  type ??= sniffMediaType(bytes)
  if (!type) throw notAnImage()
  return { bytes, sha256: hash.digest('hex'), type }
}

const emptyBody = () => refusal(400, 'The upload is empty: send the photo’s bytes.')
const tooLarge = (declared?: number) =>
  refusal(
    413,
    `A photo may be at most ${LIMIT_TEXT}${declared === undefined ? '' : ` (this one is ${(declared / MIB).toFixed(1)} MB)`}; nothing was stored.`,
  )
const notAnImage = () => refusal(415, `These bytes are not a photo: Cadence stores ${ACCEPTED} images; nothing was stored.`)

/** The declared body length, if the request declares one that is a number. */
function declaredLength(request: Request): number | undefined {
  const header = request.headers.get('content-length')
  if (header === null || !/^\d+$/.test(header.trim())) return undefined
  return Number(header)
}

/**
 * Stores the bytes once (SPEC M8): a second upload of the hash, by anyone, finds them held.
 * Held bytes have their unreferenced mark cleared, which takes their row lock: a garbage
 * collection deleting them at this moment re-reads the row once this commits, finds the mark
 * gone and keeps them (media-gc.ts). Bytes it deleted just before are stored again.
 */
async function keepBlob(db: Db, blob: Received): Promise<'stored' | 'held'> {
  for (let attempt = 1; ; attempt++) {
    const inserted = await db
      .insert(mediaBlobs)
      .values({ sha256: blob.sha256, data: blob.bytes, mimeType: blob.type, byteSize: blob.bytes.byteLength })
      .onConflictDoNothing()
      .returning({ sha256: mediaBlobs.sha256 })
    if (inserted.length > 0) return 'stored'
    if ((await clearMark(db, blob.sha256)) || attempt >= 3) return 'held'
  }
}

async function clearMark(db: Db, sha: string): Promise<boolean> {
  const touched = await db
    .update(mediaBlobs)
    .set({ unreferencedSince: null })
    .where(eq(mediaBlobs.sha256, sha))
    .returning({ sha256: mediaBlobs.sha256 })
  return touched.length > 0
}

/**
 * Marks uploaded every photo of the user's naming `sha` whose image and thumbnail the user has
 * both uploaded (SPEC M8; a holder row implies the bytes are held): a synced write, so the
 * user's devices hear it. Run after the bytes are committed, as a statement of its own: of two
 * uploads of one photo's two blobs, the later one to get here sees both (each statement reads
 * what was committed when it began).
 */
async function markUploaded(db: Db, userId: string, sha: string) {
  await db.execute(sql`
    update media m set uploaded_at = now()
     where m.user_id = ${userId} and m.uploaded_at is null and (m.sha256 = ${sha} or m.thumb_sha256 = ${sha})
       and exists (select 1 from media_holders h where h.sha256 = m.sha256 and h.user_id = m.user_id)
       and (m.thumb_sha256 is null or exists (select 1 from media_holders h where h.sha256 = m.thumb_sha256 and h.user_id = m.user_id))`)
}

const putAnswer = (status: 200 | 201, sha256: string, result: MediaPutResponse['result']) =>
  json(status, { type: 'media-put', sha256, result } satisfies MediaPutResponse)

/**
 * PUT `mediaPath(sha)`: stores a photo's bytes (SPEC M8). 201 `stored` when they were new, 200
 * `held` when the server had them; every refusal a JSON `{ type: 'error', message }`.
 */
export function handleMediaPut(service: SyncService, request: Request, sha: string): Promise<Response> {
  return guarded(async () => {
    const userId = await requireUser(service, request)
    requireHash(sha)
    const limits = limitsOf(service)
    const declared = declaredLength(request)
    if (declared !== undefined && declared > MAX_MEDIA_BYTES) throw tooLarge(declared)
    const mine = await ownPhotos(service.db, userId, sha)
    if (!mine.any) throw notFound()
    // The bytes are held and this user proved having them before (an upload of theirs): nothing
    // to read. Otherwise the body is read and checked even when the bytes are held, so knowing a
    // hash is never enough to be told the bytes are there, nor to be served them (M9).
    if (mine.proved && (await clearMark(service.db, sha))) {
      void request.body?.cancel().catch(() => undefined)
      await markUploaded(service.db, userId, sha)
      return putAnswer(200, sha, 'held')
    }
    const leave = gateOf(service).enter(userId, limits.mediaUploadsAtOnce, limits.mediaUploadsPerUser)
    if (!leave) {
      throw busy(
        `Too many photos are being uploaded at once (at most ${limits.mediaUploadsAtOnce}, ${limits.mediaUploadsPerUser} for an account); nothing was lost. The upload is retried shortly.`,
        limits,
      )
    }
    // The place is held until the bytes are stored: until then they are in memory.
    try {
      const blob = await readBlob(request, limits, declared)
      if (blob.sha256 !== sha) {
        throw refusal(
          400,
          `The bytes sent hash to ${blob.sha256}, not to ${sha}: the upload was damaged or is another photo. Nothing was stored.`,
        )
      }
      await keepBlob(service.db, blob)
      await noteHolder(service.db, userId, sha)
    } finally {
      leave()
    }
    await markUploaded(service.db, userId, sha)
    // Stored, for whoever proved holding the bytes with this upload: whether another account had
    // sent them before is nobody else's business (M8).
    return putAnswer(201, sha, 'stored')
  })
}

/** A byte range of a blob of `size` bytes, from `start` to `end` inclusive. */
type ByteRange = { start: number; end: number }

/**
 * What a `Range` header asks of `size` bytes (RFC 9110 14.2): a range, `'unsatisfiable'`, or
 * undefined when it asks nothing this server serves (no header, another unit, several ranges, a
 * malformed one): then the whole blob is sent, as the RFC lets a server do.
 */
export function parseRange(header: string | null, size: number): ByteRange | 'unsatisfiable' | undefined {
  if (!header) return undefined
  const match = /^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$/i.exec(header)
  if (!match) return undefined
  const [, from = '', to = ''] = match
  if (from === '' && to === '') return undefined
  if (from === '') {
    const suffix = Number(to)
    if (suffix === 0) return 'unsatisfiable'
    return { start: Math.max(0, size - suffix), end: size - 1 }
  }
  const start = Number(from)
  if (to !== '' && Number(to) < start) return undefined
  if (start >= size) return 'unsatisfiable'
  return { start, end: to === '' ? size - 1 : Math.min(Number(to), size - 1) }
}

/** Whether an `If-None-Match` list names `etag` (weakly compared, RFC 9110 13.1.2), or is `*`. */
function matchesEtag(header: string | null, etag: string): boolean {
  if (!header) return false
  return header.split(',').some((tag) => {
    const t = tag.trim()
    return t === '*' || t === etag || t === `W/${etag}`
  })
}

/**
 * GET (and HEAD) `mediaPath(sha)`: a photo's bytes to a user holding a photo that names them
 * (SPEC M9). Immutable and private; `If-None-Match` answers 304, one `Range` 206 (read from the
 * database as that range only), an unsatisfiable one 416.
 */
export function handleMediaGet(service: SyncService, request: Request, sha: string): Promise<Response> {
  return guarded(async () => {
    const userId = await requireUser(service, request)
    requireHash(sha)
    const limits = limitsOf(service)
    const [blob] = await rows<{ mime_type: string; byte_size: number }>(
      service.db,
      sql`select b.mime_type, b.byte_size from media_blobs b
           where b.sha256 = ${sha}
             and exists (select 1 from media m where m.user_id = ${userId} and (m.sha256 = ${sha} or m.thumb_sha256 = ${sha}))
             and exists (select 1 from media_holders h where h.sha256 = ${sha} and h.user_id = ${userId})`,
    )
    if (!blob) throw notFound()
    const size = Number(blob.byte_size)
    const etag = `"${sha}"`
    const headers: Record<string, string> = {
      etag,
      'cache-control': 'private, max-age=31536000, immutable',
      'accept-ranges': 'bytes',
      'x-content-type-options': 'nosniff',
    }
    if (matchesEtag(request.headers.get('if-none-match'), etag)) return new Response(null, { status: 304, headers })
    // An `If-Range` naming another version asks for the whole: with one version per address it never does.
    const ifRange = request.headers.get('if-range')
    const range = ifRange === null || ifRange.trim() === etag ? parseRange(request.headers.get('range'), size) : undefined
    if (range === 'unsatisfiable') {
      return json(
        416,
        { type: 'error', message: `The photo has ${size} bytes; the range asked for lies outside them.` } satisfies ErrorResponse,
        {
          'content-range': `bytes */${size}`,
          'accept-ranges': 'bytes',
        },
      )
    }
    const { start, end } = range ?? { start: 0, end: size - 1 }
    const length = end - start + 1
    Object.assign(headers, { 'content-type': blob.mime_type, 'content-length': String(length) })
    if (range) headers['content-range'] = `bytes ${start}-${end}/${size}`
    const status = range ? 206 : 200
    if (request.method === 'HEAD') return new Response(null, { status, headers })
    const leave = gatesOf(service).reads.enter(userId, limits.mediaReadsAtOnce)
    if (!leave) throw busy(`Too many photos are being read at once (at most ${limits.mediaReadsAtOnce}); try again shortly.`, limits)
    const [read] = await rows<{ data: Uint8Array }>(
      service.db,
      sql`select substring(data from ${start + 1} for ${length}) as data from media_blobs where sha256 = ${sha}`,
    ).finally(leave)
    // Collected between the two reads (its last photo removed meanwhile): as if never there.
    if (!read) throw notFound()
    return new Response(new Uint8Array(read.data), { status, headers })
  })
}
