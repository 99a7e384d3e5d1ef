'use client'

import { useState } from 'react'
import type { EntryInput } from '@/domain/mutators/entries'
import { EntryPhotos } from './entry-photos'

type Group = { key: string; name: string; sets: { id: string; label: string }[]; superset?: { id: string; name: string } }

/**
 * A logged workout's entries as photos can be attached to them: each exercise's sets in the
 * order done ("Squat set 2"), a superset by its own entry with its exercises' sets.
 */
function groupsOf(entry: EntryInput, names: ReadonlyMap<string, string>): Group[] {
  const groups: Group[] = []
  const counts = new Map<string, number>()
  const setOf = (e: EntryInput) => {
    const n = (counts.get(e.activityId) ?? 0) + 1
    counts.set(e.activityId, n)
    return { id: e.id, label: `${names.get(e.activityId) ?? 'Exercise'} set ${n}` }
  }
  for (const child of entry.children ?? []) {
    if (child.children) {
      const name = names.get(child.activityId) ?? 'Superset'
      groups.push({ key: child.id, name: `Superset · ${name}`, superset: { id: child.id, name }, sets: child.children.map(setOf) })
      continue
    }
    const last = groups.at(-1)
    if (last && !last.superset && last.key === child.activityId) last.sets.push(setOf(child))
    else groups.push({ key: child.activityId, name: names.get(child.activityId) ?? 'Exercise', sets: [setOf(child)] })
  }
  return groups
}

/**
 * Photos of a workout just logged: of the workout itself, and (behind "Photos of an exercise or
 * a set", so the summary stays short) of a superset or a single set: a form check, a machine's
 * settings. Each is attached at once, online or not.
 */
export function WorkoutPhotos({
  entry,
  workoutName,
  names,
}: {
  entry: EntryInput
  workoutName: string
  names: ReadonlyMap<string, string>
}) {
  const [open, setOpen] = useState(false)
  const groups = groupsOf(entry, names)
  return (
    <section aria-labelledby="workout-photos-heading" className="flex flex-col gap-2">
      <h2 id="workout-photos-heading" className="text-lg font-semibold">
        Photos
      </h2>
      <EntryPhotos entryId={entry.id} label={workoutName} />
      {groups.length > 0 ? (
        <details onToggle={(e) => setOpen(e.currentTarget.open)} className="rounded-lg border border-zinc-200 dark:border-zinc-800">
          <summary className="flex min-h-11 cursor-pointer items-center px-3 text-sm font-medium">Photos of an exercise or a set</summary>
          {open ? (
            <div className="flex flex-col gap-4 px-3 pb-3">
              {groups.map((g) => (
                <section key={g.key} aria-label={g.name} className="flex flex-col gap-2">
                  <h3 className="font-semibold">{g.name}</h3>
                  {g.superset ? <EntryPhotos entryId={g.superset.id} label={`the superset ${g.superset.name}`} /> : null}
                  <ul className="flex flex-col gap-3 border-l border-zinc-200 pl-3 dark:border-zinc-800">
                    {g.sets.map((s) => (
                      <li key={s.id} className="flex flex-col gap-1">
                        <p className="text-sm font-medium">{s.label}</p>
                        <EntryPhotos entryId={s.id} label={s.label} />
                      </li>
                    ))}
                  </ul>
                </section>
              ))}
            </div>
          ) : null}
        </details>
      ) : null}
    </section>
  )
}
