/**
 * What a photo may be, for every runtime that handles one (sync/SPEC.md M5-M12): the device that
 * prepares it, the mutation that records it and the server that stores its bytes.
 */

/** The image types Cadence stores, each told by its bytes, never by a file's name. */
export const mediaTypes = ['image/jpeg', 'image/png', 'image/webp', 'image/gif'] as const
export type MediaType = (typeof mediaTypes)[number]

/**
 * Most bytes one blob may have. A prepared photo is far smaller (its long edge at most
 * {@link IMAGE_EDGE} px, compressed to about {@link IMAGE_TARGET_BYTES}); the limit leaves room for
 * a PNG screenshot kept lossless, and bounds what one upload holds in the server's memory.
 */
export const MAX_MEDIA_BYTES = 8 * 1024 * 1024

/** The long edge of a stored image, and of its thumbnail, in pixels. */
export const IMAGE_EDGE = 2048
export const THUMBNAIL_EDGE = 320
/** What the device compresses an image towards, and a thumbnail. */
export const IMAGE_TARGET_BYTES = 1.5 * 1024 * 1024
export const THUMBNAIL_TARGET_BYTES = 40 * 1024

/** Photos one entry may hold. */
export const MAX_PHOTOS_PER_ENTRY = 20

/** A SHA-256 as the wire and the database write it: 64 lower-case hex digits. */
export const sha256Pattern = /^[0-9a-f]{64}$/

export const isSha256 = (value: string) => sha256Pattern.test(value)

/**
 * What the bytes are, read from their first bytes (their magic number), or null when they are
 * none of {@link mediaTypes}: a PDF renamed `photo.jpg` is null.
 */
export function sniffMediaType(bytes: Uint8Array): MediaType | null {
  const starts = (signature: readonly number[], at = 0) => signature.every((b, i) => bytes[at + i] === b)
  if (starts([0xff, 0xd8, 0xff])) return 'image/jpeg'
  if (starts([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png'
  // RIFF....WEBP
  if (starts([0x52, 0x49, 0x46, 0x46]) && starts([0x57, 0x45, 0x42, 0x50], 8)) return 'image/webp'
  // GIF87a, GIF89a
  if (starts([0x47, 0x49, 0x46, 0x38]) && (bytes[4] === 0x37 || bytes[4] === 0x39) && bytes[5] === 0x61) return 'image/gif'
  return null
}

/** How many leading bytes {@link sniffMediaType} reads. */
export const SNIFF_BYTES = 12

/** The SHA-256 of `bytes` as 64 hex digits, by Web Crypto (in browsers and in Node alike). */
export async function sha256Hex(bytes: Uint8Array | ArrayBuffer): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes as BufferSource)
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('')
}

/** "1.4 MB": a byte count for people (powers of 1024, one decimal under 10). */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB']
  let value = bytes
  let unit = 0
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024
    unit += 1
  }
  const digits = unit === 0 || value >= 10 ? 0 : 1
  return `${value.toFixed(digits)} ${units[unit]}`
}
