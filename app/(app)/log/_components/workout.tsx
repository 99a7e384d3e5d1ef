'use client'

import { useEffect, useState } from 'react'
import { useLocalQuery } from '@/components/sync/use-local-query'
import { useMutations } from '@/components/sync/use-mutations'
import { Button } from '@/components/ui/button'
import { Notice } from '@/components/ui/notice'
import { ValueField } from '@/components/value-field'
import { collectValues, fieldText } from '@/components/value-text'
import { previousStructurallyEqualEntry, templateTree } from '@/db/queries/entries'
import { activityInfos, entryChildren, lastEntry, templateChildren, type ActivityInfo } from '@/db/queries/local'
import type { Db } from '@/db/types'
import { newId } from '@/domain/ids'
import { formatDuration, parseDuration, type DisplayUnits } from '@/domain/units'

type SetRow = { key: string; activity: ActivityInfo; texts: Record<string, string>; done: boolean; skipped: boolean }
const DEFAULT_REST_S = 90

/**
 * The sets of a workout from its current template, prefilled from the last structurally equal
 * entry ("last time"); when only a differently shaped entry exists, says the template changed.
 */
async function plan(db: Db, userId: string, workout: ActivityInfo, units: DisplayUnits) {
  const items = await templateChildren(db, workout.id)
  const children = await activityInfos(
    db,
    items.map((item) => item.childId),
  )
  const tree = await templateTree(db, workout.id)
  const now = new Date()
  const previous = tree ? await previousStructurallyEqualEntry(db, userId, tree, now) : undefined
  const before = previous ? await entryChildren(db, previous.id) : []
  const changed = !previous && (await lastEntry(db, userId, workout.id)) !== undefined
  const sets: SetRow[] = []
  for (const item of items) {
    const activity = children.get(item.childId)
    if (!activity) continue
    for (let i = 0; i < item.repeat; i++) {
      const last = before[sets.length]
      const texts: Record<string, string> = {}
      for (const a of activity.attributes) {
        const stored = last ? [...last.values.values()].find((v) => v.ordinal === a.ordinal) : undefined
        texts[a.id] = fieldText(a, stored, units)
      }
      sets.push({ key: newId(), activity, texts, done: false, skipped: false })
    }
  }
  return { sets, previousAt: previous?.performedAt ?? null, changed }
}

/** The set's rest: its duration attribute named like "rest", else the default. */
function restSeconds(set: SetRow): number {
  const rest = set.activity.attributes.find((a) => a.type === 'duration' && /rest/i.test(a.name))
  const seconds = rest ? parseDuration(set.texts[rest.id] ?? '') : null
  return seconds !== null && seconds > 0 ? seconds : DEFAULT_REST_S
}

export function Workout({ activity, units }: { activity: ActivityInfo; units: DisplayUnits }) {
  const planned = useLocalQuery(['workout-plan', activity.id], (db, userId) => plan(db, userId, activity, units))
  // The user's edits of the planned sets; until the first edit the plan itself is shown.
  const [edited, setSets] = useState<SetRow[] | null>(null)
  const [restUntil, setRestUntil] = useState<number | null>(null)
  const [now, setNow] = useState(() => Date.now())
  const { run, invalid, fieldError, message } = useMutations()
  const form = 'workout'

  useEffect(() => {
    if (restUntil === null) return
    const timer = setInterval(() => setNow(Date.now()), 250)
    return () => clearInterval(timer)
  }, [restUntil])

  if (!planned.data) return <p className="text-zinc-600 dark:text-zinc-400">Preparing {activity.name}…</p>
  const sets = edited ?? planned.data.sets
  const update = (key: string, change: Partial<SetRow>) => setSets(sets.map((s) => (s.key === key ? { ...s, ...change } : s)))
  const remaining = restUntil === null ? 0 : Math.max(0, Math.ceil((restUntil - now) / 1000))

  // Each set's fields are named `<set key>.<attribute id>`, so a problem shows beside its set's field.
  async function finish() {
    const children = []
    const errors: Record<string, string> = {}
    for (const set of sets.filter((s) => !s.skipped)) {
      const read = collectValues(set.activity.attributes, set.texts, units)
      for (const [id, error] of Object.entries(read.errors)) errors[`${set.key}.${id}`] = error
      children.push({ id: newId(), activityId: set.activity.id, values: read.values })
    }
    if (Object.keys(errors).length > 0) return invalid(form, errors)
    const ok = await run(
      'logEntry',
      { entry: { id: newId(), activityId: activity.id, performedAt: new Date().toISOString(), children } },
      { done: `Workout saved: ${children.length} ${children.length === 1 ? 'set' : 'sets'}.` },
    )
    if (!ok) return
    setSets(null)
    setRestUntil(null)
  }

  return (
    <section aria-labelledby="workout-heading" className="flex flex-col gap-4">
      <h1 id="workout-heading" className="text-2xl font-semibold">
        {activity.name}
      </h1>
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        {planned.data.previousAt
          ? `Prefilled from last time (${planned.data.previousAt.toLocaleDateString()}).`
          : planned.data.changed
            ? 'The template changed since last time, so sets are not compared one by one.'
            : 'First time: no previous workout to compare.'}
      </p>
      {restUntil !== null && remaining > 0 ? (
        <div
          role="timer"
          aria-live="polite"
          className="flex items-center justify-between rounded-xl bg-zinc-900 px-4 py-3 text-white dark:bg-zinc-100 dark:text-zinc-900"
        >
          <span>Rest {formatDuration(remaining)}</span>
          <Button variant="secondary" onClick={() => setRestUntil(null)}>
            Skip rest
          </Button>
        </div>
      ) : null}
      {sets.length === 0 ? <p>This workout has no exercises yet: add some to its template in the library.</p> : null}
      <ol aria-label="Sets" className="flex flex-col gap-3">
        {sets.map((set, i) => (
          <li
            key={set.key}
            className={`rounded-xl border p-3 ${set.skipped ? 'border-dashed opacity-60' : 'border-zinc-200 dark:border-zinc-800'}`}
          >
            <p className="mb-2 text-sm font-medium">
              {set.activity.name} · set {sets.slice(0, i + 1).filter((s) => s.activity.id === set.activity.id).length}
              {set.done ? ' · done' : ''}
              {set.skipped ? ' · skipped' : ''}
            </p>
            <div className="grid grid-cols-2 gap-2 sm:grid-cols-4">
              {set.activity.attributes
                .filter((a) => !a.retired)
                .map((a) => (
                  <ValueField
                    key={a.id}
                    attribute={a}
                    units={units}
                    label={`${a.name}${a.type === 'mass' ? ` (${units.massUnit})` : ''}`}
                    error={fieldError(form, `${set.key}.${a.id}`)}
                    value={set.texts[a.id] ?? ''}
                    onChange={(text) => update(set.key, { texts: { ...set.texts, [a.id]: text } })}
                  />
                ))}
            </div>
            <div className="mt-2 flex gap-2">
              <Button
                variant="secondary"
                disabled={set.skipped}
                onClick={() => {
                  update(set.key, { done: !set.done })
                  if (!set.done) {
                    setNow(Date.now())
                    setRestUntil(Date.now() + restSeconds(set) * 1000)
                  }
                }}
              >
                {set.done ? 'Undo done' : 'Done'}
              </Button>
              <Button variant="ghost" onClick={() => update(set.key, { skipped: !set.skipped, done: false })}>
                {set.skipped ? 'Unskip' : 'Skip'}
              </Button>
            </div>
          </li>
        ))}
      </ol>
      <div className="flex flex-wrap gap-2">
        {[...new Map(sets.map((s) => [s.activity.id, s.activity])).values()].map((a) => (
          <Button
            key={a.id}
            variant="secondary"
            onClick={() =>
              setSets([
                ...sets,
                {
                  key: newId(),
                  activity: a,
                  texts: { ...([...sets].reverse().find((s) => s.activity.id === a.id)?.texts ?? {}) },
                  done: false,
                  skipped: false,
                },
              ])
            }
          >
            Add a set of {a.name}
          </Button>
        ))}
        <Button onClick={() => void finish()}>Finish workout</Button>
      </div>
      <Notice message={message} />
    </section>
  )
}
