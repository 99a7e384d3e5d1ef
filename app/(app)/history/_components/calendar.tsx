'use client'

import { Button } from '@/components/ui/button'
import { localDay, monthWeeks } from './group'

const weekdays = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun']
const monthTitle = (year: number, month: number) => new Date(year, month, 1).toLocaleDateString('en-GB', { month: 'long', year: 'numeric' })
/** A day's name for a screen reader: "3 December 2026, 1 workout". */
const dayName = (day: Date, workouts: number) =>
  `${day.toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric' })}, ${
    workouts === 0 ? 'no workouts' : `${workouts} ${workouts === 1 ? 'workout' : 'workouts'}`
  }`

/**
 * A month of training days, Monday first: each day a button named by its date and its number of
 * workouts, a day with training filled in; the previous and next months a button away.
 */
export function MonthCalendar({
  year,
  month,
  counts,
  selected,
  today,
  onMonth,
  onSelect,
}: {
  year: number
  month: number
  /** Workouts per local day (YYYY-MM-DD); undefined while they load. */
  counts: ReadonlyMap<string, number> | undefined
  selected: string | null
  today: string
  onMonth: (year: number, month: number) => void
  onSelect: (day: string) => void
}) {
  const step = (by: number) => {
    const d = new Date(year, month + by, 1)
    onMonth(d.getFullYear(), d.getMonth())
  }
  const trained = counts ? [...counts.keys()].filter((d) => d.startsWith(`${year}-${String(month + 1).padStart(2, '0')}`)).length : 0
  return (
    <div className="flex flex-col gap-2 rounded-xl border border-zinc-200 p-3 dark:border-zinc-800">
      <div className="flex items-center justify-between gap-2">
        <Button variant="secondary" className="px-3" aria-label="Previous month" onClick={() => step(-1)}>
          <span aria-hidden="true">‹</span>
        </Button>
        <h2 className="text-center font-semibold" aria-live="polite">
          {monthTitle(year, month)}
          <span className="block text-xs font-normal text-zinc-600 dark:text-zinc-400">
            {counts ? `${trained} ${trained === 1 ? 'day' : 'days'} of training` : 'Loading…'}
          </span>
        </h2>
        <Button variant="secondary" className="px-3" aria-label="Next month" onClick={() => step(1)}>
          <span aria-hidden="true">›</span>
        </Button>
      </div>
      <table className="w-full table-fixed border-separate border-spacing-1">
        <caption className="sr-only">Training days, {monthTitle(year, month)}</caption>
        <thead>
          <tr>
            {weekdays.map((d) => (
              <th key={d} scope="col" className="text-center text-xs font-medium text-zinc-600 dark:text-zinc-400">
                {d}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {monthWeeks(year, month).map((week, w) => (
            <tr key={w}>
              {week.map((day, i) => {
                if (!day) return <td key={i} />
                const key = localDay(day)
                const workouts = counts?.get(key) ?? 0
                const isSelected = key === selected
                return (
                  <td key={i} className="p-0">
                    <button
                      type="button"
                      aria-label={dayName(day, workouts)}
                      aria-pressed={isSelected}
                      aria-current={key === today ? 'date' : undefined}
                      onClick={() => onSelect(key)}
                      className={`flex min-h-11 w-full flex-col items-center justify-center rounded-lg text-sm tabular-nums focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-accent ${
                        workouts > 0
                          ? 'bg-accent-strong font-semibold text-white hover:bg-accent'
                          : 'text-zinc-800 hover:bg-zinc-100 dark:text-zinc-200 dark:hover:bg-zinc-800'
                      } ${isSelected ? 'ring-2 ring-zinc-900 ring-offset-2 ring-offset-white dark:ring-white dark:ring-offset-zinc-950' : ''} ${
                        key === today && workouts === 0 ? 'border border-zinc-400 dark:border-zinc-500' : ''
                      }`}
                    >
                      {day.getDate()}
                      {workouts > 1 ? (
                        <span aria-hidden="true" className="text-[10px] leading-none font-normal">
                          ×{workouts}
                        </span>
                      ) : null}
                    </button>
                  </td>
                )
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
