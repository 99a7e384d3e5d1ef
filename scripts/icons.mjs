#!/usr/bin/env node
// Draws the app icons (PNG, no image library: raw RGBA rows deflated with zlib) into
// public/icons/. Run once after changing the design; the output is committed.
import { writeFileSync } from 'node:fs'
import { deflateSync } from 'node:zlib'

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
  return c >>> 0
})
const crc = (buf) => {
  let c = 0xffffffff
  for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}
function chunk(type, data) {
  const out = Buffer.alloc(12 + data.length)
  out.writeUInt32BE(data.length, 0)
  out.write(type, 4, 'ascii')
  data.copy(out, 8)
  out.writeUInt32BE(crc(out.subarray(4, 8 + data.length)), 8 + data.length)
  return out
}

/** A ring (the "C" of a cadence dial) on a dark square; `safe` shrinks it into the maskable zone. */
function icon(size, safe) {
  const raw = Buffer.alloc(size * (size * 4 + 1))
  const c = size / 2
  const outer = size * (safe ? 0.3 : 0.38)
  const inner = outer * 0.62
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0
    for (let x = 0; x < size; x++) {
      const dx = x + 0.5 - c
      const dy = y + 0.5 - c
      const r = Math.hypot(dx, dy)
      const angle = Math.atan2(dy, dx)
      const ring = r <= outer && r >= inner && !(angle > -0.5 && angle < 0.5)
      const [R, G, B] = ring ? [52, 211, 153] : [24, 24, 27]
      const i = y * (size * 4 + 1) + 1 + x * 4
      raw[i] = R
      raw[i + 1] = G
      raw[i + 2] = B
      raw[i + 3] = 255
    }
  }
  const header = Buffer.alloc(13)
  header.writeUInt32BE(size, 0)
  header.writeUInt32BE(size, 4)
  header[8] = 8
  header[9] = 6
  return Buffer.concat([
    Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ])
}

writeFileSync('public/icons/icon-192.png', icon(192, false))
writeFileSync('public/icons/icon-512.png', icon(512, false))
writeFileSync('public/icons/maskable-512.png', icon(512, true))
console.log('icons written to public/icons/')
