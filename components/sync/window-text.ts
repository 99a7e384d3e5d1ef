/**
 * A storage window in words (SPEC W1), for Settings and for history past the boundary.
 */
import type { WindowSetting } from '@/domain/mutators/devices'

/** The choices Settings offers for a device's history, by their select value. */
export const windowChoices: { value: string; window: WindowSetting; label: string }[] = [
  { value: 'all', window: { kind: 'all' }, label: 'All history' },
  { value: 'm3', window: { kind: 'months', months: 3 }, label: 'Last 3 months' },
  { value: 'm6', window: { kind: 'months', months: 6 }, label: 'Last 6 months' },
  { value: 'm12', window: { kind: 'months', months: 12 }, label: 'Last 12 months' },
  { value: 'm24', window: { kind: 'months', months: 24 }, label: 'Last 2 years' },
  { value: 'r20000', window: { kind: 'rows', rows: 20_000 }, label: 'About 20,000 rows' },
  { value: 'r100000', window: { kind: 'rows', rows: 100_000 }, label: 'About 100,000 rows' },
]

/** A window's select value: `all`, `m<months>` or `r<rows>`. */
export const windowValue = (w: WindowSetting) => (w.kind === 'all' ? 'all' : w.kind === 'months' ? `m${w.months}` : `r${w.rows}`)

export function windowLabel(w: WindowSetting): string {
  const listed = windowChoices.find((c) => c.value === windowValue(w))
  if (listed) return listed.label
  if (w.kind === 'months') return `Last ${w.months} months`
  if (w.kind === 'rows') return `About ${w.rows.toLocaleString('en')} rows`
  return 'All history'
}

/** A select value back to its window, or null for one that is not a window. */
export function windowOfValue(value: string): WindowSetting | null {
  if (value === 'all') return { kind: 'all' }
  const n = Number(value.slice(1))
  if (!Number.isInteger(n) || n <= 0) return null
  if (value.startsWith('m')) return { kind: 'months', months: n }
  if (value.startsWith('r')) return { kind: 'rows', rows: n }
  return null
}

/** A cut as a date for people: "3 September 2026". */
export const cutDate = (iso: string) => new Date(iso).toLocaleDateString(undefined, { day: 'numeric', month: 'long', year: 'numeric' })

/**
 * The window three months wider than the one in force whose cut is `from` (W5: "keep more here"):
 * a months window grows by three; a row budget becomes the months from its cut, plus three.
 */
export function widerWindow(setting: WindowSetting, from: string, now = new Date()): WindowSetting {
  if (setting.kind === 'months') return { kind: 'months', months: Math.min(1200, setting.months + 3) }
  const cut = new Date(from)
  const months = (now.getUTCFullYear() - cut.getUTCFullYear()) * 12 + (now.getUTCMonth() - cut.getUTCMonth()) + 1
  return { kind: 'months', months: Math.min(1200, Math.max(1, months) + 3) }
}
