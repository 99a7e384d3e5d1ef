'use client'

import type { AttributeInfo, StoredValue } from '@/db/queries/local'
import { displayUnit, formatDuration, parseDuration, toCanonical, toDisplay, type DisplayUnits } from '@/domain/units'
import type { Value } from '@/domain/values'

/** What a field shows for a stored value, in the user's units ('' when there is none). */
export function fieldText(attribute: AttributeInfo, stored: StoredValue | undefined, units: DisplayUnits): string {
  if (!stored) return ''
  if (attribute.type === 'boolean') return stored.bool ? 'true' : ''
  if (attribute.type === 'text') return stored.text ?? ''
  if (stored.num === null) return ''
  if (attribute.type === 'duration') return formatDuration(stored.num)
  return String(Math.round(toDisplay(attribute.type, stored.num, units) * 100) / 100)
}

/**
 * A field's text → the canonical value to store: undefined when empty, an Error naming the
 * field when it cannot be read.
 */
export function parseField(attribute: AttributeInfo, text: string, units: DisplayUnits): Value | undefined | Error {
  const trimmed = text.trim()
  if (attribute.type === 'boolean') return trimmed === 'true'
  if (trimmed === '') return undefined
  if (attribute.type === 'text') return trimmed
  if (attribute.type === 'duration') {
    const seconds = parseDuration(trimmed)
    return seconds === null ? new Error(`${attribute.name}: write a time as m:ss or h:mm:ss`) : seconds
  }
  const n = Number(trimmed.replace(',', '.'))
  if (!Number.isFinite(n) || n < 0) return new Error(`${attribute.name}: must be a number of zero or more`)
  if (attribute.type === 'integer' && !Number.isInteger(n)) return new Error(`${attribute.name}: must be a whole number`)
  return toCanonical(attribute.type, n, units)
}

/** A labelled input for one attribute, in the user's display units. */
export function ValueField({
  attribute,
  units,
  value,
  onChange,
  label,
}: {
  attribute: AttributeInfo
  units: DisplayUnits
  value: string
  onChange: (text: string) => void
  label?: string
}) {
  const unit = attribute.type === 'duration' ? 'm:ss' : displayUnit(attribute.type, units)
  const name = label ?? `${attribute.name}${unit ? ` (${unit})` : ''}`
  const inputClass = 'min-h-11 w-full rounded-lg border border-zinc-300 bg-white px-3 text-base dark:border-zinc-700 dark:bg-zinc-900'
  if (attribute.type === 'boolean') {
    return (
      <label className="flex min-h-11 items-center gap-2">
        <input type="checkbox" className="size-5" checked={value === 'true'} onChange={(e) => onChange(e.target.checked ? 'true' : '')} />
        {name}
      </label>
    )
  }
  const numeric = attribute.type !== 'text' && attribute.type !== 'duration'
  return (
    <label className="flex flex-col gap-1 text-sm font-medium">
      {name}
      <input
        className={inputClass}
        inputMode={numeric ? 'decimal' : undefined}
        value={value}
        placeholder={attribute.type === 'duration' ? '0:00' : undefined}
        onChange={(e) => onChange(e.target.value)}
      />
    </label>
  )
}
