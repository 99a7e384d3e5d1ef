/**
 * Networks for Node tests, as wrappers of the `fetch` a device's `HttpTransport` sends with
 * (usually `handlerFetch`, the route handlers in process). {@link Network} can be switched off
 * and can cut the next snapshot stream; {@link ScriptedFetch} holds every request until the test
 * decides its fate: deliver it, drop it before the server sees it, let the server act but lose
 * the answer, deliver it twice, or deliver a later one first. Both carry the sync endpoints'
 * requests and the photo blobs' (`media`: a PUT or GET of `mediaPath(sha)`, SPEC M8, M9).
 */
import { endpointOf, mediaPathPrefix, type SyncEndpoint } from '../../protocol'
import type { Fetch } from '../transport'

/** What a failed `fetch` rejects with: the browser's `TypeError`, saying why here. */
export const networkFailure = (why: string) => new TypeError(`fetch failed: ${why}`)

/** What a request asks for: a sync endpoint, or a photo blob (`media`). */
export type RequestKind = SyncEndpoint | 'media'

/** What `url` asks for, if it is one of {@link RequestKind}. */
export function kindOf(url: string): RequestKind | undefined {
  const found = endpointOf(url)
  if (found) return found
  return new URL(url, 'http://origin.invalid').pathname.startsWith(mediaPathPrefix) ? 'media' : undefined
}

/** The kind of request `url` is; requests elsewhere are a test's mistake. */
function requestKind(url: string): RequestKind {
  const found = kindOf(url)
  if (!found) throw new Error(`not a sync endpoint nor a photo's address: ${url}`)
  return found
}

/** Reads a response to its end, as a network delivers it whether or not anyone waits for it. */
export async function drain(response: Response): Promise<void> {
  await response.arrayBuffer().catch(() => undefined)
}

/**
 * A network in front of `server`. While {@link online} is false every request fails before it
 * is sent, and a snapshot being streamed breaks at its next read.
 */
export class Network {
  online = true
  /** Lines after which the next snapshot stream breaks (those before it arrive). */
  cutAfter: number | undefined

  constructor(protected readonly server: Fetch) {}

  readonly fetch: Fetch = (url, init) => this.send(requestKind(url), url, init)

  /** One request through to the server and its answer back, past the network's faults. */
  protected exchange(url: string, init: RequestInit): Promise<Response> {
    return this.server(url, init)
  }

  protected async send(to: RequestKind, url: string, init: RequestInit): Promise<Response> {
    const cutAfter = to === 'snapshot' ? this.cutAfter : undefined
    if (to === 'snapshot') this.cutAfter = undefined
    if (!this.online) throw networkFailure('the network is off')
    const response = await this.exchange(url, init)
    // JSON answers arrive whole here; only a stream can break part way.
    if (to !== 'snapshot' || !response.body) return response
    return new Response(this.carry(response.body, cutAfter), response)
  }

  /**
   * The stream as it crosses this network: read only as the device reads (so going offline
   * between two lines breaks the second), and ended from both sides when it breaks.
   */
  private carry(body: ReadableStream<Uint8Array>, cutAfter: number | undefined): ReadableStream<Uint8Array> {
    const upstream = body.getReader()
    let lines = 0
    let cut = false
    const broken = async (controller: ReadableStreamDefaultController<Uint8Array>, why: string) => {
      await upstream.cancel().catch(() => undefined)
      controller.error(networkFailure(why))
    }
    return new ReadableStream<Uint8Array>(
      {
        pull: async (controller) => {
          if (!this.online) return broken(controller, 'the network went off')
          if (cut) return broken(controller, 'the snapshot was cut off')
          const { done, value } = await upstream.read()
          if (done) return controller.close()
          if (cutAfter === undefined) return controller.enqueue(value)
          // Up to the end of line `cutAfter` gets through; anything after it breaks the stream.
          let end = 0
          while (lines < cutAfter && end < value.length) {
            const newline = value.indexOf(10, end)
            end = newline < 0 ? value.length : newline + 1
            if (newline >= 0) lines++
          }
          if (end === 0 && value.length > 0) return broken(controller, 'the snapshot was cut off')
          if (end > 0) controller.enqueue(value.subarray(0, end))
          if (end < value.length) cut = true
        },
        cancel: (reason) => upstream.cancel(reason),
      },
      { highWaterMark: 0 },
    )
  }
}

type Held = {
  kind: RequestKind
  /** `GET`, `PUT`, ... (a `media` request is either). */
  method: string
  run: () => Promise<Response>
  resolve: (response: Response) => void
  reject: (error: unknown) => void
}

/** Holds each request of the device until the test answers it (see the file's header). */
export class ScriptedFetch {
  readonly held: Held[] = []
  private waiters: (() => void)[] = []

  constructor(private readonly inner: Fetch) {}

  readonly fetch: Fetch = (url, init) =>
    new Promise<Response>((resolve, reject) => {
      this.held.push({ kind: requestKind(url), method: init.method ?? 'GET', run: () => this.inner(url, init), resolve, reject })
      for (const w of this.waiters.splice(0)) w()
    })

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
    this.take(i).reject(networkFailure('the request was lost'))
  }

  /** The server handles the request but the answer is lost. */
  async dropResponse(i = 0) {
    const m = this.take(i)
    await m.run().then(drain, () => undefined)
    m.reject(networkFailure('the answer was lost'))
  }

  /** The request reaches the server twice; the device gets the second answer. */
  async duplicate(i = 0) {
    const m = this.take(i)
    await m.run().then(drain, () => undefined)
    await m.run().then(m.resolve, m.reject)
  }
}
