'use client'

import { Select } from '@/components/ui/select'
import type { ActivityInfo } from '@/db/queries/local'
import type { ExerciseMapping, Target } from '@/portability/import/plan'

const measureWords = { weight: 'weight', reps: 'reps', distance: 'distance', seconds: 'time', rpe: 'RPE' } as const

const count = (n: number, word: string) => `${n.toLocaleString()} ${word}${n === 1 ? '' : 's'}`

/** Value of the select for a target: "new", "skip" or an activity's id. */
const valueOf = (t: Target) => (t.kind === 'existing' ? t.activityId : t.kind)

/**
 * Where each exercise of the file goes: one of the user's exercises, a new activity (named from
 * the catalogue when it knows the exercise), or left out.
 */
export function MappingTable({
  mapping,
  own,
  onTarget,
}: {
  mapping: readonly ExerciseMapping[]
  own: readonly ActivityInfo[]
  onTarget: (name: string, target: Target) => void
}) {
  const exercises = own.filter((a) => a.kind === 'scalar')
  return (
    <section aria-labelledby="import-mapping-heading" className="flex flex-col gap-2">
      <h3 id="import-mapping-heading" className="font-semibold">
        Exercises ({mapping.length})
      </h3>
      <ul className="divide-y divide-zinc-200 rounded-xl border border-zinc-200 dark:divide-zinc-800 dark:border-zinc-800">
        {mapping.map((m, i) => {
          const proposedNew = m.target.kind === 'new' ? m.target : { kind: 'new' as const, name: m.name }
          return (
            <li key={m.name} className="flex flex-col gap-2 px-3 py-2 sm:flex-row sm:items-center sm:justify-between">
              <div className="min-w-0">
                <p className="font-medium break-words">{m.name}</p>
                <p className="text-xs text-zinc-600 dark:text-zinc-400">
                  {count(m.sets, 'set')} in {count(m.workouts, 'workout')}
                  {m.measures.length > 0 ? ` · ${m.measures.map((x) => measureWords[x]).join(', ')}` : ''} · {m.reason}
                </p>
              </div>
              <label className="flex flex-col text-xs sm:w-64">
                <span className="sr-only">Import “{m.name}” as</span>
                <Select
                  data-testid={`map-${i}`}
                  value={valueOf(m.target)}
                  onChange={(e) => {
                    const v = e.target.value
                    onTarget(m.name, v === 'new' ? proposedNew : v === 'skip' ? { kind: 'skip' } : { kind: 'existing', activityId: v })
                  }}
                >
                  <option value="new">New: {proposedNew.name}</option>
                  <option value="skip">Leave out</option>
                  <optgroup label="Your exercises">
                    {exercises.map((a) => (
                      <option key={a.id} value={a.id}>
                        {a.name}
                      </option>
                    ))}
                  </optgroup>
                </Select>
              </label>
            </li>
          )
        })}
      </ul>
    </section>
  )
}
