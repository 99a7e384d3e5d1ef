'use client'

import Link from 'next/link'
import { useState } from 'react'
import { useDevice, useDeviceStatus } from '@/components/sync/sync-provider'
import { useLocalQuery } from '@/components/sync/use-local-query'
import { useMutations } from '@/components/sync/use-mutations'
import { Notice } from '@/components/ui/notice'
import { Button } from '@/components/ui/button'
import { Page } from '@/components/ui/page'
import { Select } from '@/components/ui/select'
import { TextField } from '@/components/ui/text-field'
import { defaultLibrary, libraryActivities } from '@/db/queries/local'
import { newId } from '@/domain/ids'
import type { MutatorArgs } from '@/domain/mutators'

const templates = {
  strength: {
    label: 'Strength (weight × reps)',
    kind: 'scalar',
    attributes: [
      ['Weight', 'mass'],
      ['Reps', 'integer'],
    ],
  },
  cardio: {
    label: 'Cardio (distance, time)',
    kind: 'scalar',
    attributes: [
      ['Distance', 'distance'],
      ['Time', 'duration'],
    ],
  },
  workout: { label: 'Workout (a sequence of exercises)', kind: 'sequence', attributes: [] },
  superset: { label: 'Superset or circuit (exercises done in turn)', kind: 'sequence', attributes: [] },
} as const

/** The user's library, read from the device database, with a quick way to add an activity. */
export function LibraryView() {
  const device = useDevice()
  const status = useDeviceStatus()
  const library = useLocalQuery(['default-library'], (db, userId) => defaultLibrary(db, userId))
  const libraryId = library.data?.id
  const list = useLocalQuery(['activities', libraryId], (db) => (libraryId ? libraryActivities(db, libraryId) : Promise.resolve([])))
  const { run, submit, fieldError, message } = useMutations()
  const [kind, setKind] = useState<keyof typeof templates>('strength')
  const [picked, setPicked] = useState<Record<string, number>>({})

  const add = submit('add-activity', async (data) => {
    if (!libraryId) return false
    const template = templates[kind]
    const args: MutatorArgs<'createActivity'> = {
      id: newId(),
      libraryId,
      name: String(data.get('name') ?? ''),
      kind: template.kind,
      attributes: template.attributes.map(([name, type]) => ({ id: newId(), name, type })),
      items:
        template.kind === 'sequence' ? Object.entries(picked).map(([childId, repeat]) => ({ id: newId(), childId, repeat })) : undefined,
    }
    const ok = await run('createActivity', args)
    if (ok) setPicked({})
    return ok
  })

  if (!device || library.isPending || (!library.data && status.lastSyncedAt === null)) {
    return <p className="text-zinc-600 dark:text-zinc-400">Loading your library on this device…</p>
  }
  if (!library.data) return <p>Your library has not reached this device yet.</p>
  const scalars = (list.data ?? []).filter((a) => a.kind === 'scalar')

  return (
    <Page id="library" title={library.data.name} gap="gap-4">
      {list.data && list.data.length > 0 ? (
        <ul
          aria-label="Activities"
          className="divide-y divide-zinc-200 rounded-xl border border-zinc-200 dark:divide-zinc-800 dark:border-zinc-800"
        >
          {list.data.map((a) => (
            <li key={a.id} className="flex flex-wrap items-center justify-between gap-2 px-4 py-2">
              <span className="flex items-baseline gap-2">
                <span>{a.name}</span>
                <span className="text-xs text-zinc-500">{a.kind === 'sequence' ? 'Workout' : 'Exercise'}</span>
              </span>
              <span className="flex gap-1">
                <Link
                  className="inline-flex min-h-11 items-center rounded-lg px-3 text-sm font-medium underline-offset-4 hover:underline"
                  href={`/log?activity=${a.id}`}
                  aria-label={`Log ${a.name}`}
                >
                  {a.kind === 'sequence' ? 'Start' : 'Log'}
                </Link>
                <Link
                  className="inline-flex min-h-11 items-center rounded-lg px-3 text-sm underline-offset-4 hover:underline"
                  href={`/progress?activity=${a.id}`}
                  aria-label={`Progress of ${a.name}`}
                >
                  Progress
                </Link>
                <Link
                  className="inline-flex min-h-11 items-center rounded-lg px-3 text-sm underline-offset-4 hover:underline"
                  href={`/activity?id=${a.id}`}
                  aria-label={`Edit ${a.name}`}
                >
                  Edit
                </Link>
              </span>
            </li>
          ))}
        </ul>
      ) : (
        <div className="rounded-xl border border-dashed border-zinc-300 px-6 py-10 text-center dark:border-zinc-700">
          <p className="font-medium">No activities yet</p>
          <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">Activities are what you log: a lift, a run, a whole workout.</p>
        </div>
      )}
      <form
        onSubmit={add}
        className="flex flex-col gap-3 rounded-xl border border-zinc-200 p-4 dark:border-zinc-800"
        aria-label="Add an activity"
      >
        <div className="flex flex-col gap-3 sm:flex-row sm:items-end">
          <div className="flex-1">
            <TextField label="New activity" name="name" required maxLength={200} error={fieldError('add-activity', 'name')} />
          </div>
          <div className="flex flex-col gap-1.5">
            <label htmlFor="template" className="text-sm font-medium">
              Type
            </label>
            <Select id="template" name="template" value={kind} onChange={(e) => setKind(e.target.value as keyof typeof templates)}>
              {Object.entries(templates).map(([value, t]) => (
                <option key={value} value={value}>
                  {t.label}
                </option>
              ))}
            </Select>
          </div>
          <Button type="submit">Add</Button>
        </div>
        {kind === 'workout' || kind === 'superset' ? (
          <fieldset className="flex flex-col gap-2">
            <legend className="text-sm font-medium">
              {kind === 'workout'
                ? 'Exercises and supersets in this workout, and sets (or rounds) of each'
                : 'Exercises done in turn, and sets of each a round'}
            </legend>
            {scalars.length === 0 ? (
              <p className="text-sm text-zinc-600 dark:text-zinc-400">Add an exercise first; a workout is a sequence of them.</p>
            ) : null}
            {(kind === 'workout' ? (list.data ?? []) : scalars).map((a) => (
              <div key={a.id} className="flex items-center gap-3">
                <input
                  id={`pick-${a.id}`}
                  type="checkbox"
                  className="size-5"
                  checked={a.id in picked}
                  onChange={(e) =>
                    setPicked((p) => {
                      const next = { ...p }
                      if (e.target.checked) next[a.id] = kind === 'superset' ? 1 : 3
                      else delete next[a.id]
                      return next
                    })
                  }
                />
                <label htmlFor={`pick-${a.id}`} className="flex-1">
                  {a.name}
                </label>
                {a.id in picked ? (
                  <input
                    aria-label={`${a.kind === 'sequence' ? 'Rounds' : 'Sets'} of ${a.name}`}
                    type="number"
                    min={1}
                    max={100}
                    value={picked[a.id]}
                    onChange={(e) => setPicked((p) => ({ ...p, [a.id]: Math.max(1, Number(e.target.value) || 1) }))}
                    className="min-h-11 w-20 rounded-lg border border-zinc-300 bg-white px-2 dark:border-zinc-700 dark:bg-zinc-900"
                  />
                ) : null}
              </div>
            ))}
          </fieldset>
        ) : null}
        <Notice message={message} />
      </form>
    </Page>
  )
}
