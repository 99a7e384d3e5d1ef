'use client'

import { useEffect, useState } from 'react'
import { useSync } from '@/components/sync/sync-provider'
import { useLocalQuery } from '@/components/sync/use-local-query'
import { Button } from '@/components/ui/button'
import { ValueField, fieldText } from '@/components/value-field'
import { previousStructurallyEqualEntry, templateTree } from '@/db/queries/entries'
import { activityInfo, entryChildren, lastEntry, templateChildren, type ActivityInfo } from '@/db/queries/local'
import type { Db } from '@/db/types'
import { newId } from '@/domain/ids'
import { formatDuration, type DisplayUnits } from '@/domain/units'
import { refusal } from '@/components/sync/use-mutations'
import { collectValues } from './log-view'
import { Notice, type NoticeMessage } from '@/components/ui/notice'

type SetRow = { key: string; activity: ActivityInfo; texts: Record<string, string>; done: boolean; skipped: boolean }
const DEFAULT_REST_S = 90

/**
 * The sets of a workout from its current template, prefilled from the last structurally equal
 * entry ("last time"); when only a differently shaped entry exists, says the template changed.
 */
async function plan(db: Db, userId: string, workout: ActivityInfo, units: DisplayUnits) {
  const items = await templateChildren(db, workout.id)
  const children = new Map<string, ActivityInfo>()
  for (const item of items) {
    const info = await activityInfo(db, item.childId)
    if (info) children.set(item.childId, info)
  }
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

function restSeconds(set: SetRow): number {
  const rest = set.activity.attributes.find((a) => a.type === 'duration' && /rest/i.test(a.name))
  const text = rest ? set.texts[rest.id] : undefined
  const [m, s] = (text ?? '').split(':').map(Number)
  const seconds = s === undefined ? Number(m) : (m ?? 0) * 60 + s
  return Number.isFinite(seconds) && seconds > 0 ? seconds : DEFAULT_REST_S
}

export function Workout({ activity, units }: { activity: ActivityInfo; units: DisplayUnits }) {
  const sync = useSync()
  const planned = useLocalQuery(['workout-plan', activity.id], (db, userId) => plan(db, userId, activity, units))
  // The user's edits of the planned sets; until the first edit the plan itself is shown.
  const [edited, setSets] = useState<SetRow[] | null>(null)
  const [restUntil, setRestUntil] = useState<number | null>(null)
  const [now, setNow] = useState(() => Date.now())
  const [message, setMessage] = useState<NoticeMessage>()

  useEffect(() => {
    if (restUntil === null) return
    const timer = setInterval(() => setNow(Date.now()), 250)
    return () => clearInterval(timer)
  }, [restUntil])

  if (!planned.data) return <p className="text-zinc-600 dark:text-zinc-400">Preparing {activity.name}…</p>
  const sets = edited ?? planned.data.sets
  const update = (key: string, change: Partial<SetRow>) => setSets(sets.map((s) => (s.key === key ? { ...s, ...change } : s)))
  const remaining = restUntil === null ? 0 : Math.max(0, Math.ceil((restUntil - now) / 1000))

  async function finish() {
    if (!sync) return
    const children = []
    for (const set of sets.filter((s) => !s.skipped)) {
      const values = collectValues(set.activity, set.texts, units)
      if (values instanceof Error) return setMessage({ ok: false, text: `${set.activity.name}: ${values.message}` })
      children.push({ id: newId(), activityId: set.activity.id, values })
    }
    try {
      await sync.client.mutate('logEntry', {
        entry: { id: newId(), activityId: activity.id, performedAt: new Date().toISOString(), children },
      })
      setMessage({ ok: true, text: `Workout saved: ${children.length} ${children.length === 1 ? 'set' : 'sets'}.` })
      setSets(null)
      setRestUntil(null)
    } catch (e) {
      setMessage({ ok: false, text: refusal(e) })
    }
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
