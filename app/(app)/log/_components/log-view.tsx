'use client'

import Link from 'next/link'
import { useSearchParams } from 'next/navigation'
import { useState } from 'react'
import { useLocalQuery } from '@/components/sync/use-local-query'
import { useMutations } from '@/components/sync/use-mutations'
import { Button } from '@/components/ui/button'
import { Notice } from '@/components/ui/notice'
import { Page } from '@/components/ui/page'
import { ValueField } from '@/components/value-field'
import { collectValues, valueText } from '@/components/value-text'
import { activityInfo, defaultLibrary, displayUnits, lastEntry, libraryActivities, type ActivityInfo } from '@/db/queries/local'
import { newId } from '@/domain/ids'
import type { DisplayUnits } from '@/domain/units'
import { NoSuchActivity } from '../../_components/no-such-activity'
import { Workout } from './workout'

/** Logs the activity named in `?activity=`: a quick scalar entry, or a guided workout. */
export function LogView() {
  const activityId = useSearchParams().get('activity') ?? ''
  const activity = useLocalQuery(['activity', activityId], (db) => activityInfo(db, activityId))
  const units = useLocalQuery(['units'], (db, userId) => displayUnits(db, userId))
  if (!activityId) return <ChooseActivity />
  if (activity.isPending || units.isPending) return <p className="text-zinc-600 dark:text-zinc-400">Loading…</p>
  if (!activity.data || !units.data) return <NoSuchActivity />
  return activity.data.kind === 'scalar' ? (
    <ScalarLog activity={activity.data} units={units.data} />
  ) : (
    <Workout activity={activity.data} units={units.data} />
  )
}

/** `/log` with no activity: pick one. */
function ChooseActivity() {
  const list = useLocalQuery(['log-choices'], async (db, userId) => {
    const library = await defaultLibrary(db, userId)
    return library ? libraryActivities(db, library.id) : []
  })
  return (
    <Page id="log" title="Log" gap="gap-4">
      {list.data?.length === 0 ? <p>Add an activity to your library first.</p> : null}
      <ul className="flex flex-col gap-2">
        {(list.data ?? []).map((a) => (
          <li key={a.id}>
            <Link
              href={`/log?activity=${a.id}`}
              className="flex min-h-11 items-center rounded-lg border border-zinc-200 px-4 dark:border-zinc-800"
            >
              {a.name}
            </Link>
          </li>
        ))}
      </ul>
    </Page>
  )
}

function ScalarLog({ activity, units }: { activity: ActivityInfo; units: DisplayUnits }) {
  const last = useLocalQuery(['last-entry', activity.id], (db, userId) => lastEntry(db, userId, activity.id))
  const [texts, setTexts] = useState<Record<string, string>>({})
  const { run, submit, invalid, fieldError, message } = useMutations()
  const form = 'log-entry'
  const live = activity.attributes.filter((a) => !a.retired)
  const lastText = (ordinal: number) => {
    const attribute = activity.attributes.find((a) => a.ordinal === ordinal)
    const stored = last.data ? [...last.data.values.values()].find((v) => v.ordinal === ordinal) : undefined
    return attribute && stored ? valueText(attribute, stored, units) : ''
  }

  const save = submit(form, async () => {
    const { values, errors } = collectValues(activity.attributes, texts, units)
    if (Object.keys(errors).length > 0) {
      invalid(form, Object.fromEntries(Object.entries(errors).map(([id, error]) => [`entry.values.${id}`, error])))
      return false
    }
    const ok = await run(
      'logEntry',
      { entry: { id: newId(), activityId: activity.id, performedAt: new Date().toISOString(), values } },
      { done: `Logged ${activity.name}.` },
    )
    if (ok) setTexts({})
    return ok
  })

  return (
    <Page id="log" title={`Log ${activity.name}`} gap="gap-4">
      {last.data ? (
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          Last time ({last.data.performedAt.toLocaleDateString()}): {live.map((a) => `${a.name} ${lastText(a.ordinal) || '–'}`).join(' · ')}
        </p>
      ) : null}
      <form aria-label={`Log ${activity.name}`} className="grid gap-3 sm:grid-cols-2" onSubmit={save}>
        {live.map((a) => (
          <ValueField
            key={a.id}
            attribute={a}
            units={units}
            name={`entry.values.${a.id}`}
            error={fieldError(form, `entry.values.${a.id}`)}
            value={texts[a.id] ?? ''}
            onChange={(text) => setTexts((t) => ({ ...t, [a.id]: text }))}
          />
        ))}
        <div className="sm:col-span-2">
          <Button type="submit">Save entry</Button>
        </div>
      </form>
      <Notice message={message} />
    </Page>
  )
}
