/**
 * How a device talks to the server: {@link HttpTransport}, the one client of the wire
 * (sync/protocol.ts). It takes the `fetch` it sends with; tests hand it one that routes each
 * request to the route handlers in process, and wrap that to drop, duplicate, reorder or cut
 * requests and answers (`sync/client/testing/`).
 */
import {
  PROTOCOL_VERSION,
  contentTypes,
  historyResponseSchema,
  mediaPath,
  mediaPutResponseSchema,
  mustRefetchSchema,
  pullResponseSchema,
  pushResponseSchema,
  queryString,
  snapshotLineSchema,
  syncPaths,
  syncStatuses,
  unsupportedVersionSchema,
  type HistoryQuery,
  type HistoryResponse,
  type MustRefetch,
  type PullResponse,
  type PushRequest,
  type PushResponse,
  type SnapshotLine,
} from '../protocol'
import type { z } from 'zod'

export type PullParams = { deviceId: string; offset: number; limit?: number; waitMs?: number; signal?: AbortSignal }
export type SnapshotParams = { deviceId: string; sinceMutationId?: number; signal?: AbortSignal }
/** A history request (SPEC W5), without the version the transport adds. */
export type HistoryParams = Omit<HistoryQuery, 'v'> & { signal?: AbortSignal }

/** How long a photo's upload, and its download, may take before the device gives it up (M7, M10). */
const MEDIA_PUT_TIMEOUT_MS = 260_000
const MEDIA_GET_TIMEOUT_MS = 60_000

/** `signal`, and a timeout of `ms`, whichever ends first. */
const within = (ms: number, signal?: AbortSignal) => (signal ? AbortSignal.any([signal, AbortSignal.timeout(ms)]) : AbortSignal.timeout(ms))

export interface Transport {
  push(request: PushRequest): Promise<PushResponse>
  pull(params: PullParams): Promise<PullResponse | MustRefetch>
  /** Streams a snapshot; `onLine` is awaited for each line, so a slow consumer slows the stream. */
  snapshot(params: SnapshotParams, onLine: (line: SnapshotLine) => Promise<void>): Promise<void>
  /** Whole workouts outside the device's window (SPEC W5); a transport without it cannot widen one. */
  history?(params: HistoryParams): Promise<HistoryResponse>
}

/**
 * The photo blobs' endpoints (SPEC M7-M9). `putMedia` answers `stored` or `held`, and throws
 * {@link TransportError}: `not-found` (404: no photo of the caller's names the hash), `auth`
 * (401), `refused` (400, 413, 415, any other 4xx: the server's words), `busy` (429, 503 with
 * `Retry-After`, 408), `offline`, `server`. `getMedia` answers null for a 404.
 */
export interface MediaTransport {
  putMedia(sha256: string, bytes: Uint8Array, mimeType: string, signal?: AbortSignal): Promise<'stored' | 'held'>
  getMedia(sha256: string, signal?: AbortSignal): Promise<Blob | null>
}

/** Whether `transport` also reaches the photo blobs (the wire client does; a test's fake may not). */
export function hasMedia<T extends object>(transport: T): transport is T & MediaTransport {
  return 'putMedia' in transport && 'getMedia' in transport
}

/**
 * Which side is behind when the server speaks no version the device does (SPEC V2):
 * `update-app`, this app is older than the oldest the server serves; `server-behind`, the
 * server is older than this app.
 */
export type Incompatible = 'update-app' | 'server-behind'

/**
 * A request that did not get an answer about the mutations: retry later, nothing is lost.
 * `too-large`: the body was refused as over the size limit (413), so the push must be smaller.
 * `server`: the server failed, or answered what this app cannot read.
 * `not-found`: a photo blob's endpoint answered 404 (SPEC M8, M9).
 */
export class TransportError extends Error {
  constructor(
    readonly kind: 'offline' | 'server' | 'auth' | 'refused' | 'version' | 'too-large' | 'busy' | 'not-found',
    message: string,
    /** Set when `kind` is `version`. */
    readonly incompatible?: Incompatible,
    /** Set when `kind` is `busy`: how long the server asked the device to wait (`Retry-After`). */
    readonly retryAfterMs?: number,
  ) {
    super(message)
    this.name = 'TransportError'
  }
}

/** The part of `fetch` the transport uses; the global `fetch` is one. */
export type Fetch = (url: string, init: RequestInit) => Promise<Response>

export type HttpTransportOptions = {
  /** Origin of the server; empty for the page's own. */
  base?: string
  /** Defaults to the global `fetch` (looked up on each request, so it may be replaced later). */
  fetch?: Fetch
}

export class HttpTransport implements Transport, MediaTransport {
  private readonly base: string
  private readonly send: Fetch

  constructor({ base = '', fetch: send }: HttpTransportOptions = {}) {
    this.base = base
    this.send = send ?? ((url, init) => fetch(url, init))
  }

  /** The answer to a request; one that never came is `offline` (an abort passes as it is). */
  private async exchange(url: string, init: RequestInit): Promise<Response> {
    try {
      return await this.send(`${this.base}${url}`, { credentials: 'same-origin', cache: 'no-store', ...init })
    } catch (error) {
      if ((error as Error).name === 'AbortError') throw error
      throw new TransportError('offline', 'The server cannot be reached.')
    }
  }

  private async request(url: string, init: RequestInit): Promise<Response> {
    const response = await this.exchange(url, init)
    if (response.status === syncStatuses.unsupportedVersion) throw await versionError(response)
    if (response.status === 401) throw new TransportError('auth', 'Signed out: sign in again to sync.')
    // Busy (SPEC A8, A9, P7): nothing was done; ask again once the server said it may be served.
    if (response.status === 429 || (response.status === 503 && response.headers.has('retry-after'))) {
      const message = await messageOf(response, 'The server is busy; this device will try again shortly.')
      throw new TransportError('busy', message, undefined, retryAfterMs(response.headers.get('retry-after')))
    }
    if (response.status >= 500) throw new TransportError('server', `The server failed (${response.status}).`)
    if (response.status === 413)
      throw new TransportError('too-large', await messageOf(response, 'The request was too large for the server.'))
    if (response.status >= 400 && response.status !== syncStatuses.mustRefetch) {
      const body = (await response.json().catch(() => ({}))) as { message?: string }
      throw new TransportError('refused', body.message ?? `The server refused the request (${response.status}).`)
    }
    return response
  }

  /**
   * A photo blob's request (SPEC M7-M9): as a sync request's, except that 404 is `not-found`, a
   * 413 is a refusal of that blob (it cannot be made smaller by splitting), and 408 (the body
   * took too long) is tried again later.
   */
  private async mediaRequest(url: string, init: RequestInit): Promise<Response> {
    const response = await this.exchange(url, init)
    if (response.status === 401) throw new TransportError('auth', 'Signed out: sign in again to upload photos.')
    if (response.status === 404) throw new TransportError('not-found', 'No photo of this account has these bytes.')
    if (response.status === 429 || response.status === 408 || (response.status === 503 && response.headers.has('retry-after'))) {
      const message = await messageOf(response, 'The server is busy; this device will try again shortly.')
      throw new TransportError('busy', message, undefined, retryAfterMs(response.headers.get('retry-after')))
    }
    if (response.status >= 500) throw new TransportError('server', `The server failed (${response.status}).`)
    if (response.status >= 400) {
      throw new TransportError('refused', await messageOf(response, `The server refused the photo (${response.status}).`))
    }
    return response
  }

  async putMedia(sha256: string, bytes: Uint8Array, mimeType: string, signal?: AbortSignal): Promise<'stored' | 'held'> {
    // A connection that went half-open (wifi to mobile) must not hold the upload queue for ever:
    // past the server's own body deadline (240 s, M8) it is given up, and retried.
    const response = await this.mediaRequest(mediaPath(sha256), {
      method: 'PUT',
      // Browsers set the length themselves (and ignore this); a fetch in process needs it (M8).
      headers: { 'content-type': mimeType, 'content-length': String(bytes.byteLength) },
      body: bytes as BodyInit,
      signal: within(MEDIA_PUT_TIMEOUT_MS, signal),
    })
    const answer = await readAnswer(response, mediaPutResponseSchema, 'upload')
    if (answer.sha256 !== sha256) throw new TransportError('server', 'The server answered an upload for other bytes.')
    return answer.result
  }

  async getMedia(sha256: string, signal?: AbortSignal): Promise<Blob | null> {
    let response: Response
    try {
      response = await this.mediaRequest(mediaPath(sha256), { signal: within(MEDIA_GET_TIMEOUT_MS, signal) })
    } catch (error) {
      if (error instanceof TransportError && error.kind === 'not-found') return null
      throw error
    }
    try {
      return await response.blob()
    } catch (error) {
      if ((error as Error).name === 'AbortError') throw error
      throw new TransportError('offline', 'The photo’s download was interrupted.')
    }
  }

  async push(request: PushRequest): Promise<PushResponse> {
    const response = await this.request(syncPaths.push, {
      method: 'POST',
      headers: { 'content-type': contentTypes.json },
      body: JSON.stringify(request),
    })
    return readAnswer(response, pushResponseSchema, 'push')
  }

  async history({ signal, ...params }: HistoryParams): Promise<HistoryResponse> {
    const response = await this.request(`${syncPaths.history}?${queryString({ v: PROTOCOL_VERSION, ...params })}`, { signal })
    return readAnswer(response, historyResponseSchema, 'history')
  }

  async pull({ deviceId, offset, limit = 1000, waitMs = 0, signal }: PullParams): Promise<PullResponse | MustRefetch> {
    const query = queryString({ v: PROTOCOL_VERSION, deviceId, offset, limit, waitMs })
    const response = await this.request(`${syncPaths.pull}?${query}`, { signal })
    return response.status === syncStatuses.mustRefetch
      ? readAnswer(response, mustRefetchSchema, 'must-refetch')
      : readAnswer(response, pullResponseSchema, 'pull')
  }

  async snapshot({ deviceId, sinceMutationId = 0, signal }: SnapshotParams, onLine: (line: SnapshotLine) => Promise<void>): Promise<void> {
    const query = queryString({ v: PROTOCOL_VERSION, deviceId, since: sinceMutationId })
    const response = await this.request(`${syncPaths.snapshot}?${query}`, { signal })
    if (!response.body) throw new TransportError('server', 'The snapshot had no body.')
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader()
    let buffered = ''
    let ended = false
    let done = false
    try {
      while (!done) {
        let value: string | undefined
        try {
          ;({ done, value } = await reader.read())
        } catch (error) {
          // Only a failed read is the network's; a line that does not parse or that the device
          // fails to apply is a bug, and must not pass for a dropped connection.
          if ((error as Error).name === 'AbortError') throw error
          throw new TransportError('offline', 'The snapshot was interrupted.')
        }
        buffered += value ?? ''
        let newline: number
        while ((newline = buffered.indexOf('\n')) >= 0) {
          const line = readLine(buffered.slice(0, newline))
          buffered = buffered.slice(newline + 1)
          if (line.type === 'snapshot-end') ended = true
          // What `onLine` throws is the device's own failure (its database): it passes as it is,
          // never as the network's or the server's (SPEC B6).
          await onLine(line)
        }
      }
    } finally {
      // Leaving early must end the stream, or the server would hold its snapshot open for it.
      if (!done) await reader.cancel().catch(() => undefined)
    }
    if (!ended) throw new TransportError('offline', 'The snapshot was interrupted.')
  }
}

/** The message of an error answer, or `fallback`. */
/** `Retry-After` in milliseconds (seconds or an HTTP date; at most 5 minutes), or undefined. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined
  const ms = /^\d+$/.test(header.trim()) ? Number(header) * 1000 : Date.parse(header) - now
  return Number.isFinite(ms) ? Math.min(300_000, Math.max(0, ms)) : undefined
}

async function messageOf(response: Response, fallback: string): Promise<string> {
  const body = (await response.json().catch(() => ({}))) as { message?: unknown }
  return typeof body.message === 'string' ? body.message : fallback
}

/** An answer parsed by its schema; one that does not parse is the server's failure, not the device's. */
async function readAnswer<S extends z.ZodType>(response: Response, schema: S, what: string): Promise<z.output<S>> {
  const parsed = schema.safeParse(await response.json().catch(() => undefined))
  if (!parsed.success) throw new TransportError('server', `The server's ${what} answer could not be read.`)
  return parsed.data
}

/** One snapshot line; one that does not parse is the server's failure, as for any answer. */
function readLine(text: string): SnapshotLine {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    throw new TransportError('server', 'The server sent a snapshot line that is not JSON.')
  }
  const parsed = snapshotLineSchema.safeParse(json)
  if (!parsed.success) throw new TransportError('server', 'The server sent a snapshot line this app cannot read.')
  return parsed.data
}

/** The error for a 426 answer: which side must be updated, in the server's words. */
async function versionError(response: Response): Promise<TransportError> {
  const parsed = unsupportedVersionSchema.safeParse(await response.json().catch(() => undefined))
  if (!parsed.success) return new TransportError('version', 'The server does not speak this app’s sync protocol.', 'update-app')
  const { version, maxVersion, message } = parsed.data
  return new TransportError('version', message, version > maxVersion ? 'server-behind' : 'update-app')
}
