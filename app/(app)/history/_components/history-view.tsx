'use client'

import { useState } from 'react'
import { useLocalQuery } from '@/components/sync/use-local-query'
import { useMutations } from '@/components/sync/use-mutations'
import { Button } from '@/components/ui/button'
import { Notice } from '@/components/ui/notice'
import { Page } from '@/components/ui/page'
import { ValueField } from '@/components/value-field'
import { entryChanges, shownFields } from '@/components/entry-edit'
import { valueText } from '@/components/value-text'
import {
  activityInfos,
  displayUnits,
  history,
  type ActivityInfo,
  type AttributeInfo,
  type HistoryEntry,
  type StoredValues,
} from '@/db/queries/local'
import type { Db } from '@/db/types'
import { readSetType, setTypeLabels, setTypeLetters } from '@/domain/set-types'
import type { DisplayUnits } from '@/domain/units'

/** History with each value formatted by its attribute's type and the user's units. */
async function load(db: Db, userId: string) {
  const [h, units] = await Promise.all([history(db, userId), displayUnits(db, userId)])
  const ids = new Set([...h.roots, ...[...h.children.values()].flat()].map((e) => e.activityId))
  const activities = await activityInfos(db, [...ids])
  const attributes = new Map<string, AttributeInfo>()
  for (const info of activities.values()) for (const a of info.attributes) attributes.set(a.id, a)
  return { ...h, units, attributes, activities }
}

/** An entry's values for people, in attribute order: "Weight 100 kg · Reps 6 · Grip wide". */
function describe(values: StoredValues | undefined, attributes: Map<string, AttributeInfo>, units: DisplayUnits) {
  return [...(values ?? new Map()).entries()]
    .map(([id, v]) => {
      const a = attributes.get(id)
      return a ? `${a.name} ${valueText(a, v, units)}` : ''
    })
    .filter(Boolean)
    .join(' · ')
}

/**
 * Inline editing of one entry's values and notes (editEntry): only the fields the user changed
 * are sent; a cleared field removes its value.
 */
function EntryEditor({
  entry,
  activity,
  values,
  units,
  onDone,
}: {
  entry: HistoryEntry
  activity: ActivityInfo
  values: StoredValues | undefined
  units: DisplayUnits
  onDone: () => void
}) {
  // The fields as the editor opened: only what the user changes from them is sent (SPEC B14).
  const [shown] = useState(() => shownFields(activity.attributes, values, entry.notes, units))
  const [texts, setTexts] = useState(shown.texts)
  const [notes, setNotes] = useState(shown.notes)
  const { run, submit, invalid, fieldError, message } = useMutations()
  const form = `edit-${entry.id}`
  const save = submit(form, async () => {
    const { changes, errors } = entryChanges(activity.attributes, units, shown, { texts, notes })
    if (Object.keys(errors).length > 0) {
      invalid(form, errors)
      return false
    }
    if (changes.notes === undefined && changes.values === undefined) {
      onDone()
      return true
    }
    const ok = await run('editEntry', { entryId: entry.id, ...changes })
    if (ok) onDone()
    return ok
  })
  return (
    <form aria-label={`Edit ${entry.activityName} entry`} className="mt-2 grid gap-2 sm:grid-cols-3" onSubmit={save}>
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
          aria-invalid={fieldError(form, 'notes') ? true : undefined}
          aria-describedby={fieldError(form, 'notes') ? `${form}-notes-error` : undefined}
          value={notes}
          onChange={(e) => setNotes(e.target.value)}
          maxLength={10_000}
          className="min-h-11 rounded-lg border border-zinc-300 bg-white px-3 py-2 dark:border-zinc-700 dark:bg-zinc-900"
        />
      </label>
      {fieldError(form, 'notes') ? (
        <p id={`${form}-notes-error`} className="text-sm text-red-700 dark:text-red-400 sm:col-span-3">
          {fieldError(form, 'notes')}
        </p>
      ) : null}
      <div className="sm:col-span-3">
        <Notice message={message} />
      </div>
      <div className="flex gap-2 sm:col-span-3">
        <Button type="submit">Save changes</Button>
        <Button type="button" variant="ghost" onClick={onDone}>
          Cancel
        </Button>
      </div>
    </form>
  )
}

/**
 * A workout's sets in order, each labelled as a set table labels it (its number among the
 * exercise's normal sets, or W/D/F); a superset's sets inside its block.
 */
function Sets({
  list,
  render,
  childrenOf,
}: {
  list: HistoryEntry[]
  render: (entry: HistoryEntry, label: string) => React.ReactNode
  childrenOf: (id: string) => HistoryEntry[] | undefined
}) {
  const labels = new Map<string, string>()
  const counts = new Map<string, number>()
  for (const c of list) {
    const letter = setTypeLetters[readSetType(c.setType)]
    const n = (counts.get(c.activityId) ?? 0) + (letter ? 0 : 1)
    counts.set(c.activityId, n)
    labels.set(c.id, letter ?? String(n))
  }
  return (
    <ol className="mt-2 flex flex-col gap-1 text-sm">
      {list.map((c) => {
        const inner = childrenOf(c.id)
        if (inner) {
          return (
            <li key={c.id} className="border-l-4 border-accent-strong pl-2 dark:border-sky-400" aria-label={`Superset ${c.activityName}`}>
              <p className="text-xs font-semibold text-accent-strong uppercase dark:text-sky-300">Superset · {c.activityName}</p>
              {c.notes ? <p className="text-zinc-600 dark:text-zinc-400">{c.notes}</p> : null}
              <Sets list={inner} render={render} childrenOf={childrenOf} />
            </li>
          )
        }
        return <li key={c.id}>{render(c, labels.get(c.id)!)}</li>
      })}
    </ol>
  )
}

/** Every logged entry, by day, newest first, with its sets; each can be deleted. */
export function HistoryView() {
  const data = useLocalQuery(['history'], load)
  const { run, message } = useMutations()
  const [editing, setEditing] = useState<string | null>(null)
  if (!data.data) return <p className="text-zinc-600 dark:text-zinc-400">Loading history…</p>
  const { roots, children, values, units, attributes, activities } = data.data
  const editor = (entry: HistoryEntry) =>
    editing === entry.id && activities.get(entry.activityId) ? (
      <EntryEditor
        entry={entry}
        activity={activities.get(entry.activityId)!}
        values={values.get(entry.id)}
        units={units}
        onDone={() => setEditing(null)}
      />
    ) : null
  const editButton = (entry: HistoryEntry, label: string) => (
    <Button variant="ghost" aria-label={label} onClick={() => setEditing(editing === entry.id ? null : entry.id)}>
      Edit
    </Button>
  )
  const days = new Map<string, HistoryEntry[]>()
  for (const r of roots) {
    const day = r.performedAt.toLocaleDateString(undefined, { weekday: 'long', year: 'numeric', month: 'long', day: 'numeric' })
    days.set(day, [...(days.get(day) ?? []), r])
  }
  return (
    <Page id="history" title="History" gap="gap-4">
      <Notice message={message} />
      {roots.length === 0 ? (
        <p className="text-zinc-600 dark:text-zinc-400">Nothing logged yet. Log an activity from the library.</p>
      ) : null}
      {[...days.entries()].map(([day, list]) => (
        <section key={day} aria-label={day} className="flex flex-col gap-2">
          <h2 className="text-sm font-semibold text-zinc-600 dark:text-zinc-400">{day}</h2>
          <ul className="flex flex-col gap-2">
            {list.map((entry) => (
              <li key={entry.id} className="rounded-xl border border-zinc-200 p-3 dark:border-zinc-800">
                <div className="flex items-start justify-between gap-2">
                  <div>
                    <p className="font-medium">{entry.activityName}</p>
                    <p className="text-xs text-zinc-500">
                      {entry.performedAt.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}
                    </p>
                    <p className="text-sm">{describe(values.get(entry.id), attributes, units)}</p>
                    {entry.notes ? <p className="text-sm text-zinc-600 dark:text-zinc-400">{entry.notes}</p> : null}
                  </div>
                  <span className="flex">
                    {editButton(entry, `Edit ${entry.activityName} entry`)}
                    <Button
                      variant="ghost"
                      aria-label={`Delete ${entry.activityName} entry`}
                      onClick={async () => {
                        if (!window.confirm(`Delete this ${entry.activityName} entry${children.has(entry.id) ? ' and all its sets' : ''}?`))
                          return
                        await run('deleteEntry', { entryId: entry.id })
                      }}
                    >
                      Delete
                    </Button>
                  </span>
                </div>
                {editor(entry)}
                {children.has(entry.id) ? (
                  <Sets
                    list={children.get(entry.id)!}
                    render={(c, label) => (
                      <>
                        <span className="flex items-center justify-between gap-2">
                          <span>
                            <span className="inline-block w-6 font-semibold" title={setTypeLabels[readSetType(c.setType)]}>
                              {label}
                            </span>
                            {c.activityName}: {describe(values.get(c.id), attributes, units) || '–'}
                            {c.notes ? <span className="text-zinc-600 dark:text-zinc-400"> · {c.notes}</span> : null}
                          </span>
                          {editButton(c, `Edit ${c.activityName} set ${label} of ${entry.activityName}`)}
                        </span>
                        {editor(c)}
                      </>
                    )}
                    childrenOf={(id) => children.get(id)}
                  />
                ) : null}
              </li>
            ))}
          </ul>
        </section>
      ))}
    </Page>
  )
}
