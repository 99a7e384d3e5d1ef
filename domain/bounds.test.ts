/**
 * The plausible bounds (domain/bounds.ts) as the forms, the mutations and the importer read
 * them: which attribute gets which bound, the words of each refusal in canonical and in the
 * user's units, and what a typed number or time is.
 */
import { expect, test } from 'vitest'
import { boundOf, clockProblem, isRpe, MAX_MASS_KG, normalizedName, outOfBounds, readDecimal } from './bounds'

const lb = { massUnit: 'lb', distanceUnit: 'mi' } as const

test('an attribute is bounded by its type; reps and RPE also by their normalized name', () => {
  expect(normalizedName(' R.P.E. ')).toBe('rpe')
  expect(boundOf({ name: 'Weight', type: 'mass' })).toMatchObject({ measure: 'mass', max: 1000 })
  expect(boundOf({ name: 'Reps', type: 'integer' })).toMatchObject({ measure: 'reps', max: 1000 })
  expect(boundOf({ name: 'Laps', type: 'integer' })).toMatchObject({ measure: 'other', max: 1_000_000 })
  expect(boundOf({ name: 'rpe', type: 'number' })).toMatchObject({ measure: 'rpe', min: 1, max: 10, step: 0.5 })
  // Only a number is an RPE: a text attribute named RPE is free text.
  expect(boundOf({ name: 'RPE', type: 'text' })).toBeNull()
  expect(boundOf({ name: 'RPE (1-10)', type: 'number' })).toMatchObject({ measure: 'other' })
  expect(boundOf({ name: 'Time', type: 'duration' })).toMatchObject({ max: 86_400 })
  expect(boundOf({ name: 'Distance', type: 'distance' })).toMatchObject({ max: 1_000_000 })
})

test('a value past its bound is refused in words, in canonical units or in the user’s', () => {
  const weight = { name: 'Weight', type: 'mass' } as const
  expect(outOfBounds(weight, MAX_MASS_KG)).toBeNull()
  expect(outOfBounds(weight, 1e12)).toBe('Weight must be at most 1,000 kg')
  expect(outOfBounds(weight, 1e12, lb)).toBe('Weight must be at most 2,204.6 lb')
  // The limit said in pounds is itself allowed.
  expect(outOfBounds(weight, 2204.6 * 0.45359237, lb)).toBeNull()
  expect(outOfBounds(weight, -1)).toBe('Weight must be zero or more')
  expect(outOfBounds({ name: 'Reps', type: 'integer' }, 1e9)).toBe('Reps must be at most 1,000')
  expect(outOfBounds({ name: 'Distance', type: 'distance' }, 2e6)).toBe('Distance must be at most 1,000 km')
  expect(outOfBounds({ name: 'Distance', type: 'distance' }, 2e6, lb)).toBe('Distance must be at most 621.3 mi')
  expect(outOfBounds({ name: 'Time', type: 'duration' }, 86_401)).toBe('Time must be at most 24:00:00 (a day)')
  expect(outOfBounds({ name: 'Grip', type: 'text' }, 1e12)).toBeNull()
})

test('an RPE is 1 to 10 in halves', () => {
  const rpe = { name: 'RPE', type: 'number' } as const
  for (const ok of [1, 7.5, 8, 10]) expect(outOfBounds(rpe, ok)).toBeNull()
  for (const bad of [0, 0.5, 7.3, 10.5, 15]) expect(outOfBounds(rpe, bad)).toBe('RPE must be from 1 to 10, in halves (such as 7.5)')
  expect(isRpe(9.5)).toBe(true)
  expect(isRpe(11)).toBe(false)
})

test('a typed number is a plain decimal: not hex, not an exponent, not Infinity', () => {
  expect(readDecimal('82.5')).toBe(82.5)
  expect(readDecimal(' 82,5 ', true)).toBe(82.5)
  expect(readDecimal('82,5')).toBeNull()
  expect(readDecimal('-3')).toBe(-3)
  for (const text of ['0x50', '1e12', 'Infinity', 'abc', '', ' ', '1 000', '5kg']) expect(readDecimal(text, true)).toBeNull()
})

test('a typed time has minutes and seconds up to 59 after its first part', () => {
  expect(clockProblem('Rest', '1:30')).toBeNull()
  expect(clockProblem('Rest', '90')).toBeNull()
  expect(clockProblem('Rest', '100:00')).toBeNull()
  expect(clockProblem('Rest', '99:99')).toBe('Rest: 99:99 is not a time; minutes and seconds go up to 59')
  expect(clockProblem('Time', '1:60:00')).toBe('Time: 1:60:00 is not a time; minutes and seconds go up to 59')
})
