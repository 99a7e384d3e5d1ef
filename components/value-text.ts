/**
 * Entry values as text, both ways: what a field or a history line shows for a stored value, in
 * the user's units, and what a field's text stores.
 */
import type { AttributeInfo } from '@/db/queries/local'
import { clockProblem, outOfBounds, readDecimal } from '@/domain/bounds'
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
 * what is wrong ("Reps must be a whole number", "Weight must be at most 1000 kg") when it cannot
 * be read or is out of the plausible bounds (domain/bounds.ts), the limit in the user's units.
 * A number is a plain decimal (a decimal comma too): not "0x50", "1e12" or "Infinity".
 */
export function parseField(attribute: AttributeInfo, text: string, units: DisplayUnits): Value | undefined | Error {
  const trimmed = text.trim()
  if (attribute.type === 'boolean') return trimmed === 'true'
  if (trimmed === '') return undefined
  if (attribute.type === 'text' || attribute.type === 'choice') return trimmed
  let canonical: number
  if (attribute.type === 'duration') {
    const seconds = parseDuration(trimmed)
    if (seconds === null) return new Error(`${attribute.name} must be a time such as 1:30 (m:ss) or 1:05:00 (h:mm:ss)`)
    const clock = clockProblem(attribute.name, trimmed)
    if (clock) return new Error(clock)
    canonical = seconds
  } else {
    const n = readDecimal(trimmed, true)
    const example = attribute.type === 'integer' ? '5' : '82.5'
    if (n === null) return new Error(`${attribute.name} must be a number, such as ${example}`)
    if (n < 0) return new Error(`${attribute.name} must be a number of zero or more`)
    if (attribute.type === 'integer' && !Number.isInteger(n)) return new Error(`${attribute.name} must be a whole number`)
    canonical = toCanonical(attribute.type, n, units)
  }
  const problem = outOfBounds(attribute, canonical, units)
  return problem ? new Error(problem) : canonical
}

/** True when no field holds anything (an unticked yes / no is nothing): the entry would be empty. */
export function nothingFilledIn(attributes: readonly AttributeInfo[], texts: Record<string, string>): boolean {
  return attributes.every((a) => a.retired || (texts[a.id] ?? '').trim() === '')
}

/** What a form says when it is submitted with nothing filled in. */
export const NOTHING_FILLED_IN = 'Fill in at least one field before saving.'

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
