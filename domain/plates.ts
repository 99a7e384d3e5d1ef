/**
 * The plate calculator, both ways: from a target total to the plates on each side of a bar, and
 * from the plates on each side to the total. Pure; weights in and out are kg, plates keep the
 * unit printed on them (a gym may have both).
 *
 * Loading a target is a bounded subset-sum problem, not a greedy one: with counts limited,
 * "heaviest plate that fits" can miss a total that a different mix reaches (80 kg on a 20 kg bar
 * with one pair of 25s and two pairs of 15s is 15 + 15 a side; greedy loads 25 and stops at 70).
 * {@link platesFor} searches every mix and returns the closest total not above the target, with
 * the fewest plates among equals, heavier plates first among those.
 */
import type { MassUnit } from '@/db/schema/settings'
import { MAX_PAIRS, toKg, type Bar, type PlateStock } from './equipment'

/** Plates of one kind on one side of the bar. */
export type LoadedPlate = { weight: number; unit: MassUnit; count: number }

/**
 * What {@link platesFor} found:
 * - `exact`: the plates make the target (within {@link TOLERANCE_KG}).
 * - `under`: the closest total below the target; `remainderKg` is what is missing.
 * - `below_bar`: the target is less than the empty bar; `remainderKg` is negative.
 * - `invalid`: the target is not a number of kg (NaN, infinite, negative).
 */
export type PlateStatus = 'exact' | 'under' | 'below_bar' | 'invalid'
export type PlateSolution = {
  status: PlateStatus
  /** One side of the bar, heaviest plate first (the order they go on). */
  perSide: LoadedPlate[]
  /** The bar and both sides. */
  totalKg: number
  /** Target minus total: 0 when exact, more than 0 when under, less than 0 below the bar. */
  remainderKg: number
}

/**
 * Totals this close to the target count as the target: plates are made to ±10 g or worse, and a
 * target converted from lb and rounded for display is a few grams off the plates' exact sum.
 */
export const TOLERANCE_KG = 0.01

/** How many sums a search keeps at most; beyond it sums are merged more coarsely (absurd stock only). */
const MAX_STATES = 100_000

type Kind = { weight: number; unit: MassUnit; kg: number; pairs: number }
type State = { sideKg: number; counts: number[]; plates: number }

/** The usable plates, heaviest first: a weight above 0, a whole number of pairs, at most {@link MAX_PAIRS}. */
function kindsOf(plates: readonly PlateStock[]): Kind[] {
  return plates
    .filter((p) => Number.isFinite(p.weight) && p.weight > 0 && Number.isFinite(p.pairs) && p.pairs >= 1)
    .map((p) => ({ weight: p.weight, unit: p.unit, kg: toKg(p.weight, p.unit), pairs: Math.min(Math.floor(p.pairs), MAX_PAIRS) }))
    .sort((a, b) => b.kg - a.kg || a.unit.localeCompare(b.unit))
}

/** Whether `a` is the better way to load the same total: fewer plates, then more of the heavier ones. */
function better(a: State, b: State): boolean {
  if (a.plates !== b.plates) return a.plates < b.plates
  for (let i = 0; i < a.counts.length; i++) if (a.counts[i] !== b.counts[i]) return a.counts[i]! > b.counts[i]!
  return false
}

/**
 * Every distinct load of one side up to `maxSideKg`, each the best way to make it, lightest
 * first. Sums are keyed to the gram (coarser only if that would keep more than
 * {@link MAX_STATES}), so mixes that differ by less than that count as one total.
 */
function sideLoads(kinds: readonly Kind[], maxSideKg: number): State[] {
  const all = kinds.reduce((sum, k) => sum + k.kg * k.pairs, 0)
  const cap = Math.min(maxSideKg, all) + 1e-9
  const step = Math.max(0.001, cap / MAX_STATES)
  let states = new Map<number, State>([[0, { sideKg: 0, counts: [], plates: 0 }]])
  for (const kind of kinds) {
    const next = new Map<number, State>()
    for (const state of states.values()) {
      for (let c = 0; c <= kind.pairs; c++) {
        const sideKg = state.sideKg + c * kind.kg
        if (sideKg > cap) break
        const candidate = { sideKg, counts: [...state.counts, c], plates: state.plates + c }
        const key = Math.round(sideKg / step)
        const held = next.get(key)
        if (!held || better(candidate, held)) next.set(key, candidate)
      }
    }
    states = next
  }
  return [...states.values()].sort((a, b) => a.sideKg - b.sideKg)
}

function loaded(kinds: readonly Kind[], state: State): LoadedPlate[] {
  return kinds.flatMap((k, i) => {
    const count = state.counts[i] ?? 0
    return count > 0 ? [{ weight: k.weight, unit: k.unit, count }] : []
  })
}

/** The bar's weight in kg; a bar with a weight that is not a number of kg counts as none. */
function barKg(bar: Bar): number {
  const kg = toKg(bar.weight, bar.unit)
  return Number.isFinite(kg) && kg > 0 ? kg : 0
}

/**
 * The plates per side that load `targetKg` on `bar` from the plates available, or the closest
 * total below it (see {@link PlateSolution}). Never above the target by more than
 * {@link TOLERANCE_KG}, never more plates of a kind than its pairs.
 */
export function platesFor(targetKg: number, bar: Bar, plates: readonly PlateStock[]): PlateSolution {
  const empty = barKg(bar)
  if (!Number.isFinite(targetKg) || targetKg < 0) return { status: 'invalid', perSide: [], totalKg: empty, remainderKg: 0 }
  if (targetKg < empty - TOLERANCE_KG) return { status: 'below_bar', perSide: [], totalKg: empty, remainderKg: targetKg - empty }
  const kinds = kindsOf(plates)
  const loads = sideLoads(kinds, (targetKg - empty + TOLERANCE_KG) / 2)
  const best = loads.at(-1)!
  const totalKg = empty + 2 * best.sideKg
  const exact = Math.abs(targetKg - totalKg) <= TOLERANCE_KG
  return { status: exact ? 'exact' : 'under', perSide: loaded(kinds, best), totalKg, remainderKg: exact ? 0 : targetKg - totalKg }
}

/** A total the bar can be loaded to, with the plates that make it. */
export type LoadableTotal = { totalKg: number; perSide: LoadedPlate[] }

/**
 * Every total from the empty bar up to `maxKg` (within {@link TOLERANCE_KG}) that the plates
 * can make, lightest first, each with its best plates: what the warm-up calculator rounds to.
 */
export function loadableTotals(bar: Bar, plates: readonly PlateStock[], maxKg: number): LoadableTotal[] {
  const empty = barKg(bar)
  if (!Number.isFinite(maxKg) || maxKg < empty - TOLERANCE_KG) return []
  const kinds = kindsOf(plates)
  return sideLoads(kinds, (maxKg - empty + TOLERANCE_KG) / 2).map((s) => ({ totalKg: empty + 2 * s.sideKg, perSide: loaded(kinds, s) }))
}

/**
 * The total of `bar` loaded with `perSide` on each side, in kg; null when a plate's weight is not
 * more than 0 or its count is not a whole number of 0 or more.
 */
export function totalFromPlates(bar: Bar, perSide: readonly LoadedPlate[]): number | null {
  let side = 0
  for (const p of perSide) {
    if (!Number.isFinite(p.weight) || p.weight <= 0 || !Number.isSafeInteger(p.count) || p.count < 0) return null
    side += p.count * toKg(p.weight, p.unit)
  }
  return barKg(bar) + 2 * side
}

/**
 * The smallest step a loaded bar can go up by: a pair of the lightest plate, in kg (the weight
 * stepper's increment). Null when there are no usable plates.
 */
export function smallestIncrement(plates: readonly PlateStock[]): number | null {
  const kinds = kindsOf(plates)
  return kinds.length === 0 ? null : 2 * kinds.at(-1)!.kg
}
