/**
 * Photos across devices (sync/SPEC.md M6-M12), in Chromium with its real Cache Storage and
 * IndexedDB: a phone-sized photo attached offline on one device, uploaded once the network is
 * back and seen on a second device, thumbnail first; where it was taken stripped, or kept when
 * the setting says so; its bytes gone from the device's cache once it is removed; an upload cut
 * by a reload carried on after it. The first test prints how long a 4 MB photo took to show,
 * to upload and to be seen on the other device (the closing note of issue 16 quotes them).
 */
import type { BrowserContext, Page, Request } from '@playwright/test'
import { createExercise, createWorkout, expect, readyOffline, signIn, test } from './fixtures'
import { exifOf, noisyJpeg, withGpsExif } from './photo-files'

test.use({ viewport: { width: 390, height: 844 }, hasTouch: true })

/** Logs a one-set "Leg day" and stays on its finish summary, whose photos region it returns. */
async function logLegDay(page: Page) {
  await createExercise(page, 'Squat')
  await createWorkout(page, 'Leg day', 'Squat', 1)
  await page.getByRole('link', { name: 'Log Leg day' }).click()
  await page.getByLabel('Squat set 1 Weight (kg)').fill('100')
  await page.getByLabel('Squat set 1 Reps').fill('5')
  await page.getByRole('button', { name: 'Finish', exact: true }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'Leg day done' })).toBeVisible()
  return page.getByRole('region', { name: 'Photos of Leg day' })
}

/** The hashes in the device's blob cache (Cache Storage `cadence-media`). */
function cachedHashes(page: Page): Promise<string[]> {
  return page.evaluate(async () => {
    const cache = await caches.open('cadence-media')
    return (await cache.keys()).map((r) => new URL(r.url).pathname.split('/').pop()!).sort()
  })
}

/** The bytes the server holds under `sha256`, read with this page's session, and their status. */
async function serverBytes(page: Page, sha256: string): Promise<{ status: number; bytes: Buffer }> {
  const { status, base64 } = await page.evaluate(async (sha) => {
    const response = await fetch(`/api/media/${sha}`, { cache: 'no-store' })
    const bytes = new Uint8Array(await response.arrayBuffer())
    let text = ''
    for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
    return { status: response.status, base64: btoa(text) }
  }, sha256)
  return { status, bytes: Buffer.from(base64, 'base64') }
}

/** The pixel size of an image's bytes, decoded in the page. */
function pixelsOf(page: Page, bytes: Buffer): Promise<{ width: number; height: number }> {
  return page.evaluate(async (base64) => {
    const bitmap = await createImageBitmap(await (await fetch(`data:image/jpeg;base64,${base64}`)).blob())
    return { width: bitmap.width, height: bitmap.height }
  }, bytes.toString('base64'))
}

const mediaRequests = (context: BrowserContext | Page, method: string) => {
  const seen: { url: string; at: number }[] = []
  context.on(
    'request',
    (r: Request) => void (r.url().includes('/api/media/') && r.method() === method && seen.push({ url: r.url(), at: Date.now() })),
  )
  return seen
}

test('[M6][M7][M10] a 4 MB photo attached offline shows at once, uploads once online, and another device sees its thumbnail, then the image', async ({
  page,
  account,
  browser,
}, testInfo) => {
  test.setTimeout(300_000)
  await readyOffline(page, account)
  const photos = await logLegDay(page)
  await expect(page.getByTestId('sync-pending')).toHaveText('All changes synced', { timeout: 60_000 })
  const puts = mediaRequests(page.context(), 'PUT')

  // A phone photo (4000 × 3000, 4 MB or so) with the place it was taken in its EXIF.
  const photo = withGpsExif(await noisyJpeg(page, 4000, 3000, 0.5))
  expect(photo.byteLength).toBeGreaterThan(3_500_000)
  expect(photo.byteLength).toBeLessThan(6_000_000)
  await page.context().setOffline(true)
  await photos.getByRole('button', { name: 'Add photo to Leg day' }).click()
  const picked = Date.now()
  await photos.getByLabel('Choose photos for Leg day').setInputFiles([{ name: 'IMG_2041.jpg', mimeType: 'image/jpeg', buffer: photo }])
  const thumbnail = photos.getByRole('button', { name: /^Photo 1 of 1, Leg day/ })
  await expect(thumbnail.locator('img')).toBeVisible({ timeout: 60_000 })
  const shownMs = Date.now() - picked
  await expect(thumbnail).toContainText('Waiting for connection')
  await expect(page.getByTestId('sync-uploads')).toHaveText('Photos wait to upload')

  // Both blobs are in the device's cache; nothing was sent.
  const hashes = await cachedHashes(page)
  expect(hashes).toHaveLength(2)
  expect(puts).toEqual([])

  const online = Date.now()
  await page.context().setOffline(false)
  await expect(thumbnail).not.toContainText(/Uploading|Waiting/, { timeout: 120_000 })
  const uploadedMs = Date.now() - online
  await expect(page.getByTestId('sync-uploads')).toHaveCount(0)
  // Each blob went up once: the thumbnail, then the image.
  expect(puts.map((p) => p.url.split('/').pop()).sort()).toEqual(hashes)

  // What the server holds: the image at most 2048 px on its long edge, its EXIF (and so where it
  // was taken) gone; the thumbnail about 320 px.
  const stored = await Promise.all(hashes.map((sha) => serverBytes(page, sha)))
  expect(stored.map((s) => s.status)).toEqual([200, 200])
  const [image, thumb] = [...stored].sort((a, b) => b.bytes.byteLength - a.bytes.byteLength)
  // (A noise photo compresses badly, so the target size may take it below 2048 px.)
  const pixels = await pixelsOf(page, image!.bytes)
  expect(pixels.width).toBeLessThanOrEqual(2048)
  expect(pixels.width).toBeGreaterThan(1000)
  expect(pixels.height / pixels.width).toBeCloseTo(0.75, 2)
  expect(Math.max(...Object.values(await pixelsOf(page, thumb!.bytes)))).toBeLessThanOrEqual(320)
  expect(exifOf(image!.bytes)).toEqual({ exif: false, latitude: false })

  // Another device of the account: the history page asks for the thumbnail only, and the image
  // once the photo is opened.
  const laptopContext = await browser.newContext({ viewport: { width: 390, height: 844 } })
  const laptop = await laptopContext.newPage()
  const gets = mediaRequests(laptopContext, 'GET')
  await signIn(laptop, account)
  await expect(laptop.getByRole('heading', { level: 1, name: `${account.name}'s library` })).toBeVisible()
  const opened = Date.now()
  await laptop.getByRole('link', { name: 'History', exact: true }).click()
  const card = laptop.getByRole('main').getByRole('listitem', { name: 'Leg day' })
  const seen = card.getByRole('button', { name: /^Photo 1 of 1, Leg day/ })
  await expect(seen.locator('img')).toBeVisible({ timeout: 60_000 })
  const firstViewMs = Date.now() - opened
  // Only the thumbnail so far.
  expect(await cachedHashes(laptop)).toHaveLength(1)
  expect(gets).toHaveLength(1)
  const clicked = Date.now()
  await seen.click()
  const large = laptop.getByRole('dialog', { name: 'Photo 1 of 1, Leg day' }).getByRole('img', { name: 'Photo 1 of 1, Leg day' })
  await expect.poll(() => large.evaluate((img: HTMLImageElement) => img.naturalWidth), { timeout: 60_000 }).toBe(pixels.width)
  const fullViewMs = Date.now() - clicked
  expect(gets).toHaveLength(2)
  expect(await cachedHashes(laptop)).toEqual(hashes)
  await laptopContext.close()

  const timings = { photoBytes: photo.byteLength, shownMs, uploadedMs, firstViewMs, fullViewMs, storedImageBytes: image!.bytes.byteLength }
  testInfo.annotations.push({ type: 'timings', description: JSON.stringify(timings) })
  console.log(`[photos] 4 MB phone photo: ${JSON.stringify(timings)}`)
})

test('[M6] with "Keep where photos were taken" on, the stored photo keeps its EXIF location', async ({ page, account }) => {
  test.setTimeout(180_000)
  await readyOffline(page, account)
  await page.getByRole('link', { name: 'Settings', exact: true }).click()
  await page.getByLabel('Keep where photos were taken (location)').click()
  await expect(page.getByLabel('Keep where photos were taken (location)')).toBeChecked()
  await page.goto('/')
  const photos = await logLegDay(page)
  await photos.getByRole('button', { name: 'Add photo to Leg day' }).click()
  await photos
    .getByLabel('Choose photos for Leg day')
    .setInputFiles([{ name: 'IMG_2042.jpg', mimeType: 'image/jpeg', buffer: withGpsExif(await noisyJpeg(page, 1200, 900)) }])
  const thumbnail = photos.getByRole('button', { name: /^Photo 1 of 1, Leg day/ })
  await expect(thumbnail.locator('img')).toBeVisible({ timeout: 60_000 })
  await expect(thumbnail).not.toContainText(/Uploading|Waiting/, { timeout: 120_000 })
  const stored = await Promise.all((await cachedHashes(page)).map((sha) => serverBytes(page, sha)))
  const [image, thumb] = [...stored].sort((a, b) => b.bytes.byteLength - a.bytes.byteLength)
  expect(exifOf(image!.bytes)).toEqual({ exif: true, latitude: true })
  // The thumbnail never carries it.
  expect(exifOf(thumb!.bytes).latitude).toBe(false)
})

test('[M12] a removed photo’s bytes leave the device’s cache once the removal has synced, and the server no longer serves them', async ({
  page,
  account,
}) => {
  test.setTimeout(180_000)
  await readyOffline(page, account)
  const photos = await logLegDay(page)
  await photos.getByRole('button', { name: 'Add photo to Leg day' }).click()
  await photos
    .getByLabel('Choose photos for Leg day')
    .setInputFiles([{ name: 'IMG_2043.jpg', mimeType: 'image/jpeg', buffer: await noisyJpeg(page, 1200, 900) }])
  const thumbnail = photos.getByRole('button', { name: /^Photo 1 of 1, Leg day/ })
  await expect(thumbnail).not.toContainText(/Uploading|Waiting/, { timeout: 120_000 })
  const hashes = await cachedHashes(page)
  expect(hashes).toHaveLength(2)

  await thumbnail.click()
  page.once('dialog', (d) => void d.accept())
  await page.getByRole('dialog', { name: 'Photo 1 of 1, Leg day' }).getByRole('button', { name: 'Remove photo' }).click()
  await expect(photos.getByRole('button', { name: /^Photo 1 of/ })).toHaveCount(0)
  await expect(page.getByTestId('sync-pending')).toHaveText('All changes synced', { timeout: 60_000 })
  await expect.poll(() => cachedHashes(page), { timeout: 60_000 }).toEqual([])
  // No photo of the account names the bytes any more: the server answers as for any unknown hash.
  for (const sha of hashes) expect((await serverBytes(page, sha)).status).toBe(404)
})

test('[M7] an upload cut short by a reload carries on after it, and the photo reaches the server once', async ({ page, account }) => {
  test.setTimeout(180_000)
  await readyOffline(page, account)
  const photos = await logLegDay(page)
  await expect(page.getByTestId('sync-pending')).toHaveText('All changes synced', { timeout: 60_000 })
  // The server never answers an upload: the first one hangs until the page goes.
  let held = 0
  await page.route('**/api/media/*', (route) => {
    if (route.request().method() !== 'PUT') return route.continue()
    held += 1
    // Left unanswered: the reload cuts it.
  })
  await photos.getByRole('button', { name: 'Add photo to Leg day' }).click()
  await photos
    .getByLabel('Choose photos for Leg day')
    .setInputFiles([{ name: 'IMG_2044.jpg', mimeType: 'image/jpeg', buffer: await noisyJpeg(page, 1600, 1200) }])
  const thumbnail = photos.getByRole('button', { name: /^Photo 1 of 1, Leg day/ })
  await expect(thumbnail).toContainText('Uploading', { timeout: 60_000 })
  await expect.poll(() => held, { timeout: 60_000 }).toBeGreaterThan(0)
  const hashes = await cachedHashes(page)

  await page.unroute('**/api/media/*')
  const puts = mediaRequests(page.context(), 'PUT')
  await page.reload()
  // The queue is in the device's database: after the reload it sends both blobs.
  await expect
    .poll(async () => Promise.all(hashes.map(async (sha) => (await serverBytes(page, sha)).status)), { timeout: 120_000 })
    .toEqual([200, 200])
  await expect(page.getByTestId('sync-uploads')).toHaveCount(0)
  expect(puts.map((p) => p.url.split('/').pop()).sort()).toEqual(hashes)
})
