/**
 * The plate calculator against the lifts a person checks by hand, and, under a fixed seed,
 * against a brute force that tries every mix of a small stock: the total must be the closest
 * one not above the target, the plates the fewest that make it, and no kind used more than its
 * pairs.
 */
import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { defaultKgEquipment, defaultLbEquipment, toKg, type Bar, type PlateStock } from './equipment'
import { loadableTotals, platesFor, smallestIncrement, TOLERANCE_KG, totalFromPlates } from './plates'
import { KG_PER_LB } from './units'

const kgBar: Bar = { name: 'Barbell', weight: 20, unit: 'kg' }
const lbBar: Bar = { name: 'Barbell', weight: 45, unit: 'lb' }
const kg = (weight: number, pairs: number): PlateStock => ({ weight, unit: 'kg', pairs })
const lb = (weight: number, pairs: number): PlateStock => ({ weight, unit: 'lb', pairs })
const side = (solution: ReturnType<typeof platesFor>) => solution.perSide.map((p) => `${p.count}×${p.weight}${p.unit}`)

describe('from a target to the plates', () => {
  test('100 kg on a 20 kg bar with the default plates is 25 + 15 a side', () => {
    const found = platesFor(100, kgBar, defaultKgEquipment.plates)
    expect(found).toMatchObject({ status: 'exact', totalKg: 100, remainderKg: 0 })
    expect(side(found)).toEqual(['1×25kg', '1×15kg'])
  })

  test('225 lb on a 45 lb bar is two 45s a side, and the kg total is exact', () => {
    const found = platesFor(225 * KG_PER_LB, lbBar, defaultLbEquipment.plates)
    expect(found.status).toBe('exact')
    expect(side(found)).toEqual(['2×45lb'])
    expect(found.totalKg / KG_PER_LB).toBeCloseTo(225, 9)
  })

  test('limited counts: 80 kg from one pair of 25s and two pairs of 15s is 15 + 15 a side, where greedy stops at 70', () => {
    const found = platesFor(80, kgBar, [kg(25, 1), kg(15, 2)])
    expect(found.status).toBe('exact')
    expect(side(found)).toEqual(['2×15kg'])
  })

  test('out of plates: the closest total below the target, and what is missing', () => {
    const found = platesFor(200, kgBar, [kg(25, 2), kg(10, 1)])
    expect(found).toMatchObject({ status: 'under', totalKg: 140, remainderKg: 60 })
    expect(side(found)).toEqual(['2×25kg', '1×10kg'])
    // A target between loadable totals rounds down, never up.
    expect(platesFor(103, kgBar, defaultKgEquipment.plates)).toMatchObject({ status: 'under', totalKg: 102.5, remainderKg: 0.5 })
  })

  test('kg and lb plates mixed: the closest total uses both', () => {
    // 20 kg bar + 2 × (20 kg + 10 lb) = 69.07 kg; nothing in kg alone comes closer to 69.1.
    const found = platesFor(69.1, kgBar, [kg(20, 2), kg(5, 1), lb(10, 1)])
    expect(side(found)).toEqual(['1×20kg', '1×10lb'])
    expect(found.totalKg).toBeCloseTo(20 + 2 * (20 + 10 * KG_PER_LB), 9)
    expect(found.status).toBe('under')
  })

  test('the empty bar, a target below it, zero and nonsense', () => {
    expect(platesFor(20, kgBar, defaultKgEquipment.plates)).toEqual({ status: 'exact', perSide: [], totalKg: 20, remainderKg: 0 })
    expect(platesFor(15, kgBar, defaultKgEquipment.plates)).toEqual({ status: 'below_bar', perSide: [], totalKg: 20, remainderKg: -5 })
    expect(platesFor(0, kgBar, defaultKgEquipment.plates)).toMatchObject({ status: 'below_bar', totalKg: 20 })
    for (const target of [Number.NaN, Number.POSITIVE_INFINITY, -5]) {
      expect(platesFor(target, kgBar, defaultKgEquipment.plates)).toEqual({ status: 'invalid', perSide: [], totalKg: 20, remainderKg: 0 })
    }
    // No bar (a 0 kg "bar" for a plate-loaded machine): zero is exact.
    expect(platesFor(0, { name: 'Machine', weight: 0, unit: 'kg' }, [kg(10, 2)]).status).toBe('exact')
    // Nothing to load: only the bar.
    expect(platesFor(60, kgBar, [])).toMatchObject({ status: 'under', totalKg: 20, remainderKg: 40 })
  })

  test('an absurd target loads every plate there is, quickly', () => {
    const started = performance.now()
    const found = platesFor(1e9, kgBar, defaultKgEquipment.plates)
    expect(found.status).toBe('under')
    expect(side(found)).toEqual(['6×25kg', '2×20kg', '2×15kg', '2×10kg', '2×5kg', '2×2.5kg', '2×1.25kg'])
    expect(found.totalKg).toBe(20 + 2 * 257.5)
    expect(performance.now() - started).toBeLessThan(1000)
  })

  test('unusable plates (no weight, no pairs) are ignored; fractional pairs count whole ones', () => {
    const found = platesFor(60, kgBar, [kg(0, 5), kg(-5, 5), kg(Number.NaN, 1), kg(10, 0), kg(20, 1.7)])
    expect(side(found)).toEqual(['1×20kg'])
  })

  test('a gym with both full sets, kg and lb: every target up to 300 kg in 2.5 kg steps is exact, each in milliseconds', () => {
    const both = [...defaultKgEquipment.plates, ...defaultLbEquipment.plates]
    const started = performance.now()
    for (let target = 20; target <= 300; target += 2.5) {
      const found = platesFor(target, kgBar, both)
      expect(found.status).toBe('exact')
    }
    expect(performance.now() - started).toBeLessThan(5000)
  })

  test('[property] the closest total not above the target, with the fewest plates, within each kind’s pairs (brute force)', () => {
    const plateArb = fc.record({
      weight: fc.constantFrom(0.5, 1.25, 2.5, 5, 10, 15, 20, 25, 2.5, 5, 10, 25, 35, 45),
      unit: fc.constantFrom('kg' as const, 'lb' as const),
      pairs: fc.integer({ min: 1, max: 3 }),
    })
    const stockArb = fc.uniqueArray(plateArb, { maxLength: 5, selector: (p) => `${p.weight}${p.unit}` })
    // Targets near a loadable total (one mix of the stock, plus a little), where mixes compete,
    // and anywhere at all.
    const caseArb = stockArb.chain((stock) =>
      fc.tuple(
        fc.constant(stock),
        fc.oneof(
          fc
            .tuple(fc.array(fc.nat(3), { minLength: stock.length, maxLength: stock.length }), fc.double({ min: 0, max: 3, noNaN: true }))
            .map(
              ([counts, extra]) =>
                20 + extra + 2 * stock.reduce((sum, p, i) => sum + Math.min(counts[i]!, p.pairs) * toKg(p.weight, p.unit), 0),
            ),
          fc.double({ min: 0, max: 250, noNaN: true }),
        ),
      ),
    )
    fc.assert(
      fc.property(caseArb, ([stock, target]) => {
        const found = platesFor(target, kgBar, stock)
        if (target < 20 - TOLERANCE_KG) return found.status === 'below_bar'
        // Every mix, by brute force.
        let best = { total: 20, plates: 0 }
        const walk = (i: number, total: number, plates: number) => {
          if (i === stock.length) {
            if (total > target + TOLERANCE_KG) return
            if (total > best.total + 1e-9 || (Math.abs(total - best.total) <= 1e-9 && plates < best.plates)) best = { total, plates }
            return
          }
          const p = stock[i]!
          for (let c = 0; c <= p.pairs; c++) walk(i + 1, total + 2 * c * toKg(p.weight, p.unit), plates + c)
        }
        walk(0, 20, 0)
        expect(found.totalKg).toBeCloseTo(best.total, 2)
        expect(found.totalKg).toBeLessThanOrEqual(target + TOLERANCE_KG)
        expect(found.perSide.reduce((n, p) => n + p.count, 0)).toBe(best.plates)
        for (const p of found.perSide)
          expect(p.count).toBeLessThanOrEqual(stock.find((s) => s.weight === p.weight && s.unit === p.unit)!.pairs)
        expect(totalFromPlates(kgBar, found.perSide)).toBeCloseTo(found.totalKg, 9)
        return true
      }),
      { seed: 13, numRuns: 400 },
    )
  })
})

describe('from the plates to a total', () => {
  test('both sides and the bar, in kg, whatever the plates’ unit', () => {
    expect(
      totalFromPlates(kgBar, [
        { weight: 25, unit: 'kg', count: 2 },
        { weight: 2.5, unit: 'kg', count: 1 },
      ]),
    ).toBe(125)
    expect(totalFromPlates(lbBar, [{ weight: 45, unit: 'lb', count: 3 }])! / KG_PER_LB).toBeCloseTo(315, 9)
    expect(totalFromPlates(kgBar, [])).toBe(20)
  })

  test('a negative or fractional count, or a plate of no weight, is no total', () => {
    expect(totalFromPlates(kgBar, [{ weight: 25, unit: 'kg', count: -1 }])).toBeNull()
    expect(totalFromPlates(kgBar, [{ weight: 25, unit: 'kg', count: 1.5 }])).toBeNull()
    expect(totalFromPlates(kgBar, [{ weight: 0, unit: 'kg', count: 1 }])).toBeNull()
  })
})

describe('the stepper’s increment and the loadable totals', () => {
  test('a pair of the lightest plate', () => {
    expect(smallestIncrement(defaultKgEquipment.plates)).toBe(2.5)
    expect(smallestIncrement(defaultLbEquipment.plates)! / KG_PER_LB).toBeCloseTo(5, 9)
    expect(smallestIncrement([kg(1.25, 1), lb(2.5, 1)])).toBeCloseTo(2 * 2.5 * KG_PER_LB, 9)
    expect(smallestIncrement([])).toBeNull()
  })

  test('every total from the bar up to a limit, lightest first, none repeated', () => {
    const totals = loadableTotals(kgBar, [kg(10, 1), kg(5, 1)], 60).map((t) => t.totalKg)
    expect(totals).toEqual([20, 30, 40, 50])
    expect(loadableTotals(kgBar, [kg(10, 1)], 10)).toEqual([])
  })
})
