/**
 * Entry values: what a mutation accepts for each attribute type, and how it is stored. Numbers
 * are in canonical units (kg, m, s); a choice is the id of one of the attribute's options.
 */
import type { AttributeType } from '@/db/schema'
import { outOfBounds } from './bounds'
import { MutationError } from './errors'
import { isStorableText } from './mutators/define'

export type Value = number | string | boolean
export type StoredValue = { num: number | null; text: string | null; bool: boolean | null; optionId: string | null }

export const MAX_TEXT_VALUE = 10_000

type AttributeLike = { id: string; name: string; type: AttributeType }

/**
 * Checks `value` against the attribute's type and its plausible bounds (domain/bounds.ts) and
 * returns the columns to store.
 */
export function encodeValue(attribute: AttributeLike, value: Value, optionIds: ReadonlySet<string>): StoredValue {
  const empty: StoredValue = { num: null, text: null, bool: null, optionId: null }
  const refuse = (expected: string) =>
    new MutationError('invalid_args', `"${attribute.name}" takes ${expected}; got ${JSON.stringify(value)}.`)
  const stored = encodeType(attribute, value, optionIds, empty, refuse)
  const problem = stored.num === null ? null : outOfBounds(attribute, stored.num)
  if (problem) throw new MutationError('invalid_args', `${problem}; got ${JSON.stringify(value)}.`)
  return stored
}

function encodeType(
  attribute: AttributeLike,
  value: Value,
  optionIds: ReadonlySet<string>,
  empty: StoredValue,
  refuse: (expected: string) => MutationError,
): StoredValue {
  switch (attribute.type) {
    case 'number':
    case 'mass':
      if (typeof value !== 'number' || !Number.isFinite(value)) throw refuse(attribute.type === 'mass' ? 'a mass in kg' : 'a number')
      return { ...empty, num: value }
    case 'integer':
      if (typeof value !== 'number' || !Number.isSafeInteger(value)) throw refuse('a whole number')
      return { ...empty, num: value }
    case 'duration':
    case 'distance':
      if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
        throw refuse(attribute.type === 'duration' ? 'a duration in seconds, 0 or more' : 'a distance in metres, 0 or more')
      }
      return { ...empty, num: value }
    case 'text':
      if (typeof value !== 'string' || value.length > MAX_TEXT_VALUE || !isStorableText(value)) {
        throw refuse(`text of at most ${MAX_TEXT_VALUE} characters, without NUL characters or broken Unicode`)
      }
      return { ...empty, text: value }
    case 'boolean':
      if (typeof value !== 'boolean') throw refuse('true or false')
      return { ...empty, bool: value }
    case 'choice':
      if (typeof value !== 'string' || !optionIds.has(value)) throw refuse('the id of one of its choices')
      return { ...empty, optionId: value }
  }
}

/** The value a stored row holds, for the attribute's type. */
export function decodeValue(type: AttributeType, row: StoredValue): Value | null {
  switch (type) {
    case 'text':
      return row.text
    case 'boolean':
      return row.bool
    case 'choice':
      return row.optionId
    default:
      return row.num
  }
}
