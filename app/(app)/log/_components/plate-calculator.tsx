'use client'

import { useEffect, useRef, useState } from 'react'
import { Button } from '@/components/ui/button'
import type { Equipment } from '@/domain/equipment'
import { platesFor, totalFromPlates, type LoadedPlate } from '@/domain/plates'
import { toCanonical, toDisplay, type DisplayUnits } from '@/domain/units'
import { warmupSets, type WarmupSet } from '@/domain/warmup'

const round2 = (n: number) => Math.round(n * 100) / 100
/** A kg weight in the user's mass unit, as a field would hold it. */
export const shownWeight = (kg: number, units: DisplayUnits) => round2(toDisplay('mass', kg, units))
const plateText = (p: LoadedPlate) => `${p.count} × ${round2(p.weight)} ${p.unit}`

/**
 * A modal sheet over the workout: the plate calculator both ways (a target weight to the plates
 * a side, loaded plates to the total) and the warm-up calculator, for the bar and plates in the
 * user's settings. `targetKg` is the weight field's value; "Use" puts a total back in it, "Add
 * warm-ups" adds the warm-up sets before the exercise's first set.
 */
export function PlateCalculator({
  open,
  mode,
  targetKg,
  equipment,
  units,
  onClose,
  onUseWeight,
  onAddWarmups,
}: {
  open: boolean
  mode: 'plates' | 'warmup'
  targetKg: number | null
  equipment: Equipment
  units: DisplayUnits
  onClose: () => void
  onUseWeight: (kg: number) => void
  onAddWarmups: (sets: WarmupSet[]) => void
}) {
  const dialog = useRef<HTMLDialogElement>(null)
  const [barIndex, setBarIndex] = useState(0)
  const [target, setTarget] = useState('')
  const [loaded, setLoaded] = useState<Record<number, string>>({})

  useEffect(() => {
    const d = dialog.current
    if (!d) return
    if (open && !d.open) {
      setTarget(targetKg === null ? '' : String(shownWeight(targetKg, units)))
      setLoaded({})
      d.showModal()
    }
    if (!open && d.open) d.close()
  }, [open, targetKg, units])

  const bar = equipment.bars[barIndex] ?? equipment.bars[0]!
  const typed = Number(target.replace(',', '.'))
  const wantedKg = target.trim() === '' || !Number.isFinite(typed) ? null : toCanonical('mass', typed, units)
  const unit = units.massUnit

  const solution = wantedKg === null ? null : platesFor(wantedKg, bar, equipment.plates)
  const perSide: LoadedPlate[] = equipment.plates.map((p, i) => ({ weight: p.weight, unit: p.unit, count: Number(loaded[i] || 0) }))
  const total = totalFromPlates(bar, perSide)
  const warmups = wantedKg === null ? [] : warmupSets(wantedKg, bar, equipment.plates)

  return (
    <dialog
      ref={dialog}
      aria-labelledby="calculator-heading"
      onClose={onClose}
      className="m-auto w-[min(100vw-1rem,28rem)] rounded-xl bg-white p-0 text-zinc-900 backdrop:bg-black/50 dark:bg-zinc-900 dark:text-zinc-100"
    >
      <div className="flex flex-col gap-3 p-4">
        <div className="flex items-center justify-between gap-2">
          <h2 id="calculator-heading" className="text-lg font-semibold">
            {mode === 'plates' ? 'Plate calculator' : 'Warm-up sets'}
          </h2>
          <Button variant="ghost" onClick={onClose}>
            Close
          </Button>
        </div>
        <div className="grid grid-cols-2 gap-2">
          <label className="flex flex-col gap-1 text-sm font-medium">
            {mode === 'plates' ? `Target (${unit})` : `Working weight (${unit})`}
            <input
              className="min-h-11 rounded-lg border border-zinc-300 bg-white px-3 text-base dark:border-zinc-700 dark:bg-zinc-950"
              inputMode="decimal"
              value={target}
              onChange={(e) => setTarget(e.target.value)}
            />
          </label>
          <label className="flex flex-col gap-1 text-sm font-medium">
            Bar
            <select
              className="min-h-11 rounded-lg border border-zinc-300 bg-white px-2 text-base dark:border-zinc-700 dark:bg-zinc-950"
              value={barIndex}
              onChange={(e) => setBarIndex(Number(e.target.value))}
            >
              {equipment.bars.map((b, i) => (
                <option key={`${b.name}-${i}`} value={i}>
                  {b.name} ({round2(b.weight)} {b.unit})
                </option>
              ))}
            </select>
          </label>
        </div>

        {mode === 'plates' ? (
          <>
            <section aria-label="Plates for the target" className="rounded-lg bg-zinc-100 p-3 text-sm dark:bg-zinc-800">
              {!solution ? (
                <p>Type a target weight.</p>
              ) : solution.status === 'invalid' ? (
                <p>The target must be a weight of zero or more.</p>
              ) : solution.status === 'below_bar' ? (
                <p>
                  The target is below the empty bar ({shownWeight(solution.totalKg, units)} {unit}).
                </p>
              ) : (
                <>
                  <p className="font-medium">
                    Each side: {solution.perSide.length === 0 ? 'nothing (the empty bar)' : solution.perSide.map(plateText).join(', ')}
                  </p>
                  <p>
                    Total {shownWeight(solution.totalKg, units)} {unit}
                    {solution.status === 'under'
                      ? ` — ${shownWeight(solution.remainderKg, units)} ${unit} short of the target with these plates`
                      : ''}
                  </p>
                </>
              )}
            </section>
            <fieldset className="flex flex-col gap-2">
              <legend className="text-sm font-medium">Loaded on each side</legend>
              <div className="grid grid-cols-3 gap-2">
                {equipment.plates.map((p, i) => (
                  <label key={`${p.weight}-${p.unit}-${i}`} className="flex flex-col gap-1 text-xs">
                    {round2(p.weight)} {p.unit}
                    <input
                      className="min-h-11 rounded-lg border border-zinc-300 bg-white px-2 text-base dark:border-zinc-700 dark:bg-zinc-950"
                      inputMode="numeric"
                      aria-label={`${round2(p.weight)} ${p.unit} plates on each side`}
                      value={loaded[i] ?? ''}
                      onChange={(e) => setLoaded({ ...loaded, [i]: e.target.value })}
                    />
                  </label>
                ))}
              </div>
              <p aria-live="polite" className="text-sm font-medium" data-testid="loaded-total">
                {total === null ? 'Counts must be whole numbers.' : `Loaded total ${shownWeight(total, units)} ${unit}`}
              </p>
            </fieldset>
            <div className="flex flex-wrap gap-2">
              {solution && (solution.status === 'exact' || solution.status === 'under') ? (
                <Button onClick={() => onUseWeight(solution.totalKg)}>
                  Use {shownWeight(solution.totalKg, units)} {unit}
                </Button>
              ) : null}
              {total !== null && Object.values(loaded).some((v) => Number(v) > 0) ? (
                <Button variant="secondary" onClick={() => onUseWeight(total)}>
                  Use loaded {shownWeight(total, units)} {unit}
                </Button>
              ) : null}
            </div>
          </>
        ) : (
          <>
            {warmups.length === 0 ? (
              <p className="text-sm">
                {wantedKg === null ? 'Type the working weight.' : 'No warm-up sets: the working weight is at or below the empty bar.'}
              </p>
            ) : (
              <ol aria-label="Warm-up sets" className="flex flex-col gap-1 text-sm">
                {warmups.map((w, i) => (
                  <li key={i} className="flex justify-between rounded-lg bg-zinc-100 px-3 py-2 dark:bg-zinc-800">
                    <span className="font-medium">
                      {shownWeight(w.weightKg, units)} {unit} × {w.reps}
                    </span>
                    <span className="text-zinc-600 dark:text-zinc-400">
                      {w.percent === null ? 'empty bar' : `${w.percent}%`}
                      {w.perSide.length > 0 ? ` · ${w.perSide.map(plateText).join(', ')} a side` : ''}
                    </span>
                  </li>
                ))}
              </ol>
            )}
            {warmups.length > 0 ? <Button onClick={() => onAddWarmups(warmups)}>Add {warmups.length} warm-up sets</Button> : null}
          </>
        )}
      </div>
    </dialog>
  )
}
