/**
 * What of preparing a photo (sync/SPEC.md M6) runs without a canvas: telling a file by its first
 * bytes (and refusing a HEIC, a PDF or a video in words), the options each blob is compressed
 * with (the place a photo was taken kept only in the image, and only when the user keeps it), and
 * the JPEG header work on the output: the orientation set upright, the size read. The resizing
 * itself needs a browser's canvas; the e2e suite attaches real photos.
 */
import { describe, expect, test } from 'vitest'
import { IMAGE_EDGE, THUMBNAIL_EDGE } from '@/domain/media'
import { PhotoError, compressionOptions, hasExif, jpegSize, photoTypeOf, preparePhoto, uprightOrientation } from './prepare'

const bytes = (...parts: (number[] | string)[]) =>
  new Uint8Array(parts.flatMap((p) => (typeof p === 'string' ? [...p].map((c) => c.charCodeAt(0)) : p)))
const u16 = (n: number, little = false) => (little ? [n & 0xff, n >> 8] : [n >> 8, n & 0xff])
const u32 = (n: number, little = false) => {
  const big = [(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff]
  return little ? big.reverse() : big
}

/** An APP1 EXIF segment whose IFD0 holds an orientation tag (and a tag before it). */
function exifSegment(orientation: number, little: boolean) {
  const tiff = [
    ...bytes(little ? 'II' : 'MM'),
    ...u16(0x2a, little),
    ...u32(8, little),
    ...u16(2, little),
    // ImageWidth (LONG) first, so the orientation is not the first entry.
    ...u16(0x0100, little),
    ...u16(4, little),
    ...u32(1, little),
    ...u32(4000, little),
    ...u16(0x0112, little),
    ...u16(3, little),
    ...u32(1, little),
    ...u16(orientation, little),
    0,
    0,
    ...u32(0, little),
  ]
  const body = [...bytes('Exif\0\0'), ...tiff]
  return [0xff, 0xe1, ...u16(body.length + 2), ...body]
}

/** A JPEG's header: SOI, optional EXIF, a baseline frame of `width` x `height`, then the scan. */
function jpeg({ width, height, exif }: { width: number; height: number; exif?: number[] }) {
  const frame = [8, ...u16(height), ...u16(width), 3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1]
  return bytes(
    [0xff, 0xd8],
    [0xff, 0xe0, ...u16(16)],
    'JFIF\0',
    [1, 1, 0, 0, 1, 0, 1, 0, 0],
    exif ?? [],
    [0xff, 0xdb, ...u16(3), 0],
    [0xff, 0xc0, ...u16(frame.length + 2), ...frame],
    [0xff, 0xda, ...u16(8), 1, 1, 0, 0, 0x3f, 0],
    [0x12, 0x34, 0xff, 0xd9],
  )
}

const orientationOf = (image: Uint8Array, little: boolean) => {
  // The orientation value sits after SOI, APP0 (18), the APP1 marker, length and 'Exif\0\0' (10),
  // the TIFF header (8), the entry count (2), one entry (12) and the tag, type and count (8).
  const at = 2 + 18 + 10 + 8 + 2 + 12 + 8
  return new DataView(image.buffer).getUint16(at, little)
}

describe('[M6] a file is told by its first bytes', () => {
  test('JPEG, PNG, WebP and GIF are photos', () => {
    expect(photoTypeOf(bytes([0xff, 0xd8, 0xff, 0xe0]))).toBe('image/jpeg')
    expect(photoTypeOf(bytes([0x89], 'PNG\r\n\x1a\n'))).toBe('image/png')
    expect(photoTypeOf(bytes('RIFF', [1, 2, 3, 4], 'WEBP'))).toBe('image/webp')
    expect(photoTypeOf(bytes('GIF89a'))).toBe('image/gif')
  })

  test.each([
    ['a HEIC photo', bytes([0, 0, 0, 0x18], 'ftypheic'), /HEIC format.*JPEG, PNG, WebP or GIF.*Most Compatible/],
    ['a HEIF one', bytes([0, 0, 0, 0x18], 'ftypmif1'), /HEIC format/],
    ['an AVIF one', bytes([0, 0, 0, 0x1c], 'ftypavif'), /AVIF format.*JPEG, PNG, WebP or GIF/],
    ['a PDF named photo.jpg', bytes('%PDF-1.7\n%'), /PDF document, not a photo.*JPEG, PNG, WebP or GIF/],
    ['a video', bytes([0, 0, 0, 0x20], 'ftypisom'), /video.*photos only/],
    ['a text file', bytes('hello world!'), /not a photo Cadence can read.*JPEG, PNG, WebP or GIF/],
  ])('%s is refused, saying what it is and what works', (_what, head, message) => {
    expect(() => photoTypeOf(head)).toThrow(PhotoError)
    expect(() => photoTypeOf(head)).toThrow(message)
  })

  test('preparePhoto refuses such a file by its bytes, whatever its name and type say', async () => {
    const pdf = new File([bytes('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj')], 'photo.jpg', { type: 'image/jpeg' })
    await expect(preparePhoto(pdf, { keepLocation: false })).rejects.toThrow(/PDF document/)
    const heic = new File([bytes([0, 0, 0, 0x18], 'ftypheic', [0, 0, 0, 0])], 'IMG_0001.HEIC', { type: '' })
    await expect(preparePhoto(heic, { keepLocation: true })).rejects.toBeInstanceOf(PhotoError)
    await expect(preparePhoto(new Blob([]), { keepLocation: false })).rejects.toThrow('This file is empty. Choose a photo.')
  })
})

describe('[M6] what each blob is compressed with', () => {
  test('the image keeps its EXIF only when the user keeps photo locations; the thumbnail never does', () => {
    expect(compressionOptions('image', { keepLocation: false }).preserveExif).toBe(false)
    expect(compressionOptions('image', { keepLocation: true }).preserveExif).toBe(true)
    expect(compressionOptions('thumbnail', { keepLocation: true }).preserveExif).toBe(false)
    expect(compressionOptions('thumbnail', { keepLocation: false }).preserveExif).toBe(false)
  })

  test('both are JPEG, on the page’s thread, at their long edges and below their target sizes', () => {
    const image = compressionOptions('image', { keepLocation: false })
    const thumbnail = compressionOptions('thumbnail', { keepLocation: false })
    expect(image).toMatchObject({ maxWidthOrHeight: IMAGE_EDGE, fileType: 'image/jpeg', useWebWorker: false, maxSizeMB: 1.5 })
    expect(thumbnail).toMatchObject({ maxWidthOrHeight: THUMBNAIL_EDGE, fileType: 'image/jpeg', useWebWorker: false })
    expect(thumbnail.maxSizeMB! * 1024).toBeCloseTo(40)
    expect(image.initialQuality).toBeLessThan(1)
  })
})

describe('[M6] the JPEG that is stored', () => {
  test.each([true, false])('an orientation kept with the EXIF is set upright (little-endian: %s)', (little) => {
    const image = jpeg({ width: 2048, height: 1536, exif: exifSegment(6, little) })
    expect(orientationOf(image, little)).toBe(6)
    expect(uprightOrientation(image)).toBe(true)
    expect(orientationOf(image, little)).toBe(1)
    // Nothing else changed, and a second pass has nothing to do.
    expect(jpegSize(image)).toEqual({ width: 2048, height: 1536 })
    expect(uprightOrientation(image)).toBe(false)
  })

  test('an upright or EXIF-less JPEG is left as it is', () => {
    const upright = jpeg({ width: 10, height: 20, exif: exifSegment(1, false) })
    const copy = upright.slice()
    expect(uprightOrientation(upright)).toBe(false)
    expect(upright).toEqual(copy)
    const bare = jpeg({ width: 10, height: 20 })
    expect(uprightOrientation(bare)).toBe(false)
    expect(hasExif(bare)).toBe(false)
    expect(hasExif(upright)).toBe(true)
  })

  test('the size comes from the frame header; bytes that are no JPEG have none', () => {
    expect(jpegSize(jpeg({ width: 2048, height: 1365 }))).toEqual({ width: 2048, height: 1365 })
    expect(jpegSize(jpeg({ width: 240, height: 320, exif: exifSegment(8, true) }))).toEqual({ width: 240, height: 320 })
    expect(jpegSize(bytes('%PDF-1.7'))).toBeNull()
    // Cut inside its header.
    expect(jpegSize(jpeg({ width: 5, height: 5 }).subarray(0, 30))).toBeNull()
  })
})
