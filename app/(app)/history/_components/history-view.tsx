'use client'

import { useState } from 'react'
import { useRereadOnUploads } from '@/components/media/use-reread-on-uploads'
import { OlderHistory } from '@/components/sync/older-history'
import { useLocalQuery } from '@/components/sync/use-local-query'
import { Button } from '@/components/ui/button'
import { Page } from '@/components/ui/page'
import { historyWithActivities, trainingDays } from '@/db/queries/history'
import { photosOfEntries } from '@/db/queries/media'
import type { Queryable } from '@/db/types'
import { MonthCalendar } from './calendar'
import { localDay, workoutsPerDay } from './group'
import { WorkoutList } from './workout-list'

const PAGE = 100

/** History's entries with the photos of every one of them (shown where each entry is). */
async function withPhotos(db: Queryable, userId: string, read: ReturnType<typeof historyWithActivities>) {
  const h = await read
  const ids = [...h.roots, ...[...h.children.values()].flat()].map((e) => e.id)
  return { ...h, photos: await photosOfEntries(db, userId, ids) }
}
const muted = 'text-zinc-600 dark:text-zinc-400'

/** The latest workouts, newest first, a hundred entries more at a time. */
function ListView() {
  const [limit, setLimit] = useState(PAGE)
  const data = useLocalQuery(['history', limit], (db, uid) => withPhotos(db, uid, historyWithActivities(db, uid, { limit })))
  // A photo's upload state is the device's queue, not synced data: read again as it moves.
  useRereadOnUploads(['history'])
  if (data.error) return <p role="alert">The history could not be read from this device: {data.error.message}</p>
  if (!data.data) return <p className={muted}>Loading history…</p>
  return (
    <>
      <WorkoutList data={data.data} empty="Nothing logged yet. Log an activity from the library." />
      {data.data.roots.length >= limit ? (
        <Button variant="secondary" onClick={() => setLimit(limit + PAGE)}>
          Show older
        </Button>
      ) : null}
    </>
  )
}

const dayBounds = (day: string) => {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number]
  return { from: new Date(y, m - 1, d), to: new Date(y, m - 1, d + 1) }
}

/** A month of training days; the chosen day's workouts below it. */
function CalendarView() {
  const now = new Date()
  const today = localDay(now)
  const [month, setMonth] = useState({ year: now.getFullYear(), month: now.getMonth() })
  const [selected, setSelected] = useState<string | null>(today)
  const counts = useLocalQuery(['history-calendar', month.year, month.month], async (db, uid) =>
    workoutsPerDay(await trainingDays(db, uid, new Date(month.year, month.month, 1), new Date(month.year, month.month + 1, 1))),
  )
  const day = useLocalQuery(['history-day', selected], (db, uid) =>
    selected ? withPhotos(db, uid, historyWithActivities(db, uid, { ...dayBounds(selected), limit: 1000 })) : Promise.resolve(null),
  )
  useRereadOnUploads(['history-day'])
  const heading = selected
    ? dayBounds(selected).from.toLocaleDateString(undefined, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' })
    : ''
  return (
    <>
      <MonthCalendar
        year={month.year}
        month={month.month}
        counts={counts.data}
        selected={selected}
        today={today}
        onMonth={(year, m) => setMonth({ year, month: m })}
        onSelect={setSelected}
      />
      {selected ? (
        <section aria-label={`Workouts on ${heading}`} className="flex flex-col gap-2">
          {day.data ? <WorkoutList data={day.data} empty={`Nothing logged on ${heading}.`} /> : <p className={muted}>Loading…</p>}
        </section>
      ) : null}
    </>
  )
}

/** History as a list of workouts or as a calendar of training days. */
export function HistoryView() {
  const [view, setView] = useState<'list' | 'calendar'>('list')
  const choice = (value: typeof view, label: string) => (
    <Button
      variant={view === value ? 'primary' : 'secondary'}
      aria-pressed={view === value}
      className="flex-1 sm:flex-none"
      onClick={() => setView(value)}
    >
      {label}
    </Button>
  )
  return (
    <Page id="history" title="History" gap="gap-4">
      <div role="group" aria-label="Show history as" className="flex gap-2">
        {choice('list', 'List')}
        {choice('calendar', 'Calendar')}
      </div>
      {view === 'list' ? <ListView /> : <CalendarView />}
      <OlderHistory />
    </Page>
  )
}
