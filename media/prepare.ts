/**
 * Preparing a photo in the browser before it is attached (sync/SPEC.md M6): the file is told by
 * its first bytes (never its name), drawn upright, resized to a stored image (long edge at most
 * {@link IMAGE_EDGE}) and a thumbnail made from that image ({@link THUMBNAIL_EDGE}), both JPEG,
 * and each hashed. Re-encoding through a canvas drops every piece of metadata the camera wrote;
 * with `keepLocation` the image (never the thumbnail) gets the original's EXIF back, which is
 * where the place a photo was taken is kept.
 *
 * Why JPEG for every photo, a PNG included: a photo saved as PNG is several times the size of the
 * same photo as JPEG at the quality used here, and browser-image-compression shrinks a PNG only by
 * reducing its colours in JavaScript (UPNG), which is slow at 2048 px and lossy all the same. A
 * screenshot's text stays readable at quality 0.85; a transparent background becomes white (the
 * library fills it); an animated GIF keeps its first frame. One output type also keeps what the
 * server and every device must show to one.
 *
 * browser-image-compression runs on the page's thread (`useWebWorker: false`): its worker loads
 * the library from a CDN, which fails offline. It is imported when a photo is first prepared, so
 * pages that never attach one do not load it.
 */
import type { Options } from 'browser-image-compression'
import {
  IMAGE_EDGE,
  IMAGE_TARGET_BYTES,
  MAX_MEDIA_BYTES,
  SNIFF_BYTES,
  THUMBNAIL_EDGE,
  THUMBNAIL_TARGET_BYTES,
  formatBytes,
  sha256Hex,
  sniffMediaType,
  type MediaType,
} from '@/domain/media'

export type PreparedBlob = { bytes: Uint8Array; sha256: string; mimeType: MediaType }
export type PreparedPhoto = { image: PreparedBlob; thumbnail: PreparedBlob; width: number; height: number }

/** A photo that cannot be attached; the message is for the user. */
export class PhotoError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'PhotoError'
  }
}

/** The largest file the device tries to read: a phone's photo is a fraction of it. */
export const MAX_INPUT_BYTES = 64 * 1024 * 1024

const MiB = 1024 * 1024
/** What both blobs are stored as (see the file's comment for why not PNG). */
const OUTPUT_TYPE = 'image/jpeg' satisfies MediaType

const ascii = (bytes: Uint8Array, from: number, to: number) => String.fromCharCode(...bytes.subarray(from, to))

/** ISO base media brands (bytes 8-11 after `ftyp`) of HEIC/HEIF and AVIF stills. */
const heifBrands = new Set(['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'hevm', 'hevs', 'mif1', 'msf1'])
const avifBrands = new Set(['avif', 'avis'])

/**
 * The type of a file from its first {@link SNIFF_BYTES} bytes, or a {@link PhotoError} saying what
 * the file is and what works instead.
 */
export function photoTypeOf(head: Uint8Array): MediaType {
  const type = sniffMediaType(head)
  if (type) return type
  const works = 'Choose a JPEG, PNG, WebP or GIF photo.'
  if (ascii(head, 0, 5) === '%PDF-') throw new PhotoError(`This file is a PDF document, not a photo. ${works}`)
  if (ascii(head, 4, 8) === 'ftyp') {
    const brand = ascii(head, 8, 12)
    if (heifBrands.has(brand)) {
      throw new PhotoError(
        `This photo is in HEIC format, which Cadence cannot read. ${works} On an iPhone, Settings → Camera → Formats → Most Compatible takes photos as JPEG.`,
      )
    }
    if (avifBrands.has(brand)) throw new PhotoError(`This photo is in AVIF format, which Cadence cannot read. ${works}`)
    throw new PhotoError(`This file is a video, and Cadence attaches photos only. ${works}`)
  }
  throw new PhotoError(`This file is not a photo Cadence can read. ${works}`)
}

/**
 * What browser-image-compression is asked for each blob. The image keeps the original's EXIF
 * only when the user keeps photo locations; the thumbnail never does.
 */
export function compressionOptions(kind: 'image' | 'thumbnail', { keepLocation }: { keepLocation: boolean }): Options {
  const image = kind === 'image'
  return {
    maxWidthOrHeight: image ? IMAGE_EDGE : THUMBNAIL_EDGE,
    maxSizeMB: (image ? IMAGE_TARGET_BYTES : THUMBNAIL_TARGET_BYTES) / MiB,
    // The first try's quality: the library's default (1.0) makes a JPEG larger than the photo.
    initialQuality: image ? 0.85 : 0.8,
    fileType: OUTPUT_TYPE,
    useWebWorker: false,
    preserveExif: image && keepLocation,
  }
}

const SOI = 0xffd8
const SOS = 0xffda
const EOI = 0xffd9
const APP1 = 0xffe1
const ORIENTATION = 0x0112
const SHORT = 3

/** Each marker segment of a JPEG's header (up to the image data): its marker and where it starts. */
function* segments(bytes: Uint8Array): Generator<{ marker: number; at: number; size: number }> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  if (bytes.length < 4 || view.getUint16(0) !== SOI) return
  let at = 2
  while (at + 4 <= bytes.length) {
    const marker = view.getUint16(at)
    if ((marker & 0xff00) !== 0xff00 || marker === SOS || marker === EOI) return
    const size = view.getUint16(at + 2)
    if (size < 2 || at + 2 + size > bytes.length) return
    yield { marker, at, size }
    at += 2 + size
  }
}

/**
 * Sets the EXIF orientation of a JPEG to 1 (upright) where it says otherwise, and says whether it
 * did. The canvas drew the pixels upright already; an orientation copied back with the EXIF would
 * make a viewer turn them a second time. browser-image-compression writes 1 itself; this holds
 * whatever the library does.
 */
export function uprightOrientation(bytes: Uint8Array): boolean {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  let changed = false
  for (const { marker, at, size } of segments(bytes)) {
    if (marker !== APP1 || size < 16 || ascii(bytes, at + 4, at + 10) !== 'Exif\0\0') continue
    const tiff = at + 10
    const end = at + 2 + size
    const order = view.getUint16(tiff)
    if (order !== 0x4949 && order !== 0x4d4d) continue
    const little = order === 0x4949
    const ifd0 = tiff + view.getUint32(tiff + 4, little)
    if (ifd0 + 2 > end) continue
    const count = view.getUint16(ifd0, little)
    for (let entry = ifd0 + 2; entry + 12 <= end && entry < ifd0 + 2 + count * 12; entry += 12) {
      if (view.getUint16(entry, little) !== ORIENTATION || view.getUint16(entry + 2, little) !== SHORT) continue
      if (view.getUint16(entry + 8, little) !== 1) {
        view.setUint16(entry + 8, 1, little)
        changed = true
      }
    }
  }
  return changed
}

/** Whether a JPEG carries EXIF (an APP1 `Exif` segment). */
export function hasExif(bytes: Uint8Array): boolean {
  for (const { marker, at } of segments(bytes)) {
    if (marker === APP1 && ascii(bytes, at + 4, at + 10) === 'Exif\0\0') return true
  }
  return false
}

/** A JPEG's size in pixels, from its frame header (SOFn), or null when it has none. */
export function jpegSize(bytes: Uint8Array): { width: number; height: number } | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  for (const { marker, at, size } of segments(bytes)) {
    // SOF0-SOF15, except DHT (C4), JPG (C8) and DAC (CC), which share the range.
    const frame = marker >= 0xffc0 && marker <= 0xffcf && marker !== 0xffc4 && marker !== 0xffc8 && marker !== 0xffcc
    if (frame && size >= 7) return { height: view.getUint16(at + 5), width: view.getUint16(at + 7) }
  }
  return null
}

async function compress(file: File, options: Options): Promise<Uint8Array> {
  const { default: imageCompression } = await import('browser-image-compression')
  const blob = await imageCompression(file, options)
  return new Uint8Array(await blob.arrayBuffer())
}

/** One blob as stored: checked to be a JPEG the server takes, upright, hashed. */
async function finish(bytes: Uint8Array): Promise<PreparedBlob & { width: number; height: number }> {
  const size = sniffMediaType(bytes) === OUTPUT_TYPE ? jpegSize(bytes) : null
  if (!size) throw new PhotoError('This photo could not be converted on this device. Try another photo.')
  if (bytes.byteLength > MAX_MEDIA_BYTES) {
    throw new PhotoError(
      `This photo is still ${formatBytes(bytes.byteLength)} after resizing, more than Cadence stores. Try another photo.`,
    )
  }
  uprightOrientation(bytes)
  return { bytes, sha256: await sha256Hex(bytes), mimeType: OUTPUT_TYPE, ...size }
}

/**
 * Prepares a photo the user picked (or took) for {@link DevicePhotos.attach}: the stored image
 * and its thumbnail, each a JPEG with its hash, and the image's size in pixels. Throws
 * {@link PhotoError} for a file that is not a photo Cadence can read, in words for the user.
 */
export async function preparePhoto(file: Blob, { keepLocation }: { keepLocation: boolean }): Promise<PreparedPhoto> {
  if (file.size === 0) throw new PhotoError('This file is empty. Choose a photo.')
  if (file.size > MAX_INPUT_BYTES) {
    throw new PhotoError(
      `This file is ${formatBytes(file.size)}, too large to read on this device. Choose a photo under ${formatBytes(MAX_INPUT_BYTES)}.`,
    )
  }
  const type = photoTypeOf(new Uint8Array(await file.slice(0, SNIFF_BYTES).arrayBuffer()))
  // Typed by its bytes: the library reads the type to decide what to draw and what EXIF to copy,
  // and a file picker may give none, or a wrong one.
  const source = new File([file], 'photo', { type, lastModified: file instanceof File ? file.lastModified : Date.now() })
  let image: Awaited<ReturnType<typeof finish>>
  try {
    image = await finish(await compress(source, compressionOptions('image', { keepLocation })))
  } catch (error) {
    if (error instanceof PhotoError) throw error
    // The library rejects when the camera's EXIF is malformed and it was asked to copy it: the
    // photo is attached without it (losing the place, never leaking more than asked).
    if (keepLocation) return preparePhoto(file, { keepLocation: false })
    throw unreadable()
  }
  let thumbnail: Awaited<ReturnType<typeof finish>>
  try {
    const imageFile = new File([image.bytes as BlobPart], 'photo.jpg', { type: OUTPUT_TYPE, lastModified: source.lastModified })
    thumbnail = await finish(await compress(imageFile, compressionOptions('thumbnail', { keepLocation })))
  } catch (error) {
    if (error instanceof PhotoError) throw error
    throw unreadable()
  }
  return {
    image: { bytes: image.bytes, sha256: image.sha256, mimeType: image.mimeType },
    thumbnail: { bytes: thumbnail.bytes, sha256: thumbnail.sha256, mimeType: thumbnail.mimeType },
    width: image.width,
    height: image.height,
  }
}

const unreadable = () => new PhotoError('This photo could not be read; the file may be damaged. Try another photo.')
