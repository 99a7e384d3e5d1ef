'use client'

import Link from 'next/link'
import { useState } from 'react'
import { useMutations } from '@/components/sync/use-mutations'
import { Button } from '@/components/ui/button'
import { Notice } from '@/components/ui/notice'
import { WorkoutPhotos } from '@/components/media/workout-photos'
import type { ActivityInfo } from '@/db/queries/local'
import { newId } from '@/domain/ids'
import type { EntryInput } from '@/domain/mutators/entries'
import { formatRecord, type WorkoutSummary } from '@/domain/records'
import { formatDuration, formatValue, type DisplayUnits } from '@/domain/units'
import { TrophyIcon } from './trophy-icon'
import type { Draft } from './workout-draft'

/** The template the workout was, as done: each block with its sets (a superset by its rounds). */
function itemsOf(draft: Draft) {
  return draft.blocks.flatMap((b) => {
    if (b.blockActivityId !== null) {
      const rounds = Math.max(1, ...b.exercises.map((e) => e.sets.length))
      return [{ id: newId(), childId: b.blockActivityId, repeat: rounds }]
    }
    return b.exercises.filter((e) => e.sets.length > 0).map((e) => ({ id: newId(), childId: e.activityId, repeat: e.sets.length }))
  })
}

/**
 * After "Finish": how long, how much, how many sets, and a badge for every personal record the
 * workout broke; photos of the workout or of its sets (the entries exist from here on); then keep
 * the workout's shape as a template, the one it came from or a new one.
 */
export function FinishSummary({
  workout,
  summary,
  draft,
  entry,
  names,
  units,
  onDone,
}: {
  workout: ActivityInfo
  summary: WorkoutSummary
  draft: Draft
  /** The workout as logged: the entries photos attach to. */
  entry: EntryInput
  names: ReadonlyMap<string, string>
  units: DisplayUnits
  onDone: () => void
}) {
  const { run, message } = useMutations()
  const [name, setName] = useState(`${workout.name} (new)`)
  return (
    <section aria-labelledby="summary-heading" className="flex flex-col gap-4">
      <h1 id="summary-heading" className="text-2xl font-semibold">
        {workout.name} done
      </h1>
      <dl className="grid grid-cols-3 gap-2 text-center">
        <div className="rounded-xl bg-zinc-100 p-3 dark:bg-zinc-800">
          <dt className="text-xs text-zinc-600 dark:text-zinc-400">Duration</dt>
          <dd className="text-lg font-semibold tabular-nums">{formatDuration(summary.durationS)}</dd>
        </div>
        <div className="rounded-xl bg-zinc-100 p-3 dark:bg-zinc-800">
          <dt className="text-xs text-zinc-600 dark:text-zinc-400">Volume</dt>
          <dd className="text-lg font-semibold tabular-nums">{formatValue('mass', summary.volumeKg, units)}</dd>
        </div>
        <div className="rounded-xl bg-zinc-100 p-3 dark:bg-zinc-800">
          <dt className="text-xs text-zinc-600 dark:text-zinc-400">Sets</dt>
          <dd className="text-lg font-semibold tabular-nums">
            {summary.workingSets}
            {summary.sets > summary.workingSets ? ` + ${summary.sets - summary.workingSets} warm-up` : ''}
          </dd>
        </div>
      </dl>
      <section aria-labelledby="records-heading" className="flex flex-col gap-2">
        <h2 id="records-heading" className="text-lg font-semibold">
          Personal records
        </h2>
        {summary.records.length === 0 ? (
          <p className="text-sm text-zinc-600 dark:text-zinc-400">No new records this time.</p>
        ) : (
          <div role="status" className="flex flex-col gap-2">
            <p className="flex items-center gap-2 text-base font-semibold text-amber-900 dark:text-amber-200">
              <TrophyIcon className="size-6" />
              {summary.records.length === 1 ? 'New record!' : `${summary.records.length} new records!`}
            </p>
            <ul className="flex flex-col gap-2">
              {summary.records.map((r) => (
                <li
                  key={`${r.activityId}-${r.key}`}
                  className="flex items-center gap-2 rounded-lg border border-amber-300 bg-amber-50 p-2 text-sm dark:border-amber-800 dark:bg-amber-950"
                >
                  <span className="rounded-full bg-amber-700 px-2 py-0.5 text-xs font-bold text-white" aria-hidden>
                    PR
                  </span>
                  <span>
                    <span className="font-medium">{names.get(r.activityId)}</span>: {r.label} {formatRecord(r, units)}{' '}
                    <span className="text-zinc-600 dark:text-zinc-400">(was {formatRecord({ ...r, value: r.previous }, units)})</span>
                  </span>
                </li>
              ))}
            </ul>
          </div>
        )}
      </section>
      <WorkoutPhotos entry={entry} workoutName={workout.name} names={names} />
      <div className="flex flex-col gap-2">
        <Button
          variant="secondary"
          onClick={() =>
            void run(
              'setTemplate',
              { activityId: workout.id, items: itemsOf(draft) },
              { done: `${workout.name} now follows this workout.` },
            )
          }
        >
          Update {workout.name} to this workout
        </Button>
        <div className="flex gap-2">
          <label className="sr-only" htmlFor="template-name">
            New template name
          </label>
          <input
            id="template-name"
            className="min-h-11 min-w-0 flex-1 rounded-lg border border-zinc-300 bg-white px-3 text-base dark:border-zinc-700 dark:bg-zinc-900"
            value={name}
            onChange={(e) => setName(e.target.value)}
          />
          <Button
            variant="secondary"
            onClick={() =>
              void run(
                'createActivity',
                { id: newId(), libraryId: workout.libraryId, name, kind: 'sequence', attributes: [], items: itemsOf(draft) },
                { done: `Saved as ${name}.` },
              )
            }
          >
            Save as template
          </Button>
        </div>
        <Notice message={message} />
        <div className="flex gap-2">
          <Link href="/history" className="inline-flex min-h-11 items-center rounded-lg px-4 text-sm font-medium underline">
            See it in history
          </Link>
          <Button variant="ghost" onClick={onDone}>
            Start again
          </Button>
        </div>
      </div>
    </section>
  )
}
