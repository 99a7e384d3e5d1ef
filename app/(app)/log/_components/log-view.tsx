'use client'

import Link from 'next/link'
import { useSearchParams } from 'next/navigation'
import { useState } from 'react'
import { EntryPhotos } from '@/components/media/entry-photos'
import { useLocalQuery } from '@/components/sync/use-local-query'
import { useMutations } from '@/components/sync/use-mutations'
import { Button } from '@/components/ui/button'
import { Notice } from '@/components/ui/notice'
import { Page } from '@/components/ui/page'
import { ValueField } from '@/components/value-field'
import { collectValues, NOTHING_FILLED_IN, nothingFilledIn, valueText } from '@/components/value-text'
import { activityInfo, defaultLibrary, displayUnits, lastEntry, libraryActivities, type ActivityInfo } from '@/db/queries/local'
import { newId } from '@/domain/ids'
import type { DisplayUnits } from '@/domain/units'
import { NoSuchActivity } from '../../_components/no-such-activity'
import { Workout } from './workout'

// An activity id as the devices make them (a UUID): anything else names no activity, and is not
// put to the database, which would refuse it as a malformed uuid.
const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/**
 * Logs the activity named in `?activity=`: a quick scalar entry, or a guided workout. Without the
 * parameter it lists the activities to log; with an empty, malformed or unknown id it says there
 * is no such activity.
 */
export function LogView() {
  const params = useSearchParams()
  const activityId = params.get('activity') ?? ''
  const wellFormed = uuid.test(activityId)
  const activity = useLocalQuery(['activity', activityId], (db) => (wellFormed ? activityInfo(db, activityId) : Promise.resolve(undefined)))
  const units = useLocalQuery(['units'], (db, userId) => displayUnits(db, userId))
  if (!params.has('activity')) return <ChooseActivity />
  if (!wellFormed) return <NotFound />
  if (activity.isPending || units.isPending) return <p className="text-zinc-600 dark:text-zinc-400">Loading…</p>
  if (!activity.data || !units.data) return <NotFound />
  return activity.data.kind === 'scalar' ? (
    <ScalarLog activity={activity.data} units={units.data} />
  ) : (
    <Workout activity={activity.data} units={units.data} />
  )
}

function NotFound() {
  return (
    <Page id="log" title="Activity not found" gap="gap-4">
      <NoSuchActivity />
    </Page>
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
  // The entry just saved: photos attach to it (progress photos on a bodyweight entry).
  const [logged, setLogged] = useState<string | null>(null)
  const { run, submit, invalid, fieldError, message, setMessage } = useMutations()
  const form = 'log-entry'
  const live = activity.attributes.filter((a) => !a.retired)
  const lastText = (ordinal: number) => {
    const attribute = activity.attributes.find((a) => a.ordinal === ordinal)
    const stored = last.data ? [...last.data.values.values()].find((v) => v.ordinal === ordinal) : undefined
    return attribute && stored ? valueText(attribute, stored, units) : ''
  }

  const save = submit(form, async () => {
    if (nothingFilledIn(activity.attributes, texts)) {
      invalid(form, {})
      setMessage({ ok: false, text: NOTHING_FILLED_IN })
      return false
    }
    const { values, errors } = collectValues(activity.attributes, texts, units)
    if (Object.keys(errors).length > 0) {
      invalid(form, Object.fromEntries(Object.entries(errors).map(([id, error]) => [`entry.values.${id}`, error])))
      return false
    }
    const id = newId()
    const ok = await run(
      'logEntry',
      { entry: { id, activityId: activity.id, performedAt: new Date().toISOString(), values } },
      { done: `Logged ${activity.name}.` },
    )
    if (ok) {
      setTexts({})
      setLogged(id)
    }
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
      {logged ? (
        <section aria-labelledby="logged-photos-heading" className="flex flex-col gap-2">
          <h2 id="logged-photos-heading" className="font-semibold">
            Photos of this entry
          </h2>
          <EntryPhotos entryId={logged} label={`this ${activity.name} entry`} />
        </section>
      ) : last.data ? (
        <EntryPhotos entryId={last.data.id} label={`your last ${activity.name} entry`} adding={false} />
      ) : null}
    </Page>
  )
}
