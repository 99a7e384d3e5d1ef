/**
 * A photo's bytes at the HTTP boundary (sync/SPEC.md M8, M9), on PGlite through the harness's
 * server: users sign in by bearer token, write their photos' metadata with the real mutators
 * through the push endpoint, then PUT and GET the bytes through `handleMediaPut` and
 * `handleMediaGet` as the route does. The invariants: only a user holding a photo that names a
 * hash may store or read its bytes, and everyone else gets one 404; the bytes are stored once,
 * whoever sends them; a photo is marked uploaded (a synced write) once both of its blobs are
 * held; bad input is a clear 4xx, never a 5xx (a `console.error` fails a test, test/setup.ts).
 */
import { createHash } from 'node:crypto'
import { sql } from 'drizzle-orm'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest'
import { rows } from '@/db/rows'
import { newId } from '@/domain/ids'
import { MAX_MEDIA_BYTES } from '@/domain/media'
import { strengthActivity } from '@/domain/testing/world'
import { mediaPath, mediaPutResponseSchema } from '../protocol'
import { handleMediaGet, handleMediaPut, parseRange, uploadsReading } from './media'
import type { TestServer, TestUser } from './testing/harness'
import { pgliteServer } from './testing/pglite'

let server: TestServer
let ann: TestUser
let bob: TestUser
// One database for the file, new users for each test: no test sees another's photos.
beforeAll(async () => {
  server = await pgliteServer()
})
afterAll(async () => {
  await server.close()
})
beforeEach(async () => {
  ann = await server.user('Ann')
  bob = await server.user('Bob')
})
afterEach(() => {
  server.service.limits = undefined
})

/** A seed no other test uses, for bytes no other test sends. */
let seed = 1000

const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex')

/** Bytes that sniff as a JPEG (its magic number, then `n` bytes from `seed`). */
function jpeg(seed: number, n = 2000): Uint8Array {
  const bytes = new Uint8Array(n + 8)
  bytes.set([0xff, 0xd8, 0xff, 0xe0])
  new DataView(bytes.buffer).setUint32(4, seed)
  for (let i = 0; i < n; i++) bytes[i + 8] = (seed * 31 + i * 7) & 0xff
  return bytes
}
const pdf = new TextEncoder().encode('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n')

const at = '2026-11-20T07:30:00.000Z'

/** An entry of the user's, logged through the push endpoint; its id. */
async function entryOf(user: TestUser): Promise<string> {
  const device = user.device()
  const squat = strengthActivity(user.libraryId)
  expect(await device.mutate('createActivity', squat.args)).toMatchObject({ status: 'applied' })
  const id = newId()
  expect(
    await device.mutate('logEntry', { entry: { id, activityId: squat.ids.id, performedAt: at, values: { [squat.ids.reps]: 5 } } }),
  ).toMatchObject({ status: 'applied' })
  return id
}

/** Attaches a photo (image, and thumbnail unless null) to a new entry of the user's; the photo's id. */
async function attach(user: TestUser, image: Uint8Array, thumbnail: Uint8Array | null = null): Promise<string> {
  const entryId = await entryOf(user)
  const id = newId()
  const photo = { id, sha256: sha(image), mimeType: 'image/jpeg' as const, byteSize: image.byteLength, width: 2048, height: 1536 }
  const result = await user
    .device()
    .mutate('attachMedia', { entryId, photo: thumbnail ? { ...photo, thumbSha256: sha(thumbnail) } : photo })
  expect(result).toMatchObject({ status: 'applied' })
  return id
}

type Who = TestUser | null
const url = (hash: string) => `http://cadence.test${mediaPath(hash)}`
const auth = (who: Who): Record<string, string> => (who ? { authorization: `Bearer ${who.token}` } : {})

function put(who: Who, hash: string, body: BodyInit | null, headers: Record<string, string> = {}, signal?: AbortSignal) {
  const init = { method: 'PUT', headers: { ...auth(who), ...headers }, body, signal, duplex: 'half' } as RequestInit
  return handleMediaPut(server.service, new Request(url(hash), init), hash)
}
function get(who: Who, hash: string, headers: Record<string, string> = {}, method = 'GET') {
  return handleMediaGet(server.service, new Request(url(hash), { method, headers: { ...auth(who), ...headers } }), hash)
}
/** Uploads the bytes as `who`: the answer's status and result. */
async function upload(who: Who, bytes: Uint8Array) {
  const response = await put(who, sha(bytes), bytes as BodyInit)
  const body = (await response.json()) as unknown
  return { status: response.status, body }
}
async function expectError(response: Response, status: number, message: RegExp) {
  expect({ status: response.status, body: await response.json() }).toEqual({
    status,
    body: { type: 'error', message: expect.stringMatching(message) },
  })
}

async function uploadedAt(mediaId: string): Promise<Date | null> {
  const [row] = await rows<{ uploaded_at: string | null }>(server.db, sql`select uploaded_at from media where id = ${mediaId}`)
  return row!.uploaded_at === null ? null : new Date(row!.uploaded_at)
}
/** How many of these blobs the server holds. */
async function blobCount(...bytes: Uint8Array[]): Promise<number> {
  const hashes = bytes.map(sha)
  const [row] = await rows<{ n: number }>(
    server.db,
    sql`select count(*)::int as n from media_blobs where sha256 in (${sql.join(
      hashes.map((h) => sql`${h}`),
      sql`, `,
    )})`,
  )
  return row!.n
}

/** A body that sends `first`, then waits for `release` before ending (or failing, if it is told to). */
function heldBody(first: Uint8Array) {
  let release!: (how: 'end' | 'fail') => void
  const released = new Promise<'end' | 'fail'>((resolve) => (release = resolve))
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(first)
    },
    async pull(controller) {
      const how = await released
      if (how === 'end') controller.close()
      else controller.error(Object.assign(new Error('aborted'), { code: 'ECONNRESET' }))
    },
  })
  return { body, release }
}

describe('authorization', () => {
  /** Ann's photo uploaded; Bob a member of her library, then revoked; Cat a stranger. */
  async function matrix(seed: number) {
    const image = jpeg(seed)
    await attach(ann, image)
    expect((await upload(ann, image)).status).toBe(201)
    const inviteId = newId()
    expect(
      await ann.device().mutate('shareLibrary', { inviteId, libraryId: ann.libraryId, email: bob.email, role: 'editor' }),
    ).toMatchObject({
      status: 'applied',
    })
    expect(await bob.device().mutate('acceptInvitation', { inviteId })).toMatchObject({ status: 'applied' })
    return { image, hash: sha(image), revoke: () => ann.device().mutate('revokeMember', { libraryId: ann.libraryId, userId: bob.id }) }
  }

  test('[M9] a stranger and a revoked member get the same 404 as a hash nobody has; the owner gets the bytes', async () => {
    const { image, hash, revoke } = await matrix(seed++)
    const cat = await server.user('Cat')
    const nobodys = sha(jpeg(99))
    const owner = await get(ann, hash)
    expect(owner.status).toBe(200)
    expect(new Uint8Array(await owner.arrayBuffer())).toEqual(image)
    const answers = async () => {
      const all = []
      for (const [who, h] of [
        [bob, hash],
        [cat, hash],
        [ann, nobodys],
        [bob, nobodys],
      ] as const) {
        for (const method of ['GET', 'HEAD']) {
          const response = await get(who, h, {}, method)
          all.push({ status: response.status, body: await response.text(), type: response.headers.get('content-type') })
        }
      }
      return all
    }
    // A member of the library sees its entries, never the photos on them: photos stay in the user's scope (M5).
    const asMember = await answers()
    expect((await revoke()).status).toBe('applied')
    const asRevoked = await answers()
    const notFound = { status: 404, body: JSON.stringify({ type: 'error', message: 'There is no photo of yours at this address.' }) }
    for (const answer of [...asMember, ...asRevoked]) expect(answer).toMatchObject(notFound)
  })

  test('[M8] a stranger and a revoked member cannot store bytes under a hash of someone else’s photo, even the right bytes', async () => {
    const { image, hash, revoke } = await matrix(seed++)
    const cat = await server.user('Cat')
    await expectError(await put(bob, hash, image as BodyInit), 404, /no photo of yours/)
    expect((await revoke()).status).toBe('applied')
    await expectError(await put(bob, hash, image as BodyInit), 404, /no photo of yours/)
    await expectError(await put(cat, hash, image as BodyInit), 404, /no photo of yours/)
    const strangers = jpeg(5)
    await expectError(await put(cat, sha(strangers), strangers as BodyInit), 404, /no photo of yours/)
    expect(await blobCount(strangers)).toBe(0)
  })

  test('[M8][M9] without a session: 401 for GET, HEAD and PUT, before anything else', async () => {
    const image = jpeg(2)
    await attach(ann, image)
    for (const response of [
      await get(null, sha(image)),
      await get(null, 'not-a-hash', {}, 'HEAD'),
      await put(null, sha(image), image as BodyInit),
    ]) {
      await expectError(response, 401, /^Sign in to upload or see photos\.$/)
    }
    expect(await blobCount(image)).toBe(0)
  })

  test('[M8][M9] knowing a hash is not holding the photo: a row naming someone else’s bytes is not served them, nor marked uploaded by its own thumbnail', async () => {
    const { hash } = await matrix(seed++)
    const cat = await server.user('Cat')
    // Cat learnt the hash of Ann's photo, and writes a photo of his own naming it, with a
    // thumbnail he does hold.
    const thumbnail = jpeg(seed++)
    const entryId = await entryOf(cat)
    const catsPhoto = newId()
    const photo = { id: catsPhoto, sha256: hash, thumbSha256: sha(thumbnail), mimeType: 'image/jpeg' as const, byteSize: 2008 }
    expect(await cat.device().mutate('attachMedia', { entryId, photo })).toMatchObject({ status: 'applied' })
    await expectError(await get(cat, hash), 404, /no photo of yours/)
    expect((await upload(cat, thumbnail)).status).toBe(201)
    expect(await uploadedAt(catsPhoto)).toBeNull()
    await expectError(await get(cat, hash), 404, /no photo of yours/)
    // The body is still asked for: without Ann's bytes he is told nothing about them.
    await expectError(await put(cat, hash, jpeg(seed++) as BodyInit), 400, /hash to/)
    expect(await uploadedAt(catsPhoto)).toBeNull()
  })

  test('[M9] the owner gets 404 for a photo whose bytes have not arrived yet', async () => {
    const image = jpeg(3)
    await attach(ann, image)
    await expectError(await get(ann, sha(image)), 404, /no photo of yours/)
  })
})

describe('bad input', () => {
  test('[M8] bytes that hash to another name are refused 400, naming both hashes', async () => {
    const image = jpeg(10)
    const other = jpeg(11)
    await attach(ann, image)
    await expectError(await put(ann, sha(image), other as BodyInit), 400, new RegExp(`hash to ${sha(other)}, not to ${sha(image)}`))
    expect(await blobCount(image, other)).toBe(0)
  })

  test('[M8] a body over 8 MB is refused 413: from its Content-Length before reading, and while streaming without one', async () => {
    const image = jpeg(12)
    await attach(ann, image)
    const declared = await put(ann, sha(image), image as BodyInit, { 'content-length': String(MAX_MEDIA_BYTES + 1) })
    await expectError(declared, 413, /at most 8 MB \(this one is 8\.0 MB\)/)
    let sent = 0
    const chunk = new Uint8Array(1024 * 1024)
    chunk.set([0xff, 0xd8, 0xff, 0xe0])
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        sent += chunk.byteLength
        controller.enqueue(chunk)
      },
    })
    await expectError(await put(ann, sha(image), endless), 413, /^A photo may be at most 8 MB; nothing was stored\.$/)
    // Read to one chunk past the limit (and perhaps one the stream queued ahead), not on for ever.
    expect(sent).toBeLessThanOrEqual(MAX_MEDIA_BYTES + 2 * chunk.byteLength)
    expect(await blobCount(image)).toBe(0)
  })

  test('[M8] a PDF named as a photo is refused 415, saying which types are stored', async () => {
    await attach(ann, pdf)
    await expectError(await put(ann, sha(pdf), pdf as BodyInit), 415, /not a photo: Cadence stores JPEG, PNG, WebP or GIF images/)
    expect(await blobCount(pdf)).toBe(0)
  })

  test('[M8] a body that ends short of its Content-Length, or whose client hangs up, is refused 400 and stores nothing', async () => {
    const image = jpeg(13)
    await attach(ann, image)
    const short = await put(ann, sha(image), image.slice(0, 1000) as BodyInit, { 'content-length': String(image.byteLength) })
    await expectError(short, 400, new RegExp(`ended after 1000 of its ${image.byteLength} bytes`))
    const client = new AbortController()
    const { body, release } = heldBody(image.slice(0, 500))
    const answer = put(ann, sha(image), body, {}, client.signal)
    client.abort()
    release('fail')
    await expectError(await answer, 400, /ended before all of the photo had arrived/)
    expect(await blobCount(image)).toBe(0)
    expect(uploadsReading(server.service)).toBe(0)
  })

  test('[M8] a malformed hash is refused 400 on PUT, GET and HEAD', async () => {
    const image = jpeg(14)
    await attach(ann, image)
    for (const hash of ['abc', sha(image).toUpperCase(), sha(image).slice(1), `${sha(image)}0`, '../etc/passwd']) {
      await expectError(await put(ann, hash, image as BodyInit), 400, /SHA-256 in 64 lower-case hex digits/)
      await expectError(await get(ann, hash), 400, /SHA-256 in 64 lower-case hex digits/)
      expect((await get(ann, hash, {}, 'HEAD')).status).toBe(400)
    }
  })

  test('[M8] an empty body is refused 400', async () => {
    const image = jpeg(15)
    await attach(ann, image)
    await expectError(await put(ann, sha(image), null), 400, /upload is empty/)
    await expectError(await put(ann, sha(image), new Uint8Array(0) as BodyInit), 400, /upload is empty/)
  })

  test('[M8] more uploads than the gate allows are answered 429 with Retry-After, and the place comes back', async () => {
    server.service.limits = { mediaUploadsAtOnce: 1 }
    const image = jpeg(16)
    await attach(ann, image)
    const { body, release } = heldBody(image.slice(0, 100))
    const first = put(ann, sha(image), body)
    await expect.poll(() => uploadsReading(server.service)).toBe(1)
    const refused = await put(ann, sha(image), image as BodyInit)
    expect(refused.headers.get('retry-after')).toBe('5')
    await expectError(refused, 429, /Too many photos are being uploaded at once \(at most 1, 2 for an account\)/)
    release('end')
    await expectError(await first, 400, /hash to/)
    expect(uploadsReading(server.service)).toBe(0)
    expect((await upload(ann, image)).status).toBe(201)
  })

  test('[M8] one account takes at most two places: another account still uploads beside its slow ones', async () => {
    const [mine, theirs] = [jpeg(seed++), jpeg(seed++)]
    await attach(ann, mine)
    await attach(bob, theirs)
    const slow = [heldBody(mine.slice(0, 100)), heldBody(mine.slice(0, 100))]
    const puts = slow.map(({ body }) => put(ann, sha(mine), body))
    await expect.poll(() => uploadsReading(server.service)).toBe(2)
    await expectError(await put(ann, sha(mine), mine as BodyInit), 429, /2 for an account/)
    expect((await upload(bob, theirs)).status).toBe(201)
    for (const { release } of slow) release('end')
    for (const p of puts) await expectError(await p, 400, /hash to/)
    expect(uploadsReading(server.service)).toBe(0)
  })

  test('[M8] a body that stalls, or trickles past the deadline, is cut with 408 and gives its place back', async () => {
    const image = jpeg(17)
    await attach(ann, image)
    server.service.limits = { mediaBodyStallMs: 50 }
    const stalled = heldBody(image.slice(0, 100))
    await expectError(await put(ann, sha(image), stalled.body), 408, /sent nothing for 0\.05 s/)
    server.service.limits = { mediaBodyDeadlineMs: 150, mediaBodyStallMs: 1000 }
    let i = 0
    const trickle = new ReadableStream<Uint8Array>({
      async pull(controller) {
        await new Promise((resolve) => setTimeout(resolve, 20))
        controller.enqueue(image.subarray(i, i + 10))
        i += 10
      },
    })
    await expectError(await put(ann, sha(image), trickle), 408, /took longer than 0\.15 s/)
    expect(uploadsReading(server.service)).toBe(0)
    expect(await blobCount(image)).toBe(0)
  })
})

describe('stored once', () => {
  test('[M8] the same bytes sent twice are stored once: 201 stored, then 200 held', async () => {
    const image = jpeg(20)
    await attach(ann, image)
    expect(await upload(ann, image)).toEqual({ status: 201, body: { type: 'media-put', sha256: sha(image), result: 'stored' } })
    const again = await upload(ann, image)
    expect(again.status).toBe(200)
    expect(mediaPutResponseSchema.parse(again.body)).toEqual({ type: 'media-put', sha256: sha(image), result: 'held' })
    expect(await blobCount(image)).toBe(1)
  })

  test('[M8] a second user with a photo of the same bytes, once his own upload is checked, is answered as the first was (not told another had them), and his photo is uploaded', async () => {
    const image = jpeg(21)
    const annsPhoto = await attach(ann, image)
    const bobsPhoto = await attach(bob, image)
    expect((await upload(ann, image)).status).toBe(201)
    expect(await uploadedAt(bobsPhoto)).toBeNull()
    // Knowing the hash is not enough: Bob's body is read and checked although the bytes are held.
    await expectError(await put(bob, sha(image), jpeg(22) as BodyInit), 400, /hash to/)
    expect(await uploadedAt(bobsPhoto)).toBeNull()
    expect(await upload(bob, image)).toMatchObject({ status: 201, body: { result: 'stored' } })
    expect(await uploadedAt(bobsPhoto)).toBeInstanceOf(Date)
    expect(await uploadedAt(annsPhoto)).toBeInstanceOf(Date)
    expect(await blobCount(image)).toBe(1)
  })

  test('[M8] a user whose photo of the bytes is uploaded gets held without the body being read', async () => {
    const image = jpeg(23)
    await attach(ann, image)
    expect((await upload(ann, image)).status).toBe(201)
    const second = await attach(ann, image)
    const unread = new ReadableStream<Uint8Array>({
      pull() {
        throw new Error('the body was read')
      },
    })
    const response = await put(ann, sha(image), unread)
    expect({ status: response.status, body: await response.json() }).toMatchObject({ status: 200, body: { result: 'held' } })
    expect(await uploadedAt(second)).toBeInstanceOf(Date)
  })

  test('[M8] a photo is marked uploaded only once its image and its thumbnail are both held, and its devices hear it', async () => {
    const image = jpeg(24)
    const thumbnail = jpeg(25, 300)
    const photo = await attach(ann, image, thumbnail)
    const device = ann.device()
    await device.catchUp()
    expect((await upload(ann, image)).status).toBe(201)
    expect(await uploadedAt(photo)).toBeNull()
    expect(await device.catchUp()).toEqual([])
    expect((await upload(ann, thumbnail)).status).toBe(201)
    const uploaded = await uploadedAt(photo)
    expect(uploaded).toBeInstanceOf(Date)
    const heard = await device.catchUp()
    expect(heard).toEqual([
      expect.objectContaining({
        table: 'media',
        kind: 'update',
        row: expect.objectContaining({ id: photo, uploaded_at: expect.any(String) }),
      }),
    ])
    expect(device.replica.table('media')).toEqual([expect.objectContaining({ id: photo, uploaded_at: expect.any(String) })])
  })

  test('[M8] a thumbnail uploaded first waits for its image the same way', async () => {
    const image = jpeg(26)
    const thumbnail = jpeg(27, 300)
    const photo = await attach(ann, image, thumbnail)
    expect((await upload(ann, thumbnail)).status).toBe(201)
    expect(await uploadedAt(photo)).toBeNull()
    expect((await upload(ann, image)).status).toBe(201)
    expect(await uploadedAt(photo)).toBeInstanceOf(Date)
  })
})

describe('GET', () => {
  async function held(seed: number) {
    const bytes = jpeg(seed, 5000)
    await attach(ann, bytes)
    expect((await upload(ann, bytes)).status).toBe(201)
    return { bytes, hash: sha(bytes) }
  }

  test('[M9] the bytes come back as sent, typed by their content, private and immutable', async () => {
    const { bytes, hash } = await held(seed++)
    const response = await get(ann, hash)
    expect(response.status).toBe(200)
    expect(Object.fromEntries(response.headers)).toMatchObject({
      'content-type': 'image/jpeg',
      'content-length': String(bytes.byteLength),
      etag: `"${hash}"`,
      'cache-control': 'private, max-age=31536000, immutable',
      'accept-ranges': 'bytes',
      'x-content-type-options': 'nosniff',
    })
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(bytes)
  })

  test('[M9] the content type is what the bytes are, not what the device said', async () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4, 5, 6, 7, 8])
    await attach(ann, png) // attached as image/jpeg
    expect((await upload(ann, png)).status).toBe(201)
    expect((await get(ann, sha(png))).headers.get('content-type')).toBe('image/png')
  })

  test('[M9] If-None-Match with the ETag is answered 304 without a body', async () => {
    const { hash } = await held(seed++)
    for (const tag of [`"${hash}"`, `W/"${hash}"`, `"other", "${hash}"`, '*']) {
      const response = await get(ann, hash, { 'if-none-match': tag })
      expect(response.status).toBe(304)
      expect(response.headers.get('etag')).toBe(`"${hash}"`)
      expect(await response.text()).toBe('')
    }
    expect((await get(ann, hash, { 'if-none-match': '"other"' })).status).toBe(200)
  })

  test('[M9] a Range is answered 206 with its bytes only, in all three forms', async () => {
    const { bytes, hash } = await held(seed++)
    const size = bytes.byteLength
    for (const [range, start, end] of [
      ['bytes=0-9', 0, 9],
      ['bytes=4990-', 4990, size - 1],
      ['bytes=-7', size - 7, size - 1],
      ['bytes=100-999999', 100, size - 1],
    ] as const) {
      const response = await get(ann, hash, { range })
      expect(response.status).toBe(206)
      expect(response.headers.get('content-range')).toBe(`bytes ${start}-${end}/${size}`)
      expect(response.headers.get('content-length')).toBe(String(end - start + 1))
      expect(new Uint8Array(await response.arrayBuffer())).toEqual(bytes.slice(start, end + 1))
    }
  })

  test('[M9] an unsatisfiable Range is answered 416 with the size; one this server does not serve gets the whole', async () => {
    const { bytes, hash } = await held(seed++)
    for (const range of [`bytes=${bytes.byteLength}-`, 'bytes=-0', 'bytes=999999-1000000']) {
      const response = await get(ann, hash, { range })
      expect(response.headers.get('content-range')).toBe(`bytes */${bytes.byteLength}`)
      await expectError(response, 416, new RegExp(`has ${bytes.byteLength} bytes`))
    }
    for (const range of ['bytes=0-1,5-6', 'items=0-5', 'bytes=9-3', 'bytes=x']) {
      const response = await get(ann, hash, { range })
      expect(response.status).toBe(200)
      expect((await response.arrayBuffer()).byteLength).toBe(bytes.byteLength)
    }
    const stale = await get(ann, hash, { range: 'bytes=0-9', 'if-range': '"another"' })
    expect(stale.status).toBe(200)
  })

  test('[M9] HEAD answers the headers of a GET without a body', async () => {
    const { bytes, hash } = await held(seed++)
    for (const [headers, status, length] of [
      [{}, 200, bytes.byteLength],
      [{ range: 'bytes=0-9' }, 206, 10],
    ] as const) {
      const response = await get(ann, hash, headers, 'HEAD')
      expect(response.status).toBe(status)
      expect(response.headers.get('content-length')).toBe(String(length))
      expect(response.headers.get('content-type')).toBe('image/jpeg')
      expect(response.body).toBeNull()
    }
  })

  test('[M9] a photo’s thumbnail is readable by its hash too', async () => {
    const image = jpeg(31)
    const thumbnail = jpeg(32, 300)
    await attach(ann, image, thumbnail)
    expect((await upload(ann, thumbnail)).status).toBe(201)
    const response = await get(ann, sha(thumbnail))
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(thumbnail)
  })
})

test('parseRange reads the three forms and leaves the rest to a whole answer', () => {
  expect(parseRange('bytes=0-0', 10)).toEqual({ start: 0, end: 0 })
  expect(parseRange('bytes=-20', 10)).toEqual({ start: 0, end: 9 })
  expect(parseRange('bytes=10-', 10)).toBe('unsatisfiable')
  expect(parseRange('bytes=-', 10)).toBeUndefined()
  expect(parseRange('bytes=12-', 10)).toBe('unsatisfiable')
  expect(parseRange('bytes=3-1', 10)).toBeUndefined()
  expect(parseRange(null, 10)).toBeUndefined()
})
