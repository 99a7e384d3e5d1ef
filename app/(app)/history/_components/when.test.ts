/** The re-dating field's text both ways, in the device's time zone, and its refusals in words. */
import { expect, test } from 'vitest'
import { parseWhen, whenText } from './when'

const now = new Date(2026, 11, 10, 12, 0)

test('a time as the field shows it and back, to the minute', () => {
  const at = new Date(2026, 11, 3, 7, 5, 42)
  expect(whenText(at)).toBe('2026-12-03T07:05')
  expect(parseWhen('2026-12-03T07:05', now)).toEqual(new Date(2026, 11, 3, 7, 5))
  expect(parseWhen('2026-12-03T07:05:30', now)).toEqual(new Date(2026, 11, 3, 7, 5, 30))
})

test('an empty, partial, impossible, ancient or future time is refused with what is wrong', () => {
  expect(parseWhen('', now)).toEqual(new Error('Enter a date and a time, such as 3 December 2026, 07:30.'))
  expect(parseWhen('2026-12-03', now)).toBeInstanceOf(Error)
  expect(parseWhen('2026-02-30T07:00', now)).toEqual(new Error('That date does not exist: check the day and the month.'))
  expect(parseWhen('2026-12-03T25:00', now)).toBeInstanceOf(Error)
  expect(parseWhen('1899-12-31T23:59', now)).toEqual(new Error('Enter a date from 1900 on.'))
  expect(parseWhen('2026-12-12T12:00', now)).toEqual(new Error('That is in the future: enter when it was done.'))
  // Later today is fine (a clock or zone a little off).
  expect(parseWhen('2026-12-10T20:00', now)).toEqual(new Date(2026, 11, 10, 20, 0))
})
