/**
 * Transports for Node tests. `DirectTransport` hands each request to the real HTTP handlers of a
 * test sync server. `ScriptedTransport` holds every request until the test decides its fate:
 * deliver it, drop it before the server sees it, let the server act but lose the answer,
 * deliver it twice, or deliver a later one first.
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
} from '../../protocol'
import { handlePull, handlePush, handleSnapshot, type SyncService } from '../../server/http'
import { TransportError, type PullParams, type SnapshotParams, type Transport } from '../transport'

export class DirectTransport implements Transport {
  /** While false, every request fails as if the network were down. */
  online = true

  constructor(
    private readonly service: () => SyncService,
    private readonly token: string,
  ) {}

  private headers() {
    return { authorization: `Bearer ${this.token}`, 'content-type': 'application/json' }
  }

  private check() {
    if (!this.online) throw new TransportError('offline', 'The network is off.')
  }

  private async answer(response: Response) {
    if (response.status >= 500) throw new TransportError('server', `The server failed (${response.status}).`)
    if (response.status === 401) throw new TransportError('auth', 'Signed out.')
    if (response.status >= 400 && response.status !== 409) throw new TransportError('refused', await response.text())
    return response
  }

  async push(request: PushRequest): Promise<PushResponse> {
    this.check()
    const response = await this.answer(
      await handlePush(
        this.service(),
        new Request('http://test/api/sync/push', { method: 'POST', headers: this.headers(), body: JSON.stringify(request) }),
      ),
    )
    return pushResponseSchema.parse(await response.json())
  }

  async pull({ deviceId, offset, limit = 1000, waitMs = 0, signal }: PullParams): Promise<PullResponse | MustRefetch> {
    this.check()
    const q = new URLSearchParams({
      v: String(PROTOCOL_VERSION),
      deviceId,
      offset: String(offset),
      limit: String(limit),
      waitMs: String(waitMs),
    })
    const response = await this.answer(
      await handlePull(this.service(), new Request(`http://test/api/sync/pull?${q}`, { headers: this.headers(), signal })),
    )
    const body = await response.json()
    return response.status === 409 ? mustRefetchSchema.parse(body) : pullResponseSchema.parse(body)
  }

  async snapshot({ deviceId, sinceMutationId = 0 }: SnapshotParams, onLine: (line: SnapshotLine) => Promise<void>): Promise<void> {
    this.check()
    const q = new URLSearchParams({ v: String(PROTOCOL_VERSION), deviceId, since: String(sinceMutationId) })
    const response = await this.answer(
      await handleSnapshot(this.service(), new Request(`http://test/api/sync/snapshot?${q}`, { headers: this.headers() })),
    )
    const text = await response.text()
    for (const line of text.trim().split('\n')) {
      this.check()
      await onLine(snapshotLineSchema.parse(JSON.parse(line)))
    }
  }
}

type Held = { kind: 'push' | 'pull' | 'snapshot'; run: () => Promise<unknown>; resolve: (v: unknown) => void; reject: (e: unknown) => void }

export class ScriptedTransport implements Transport {
  readonly held: Held[] = []
  private waiters: (() => void)[] = []

  constructor(private readonly inner: Transport) {}

  private hold<T>(kind: Held['kind'], run: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.held.push({ kind, run, resolve: resolve as (v: unknown) => void, reject })
      for (const w of this.waiters.splice(0)) w()
    })
  }

  push(request: PushRequest) {
    return this.hold('push', () => this.inner.push(request))
  }
  pull(params: PullParams) {
    return this.hold('pull', () => this.inner.pull(params))
  }
  snapshot(params: SnapshotParams, onLine: (line: SnapshotLine) => Promise<void>) {
    return this.hold('snapshot', () => this.inner.snapshot(params, onLine))
  }

  /** Resolves once at least `n` requests are held. */
  async waitFor(n = 1): Promise<void> {
    while (this.held.length < n) await new Promise<void>((r) => this.waiters.push(r))
  }

  private take(i: number): Held {
    const [m] = this.held.splice(i, 1)
    if (!m) throw new Error(`no held request at ${i}`)
    return m
  }

  /** The server handles the request and the device gets the answer. */
  async deliver(i = 0) {
    const m = this.take(i)
    await m.run().then(m.resolve, m.reject)
  }

  /** The request never reaches the server. */
  async dropRequest(i = 0) {
    this.take(i).reject(new TransportError('offline', 'The request was lost.'))
  }

  /** The server handles the request but the answer is lost. */
  async dropResponse(i = 0) {
    const m = this.take(i)
    await m.run().catch(() => undefined)
    m.reject(new TransportError('offline', 'The answer was lost.'))
  }

  /** The request reaches the server twice; the device gets the second answer. */
  async duplicate(i = 0) {
    const m = this.take(i)
    await m.run().catch(() => undefined)
    await m.run().then(m.resolve, m.reject)
  }
}
