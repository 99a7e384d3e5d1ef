import { expect, test } from 'vitest'
import { formatDuration, formatValue, parseDuration, toCanonical, toDisplay } from './units'

const lbMi = { massUnit: 'lb', distanceUnit: 'mi' } as const
const kgKm = { massUnit: 'kg', distanceUnit: 'km' } as const

test('mass and distance convert between canonical and display units both ways', () => {
  expect(toCanonical('mass', 225, lbMi)).toBeCloseTo(102.0583, 4)
  expect(toDisplay('mass', 100, lbMi)).toBeCloseTo(220.462, 3)
  expect(toCanonical('distance', 5, kgKm)).toBe(5000)
  expect(toDisplay('distance', 1609.344, lbMi)).toBeCloseTo(1, 10)
  for (const v of [0, 1, 42.5, 1000]) {
    expect(toDisplay('mass', toCanonical('mass', v, lbMi), lbMi)).toBeCloseTo(v, 10)
    expect(toDisplay('distance', toCanonical('distance', v, lbMi), lbMi)).toBeCloseTo(v, 10)
  }
  expect(toCanonical('integer', 5, lbMi)).toBe(5)
})

test('durations format and parse as clock text', () => {
  expect(formatDuration(65)).toBe('1:05')
  expect(formatDuration(3725)).toBe('1:02:05')
  expect(parseDuration('1:02:05')).toBe(3725)
  expect(parseDuration('90')).toBe(90)
  expect(parseDuration('1:xx')).toBeNull()
  expect(formatValue('mass', 100, lbMi)).toBe('220.46 lb')
  expect(formatValue('duration', 90, kgKm)).toBe('1:30')
})
