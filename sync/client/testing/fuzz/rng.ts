/** The fuzz's one source of randomness: everything a seed does, ids included, comes from it. */
import { mulberry32 } from '@/test/random'

export class Rng {
  private readonly next01: () => number
  constructor(seed: number) {
    // Spread neighbouring seeds apart before the first draw.
    this.next01 = mulberry32(Math.imul(seed ^ 0x5bd1e995, 0x9e3779b1))
  }
  next(): number {
    return this.next01()
  }
  /** An integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1))
  }
  chance(p: number): boolean {
    return this.next() < p
  }
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from nothing')
    return items[Math.floor(this.next() * items.length)]!
  }
  maybe<T>(items: readonly T[]): T | undefined {
    return items.length === 0 ? undefined : this.pick(items)
  }
  weighted<T>(choices: readonly (readonly [number, T])[]): T {
    const total = choices.reduce((s, [w]) => s + w, 0)
    let r = this.next() * total
    for (const [w, value] of choices) {
      r -= w
      if (r < 0) return value
    }
    return choices[choices.length - 1]![1]
  }
  shuffle<T>(items: readonly T[]): T[] {
    const out = [...items]
    for (let i = out.length - 1; i > 0; i--) {
      const j = this.int(0, i)
      ;[out[i], out[j]] = [out[j]!, out[i]!]
    }
    return out
  }
  /** A version-4 UUID made from this generator, so a seed's ids are the same on every run. */
  uuid(): string {
    let hex = ''
    for (let i = 0; i < 8; i++) hex += this.int(0, 0xffff).toString(16).padStart(4, '0')
    const variant = ((parseInt(hex[16]!, 16) & 3) | 8).toString(16)
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`
  }
}
