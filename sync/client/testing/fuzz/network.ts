/**
 * The fuzz's network: the test {@link Network} (off, or a snapshot cut after some lines) plus a
 * server that crashes after applying part of a push. It watches what the route handlers answer:
 * any status but 200 and 409 (and for a photo's blob 201, 206, 304 and 404: M8, M9), or a
 * snapshot stream the server broke, is noted as a surprise (the server must not fail on anything
 * a device sends); and it counts what the devices were sent, for the seeds' coverage check, and
 * how often each blob's upload was answered stored (`storedPuts`: once for each account that
 * uploads it, M8).
 */
import { mediaPathPrefix, syncStatuses, type PullResponse, type PushRequest, type PushResponse, type SyncEndpoint } from '../../../protocol'
import { Network, drain, kindOf, type RequestKind } from '../network'
import { describeError } from './world'

export class FaultyNetwork extends Network {
  /** The next push is applied up to this many mutations, then the server dies. */
  crashAfter: number | undefined
  /** A proxy on the way that answers 413 to a push body over this many bytes (B5). */
  proxyLimit: number | undefined
  /** Every device id a push was sent under (a device registers anew after a restore, B15). */
  readonly deviceIds = new Set<string>()
  readonly surprises: string[] = []
  /** How many times the server answered this device's PUT of a blob `stored` (201: its bytes read and kept, M8), by hash. */
  readonly storedPuts = new Map<string, number>()
  readonly seen = {
    mustRefetch: 0,
    scopeRemoved: 0,
    scopeAdded: 0,
    gaps: 0,
    reregisters: 0,
    bigBatch: 0,
    unauthorized: 0,
    'push:413': 0,
    withheld: 0,
    largePush: 0,
    busy: 0,
    'media:stored': 0,
    'media:held': 0,
    'media:fetched': 0,
    'media:notModified': 0,
    'media:404': 0,
  }

  protected override async send(to: RequestKind, url: string, init: RequestInit): Promise<Response> {
    const crashAfter = to === 'push' ? this.crashAfter : undefined
    if (to === 'push') {
      this.crashAfter = undefined
      const body = String(init.body)
      const deviceId = /"deviceId":"([^"]+)"/.exec(body.slice(0, 300))?.[1]
      if (deviceId) this.deviceIds.add(deviceId)
      const bytes = Buffer.byteLength(body)
      if (bytes > 250_000) this.seen.largePush++
      if (body.includes('"withheld":')) this.seen.withheld++
      if (this.online && this.proxyLimit !== undefined && bytes > this.proxyLimit) {
        this.seen['push:413']++
        return new Response('Request Entity Too Large', { status: 413 })
      }
    }
    if (crashAfter === undefined || !this.online) return super.send(to, url, init)
    if (crashAfter > 0) {
      const request = JSON.parse(String(init.body)) as PushRequest
      const part = { ...request, mutations: request.mutations.slice(0, crashAfter) }
      await drain(await this.exchange(url, { ...init, body: JSON.stringify(part) }))
    }
    // What a proxy answers for a server process that died in the middle of the request.
    return new Response('The server crashed in the middle of the push.', { status: 502 })
  }

  protected override async exchange(url: string, init: RequestInit): Promise<Response> {
    const to = kindOf(url)!
    let response: Response
    try {
      response = await super.exchange(url, init)
    } catch (error) {
      this.surprises.push(`${to}: ${describeError(error)}`)
      throw error
    }
    // A session the fuzz ended (A7): the server must say so, and the device keeps everything.
    if (response.status === 401) {
      this.seen.unauthorized++
      return new Response(await response.text(), { status: 401 })
    }
    // A busy server (A8: more snapshots of one account at once than it sends; P7: a push whose
    // retries ran out) says when to come back, and the device does: not a failure.
    if (response.status === 429) {
      this.seen.busy++
      return new Response(await response.text(), { status: 429, headers: response.headers })
    }
    if (to === 'media') return this.media(url, init.method ?? 'GET', response)
    if (response.status !== 200 && response.status !== syncStatuses.mustRefetch) {
      this.surprises.push(`${to}: the server answered ${response.status}: ${await response.text()}`)
      return new Response(null, { status: response.status })
    }
    if (to === 'snapshot') return response.body ? new Response(this.watched(response.body), response) : response
    const text = await response.text()
    this.count(to, url, response.status, JSON.parse(text) as unknown)
    return new Response(text, response)
  }

  /**
   * A photo blob's answer (M8, M9): a PUT is `stored` (201) or `held` (200), a GET the bytes (200,
   * 206) or not modified (304); either may be 404 (no photo of the caller's names the hash, or
   * the server has no bytes yet). Anything else is a surprise: the devices send only whole,
   * well-named images.
   */
  private async media(url: string, method: string, response: Response): Promise<Response> {
    const sha = new URL(url, 'http://origin.invalid').pathname.slice(mediaPathPrefix.length)
    const { status } = response
    if (method === 'PUT' && status === 201) {
      this.seen['media:stored']++
      this.storedPuts.set(sha, (this.storedPuts.get(sha) ?? 0) + 1)
    } else if (method === 'PUT' && status === 200) this.seen['media:held']++
    else if (method !== 'PUT' && (status === 200 || status === 206)) this.seen['media:fetched']++
    else if (method !== 'PUT' && status === 304) this.seen['media:notModified']++
    else if (status === 404) this.seen['media:404']++
    else {
      this.surprises.push(`media ${method} ${sha.slice(0, 8)}: the server answered ${status}: ${await response.text()}`)
      return new Response(null, { status })
    }
    return response
  }

  private count(to: SyncEndpoint, url: string, status: number, body: unknown) {
    if (to === 'push' && (body as PushResponse).type === 'gap') this.seen.gaps++
    if (to === 'push' && (body as PushResponse).type === 'reregister') this.seen.reregisters++
    if (to !== 'pull') return
    if (status === syncStatuses.mustRefetch) {
      this.seen.mustRefetch++
      return
    }
    const { changes } = body as PullResponse
    for (const c of changes) {
      if (c.kind === 'scope_removed') this.seen.scopeRemoved++
      if (c.kind === 'scope_added') this.seen.scopeAdded++
    }
    const limit = Number(new URL(url, 'http://origin.invalid').searchParams.get('limit'))
    if (changes.length > limit) this.seen.bigBatch++
  }

  /** The snapshot stream, noting it as a surprise if the server breaks it. */
  private watched(body: ReadableStream<Uint8Array>): ReadableStream<Uint8Array> {
    const upstream = body.getReader()
    return new ReadableStream<Uint8Array>(
      {
        pull: async (controller) => {
          try {
            const { done, value } = await upstream.read()
            if (done) controller.close()
            else controller.enqueue(value)
          } catch (error) {
            this.surprises.push(`snapshot stream: ${describeError(error)}`)
            controller.error(error)
          }
        },
        cancel: (reason) => upstream.cancel(reason),
      },
      { highWaterMark: 0 },
    )
  }
}

export type Fate = 'deliver' | 'dropRequest' | 'dropResponse' | 'duplicate' | 'crash' | 'cut'

/** How likely each fate of a held request is, by what it asks for. */
export const fates: Record<RequestKind, readonly (readonly [number, Fate])[]> = {
  push: [
    [55, 'deliver'],
    [12, 'dropRequest'],
    [13, 'dropResponse'],
    [13, 'duplicate'],
    [7, 'crash'],
  ],
  pull: [
    [64, 'deliver'],
    [12, 'dropRequest'],
    [12, 'dropResponse'],
    [12, 'duplicate'],
  ],
  // A history page (W5) is a read: lost or repeated, the device asks again.
  history: [
    [64, 'deliver'],
    [12, 'dropRequest'],
    [12, 'dropResponse'],
    [12, 'duplicate'],
  ],
  // A duplicated snapshot stream is not a fault a network makes; a cut one is.
  snapshot: [
    [65, 'deliver'],
    [10, 'dropRequest'],
    [12, 'dropResponse'],
    [13, 'cut'],
  ],
  // An upload whose answer is lost, or that reaches the server twice, must still store its blob
  // once (M8); a download lost is asked for again.
  media: [
    [58, 'deliver'],
    [12, 'dropRequest'],
    [15, 'dropResponse'],
    [15, 'duplicate'],
  ],
}
