/**
 * Photos as a lifter meets them at phone width (390 × 844): two photos attached to a workout
 * from its finish summary (JPEGs drawn on a canvas in the page and handed to the file picker),
 * their thumbnails, the viewer (the full image, moving a photo later, removing one, axe with it
 * open), a progress photo added to a set from history with the network off (the thumbnail at
 * once, waiting for the connection, uploaded once back; another the server refuses, which
 * history's strip shows once the edit is closed), and Settings' Photos section (what the device
 * holds, the refusal, the location setting). Screenshots of the summary with
 * photos, the viewer and the Photos settings.
 */
import AxeBuilder from '@axe-core/playwright'
import type { Locator, Page } from '@playwright/test'
import { createExercise, createWorkout, expect, readyOffline, test } from './fixtures'

test.use({ viewport: { width: 390, height: 844 }, hasTouch: true, locale: 'en-US' })

/** A JPEG drawn in the page: a 1600 × 1200 field of one colour with a label, as a phone photo. */
async function jpeg(page: Page, name: string, colour: string) {
  const bytes = await page.evaluate(async (fill) => {
    const canvas = document.createElement('canvas')
    canvas.width = 1600
    canvas.height = 1200
    const ctx = canvas.getContext('2d')!
    ctx.fillStyle = fill
    ctx.fillRect(0, 0, 1600, 1200)
    ctx.fillStyle = 'white'
    ctx.font = 'bold 160px sans-serif'
    ctx.fillText(fill, 200, 650)
    const blob = await new Promise<Blob>((resolve) => canvas.toBlob((b) => resolve(b!), 'image/jpeg', 0.9))
    return [...new Uint8Array(await blob.arrayBuffer())]
  }, colour)
  return { name, mimeType: 'image/jpeg', buffer: Buffer.from(bytes) }
}

/** The colour at the middle of a shown image, as 'red', 'blue' or what it is. */
async function colourOf(image: Locator) {
  await expect.poll(() => image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true)
  return image.evaluate((img: HTMLImageElement) => {
    const canvas = document.createElement('canvas')
    canvas.width = img.naturalWidth
    canvas.height = img.naturalHeight
    const ctx = canvas.getContext('2d')!
    ctx.drawImage(img, 0, 0)
    const [r, g, b] = ctx.getImageData(Math.floor(img.naturalWidth / 10), Math.floor(img.naturalHeight / 10), 1, 1).data
    return r! > 150 && b! < 100 ? 'red' : b! > 150 && r! < 100 ? 'blue' : `rgb(${r}, ${g}, ${b})`
  })
}

test('photos on a workout and on a set: attach, view, reorder, remove, offline, settings', async ({ page, account }, testInfo) => {
  test.setTimeout(360_000)
  await readyOffline(page, account)
  await createExercise(page, 'Squat')
  await createWorkout(page, 'Leg day', 'Squat', 2)
  await expect(page.getByTestId('sync-pending')).toHaveText('All changes synced')

  // A workout logged; its summary offers photos of the workout and of its sets.
  await page.getByRole('link', { name: 'Log Leg day' }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'Leg day' })).toBeVisible()
  await page.getByLabel('Squat set 1 Weight (kg)').fill('100')
  await page.getByLabel('Squat set 1 Reps').fill('5')
  await page.getByRole('button', { name: 'Finish', exact: true }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'Leg day done' })).toBeVisible()

  const photos = page.getByRole('region', { name: 'Photos of Leg day' })
  await photos.getByRole('button', { name: 'Add photo to Leg day' }).click()
  await expect(photos.getByRole('button', { name: 'Take photo' })).toBeVisible()
  await expect(photos.getByRole('button', { name: 'Choose photos' })).toBeVisible()
  await expect(photos.getByLabel('Take a photo for Leg day')).toHaveAttribute('capture', 'environment')
  await photos
    .getByLabel('Choose photos for Leg day')
    .setInputFiles([await jpeg(page, 'red.jpg', 'red'), await jpeg(page, 'blue.jpg', 'blue')])
  await expect(photos.getByRole('status')).toHaveText('2 photos added to Leg day.')
  const first = photos.getByRole('button', { name: /^Photo 1 of 2, Leg day/ })
  const second = photos.getByRole('button', { name: /^Photo 2 of 2, Leg day/ })
  expect(await colourOf(first.locator('img'))).toBe('red')
  expect(await colourOf(second.locator('img'))).toBe('blue')
  const box = await first.boundingBox()
  expect(box!.width).toBeGreaterThanOrEqual(44)
  expect(box!.height).toBeGreaterThanOrEqual(44)
  // The bytes reach the server; the badges go.
  await expect(first).toHaveAccessibleName('Photo 1 of 2, Leg day.', { timeout: 60_000 })
  await expect(second).toHaveAccessibleName('Photo 2 of 2, Leg day.', { timeout: 60_000 })
  expect(await colourOf(first.locator('img'))).toBe('red')
  await page.screenshot({ path: testInfo.outputPath('summary-with-photos-390.png'), fullPage: true })

  // The viewer: labelled, the full image (the prepared 1600 px one, not the 320 px thumbnail).
  await first.click()
  const viewer = page.getByRole('dialog', { name: 'Photo 1 of 2, Leg day' })
  await expect(viewer).toBeVisible()
  const large = viewer.getByRole('img', { name: 'Photo 1 of 2, Leg day' })
  await expect.poll(() => large.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(1600)
  expect(await colourOf(large)).toBe('red')
  const { violations } = await new AxeBuilder({ page }).analyze()
  expect(violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([])
  await page.screenshot({ path: testInfo.outputPath('viewer-390.png') })

  // Moved later: the viewer follows it, focus stays in the dialog; Escape closes it.
  await expect(viewer.getByRole('button', { name: 'Move earlier' })).toBeDisabled()
  await viewer.getByRole('button', { name: 'Move later' }).click()
  const moved = page.getByRole('dialog', { name: 'Photo 2 of 2, Leg day' })
  await expect(moved).toBeVisible()
  await expect(moved.getByRole('button', { name: 'Move earlier' })).toBeFocused()
  await page.keyboard.press('Escape')
  await expect(page.getByRole('dialog')).toHaveCount(0)
  expect(await colourOf(first.locator('img'))).toBe('blue')
  expect(await colourOf(second.locator('img'))).toBe('red')

  // Removed (after a confirmation): one photo left, the blue one.
  await second.click()
  page.once('dialog', (d) => void d.accept())
  await page.getByRole('dialog', { name: 'Photo 2 of 2, Leg day' }).getByRole('button', { name: 'Remove photo' }).click()
  await expect(page.getByRole('dialog')).toHaveCount(0)
  const only = photos.getByRole('button', { name: /^Photo 1 of 1, Leg day/ })
  await expect(only).toBeVisible()
  // Focus goes to the photo now in the removed one's place, not to the page.
  await expect(only).toBeFocused()
  expect(await colourOf(only.locator('img'))).toBe('blue')

  // History shows the workout's photo; a set gets one there, with the network off.
  await page.getByRole('link', { name: 'History', exact: true }).click()
  const card = page.getByRole('main').getByRole('listitem', { name: 'Leg day' })
  expect(await colourOf(card.getByRole('button', { name: /^Photo 1 of 1, Leg day/ }).locator('img'))).toBe('blue')
  await page.context().setOffline(true)
  await card.getByRole('button', { name: /^Squat/ }).click()
  await card.getByRole('button', { name: 'Edit Squat set 1 of Leg day' }).click()
  const setPhotos = card.getByRole('region', { name: 'Photos of Squat set 1 of Leg day' })
  await setPhotos.getByRole('button', { name: 'Add photo to Squat set 1 of Leg day' }).click()
  await setPhotos.getByLabel('Choose photos for Squat set 1 of Leg day').setInputFiles([await jpeg(page, 'form-check.jpg', 'red')])
  await expect(setPhotos.getByRole('status')).toHaveText('Photo added to Squat set 1 of Leg day.')
  const setPhoto = setPhotos.getByRole('button', { name: /^Photo 1 of 1, Squat set 1 of Leg day/ })
  expect(await colourOf(setPhoto.locator('img'))).toBe('red')
  await expect(setPhoto).toContainText(/Uploading|Waiting for connection/)
  await page.screenshot({ path: testInfo.outputPath('history-set-photo-offline-390.png'), fullPage: true })
  await page.context().setOffline(false)
  await expect(setPhoto).not.toContainText(/Uploading|Waiting for connection/, { timeout: 90_000 })

  // A photo the server refuses, attached while editing, then the form closed: history's own
  // strip says so once the refusal comes, without a reload (the queue is not synced data).
  await page.context().setOffline(true)
  await setPhotos.getByRole('button', { name: 'Add photo to Squat set 1 of Leg day' }).click()
  await setPhotos.getByLabel('Choose photos for Squat set 1 of Leg day').setInputFiles([await jpeg(page, 'refused.jpg', 'blue')])
  await expect(setPhotos.getByRole('status')).toHaveText('Photo added to Squat set 1 of Leg day.')
  await card.getByRole('button', { name: 'Cancel' }).click()
  await page.route('**/api/media/*', (route) =>
    route.request().method() === 'PUT'
      ? route.fulfill({ status: 415, contentType: 'application/json', body: JSON.stringify({ message: 'Refused for this test.' }) })
      : route.fallback(),
  )
  await page.context().setOffline(false)
  const refused = card.getByRole('region', { name: 'Photos of Squat set 1 of Leg day' })
  await expect(refused.getByRole('button', { name: /^Photo 2 of 2, Squat set 1 of Leg day/ })).toContainText('Not uploaded', {
    timeout: 90_000,
  })
  await expect(refused).toContainText('Photo 2 was not uploaded: Refused for this test.')
  await page.unroute('**/api/media/*')

  // Settings: what the photos take on this device, nothing waiting, location off until chosen.
  await page.getByRole('link', { name: 'Settings', exact: true }).click()
  const settings = page.getByRole('region', { name: 'Photos', exact: true })
  await expect(settings).toContainText(/Photos on this device: \d/)
  await expect(settings).toContainText('Nothing else waits to upload.')
  await expect(settings).toContainText('The server refused 2 files:')
  await expect(settings.getByLabel('Space for photos')).toHaveValue('')
  await settings.getByLabel('Space for photos').selectOption({ label: '250 MB' })
  await expect(settings).toContainText('of 250 MB set aside.')
  const location = settings.getByLabel('Keep where photos were taken (location)')
  await expect(location).not.toBeChecked()
  await location.click()
  await expect(location).toBeChecked()
  await settings.scrollIntoViewIfNeeded()
  await settings.screenshot({ path: testInfo.outputPath('settings-photos-390.png') })
})
