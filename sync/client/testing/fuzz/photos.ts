/**
 * Photos in the fuzz (issue 16, sync/SPEC.md M5-M12). Each device has its `DevicePhotos` and
 * `UploadQueue` over a memory blob cache with a small budget, on the same wire as its sync. The
 * steps attach photos (bytes made from the seed, sometimes the same bytes again, sometimes to a
 * stale or another user's entry), detach and reorder them, upload (alone, or while a push is in
 * flight, through the faulty network: an upload's answer lost or its PUT sent twice), and show a
 * photo on another device of the user. After each attach or download the cache is within its
 * budget, or holds only bytes it may not evict (M11). At the end ({@link photoProblems}):
 *
 * 1. every photo on the server is uploaded, both of its blobs uploaded by its user (M8: the
 *    server's holders), but for those whose upload a restore forgot (B15: the device had already
 *    dropped its upload entry, and nothing uploads it again);
 * 2. each user's upload of a blob was answered stored (201, its bytes read and kept) exactly once
 *    across the user's devices, whatever answers were lost or PUTs sent twice (then: held), once
 *    more for each time a restore forgot it; the server holds each blob once (its key), uploaded
 *    by somebody, with the bytes made for its hash;
 * 3. an applied attach's photo is on the server unless detached or its entry is gone, and a
 *    rejected one left nothing;
 * 4. on each device: no upload entry left (none refused); the blob store and its index agree;
 *    nothing cached that no photo of the user names (after the last sweep); cached bytes are the
 *    right ones; the cache within its budget unless what it may not evict exceeds it (once the
 *    app next keeps to it: nothing does when uploads end, see the check).
 */
import { isDeepStrictEqual } from 'node:util'
import { sql } from 'drizzle-orm'
import { rows } from '@/db/rows'
import { MutationError } from '@/domain/errors'
import { sha256Hex } from '@/domain/media'
import type { PreparedBlob, PreparedPhoto } from '@/media/prepare'
import type { DevicePhotosOptions } from '../../media/photos'
import type { UploadRound } from '../../media/uploads'
import { pickRef, remember, validEntry } from './generators'
import { attempt, judge, outcome, queue, record, serve } from './requests'
import { viewOf } from './views'
import { describeError, shortIds, type AnyMutation, type Device, type Queued, type World } from './world'

/** The device's `mutate` for its `DevicePhotos`: each mutation noted as the fuzz's own are. */
export function recordingMutate(w: World, d: () => Device): DevicePhotosOptions['mutate'] {
  return async (name, args, options) => {
    const m = { name, args } as AnyMutation
    remember(w, d().user, m)
    const id = await d().client.mutate(name, args, options)
    record(w, d(), id, m)
    return id
  }
}

/** Bytes that sniff as a JPEG (M8 reads the type from them) and are otherwise the seed's. */
async function blob(w: World, size: number): Promise<PreparedBlob> {
  const bytes = new Uint8Array(size)
  bytes.set([0xff, 0xd8, 0xff, 0xe0])
  for (let i = 4; i < size; i++) bytes[i] = w.rng.int(0, 255)
  const sha256 = await sha256Hex(bytes)
  w.blobs.set(sha256, bytes)
  return { bytes, sha256, mimeType: 'image/jpeg' }
}

const known = (w: World, sha256: string): PreparedBlob => ({ bytes: w.blobs.get(sha256)!, sha256, mimeType: 'image/jpeg' })

/** A photo as `preparePhoto` would give it: new bytes, or (content addressing) bytes made before. */
async function photo(w: World, d: Device): Promise<PreparedPhoto> {
  const { rng } = w
  const mine = w.photoBytes.filter((p) => p.userId === d.user.id)
  const size = { width: rng.int(100, 2048), height: rng.int(100, 2048) }
  if (rng.chance(0.25)) {
    // The same photo attached again, mostly by the same user; now and then another user's.
    const again = rng.chance(0.85) ? rng.maybe(mine) : rng.maybe(w.photoBytes)
    if (again) {
      w.count('photos:sameBytes')
      return { image: known(w, again.image), thumbnail: known(w, again.thumbnail), ...size }
    }
  }
  const image = await blob(w, rng.int(2_000, 24_000))
  // Now and then the image is its own thumbnail (a small one: no `thumbSha256`).
  const thumbnail = rng.chance(0.08) ? image : await blob(w, rng.int(200, 1_500))
  w.photoBytes.push({ userId: d.user.id, image: image.sha256, thumbnail: thumbnail.sha256 })
  return { image, thumbnail, ...size }
}

type Cache = { used: number; shas: string[]; blobs: { sha256: string; size: number; pinned: boolean }[] }

/**
 * What a device's blob cache holds by its index, and which blobs it may not evict now (M11): one
 * waiting to upload, one a photo not yet uploaded names, and while writes are pending one no
 * photo names (its photo may be coming back).
 */
async function cacheOf(d: Device): Promise<Cache> {
  const blobs = await rows<{ sha256: string; size: number; pinned: boolean }>(
    d.db,
    sql`select c.sha256, c.byte_size as size,
               exists (select 1 from local_uploads u where u.sha256 = c.sha256)
               or exists (select 1 from media m where (m.sha256 = c.sha256 or m.thumb_sha256 = c.sha256) and m.uploaded_at is null)
               or (exists (select 1 from local_outbox) and not exists (select 1 from media m where m.sha256 = c.sha256 or m.thumb_sha256 = c.sha256))
                 as pinned
          from local_media_cache c order by c.sha256`,
  )
  return { used: blobs.reduce((n, b) => n + b.size, 0), shas: blobs.map((b) => b.sha256), blobs }
}

/** Bytes of the cache it may evict now, but the blob a page just showed (`d.shown`, M11). */
function evictable(d: Device, cache: Cache): number {
  return cache.blobs.filter((b) => !b.pinned && b.sha256 !== d.shown).reduce((n, b) => n + b.size, 0)
}

/**
 * After an attach or a download (which keep the cache within its budget, M11): within it, or
 * nothing left that it may evict (but the blob just shown). Counts the blobs evicted.
 */
async function checkBudget(w: World, d: Device, before: string[], what: string) {
  const after = await cacheOf(d)
  const left = evictable(d, after)
  if (after.used > d.budget && left > 0)
    w.fail(`${d.name}'s photo cache holds ${after.used} bytes after ${what}, over its budget of ${d.budget}, with ${left} evictable (M11)`)
  const gone = before.filter((s) => !after.shas.includes(s))
  if (gone.length > 0) {
    w.count('evictions', gone.length)
    w.log(`  ${d.name} evicts ${gone.map((s) => s.slice(0, 6)).join(', ')} (${after.used} of ${d.budget} bytes left)`)
  }
}

function refused(w: World, d: Device, what: string, error: unknown) {
  if (!(error instanceof MutationError)) w.fail(`${d.name} ${what} threw ${describeError(error)}`)
  w.count('refusedLocally')
  w.log(`${d.name} refused ${what}: ${error.code}`)
}

/**
 * Attaches a photo (M6) to an entry the device sees, or now and then a stale or another user's;
 * or logs an entry and attaches a photo to it at once (its creation still in the outbox).
 */
async function attach(w: World, d: Device) {
  const { rng } = w
  const view = await viewOf(d.db)
  let entry = pickRef(rng, view.entries, w.known.entries)
  if (!entry || rng.chance(0.25)) {
    const activity = rng.maybe(view.activities.filter((a) => !a.deleted))
    const args = activity && (await validEntry(w, d, activity.id))
    if (args && (await queue(w, d, { name: 'logEntry', args })) !== undefined) entry = { id: args.entry.id }
  }
  if (!entry) return w.log(`${d.name} has no entry to attach a photo to`)
  const p = await photo(w, d)
  const what = `attach of ${p.image.sha256.slice(0, 6)}/${p.thumbnail.sha256.slice(0, 6)} to ${shortIds(entry.id)}`
  const before = (await cacheOf(d)).shas
  try {
    await d.photos.attach(entry.id, p)
  } catch (error) {
    return refused(w, d, what, error)
  }
  w.count('photos:attached')
  d.shown = undefined
  await checkBudget(w, d, before, 'an attach')
  // Online, the app syncs the attach at once and then uploads its bytes.
  if (rng.chance(0.6)) await upload(w, d, { sync: true })
}

async function detach(w: World, d: Device) {
  const { rng } = w
  const view = await viewOf(d.db)
  const link = rng.chance(0.85) ? rng.maybe(view.photos) : rng.maybe(w.known.media.map((m) => ({ entryId: m.entryId, mediaId: m.id })))
  if (!link) return w.log(`${d.name} has no photo to remove`)
  try {
    await d.photos.detach(link.entryId, link.mediaId)
    w.count('photos:detached')
  } catch (error) {
    refused(w, d, `detach of ${shortIds(link.mediaId)}`, error)
  }
}

async function reorder(w: World, d: Device) {
  const { rng } = w
  const view = await viewOf(d.db)
  const entryId = rng.maybe([...new Set(view.photos.map((p) => p.entryId))])
  if (!entryId) return w.log(`${d.name} has no photos to reorder`)
  const ids = rng.shuffle(view.photos.filter((p) => p.entryId === entryId).map((p) => p.mediaId))
  // Sometimes only some of them, or one the device has not heard was removed elsewhere.
  const order = rng.chance(0.3) ? ids.slice(0, rng.int(1, ids.length)) : ids
  const stale = rng.chance(0.15) ? rng.maybe(w.known.media) : undefined
  if (stale && !order.includes(stale.id)) order.splice(rng.int(0, order.length), 0, stale.id)
  try {
    await d.photos.reorder(entryId, order)
    w.count('photos:reordered')
  } catch (error) {
    refused(w, d, `reorder of ${shortIds(entryId)}`, error)
  }
}

/** A photo written on the device: attached mostly, removed or reordered now and then. */
export async function photoMutation(w: World, d: Device) {
  const op = w.rng.weighted([
    [7, attach],
    [2, detach],
    [2, reorder],
  ] as const)
  await op(w, d)
}

/** What an upload round did; a refused upload is a bug (every blob the fuzz makes is valid, M8). */
async function noteRound(w: World, d: Device, round: UploadRound | undefined) {
  if (!round) return
  w.count('photos:uploaded', round.uploaded)
  w.count('photos:uploadDropped', round.dropped)
  if (round.waiting > 0) w.count('photos:uploadWaiting')
  if (round.stopped === 'backoff') w.count('photos:uploadBackoff')
  const parts = [`${round.uploaded} uploaded`, `${round.dropped} dropped (404)`, `${round.waiting} waiting for their attach`]
  if (round.stopped) parts.push(`stopped (${round.stopped})`)
  w.log(`  ${d.name} upload round: ${parts.join(', ')}`)
  if (round.failed > 0) {
    const failed = await rows<{ sha256: string; error: string }>(
      d.db,
      sql`select sha256, last_error as error from local_uploads where failed_at is not null`,
    )
    w.fail(`${d.name}'s uploads were refused: ${failed.map((f) => `${f.sha256.slice(0, 8)}: ${f.error}`).join('; ')}`)
  }
}

/**
 * One round of the upload queue (M7) through the faulty network, sometimes as a reconnect would
 * (retry); mostly after a sync, as the app kicks the queue once the outbox has changed (an upload
 * waits until its attach has left the outbox: pushed, and then pulled past).
 */
export async function upload(w: World, d: Device, { sync = w.rng.chance(0.6) } = {}) {
  const retry = w.rng.chance(0.4)
  w.log(`${d.name} ${sync ? 'syncs, then ' : ''}uploads${retry ? ' (retrying now)' : ''}${d.net.online ? '' : ' (offline)'}`)
  if (sync) await attempt(w, d, 'sync', () => d.client.sync())
  await noteRound(w, d, await attempt(w, d, 'upload', () => d.uploads.runOnce({ retry })))
}

/** An upload round and a push (or a pull) of the device in flight at once, answered in a random order. */
export async function uploadWhileSyncing(w: World, d: Device) {
  const op = w.rng.pick(['push', 'sync', 'pull'] as const)
  w.log(`${d.name} uploads and ${op}s at once${d.net.online ? '' : ' (offline)'}`)
  const uploading = d.uploads.runOnce({ retry: w.rng.chance(0.5) })
  const syncing: Promise<unknown> = op === 'push' ? d.client.push() : op === 'sync' ? d.client.sync() : d.client.pull()
  const results = [outcome(uploading), outcome(syncing)] as const
  await serve(w, d, [uploading, syncing], true)
  w.count('photos:uploadWhileSyncing')
  await noteRound(w, d, judge(w, d, 'upload', await results[0]))
  judge(w, d, op, await results[1])
}

/**
 * A page of another device of the user shows one of the user's photos (M10): its thumbnail
 * mostly, the image when opened. What arrives must be the bytes made for that hash.
 */
export async function viewPhoto(w: World, d: Device) {
  const { rng } = w
  // Mostly one the server holds (as a page shows what the device has synced), else any the device has.
  const uploaded = await rows<{ mediaId: string; sha256: string; thumbSha256: string | null }>(
    w.server.db,
    sql`select id::text as "mediaId", sha256, thumb_sha256 as "thumbSha256" from media where user_id = ${d.user.id} and uploaded_at is not null order by id`,
  )
  const p = (rng.chance(0.7) ? rng.maybe(uploaded) : undefined) ?? rng.maybe((await viewOf(d.db)).photos)
  if (!p) return w.log(`${d.name} has no photo to show`)
  const o = rng.maybe(w.devices.filter((x) => x !== d && x.user.id === d.user.id)) ?? d
  await show(w, o, p.mediaId, rng.chance(0.7) ? (p.thumbSha256 ?? p.sha256) : p.sha256, true)
}

/** Device `o`'s page shows blob `sha` of photo `mediaId` (M10), checked as the file's header says. */
async function show(w: World, o: Device, mediaId: string, sha: string, faults: boolean) {
  const before = await cacheOf(o)
  const cached = before.shas.includes(sha)
  w.log(`${o.name} shows photo ${shortIds(mediaId)} (${sha.slice(0, 6)}${cached ? ', cached' : ''})${o.net.online ? '' : ' (offline)'}`)
  const loading = o.photos.load(sha)
  const result = outcome(loading)
  await serve(w, o, [loading], faults)
  const shown = judge(w, o, 'load', await result)
  if (!shown) {
    if (!faults && o.net.online) w.fail(`${o.name} could not show photo ${shortIds(mediaId)}, which the server holds (M10)`)
    w.count('photos:notShown')
    return w.log(`  ${o.name} shows a placeholder`)
  }
  const bytes = new Uint8Array(await shown.arrayBuffer())
  if (!isDeepStrictEqual(bytes, w.blobs.get(sha))) w.fail(`${o.name} showed other bytes than photo ${sha.slice(0, 8)}'s (M10)`)
  w.count(cached ? 'photos:shownFromCache' : 'photos:downloaded')
  if (cached) return
  o.shown = sha
  await checkBudget(w, o, before.shas, 'a download')
}

/**
 * The end of a seed, once quiet: each device's pages show a few of its user's photos on a
 * perfect network (every one is on the server by now), downloading what it has not cached.
 */
export async function showPhotos(w: World) {
  const { rng } = w
  for (const d of w.devices) {
    const uploaded = await rows<{ id: string; sha256: string; thumb: string | null }>(
      w.server.db,
      sql`select id::text as id, sha256, thumb_sha256 as thumb from media where user_id = ${d.user.id} and uploaded_at is not null order by id`,
    )
    for (const p of rng.shuffle(uploaded).slice(0, 2)) {
      await show(w, d, p.id, p.thumb ?? p.sha256, false)
      if (rng.chance(0.4)) await show(w, d, p.id, p.sha256, false)
    }
  }
}

/** Notes the blobs, and who held them (M8), that a restore is about to forget (stored since its backup). */
export async function forgetBlobs(w: World) {
  const blobs = await rows<{ sha256: string }>(
    w.server.db,
    sql`select sha256 from public.media_blobs except select sha256 from fuzz_backup.media_blobs`,
  )
  for (const { sha256 } of blobs) w.forgottenBlobs.set(sha256, (w.forgottenBlobs.get(sha256) ?? 0) + 1)
  const holders = await rows<{ key: string }>(
    w.server.db,
    sql`select user_id::text || ':' || sha256 as key from public.media_holders
        except select user_id::text || ':' || sha256 from fuzz_backup.media_holders`,
  )
  for (const { key } of holders) w.forgottenHolders.set(key, (w.forgottenHolders.get(key) ?? 0) + 1)
  if (holders.length > 0) {
    w.count('holdersForgotten', holders.length)
    w.log(`  the restore forgets ${holders.length} uploads (of blobs ${blobs.map((b) => b.sha256.slice(0, 6)).join(', ') || 'it keeps'})`)
  }
}

/** The devices' upload entries still to go (not refused): quiesce drains them. */
export async function pendingUploads(d: Device): Promise<number> {
  const [row] = await rows<{ n: number }>(d.db, sql`select count(*)::int as n from local_uploads`)
  return row!.n
}

/** A round of every device's upload queue on a perfect network (the end of a seed). */
export async function uploadAll(w: World, round: number) {
  for (const d of w.devices)
    await noteRound(w, d, await attempt(w, d, `upload (round ${round})`, () => d.uploads.runOnce({ retry: true }), false))
}

type Settled = { d: Device; id: number; q: Queued }

/** The photo invariants of the file header, after every device synced and uploaded until quiet. */
export async function photoProblems(w: World, applied: Settled[], rejected: Settled[]): Promise<string[]> {
  const db = w.server.db
  const problems: string[] = []
  const p = (what: string) => problems.push(what)

  // 1. Every photo uploaded: both blobs held, each uploaded by its user (M8; but uploads a restore forgot).
  const media = await rows<{
    id: string
    userId: string
    sha256: string
    thumb: string | null
    uploaded: boolean
    image: boolean
    thumbnail: boolean
  }>(
    db,
    sql`select m.id::text as id, m.user_id::text as "userId", m.sha256, m.thumb_sha256 as thumb, m.uploaded_at is not null as uploaded,
               exists (select 1 from media_holders h where h.sha256 = m.sha256 and h.user_id = m.user_id) as image,
               m.thumb_sha256 is null or exists (select 1 from media_holders h where h.sha256 = m.thumb_sha256 and h.user_id = m.user_id) as thumbnail
          from media m order by m.id`,
  )
  for (const m of media) {
    const name = `photo ${shortIds(m.id)} (${m.sha256.slice(0, 6)}/${m.thumb?.slice(0, 6) ?? 'no thumbnail'})`
    const forgot = (sha: string | null) => sha !== null && w.forgottenHolders.has(`${m.userId}:${sha}`)
    if (m.uploaded && m.image && m.thumbnail) continue
    if (m.uploaded) p(`the server marks ${name} uploaded without its user's upload of its ${m.image ? 'thumbnail' : 'image'} (M8)`)
    else if (forgot(m.sha256) || forgot(m.thumb)) w.count('photos:lostToRestore')
    else
      p(
        `${name} is not uploaded: its user uploaded ${m.image ? '' : 'not '}its image and ${m.thumbnail ? '' : 'not '}its thumbnail (M7, M8)`,
      )
  }
  w.count('photos:checked', media.length)

  // 2. Each blob's bytes the right ones, uploaded by somebody; each user's upload of a blob
  // stored once (and again once for each time a restore forgot it): a lost answer or a PUT sent
  // twice is answered held.
  const blobs = await rows<{ sha256: string; data: Uint8Array; mime: string; holders: number }>(
    db,
    sql`select b.sha256, b.data, b.mime_type as mime, (select count(*)::int from media_holders h where h.sha256 = b.sha256) as holders
          from media_blobs b order by b.sha256`,
  )
  for (const b of blobs) {
    const made = w.blobs.get(b.sha256)
    if (b.holders === 0) p(`the server holds blob ${b.sha256.slice(0, 8)}, which nobody uploaded (M8)`)
    if (!made) p(`the server holds blob ${b.sha256.slice(0, 8)}, which no device made`)
    else if (!isDeepStrictEqual(new Uint8Array(b.data), made))
      p(`the server's bytes for ${b.sha256.slice(0, 8)} are not the ones made (M8)`)
    if (b.mime !== 'image/jpeg') p(`the server types blob ${b.sha256.slice(0, 8)} ${b.mime}, not image/jpeg (M8)`)
  }
  const holders = new Set(
    (await rows<{ key: string }>(db, sql`select user_id::text || ':' || sha256 as key from media_holders`)).map((r) => r.key),
  )
  const stored = new Map<string, number>()
  for (const d of w.devices)
    for (const [sha, n] of d.net.storedPuts) stored.set(`${d.user.id}:${sha}`, (stored.get(`${d.user.id}:${sha}`) ?? 0) + n)
  for (const key of new Set([...stored.keys(), ...holders])) {
    const times = stored.get(key) ?? 0
    const forgotten = w.forgottenHolders.get(key) ?? 0
    const [userId, sha] = key.split(':') as [string, string]
    const who = w.users.find((u) => u.id === userId)?.name ?? userId
    if (times - forgotten !== (holders.has(key) ? 1 : 0))
      p(
        `${who}'s upload of blob ${sha.slice(0, 8)} was stored ${times} times, forgotten by ${forgotten} restores, and is ${holders.has(key) ? '' : 'not '}held (M8: once)`,
      )
    if (times > 1) w.count('photos:storedAgain')
  }
  const uploaders = new Map<string, number>()
  for (const key of holders) uploaders.set(key.split(':')[1]!, (uploaders.get(key.split(':')[1]!) ?? 0) + 1)
  if ([...uploaders.values()].some((n) => n > 1)) w.count('photos:uploadedByTwoUsers')

  // 3. An applied attach's photo is there unless detached or its entry gone; a rejected one left nothing.
  const detached = new Set(applied.filter((a) => a.q.name === 'detachMedia').map((a) => String(a.q.args.mediaId)))
  const ids = new Set(media.map((m) => m.id))
  const entries = new Set((await rows<{ id: string }>(db, sql`select id::text as id from entries`)).map((r) => r.id))
  for (const { d, id, q } of applied) {
    if (q.name !== 'attachMedia') continue
    const mediaId = (q.args.photo as { id: string }).id
    const expected = !detached.has(mediaId) && entries.has(String(q.args.entryId))
    if (ids.has(mediaId) !== expected)
      p(
        `${d.name}: applied #${id} attachMedia made photo ${shortIds(mediaId)}, which the server ${ids.has(mediaId) ? 'has' : 'does not have'}`,
      )
  }
  for (const { d, id, q } of rejected) {
    if (q.name === 'attachMedia' && ids.has((q.args.photo as { id: string }).id))
      p(`${d.name}: rejected #${id} attachMedia left its photo on the server`)
  }

  // 4. Each device: nothing left to upload, its cache consistent, named, right and within budget.
  for (const d of w.devices) {
    const q = (what: string) => problems.push(`${d.name}: ${what}`)
    const left = await rows<{ sha256: string; error: string | null; failed: boolean }>(
      d.db,
      sql`select sha256, last_error as error, failed_at is not null as failed from local_uploads order by id`,
    )
    for (const u of left) q(`upload of ${u.sha256.slice(0, 8)} is still queued${u.failed ? ', refused' : ''} (${u.error ?? 'never tried'})`)
    const cache = await cacheOf(d)
    // The device keeps to its budget when it attaches or downloads (checked after each); nothing
    // enforces it when uploads end and their bytes become evictable, so a device whose last
    // change was an upload may sit over budget until its next attach or download (reported; the
    // app's next one is run here, and must bring it within).
    let within = cache
    if (cache.used > d.budget && evictable(d, cache) > 0) {
      w.count('photos:overBudgetAfterUploads')
      w.log(`  ${d.name}'s cache is at ${cache.used} of ${d.budget} bytes after its uploads; it keeps to its budget`)
      await d.photos.enforceBudget()
      within = await cacheOf(d)
    }
    const spare = evictable(d, within)
    if (within.used > d.budget && spare > 0)
      q(`its photo cache holds ${within.used} bytes, over its budget of ${d.budget}, ${spare} of them evictable (M11)`)
    if (within.used > d.budget) w.count('photos:overBudgetPinned')
    const stored = (await d.blobs.keys()).map((k) => k.sha256).sort()
    if (!isDeepStrictEqual(stored, within.shas))
      q(`its blob store holds [${stored.map((s) => s.slice(0, 6))}], its index [${within.shas.map((s) => s.slice(0, 6))}]`)
    const unnamed = await rows<{ sha256: string }>(
      d.db,
      sql`select sha256 from local_media_cache c where not exists (select 1 from media m where m.sha256 = c.sha256 or m.thumb_sha256 = c.sha256)`,
    )
    if (unnamed.length > 0)
      q(`caches ${unnamed.map((u) => u.sha256.slice(0, 8)).join(', ')}, which no photo of ${d.user.name}'s names (M12)`)
    for (const sha of stored) {
      const bytes = await (await d.blobs.get(sha))?.arrayBuffer()
      if (!bytes || !isDeepStrictEqual(new Uint8Array(bytes), w.blobs.get(sha))) q(`caches other bytes than ${sha.slice(0, 8)}'s`)
    }
  }
  return problems
}
