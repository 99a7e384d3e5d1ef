/**
 * The warm-up calculator: the warm-up sets before a working weight, each a weight the user's
 * bar and plates can actually make.
 *
 * The default scheme is the common barbell ramp (Starting Strength's and StrongLifts' shape):
 * the empty bar for 10, then 40 % for 5, 60 % for 3 and 80 % for 2, so the reps fall as the
 * weight rises and the last warm-up is heavy enough to groove the lift without tiring it.
 * Each weight is rounded to the nearest loadable total (the lighter on a tie); a set is dropped
 * when it would be at or above the working weight, or no heavier than the warm-up before it
 * (a light working weight makes 40 % round to the bar), and no set is below the empty bar.
 */
import type { Bar, PlateStock } from './equipment'
import { loadableTotals, TOLERANCE_KG, type LoadedPlate } from './plates'
import { toKg } from './equipment'

/** One step of a scheme: a percentage of the working weight, or null for the empty bar. */
export type WarmupStep = { percent: number | null; reps: number }

export const defaultWarmupScheme: readonly WarmupStep[] = [
  { percent: null, reps: 10 },
  { percent: 40, reps: 5 },
  { percent: 60, reps: 3 },
  { percent: 80, reps: 2 },
]

/** A warm-up set: the weight to lift (kg), the reps, the step it came from and the plates a side. */
export type WarmupSet = { weightKg: number; reps: number; percent: number | null; perSide: LoadedPlate[] }

/**
 * The warm-up sets for `workingKg` on `bar` with `plates`, lightest first (see the module
 * comment for the rules). None when the working weight is not more than the empty bar, or not a
 * number.
 */
export function warmupSets(
  workingKg: number,
  bar: Bar,
  plates: readonly PlateStock[],
  scheme: readonly WarmupStep[] = defaultWarmupScheme,
): WarmupSet[] {
  const barKg = Math.max(0, toKg(bar.weight, bar.unit))
  if (!Number.isFinite(workingKg) || workingKg <= barKg + TOLERANCE_KG) return []
  const loads = loadableTotals(bar, plates, workingKg).filter((l) => l.totalKg < workingKg - TOLERANCE_KG)
  const out: WarmupSet[] = []
  for (const step of scheme) {
    if (!Number.isFinite(step.reps) || step.reps < 1) continue
    const target = step.percent === null ? barKg : Math.max(barKg, (workingKg * step.percent) / 100)
    if (!Number.isFinite(target)) continue
    // The loads are lightest first, so the first of two equally near is the lighter.
    let nearest = loads[0]
    for (const load of loads) if (Math.abs(load.totalKg - target) < Math.abs(nearest!.totalKg - target) - 1e-9) nearest = load
    if (!nearest) break
    const previous = out.at(-1)
    if (previous && nearest.totalKg <= previous.weightKg + TOLERANCE_KG) continue
    out.push({ weightKg: nearest.totalKg, reps: Math.floor(step.reps), percent: step.percent, perSide: nearest.perSide })
  }
  return out
}
