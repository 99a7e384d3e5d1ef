/**
 * HttpTransport's photo endpoints (sync/SPEC.md M7-M9): each answer the server can give, as the
 * upload queue and DevicePhotos.load read it. The `fetch` answers what each test says.
 */
import { expect, test } from 'vitest'
import { mediaPath } from '../../protocol'
import { HttpTransport, TransportError, type Fetch } from '../transport'

const sha = 'a'.repeat(64)
const bytes = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3])
const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } })

function answering(response: () => Response | Promise<Response>) {
  const sent: { url: string; init: RequestInit }[] = []
  const fetch: Fetch = async (url, init) => {
    sent.push({ url, init })
    return response()
  }
  return { transport: new HttpTransport({ fetch }), sent }
}

const failure = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error('expected a TransportError')
    },
    (error: unknown) => {
      expect(error).toBeInstanceOf(TransportError)
      return error as TransportError
    },
  )

test('[M8] a PUT sends the bytes with their type and length, and answers stored or held', async () => {
  const { transport, sent } = answering(() => json(201, { type: 'media-put', sha256: sha, result: 'stored' }))
  expect(await transport.putMedia(sha, bytes, 'image/jpeg')).toBe('stored')
  expect(sent[0]!.url).toBe(mediaPath(sha))
  expect(sent[0]!.init.method).toBe('PUT')
  expect(new Headers(sent[0]!.init.headers).get('content-type')).toBe('image/jpeg')
  expect(new Headers(sent[0]!.init.headers).get('content-length')).toBe(String(bytes.length))
  const held = answering(() => json(200, { type: 'media-put', sha256: sha, result: 'held' }))
  expect(await held.transport.putMedia(sha, bytes, 'image/jpeg')).toBe('held')
})

test('[M7] each refusal is the kind the queue acts on, with the server’s words', async () => {
  const put = (response: () => Response) => failure(answering(response).transport.putMedia(sha, bytes, 'image/jpeg'))
  expect((await put(() => json(404, { message: 'There is no photo of yours at this address.' }))).kind).toBe('not-found')
  expect((await put(() => json(401, { message: 'Sign in.' }))).kind).toBe('auth')
  for (const status of [400, 413, 415]) {
    const error = await put(() => json(status, { message: `Refused with ${status}.` }))
    expect([error.kind, error.message]).toEqual(['refused', `Refused with ${status}.`])
  }
  const busy = await put(() => json(429, { message: 'Too many uploads at once.' }, { 'retry-after': '7' }))
  expect([busy.kind, busy.retryAfterMs, busy.message]).toEqual(['busy', 7000, 'Too many uploads at once.'])
  expect((await put(() => json(503, {}, { 'retry-after': '2' }))).retryAfterMs).toBe(2000)
  expect((await put(() => json(408, { message: 'The upload took too long.' }))).kind).toBe('busy')
  expect((await put(() => json(500, {}))).kind).toBe('server')
  // An answer for other bytes, or one that does not parse, is the server's failure.
  expect((await put(() => json(201, { type: 'media-put', sha256: 'b'.repeat(64), result: 'stored' }))).kind).toBe('server')
  expect((await put(() => new Response('ok', { status: 200 }))).kind).toBe('server')
  const offline = new HttpTransport({ fetch: () => Promise.reject(new TypeError('fetch failed')) })
  expect((await failure(offline.putMedia(sha, bytes, 'image/jpeg'))).kind).toBe('offline')
})

test('[M9] a GET answers the bytes with their type, null for a 404, and fails as a PUT does otherwise', async () => {
  const { transport } = answering(() => new Response(bytes as BodyInit, { status: 200, headers: { 'content-type': 'image/jpeg' } }))
  const blob = await transport.getMedia(sha)
  expect(blob!.type).toBe('image/jpeg')
  expect(new Uint8Array(await blob!.arrayBuffer())).toEqual(bytes)
  expect(await answering(() => json(404, { message: 'There is no photo of yours at this address.' })).transport.getMedia(sha)).toBeNull()
  expect((await failure(answering(() => json(401, {})).transport.getMedia(sha))).kind).toBe('auth')
  const offline = new HttpTransport({ fetch: () => Promise.reject(new TypeError('fetch failed')) })
  expect((await failure(offline.getMedia(sha))).kind).toBe('offline')
})
