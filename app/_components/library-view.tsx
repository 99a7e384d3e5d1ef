'use client'

import { useState, type FormEvent } from 'react'
import { useSync } from '@/components/sync/sync-provider'
import { useLocalQuery } from '@/components/sync/use-local-query'
import { Button } from '@/components/ui/button'
import { TextField } from '@/components/ui/text-field'
import { defaultLibrary, libraryActivities } from '@/db/queries/local'
import { MutationError } from '@/domain/errors'
import { newId } from '@/domain/ids'
import type { MutatorArgs } from '@/domain/mutators'

const templates = {
  strength: { label: 'Strength (weight × reps)', kind: 'scalar', attributes: [['Weight', 'mass'], ['Reps', 'integer']] },
  cardio: { label: 'Cardio (distance, time)', kind: 'scalar', attributes: [['Distance', 'distance'], ['Time', 'duration']] },
  workout: { label: 'Workout (a sequence of exercises)', kind: 'sequence', attributes: [] },
} as const

/** The user's library, read from the device database, with a quick way to add an activity. */
export function LibraryView({ userId }: { userId: string }) {
  const sync = useSync()
  const library = useLocalQuery(['default-library', userId], (db) => defaultLibrary(db, userId))
  const libraryId = library.data?.id
  const list = useLocalQuery(['activities', libraryId], (db) => (libraryId ? libraryActivities(db, libraryId) : Promise.resolve([])))
  const [error, setError] = useState<string>()

  async function add(event: FormEvent<HTMLFormElement>) {
    event.preventDefault()
    if (!sync || !libraryId) return
    const form = event.currentTarget
    const data = new FormData(form)
    const template = templates[(data.get('template') as keyof typeof templates) ?? 'strength']
    const args: MutatorArgs<'createActivity'> = {
      id: newId(),
      libraryId,
      name: String(data.get('name') ?? ''),
      kind: template.kind,
      attributes: template.attributes.map(([name, type]) => ({ id: newId(), name, type })),
    }
    try {
      await sync.client.mutate('createActivity', args)
      setError(undefined)
      form.reset()
    } catch (e) {
      setError(e instanceof MutationError ? e.message.replace(/^Invalid arguments for createActivity: name: /, 'Name: ') : 'Could not save on this device.')
    }
  }

  if (!sync || library.isPending || (!library.data && sync.client.status.lastSyncedAt === null)) {
    return <p className="text-zinc-600 dark:text-zinc-400">Loading your library on this device…</p>
  }
  if (!library.data) return <p>Your library has not reached this device yet.</p>

  return (
    <section aria-labelledby="library-heading" className="flex flex-col gap-4">
      <h1 id="library-heading" className="text-2xl font-semibold">
        {library.data.name}
      </h1>
      {list.data && list.data.length > 0 ? (
        <ul aria-label="Activities" className="divide-y divide-zinc-200 rounded-xl border border-zinc-200 dark:divide-zinc-800 dark:border-zinc-800">
          {list.data.map((a) => (
            <li key={a.id} className="flex items-center justify-between px-4 py-3">
              <span>{a.name}</span>
              <span className="text-xs text-zinc-500">{a.kind === 'sequence' ? 'Workout' : 'Exercise'}</span>
            </li>
          ))}
        </ul>
      ) : (
        <div className="rounded-xl border border-dashed border-zinc-300 px-6 py-10 text-center dark:border-zinc-700">
          <p className="font-medium">No activities yet</p>
          <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">Activities are what you log: a lift, a run, a whole workout.</p>
        </div>
      )}
      <form onSubmit={add} className="flex flex-col gap-3 rounded-xl border border-zinc-200 p-4 sm:flex-row sm:items-end dark:border-zinc-800" aria-label="Add an activity">
        <div className="flex-1">
          <TextField label="New activity" name="name" required maxLength={200} error={error} />
        </div>
        <div className="flex flex-col gap-1.5">
          <label htmlFor="template" className="text-sm font-medium">
            Type
          </label>
          <select id="template" name="template" className="min-h-11 rounded-lg border border-zinc-300 bg-white px-3 dark:border-zinc-700 dark:bg-zinc-900">
            {Object.entries(templates).map(([value, t]) => (
              <option key={value} value={value}>
                {t.label}
              </option>
            ))}
          </select>
        </div>
        <Button type="submit">Add</Button>
      </form>
    </section>
  )
}
