/**
 * The importer reads numbers and bounds as the forms and the mutations do (domain/bounds.ts):
 * a file's value that the mutation would refuse is a skipped row with its reason, not a failed
 * import batch.
 */
import { expect, test } from 'vitest'
import { MAX_DISTANCE_M, MAX_DURATION_S, MAX_MASS_KG, MAX_REPS, outOfBounds } from '@/domain/bounds'
import { limits, readMeasure, readNumber, readRpe, SkipRow } from './formats/reading'

test('the readers’ limits are the bounds the mutations enforce', () => {
  expect([limits.weightKg.max, limits.reps.max, limits.distanceM.max, limits.seconds.max]).toEqual([
    MAX_MASS_KG,
    MAX_REPS,
    MAX_DISTANCE_M,
    MAX_DURATION_S,
  ])
  // What a reader keeps, the mutation stores: the largest value kept is within the bound.
  expect(outOfBounds({ name: 'Weight', type: 'mass' }, readMeasure('1000', 'Weight', limits.weightKg)!)).toBeNull()
  expect(() => readMeasure('1000.5', 'Weight', limits.weightKg)).toThrow('Weight 1000.5 is more than 1000 kg: a typo?')
  expect(() => readMeasure('1000000000', 'Reps', limits.reps)).toThrow(SkipRow)
})

test('an RPE is 1 to 10 in halves, as logEntry takes it; a number is a plain decimal', () => {
  expect(readRpe('8.5')).toBe(8.5)
  expect(readRpe('0')).toBeUndefined()
  for (const text of ['7.3', '15', '0.5']) expect(() => readRpe(text)).toThrow(`RPE ${text} is not between 1 and 10 in halves`)
  for (const text of ['0x50', '1e12', 'Infinity']) expect(() => readNumber(text, 'Weight')).toThrow(`Weight "${text}" is not a number`)
})
