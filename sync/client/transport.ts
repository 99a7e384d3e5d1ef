/**
 * How a device talks to the server. `HttpTransport` is the browser's; tests use a scripted one
 * that holds each request until the test delivers, drops, duplicates or reorders it.
 */
import {
  PROTOCOL_VERSION,
  mustRefetchSchema,
  pullResponseSchema,
  pushResponseSchema,
  snapshotLineSchema,
  type MustRefetch,
  type PullResponse,
  type PushRequest,
  type PushResponse,
  type SnapshotLine,
} from '../protocol'

export type PullParams = { deviceId: string; offset: number; limit?: number; waitMs?: number; signal?: AbortSignal }
export type SnapshotParams = { deviceId: string; sinceMutationId?: number; signal?: AbortSignal }

export interface Transport {
  push(request: PushRequest): Promise<PushResponse>
  pull(params: PullParams): Promise<PullResponse | MustRefetch>
  /** Streams a snapshot; `onLine` is awaited for each line, so a slow consumer slows the stream. */
  snapshot(params: SnapshotParams, onLine: (line: SnapshotLine) => Promise<void>): Promise<void>
}

/** A request that did not get an answer about the mutations: retry later, nothing is lost. */
export class TransportError extends Error {
  constructor(
    readonly kind: 'offline' | 'server' | 'auth' | 'refused',
    message: string,
  ) {
    super(message)
    this.name = 'TransportError'
  }
}

export class HttpTransport implements Transport {
  constructor(private readonly base = '') {}

  private async request(url: string, init: RequestInit): Promise<Response> {
    let response: Response
    try {
      response = await fetch(`${this.base}${url}`, { credentials: 'same-origin', cache: 'no-store', ...init })
    } catch (error) {
      if ((error as Error).name === 'AbortError') throw error
      throw new TransportError('offline', 'The server cannot be reached.')
    }
    if (response.status === 401) throw new TransportError('auth', 'Signed out: sign in again to sync.')
    if (response.status >= 500) throw new TransportError('server', `The server failed (${response.status}).`)
    if (response.status >= 400 && response.status !== 409) {
      const body = (await response.json().catch(() => ({}))) as { message?: string }
      throw new TransportError('refused', body.message ?? `The server refused the request (${response.status}).`)
    }
    return response
  }

  async push(request: PushRequest): Promise<PushResponse> {
    const response = await this.request('/api/sync/push', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(request),
    })
    return pushResponseSchema.parse(await response.json())
  }

  async pull({ deviceId, offset, limit = 1000, waitMs = 0, signal }: PullParams): Promise<PullResponse | MustRefetch> {
    const query = new URLSearchParams({
      v: String(PROTOCOL_VERSION),
      deviceId,
      offset: String(offset),
      limit: String(limit),
      waitMs: String(waitMs),
    })
    const response = await this.request(`/api/sync/pull?${query}`, { signal })
    const body = await response.json()
    return response.status === 409 ? mustRefetchSchema.parse(body) : pullResponseSchema.parse(body)
  }

  async snapshot({ deviceId, sinceMutationId = 0, signal }: SnapshotParams, onLine: (line: SnapshotLine) => Promise<void>): Promise<void> {
    const query = new URLSearchParams({ v: String(PROTOCOL_VERSION), deviceId, since: String(sinceMutationId) })
    const response = await this.request(`/api/sync/snapshot?${query}`, { signal })
    if (!response.body) throw new TransportError('server', 'The snapshot had no body.')
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader()
    let buffered = ''
    let ended = false
    try {
      for (;;) {
        const { done, value } = await reader.read()
        if (done) break
        buffered += value
        let newline: number
        while ((newline = buffered.indexOf('\n')) >= 0) {
          const line = snapshotLineSchema.parse(JSON.parse(buffered.slice(0, newline)))
          buffered = buffered.slice(newline + 1)
          if (line.type === 'snapshot-end') ended = true
          await onLine(line)
        }
      }
    } catch (error) {
      if (error instanceof TransportError || (error as Error).name === 'AbortError') throw error
      throw new TransportError('offline', 'The snapshot was interrupted.')
    }
    if (!ended) throw new TransportError('offline', 'The snapshot was interrupted.')
  }
}
