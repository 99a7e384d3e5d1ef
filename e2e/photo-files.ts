/**
 * Photo files for the browser tests: a JPEG drawn in the page (a canvas of noise compresses
 * badly, so its size is what a phone's camera makes), and the same with an EXIF block that says
 * where it was taken, to show that the stored photo does not (SPEC M6).
 */
import type { Page } from '@playwright/test'

/**
 * A `width` × `height` JPEG of coloured noise, as bytes. Noise compresses badly: at 4000 × 3000
 * and quality 0.5 it is about 4 MB, a phone photo's size (0.92 makes 10 MB).
 */
export async function noisyJpeg(page: Page, width: number, height: number, quality = 0.92): Promise<Buffer> {
  const base64 = await page.evaluate(
    async ({ width, height, quality }) => {
      const canvas = new OffscreenCanvas(width, height)
      const context = canvas.getContext('2d')!
      const image = context.createImageData(width, height)
      // A cheap generator: the same noise on every run.
      let seed = 12345
      for (let i = 0; i < image.data.length; i += 4) {
        seed = (seed * 1103515245 + 12345) & 0x7fffffff
        image.data[i] = seed & 0xff
        image.data[i + 1] = (seed >> 8) & 0xff
        image.data[i + 2] = (i / 4 / width) % 256
        image.data[i + 3] = 255
      }
      context.putImageData(image, 0, 0)
      const blob = await canvas.convertToBlob({ type: 'image/jpeg', quality })
      const bytes = new Uint8Array(await blob.arrayBuffer())
      let text = ''
      for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
      return btoa(text)
    },
    { width, height, quality },
  )
  return Buffer.from(base64, 'base64')
}

/** The latitude the EXIF block below records: 52° 31′ N (Berlin). */
export const GPS_LATITUDE = [52, 31, 0] as const

/**
 * An APP1 segment holding EXIF with a GPS block (latitude reference and latitude only),
 * big-endian: the TIFF header, IFD0 pointing at the GPS IFD, and the GPS IFD with its rationals.
 */
function gpsExifSegment(): Buffer {
  const tiff = Buffer.alloc(80)
  tiff.write('MM', 0, 'latin1')
  tiff.writeUInt16BE(42, 2)
  tiff.writeUInt32BE(8, 4) // IFD0 at 8
  tiff.writeUInt16BE(1, 8) // one entry
  tiff.writeUInt16BE(0x8825, 10) // GPSInfo
  tiff.writeUInt16BE(4, 12) // LONG
  tiff.writeUInt32BE(1, 14)
  tiff.writeUInt32BE(26, 18) // the GPS IFD at 26
  tiff.writeUInt32BE(0, 22) // no next IFD
  tiff.writeUInt16BE(2, 26) // two entries
  tiff.writeUInt16BE(0x0001, 28) // GPSLatitudeRef
  tiff.writeUInt16BE(2, 30) // ASCII
  tiff.writeUInt32BE(2, 32)
  tiff.write('N\0', 36, 'latin1')
  tiff.writeUInt16BE(0x0002, 40) // GPSLatitude
  tiff.writeUInt16BE(5, 42) // RATIONAL
  tiff.writeUInt32BE(3, 44)
  tiff.writeUInt32BE(56, 48) // its three rationals at 56
  tiff.writeUInt32BE(0, 52) // no next IFD
  GPS_LATITUDE.forEach((value, i) => {
    tiff.writeUInt32BE(value, 56 + i * 8)
    tiff.writeUInt32BE(1, 60 + i * 8)
  })
  const body = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiff])
  const header = Buffer.alloc(4)
  header.writeUInt16BE(0xffe1, 0)
  header.writeUInt16BE(body.length + 2, 2)
  return Buffer.concat([header, body])
}

/** `jpeg` with a GPS EXIF block right after its start-of-image marker. */
export function withGpsExif(jpeg: Buffer): Buffer {
  if (jpeg[0] !== 0xff || jpeg[1] !== 0xd8) throw new Error('not a JPEG')
  return Buffer.concat([jpeg.subarray(0, 2), gpsExifSegment(), jpeg.subarray(2)])
}

/** Whether `bytes` hold an EXIF block at all, and whether it records {@link GPS_LATITUDE}. */
export function exifOf(bytes: Buffer): { exif: boolean; latitude: boolean } {
  const exif = bytes.indexOf(Buffer.from('Exif\0\0', 'latin1')) >= 0
  const rational = Buffer.alloc(8)
  rational.writeUInt32BE(GPS_LATITUDE[0], 0)
  rational.writeUInt32BE(1, 4)
  return { exif, latitude: exif && bytes.indexOf(rational) >= 0 }
}
