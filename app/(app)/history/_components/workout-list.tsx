'use client'

import { useId, useState } from 'react'
import { useMutations } from '@/components/sync/use-mutations'
import { Button } from '@/components/ui/button'
import { Notice } from '@/components/ui/notice'
import { ValueField } from '@/components/value-field'
import { entryChanges, shownFields } from '@/components/entry-edit'
import { EntryPhotos, PhotoStrip } from '@/components/media/entry-photos'
import type { EntryPhoto } from '@/db/queries/media'
import type { ActivityInfo, HistoryEntry } from '@/db/queries/local'
import { setTypeLabels } from '@/domain/set-types'
import type { DisplayUnits } from '@/domain/units'
import { durationText, groupWorkouts, volumeText, type ExerciseLine, type HistoryData, type SetRow, type Workout } from './group'
import { parseWhen, whenText } from './when'

/** `photos`: the entries' photos by entry id (entries without any are absent). */
export type LoadedHistory = HistoryData & { units: DisplayUnits; photos?: ReadonlyMap<string, EntryPhoto[]> }

/**
 * An entry's photos: while it is being edited, with "Add photo" (attached at once, whatever the
 * form's Save or Cancel); otherwise only the ones it has, to look at.
 */
function Photos({ entryId, label, editing, data }: { entryId: string; label: string; editing: boolean; data: LoadedHistory }) {
  if (editing) {
    return (
      <div className="mt-3 flex flex-col gap-1">
        <p className="text-sm font-medium">Photos</p>
        <EntryPhotos entryId={entryId} label={label} />
      </div>
    )
  }
  return <PhotoStrip entryId={entryId} label={label} photos={data.photos?.get(entryId) ?? []} adding={false} />
}

const dayHeading = (at: Date) => at.toLocaleDateString(undefined, { weekday: 'long', year: 'numeric', month: 'long', day: 'numeric' })
const clock = (at: Date) => at.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })
const muted = 'text-zinc-600 dark:text-zinc-400'

/**
 * Inline editing of one entry (editEntry): its values and notes and, for a workout or a set
 * logged on its own, its date and time. Only the fields the user changed are sent (SPEC B14); a
 * cleared value is removed. A new time for a workout moves its sets with it (the mutator does).
 */
function EntryEditor({
  entry,
  label,
  activity,
  data,
  withTime,
  onDone,
}: {
  entry: HistoryEntry
  label: string
  activity: ActivityInfo
  data: LoadedHistory
  withTime: boolean
  onDone: (moved?: Date) => void
}) {
  const { units } = data
  // The fields as the editor opened: only what the user changes from them is sent (SPEC B14).
  const [shown] = useState(() => ({
    ...shownFields(activity.attributes, data.values.get(entry.id), entry.notes, units),
    when: whenText(entry.performedAt),
  }))
  const [texts, setTexts] = useState(shown.texts)
  const [notes, setNotes] = useState(shown.notes)
  const [when, setWhen] = useState(shown.when)
  const { run, submit, invalid, fieldError, message } = useMutations()
  const form = `edit-${entry.id}`
  const id = useId()
  const save = submit(form, async () => {
    const { changes, errors } = entryChanges(activity.attributes, units, shown, { texts, notes })
    let performedAt: Date | undefined
    if (withTime && when !== shown.when) {
      const parsed = parseWhen(when, new Date())
      if (parsed instanceof Error) errors.performedAt = parsed.message
      else performedAt = parsed
    }
    if (Object.keys(errors).length > 0) {
      invalid(form, errors)
      return false
    }
    if (changes.notes === undefined && changes.values === undefined && !performedAt) {
      onDone()
      return true
    }
    const ok = await run('editEntry', { entryId: entry.id, ...changes, ...(performedAt ? { performedAt: performedAt.toISOString() } : {}) })
    if (ok) onDone(performedAt)
    return ok
  })
  const error = (name: string, errorId: string) =>
    fieldError(form, name) ? (
      <p id={errorId} className="text-sm text-red-700 dark:text-red-400 sm:col-span-3">
        {fieldError(form, name)}
      </p>
    ) : null
  const described = (name: string, errorId: string) => ({
    'aria-invalid': fieldError(form, name) ? true : undefined,
    'aria-describedby': fieldError(form, name) ? errorId : undefined,
  })
  const input = 'min-h-11 rounded-lg border border-zinc-300 bg-white px-3 dark:border-zinc-700 dark:bg-zinc-900'
  return (
    <form aria-label={label} className="mt-2 grid gap-2 sm:grid-cols-3" onSubmit={save} noValidate>
      {withTime ? (
        <>
          <label className="flex flex-col gap-1 text-sm font-medium sm:col-span-3">
            Date and time
            <input
              type="datetime-local"
              name="performedAt"
              value={when}
              onChange={(e) => setWhen(e.target.value)}
              className={`${input} text-base aria-invalid:border-red-600`}
              {...described('performedAt', `${id}-when-error`)}
            />
          </label>
          {error('performedAt', `${id}-when-error`)}
        </>
      ) : null}
      {activity.attributes.map((a) => (
        <ValueField
          key={a.id}
          attribute={a}
          units={units}
          name={`values.${a.id}`}
          error={fieldError(form, `values.${a.id}`)}
          value={texts[a.id] ?? ''}
          onChange={(text) => setTexts((t) => ({ ...t, [a.id]: text }))}
        />
      ))}
      <label className="flex flex-col gap-1 text-sm font-medium sm:col-span-3">
        Notes
        <textarea
          name="notes"
          value={notes}
          onChange={(e) => setNotes(e.target.value)}
          maxLength={10_000}
          className={`${input} py-2`}
          {...described('notes', `${id}-notes-error`)}
        />
      </label>
      {error('notes', `${id}-notes-error`)}
      <div className="sm:col-span-3">
        <Notice message={message} />
      </div>
      <div className="flex gap-2 sm:col-span-3">
        <Button type="submit">Save changes</Button>
        <Button type="button" variant="ghost" onClick={() => onDone()}>
          Cancel
        </Button>
      </div>
    </form>
  )
}

type Actions = {
  data: LoadedHistory
  editing: string | null
  setEditing: (id: string | null) => void
  remove: (entry: HistoryEntry, what: string) => Promise<void>
  moved: (name: string, to: Date) => void
}

/** One set: its label (W, D, F or its number), its values, notes, and its edit and delete buttons. */
function SetItem({ row, name, of, root, actions }: { row: SetRow; name: string; of: string | null; root: boolean; actions: Actions }) {
  const label = `${name} set ${row.label}${of ? ` of ${of}` : ''}`
  const activity = actions.data.activities.get(row.entry.activityId)
  return (
    <li className="py-1">
      <div className="flex items-center justify-between gap-2">
        <p className="min-w-0 text-sm">
          <span className="inline-block w-6 font-semibold" title={setTypeLabels[row.setType]}>
            <span aria-hidden="true">{row.label}</span>
            <span className="sr-only">{row.setType === 'normal' ? `Set ${row.label}` : setTypeLabels[row.setType]}</span>
          </span>
          <span className="tabular-nums">{row.text}</span>
          {row.extra ? <span className={muted}> · {row.extra}</span> : null}
          {root ? <span className={`whitespace-nowrap ${muted}`}> · {clock(row.entry.performedAt)}</span> : null}
          {row.entry.notes ? <span className={`block ${muted}`}>{row.entry.notes}</span> : null}
        </p>
        <span className="flex shrink-0">
          <Button
            variant="ghost"
            className="px-3"
            aria-label={`Edit ${label}`}
            onClick={() => actions.setEditing(actions.editing === row.entry.id ? null : row.entry.id)}
          >
            Edit
          </Button>
          <Button
            variant="ghost"
            className="px-3"
            aria-label={`Delete ${label}`}
            onClick={() => void actions.remove(row.entry, `this ${name} set`)}
          >
            Delete
          </Button>
        </span>
      </div>
      {actions.editing === row.entry.id && activity ? (
        <EntryEditor
          entry={row.entry}
          label={`Edit ${label}`}
          activity={activity}
          data={actions.data}
          withTime={root}
          onDone={(to) => {
            actions.setEditing(null)
            if (to) actions.moved(`${name} set`, to)
          }}
        />
      ) : null}
      <Photos entryId={row.entry.id} label={label} editing={actions.editing === row.entry.id} data={actions.data} />
    </li>
  )
}

/** An exercise's sets on one line; the line opens the sets one by one, to edit or delete. */
function ExerciseItem({ line, of, actions }: { line: ExerciseLine; of: string | null; actions: Actions }) {
  const [open, setOpen] = useState(false)
  const id = useId()
  // Closed, the line keeps the sets' notes in view (an exercise's notes are on its first set).
  const notes = line.sets
    .map((s) => s.entry.notes.trim())
    .filter(Boolean)
    .join(' · ')
  return (
    <li>
      <button
        type="button"
        aria-expanded={open}
        aria-controls={id}
        onClick={() => setOpen(!open)}
        className="flex min-h-11 w-full items-baseline gap-2 rounded-lg px-1 py-2 text-left hover:bg-zinc-100 focus-visible:outline-2 focus-visible:outline-accent dark:hover:bg-zinc-800"
      >
        <span aria-hidden="true" className={`w-3 shrink-0 text-xs ${muted}`}>
          {open ? '▾' : '▸'}
        </span>
        <span className="min-w-0">
          <span className="font-medium">{line.name}</span>{' '}
          <span className="tabular-nums text-zinc-700 dark:text-zinc-300">{line.summary}</span>
        </span>
      </button>
      {!open && notes ? <p className={`ml-5 px-1 text-sm ${muted}`}>{notes}</p> : null}
      {!open && line.sets.some((s) => actions.data.photos?.has(s.entry.id)) ? (
        <div className="ml-5 flex flex-wrap gap-2 px-1 pb-1">
          {line.sets.map((row) => (
            <PhotoStrip
              key={row.entry.id}
              entryId={row.entry.id}
              label={`${line.name} set ${row.label}${of ? ` of ${of}` : ''}`}
              photos={actions.data.photos?.get(row.entry.id) ?? []}
              adding={false}
            />
          ))}
        </div>
      ) : null}
      {open ? (
        <ol id={id} aria-label={`${line.name} sets`} className="ml-5 border-l border-zinc-200 pl-3 dark:border-zinc-800">
          {line.sets.map((row) => (
            <SetItem key={row.entry.id} row={row} name={line.name} of={of} root={row.entry.parentId === null} actions={actions} />
          ))}
        </ol>
      ) : null}
    </li>
  )
}

/** A workout: name, time, duration and volume, its notes, and its exercises (a superset's in its block). */
function WorkoutCard({ workout, actions }: { workout: Workout; actions: Actions }) {
  const { root } = workout
  const headingId = useId()
  const activity = root ? actions.data.activities.get(root.activityId) : undefined
  const facts = [
    clock(workout.startedAt),
    durationText(workout.durationS),
    workout.volumeKg > 0 ? `Volume ${volumeText(workout.volumeKg, actions.data.units)}` : '',
  ].filter(Boolean)
  return (
    <li aria-labelledby={headingId} className="rounded-xl border border-zinc-200 p-3 dark:border-zinc-800">
      <div className="flex items-start justify-between gap-2">
        <div className="min-w-0">
          <h3 id={headingId} className="font-semibold">
            {workout.name}
          </h3>
          <p className={`text-sm tabular-nums ${muted}`}>{facts.join(' · ')}</p>
        </div>
        {root ? (
          <span className="flex shrink-0">
            <Button
              variant="ghost"
              className="px-3"
              aria-label={`Edit ${root.activityName} entry`}
              onClick={() => actions.setEditing(actions.editing === root.id ? null : root.id)}
            >
              Edit
            </Button>
            <Button
              variant="ghost"
              className="px-3"
              aria-label={`Delete ${root.activityName} entry`}
              onClick={() => void actions.remove(root, `this ${root.activityName} entry and all its sets`)}
            >
              Delete
            </Button>
          </span>
        ) : null}
      </div>
      {root && actions.editing === root.id && activity ? (
        <EntryEditor
          entry={root}
          label={`Edit ${root.activityName} entry`}
          activity={activity}
          data={actions.data}
          withTime
          onDone={(to) => {
            actions.setEditing(null)
            if (to) actions.moved(root.activityName, to)
          }}
        />
      ) : null}
      {root?.notes ? <p className={`mt-1 text-sm ${muted}`}>{root.notes}</p> : null}
      {root && (actions.editing === root.id || actions.data.photos?.has(root.id)) ? (
        <div className="mt-2">
          <Photos entryId={root.id} label={root.activityName} editing={actions.editing === root.id} data={actions.data} />
        </div>
      ) : null}
      {workout.items.length === 0 ? <p className={`mt-1 text-sm ${muted}`}>No sets.</p> : null}
      <ul className="mt-1 flex flex-col">
        {workout.items.map((item) =>
          item.kind === 'exercise' ? (
            <ExerciseItem key={item.activityId} line={item} of={root?.activityName ?? null} actions={actions} />
          ) : (
            <li
              key={item.entry.id}
              aria-label={`Superset ${item.name}`}
              className="my-1 border-l-4 border-accent-strong pl-2 dark:border-sky-400"
            >
              <p className="text-xs font-semibold text-accent-strong uppercase dark:text-sky-300">Superset · {item.name}</p>
              {item.entry.notes ? <p className={`text-sm ${muted}`}>{item.entry.notes}</p> : null}
              <PhotoStrip
                entryId={item.entry.id}
                label={`the superset ${item.name}`}
                photos={actions.data.photos?.get(item.entry.id) ?? []}
                adding={false}
              />
              <ul>
                {item.exercises.map((line) => (
                  <ExerciseItem key={line.activityId} line={line} of={root?.activityName ?? null} actions={actions} />
                ))}
              </ul>
            </li>
          ),
        )}
      </ul>
    </li>
  )
}

/**
 * History's workouts by day, newest first (see `group.ts`); every entry can be edited (a
 * workout's or a lone set's date and time too) or deleted.
 */
export function WorkoutList({ data, empty }: { data: LoadedHistory; empty: string }) {
  const { run, message, setMessage } = useMutations()
  const [editing, setEditing] = useState<string | null>(null)
  const workouts = groupWorkouts(data, data.units)
  const days = new Map<string, Workout[]>()
  for (const w of workouts) days.set(w.day, [...(days.get(w.day) ?? []), w])
  const actions: Actions = {
    data,
    editing,
    setEditing,
    async remove(entry, what) {
      if (!window.confirm(`Delete ${what}?`)) return
      await run('deleteEntry', { entryId: entry.id })
    },
    moved: (name, to) => setMessage({ ok: true, text: `${name} moved to ${dayHeading(to)}, ${clock(to)}.` }),
  }
  return (
    <div className="flex flex-col gap-4">
      <Notice message={message} />
      {workouts.length === 0 ? <p className={muted}>{empty}</p> : null}
      {[...days.entries()].map(([day, list]) => (
        <section key={day} aria-label={dayHeading(list[0]!.startedAt)} className="flex flex-col gap-2">
          <h2 className={`text-sm font-semibold ${muted}`}>{dayHeading(list[0]!.startedAt)}</h2>
          <ul className="flex flex-col gap-2">
            {list.map((w) => (
              <WorkoutCard key={w.key} workout={w} actions={actions} />
            ))}
          </ul>
        </section>
      ))}
    </div>
  )
}
