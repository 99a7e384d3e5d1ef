/**
 * Entry values as text, both ways: what a field or a history line shows for a stored value, in
 * the user's units, and what a field's text stores.
 */
import type { AttributeInfo } from '@/db/queries/local'
import { displayUnit, formatDuration, formatValue, parseDuration, toCanonical, toDisplay, type DisplayUnits } from '@/domain/units'
import type { StoredValue, Value } from '@/domain/values'

/** What a field holds for a stored value, in the user's units ('' when there is none); a choice holds its option's id. */
export function fieldText(attribute: AttributeInfo, stored: StoredValue | undefined, units: DisplayUnits): string {
  if (!stored) return ''
  if (attribute.type === 'boolean') return stored.bool ? 'true' : ''
  if (attribute.type === 'text') return stored.text ?? ''
  if (attribute.type === 'choice') return stored.optionId ?? ''
  if (stored.num === null) return ''
  if (attribute.type === 'duration') return formatDuration(stored.num)
  return String(Math.round(toDisplay(attribute.type, stored.num, units) * 100) / 100)
}

/** A stored value for people ("100 kg", "yes", a choice's label); '' when there is none. */
export function valueText(attribute: AttributeInfo, stored: StoredValue, units: DisplayUnits): string {
  switch (attribute.type) {
    case 'boolean':
      return stored.bool === null ? '' : stored.bool ? 'yes' : 'no'
    case 'text':
      return stored.text ?? ''
    case 'choice':
      return attribute.options.find((o) => o.id === stored.optionId)?.label ?? ''
    default:
      return stored.num === null ? '' : formatValue(attribute.type, stored.num, units)
  }
}

/** What a field's label says of its unit (`m:ss` for a time), or null. */
export function fieldUnit(attribute: AttributeInfo, units: DisplayUnits): string | null {
  return attribute.type === 'duration' ? 'm:ss' : displayUnit(attribute.type, units)
}

/**
 * A field's text → the canonical value to store: undefined when empty, an Error saying in words
 * what is wrong ("Reps must be a whole number") when it cannot be read.
 */
export function parseField(attribute: AttributeInfo, text: string, units: DisplayUnits): Value | undefined | Error {
  const trimmed = text.trim()
  if (attribute.type === 'boolean') return trimmed === 'true'
  if (trimmed === '') return undefined
  if (attribute.type === 'text' || attribute.type === 'choice') return trimmed
  if (attribute.type === 'duration') {
    const seconds = parseDuration(trimmed)
    return seconds === null ? new Error(`${attribute.name} must be a time such as 1:30 (m:ss) or 1:05:00 (h:mm:ss)`) : seconds
  }
  const n = Number(trimmed.replace(',', '.'))
  if (!Number.isFinite(n) || n < 0) return new Error(`${attribute.name} must be a number of zero or more`)
  if (attribute.type === 'integer' && !Number.isInteger(n)) return new Error(`${attribute.name} must be a whole number`)
  return toCanonical(attribute.type, n, units)
}

/**
 * Reads every live field of an activity: the values to store, or each field's problem by
 * attribute id.
 */
export function collectValues(
  attributes: readonly AttributeInfo[],
  texts: Record<string, string>,
  units: DisplayUnits,
): { values: Record<string, Value>; errors: Record<string, string> } {
  const values: Record<string, Value> = {}
  const errors: Record<string, string> = {}
  for (const attribute of attributes) {
    if (attribute.retired) continue
    const value = parseField(attribute, texts[attribute.id] ?? '', units)
    if (value instanceof Error) errors[attribute.id] = value.message
    else if (value !== undefined) values[attribute.id] = value
  }
  return { values, errors }
}
