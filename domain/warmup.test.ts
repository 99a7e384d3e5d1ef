/** The warm-up calculator: the default ramp, rounded to what the plates make, and its edges. */
import { describe, expect, test } from 'vitest'
import { defaultKgEquipment, defaultLbEquipment, type Bar, type PlateStock } from './equipment'
import { KG_PER_LB } from './units'
import { warmupSets } from './warmup'

const kgBar: Bar = { name: 'Barbell', weight: 20, unit: 'kg' }
const lbBar: Bar = { name: 'Barbell', weight: 45, unit: 'lb' }
const plan = (sets: ReturnType<typeof warmupSets>) => sets.map((s) => [Math.round(s.weightKg * 100) / 100, s.reps])

describe('warm-ups for a working weight', () => {
  test('100 kg: the bar for 10, then 40, 60 and 80 kg for 5, 3 and 2', () => {
    const sets = warmupSets(100, kgBar, defaultKgEquipment.plates)
    expect(plan(sets)).toEqual([
      [20, 10],
      [40, 5],
      [60, 3],
      [80, 2],
    ])
    expect(sets.map((s) => s.percent)).toEqual([null, 40, 60, 80])
    expect(sets[3]!.perSide).toEqual([
      { weight: 25, unit: 'kg', count: 1 },
      { weight: 5, unit: 'kg', count: 1 },
    ])
  })

  test('each weight is the nearest one the plates make: 102.5 kg ramps 40, 62.5, 82.5', () => {
    expect(plan(warmupSets(102.5, kgBar, defaultKgEquipment.plates))).toEqual([
      [20, 10],
      [40, 5],
      [62.5, 3],
      [82.5, 2],
    ])
    // Only 10 kg plates: 60 % of 100 (60) is loadable, 40 % (40) is, 80 % (80) is.
    const tens: PlateStock[] = [{ weight: 10, unit: 'kg', pairs: 4 }]
    expect(plan(warmupSets(100, kgBar, tens))).toEqual([
      [20, 10],
      [40, 5],
      [60, 3],
      [80, 2],
    ])
    // Only 20 kg plates: 60 % (60) and 80 % (80) both round to a load made of 20s.
    expect(plan(warmupSets(100, kgBar, [{ weight: 20, unit: 'kg', pairs: 2 }]))).toEqual([
      [20, 10],
      [60, 3],
    ])
  })

  test('in lb: 225 lb ramps 45, 90, 135, 180 lb', () => {
    const sets = warmupSets(225 * KG_PER_LB, lbBar, defaultLbEquipment.plates)
    expect(sets.map((s) => Math.round((s.weightKg / KG_PER_LB) * 10) / 10)).toEqual([45, 90, 135, 180])
  })

  test('a light working weight: no duplicate sets, none at or above it, none below the bar', () => {
    // 40 % of 50 is the bar (already there); 60 % is 30; 80 % is 40.
    expect(plan(warmupSets(50, kgBar, defaultKgEquipment.plates))).toEqual([
      [20, 10],
      [30, 3],
      [40, 2],
    ])
    // 30 kg: 40 % and 60 % round to the bar, 80 % (24) to 25.
    expect(plan(warmupSets(30, kgBar, defaultKgEquipment.plates))).toEqual([
      [20, 10],
      [25, 2],
    ])
    // 25 kg: every step rounds to the bar, so the bar set is the only warm-up.
    expect(plan(warmupSets(25, kgBar, defaultKgEquipment.plates))).toEqual([[20, 10]])
    // Without an empty-bar step, a percentage below the bar lifts the bar.
    expect(plan(warmupSets(40, kgBar, defaultKgEquipment.plates, [{ percent: 30, reps: 5 }]))).toEqual([[20, 5]])
  })

  test('nothing to warm up: a working weight at or below the bar, or not a number', () => {
    for (const working of [20, 15, 0, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(warmupSets(working, kgBar, defaultKgEquipment.plates)).toEqual([])
    }
  })

  test('no plates but the bar: the bar set alone', () => {
    expect(plan(warmupSets(100, kgBar, []))).toEqual([[20, 10]])
  })

  test('every set is below the working weight and heavier than the one before, for any working weight', () => {
    for (let working = 20.5; working <= 300; working += 1.75) {
      const sets = warmupSets(working, kgBar, defaultKgEquipment.plates)
      for (const [i, s] of sets.entries()) {
        expect(s.weightKg).toBeLessThan(working)
        expect(s.weightKg).toBeGreaterThanOrEqual(20)
        if (i > 0) expect(s.weightKg).toBeGreaterThan(sets[i - 1]!.weightKg)
      }
    }
  })
})
