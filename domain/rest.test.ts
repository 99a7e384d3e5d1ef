/**
 * Rest between sets as people type and read it (m:ss, empty for the default), and where the
 * mutation's refusal of a rest points: at `restSeconds`, the field the activity editor names so.
 */
import { expect, test } from 'vitest'
import { MutationError } from './errors'
import { setActivityRest } from './mutators/activities'
import { parseArgs } from './mutators/define'
import { newId } from './ids'
import { DEFAULT_REST_SECONDS, parseRestText, restSecondsOf, restText } from './rest'

test('a rest field reads m:ss or seconds, empty is the default, anything else is refused in words', () => {
  expect(parseRestText('1:30')).toBe(90)
  expect(parseRestText(' 2:00 ')).toBe(120)
  expect(parseRestText('45')).toBe(45)
  expect(parseRestText('60:00')).toBe(3600)
  expect(parseRestText('')).toBeNull()
  expect(parseRestText('   ')).toBeNull()
  const refused = parseRestText('two minutes')
  expect(refused).toBeInstanceOf(Error)
  expect((refused as Error).message).toBe('Rest must be a time such as 2:00 (m:ss), or empty for the default of 1:30')
  // Out of bounds or a fraction of a second is the mutation's to refuse: its bounds are the only ones.
  expect(parseRestText('61:00')).toBe(3660)
  expect(parseRestText('1:30.5')).toBe(90.5)
  // Not a time either: seconds go up to 59.
  expect((parseRestText('99:99') as Error).message).toBe('Rest: 99:99 is not a time; minutes and seconds go up to 59')
})

test('a stored rest shows as m:ss, the default as an empty field; an activity without one rests the default', () => {
  expect(restText(120)).toBe('2:00')
  expect(restText(0)).toBe('0:00')
  expect(restText(3600)).toBe('1:00:00')
  expect(restText(null)).toBe('')
  expect(restSecondsOf({ restSeconds: 45 })).toBe(45)
  expect(restSecondsOf({ restSeconds: 0 })).toBe(0)
  expect(restSecondsOf({ restSeconds: null })).toBe(DEFAULT_REST_SECONDS)
  expect(restSecondsOf(undefined)).toBe(90)
})

test('a refused rest names restSeconds, so the form shows it beside the rest field', () => {
  const refusal = (restSeconds: unknown) => {
    try {
      parseArgs(setActivityRest, { activityId: newId(), restSeconds })
    } catch (error) {
      if (error instanceof MutationError) return error.issues
      throw error
    }
    throw new Error('accepted')
  }
  expect(refusal(3601)).toEqual([{ path: ['restSeconds'], message: 'must be at most 3600 (one hour)' }])
  expect(refusal(1.5)).toEqual([{ path: ['restSeconds'], message: 'must be whole seconds' }])
  expect(refusal(-5)).toEqual([{ path: ['restSeconds'], message: 'must not be negative' }])
})
