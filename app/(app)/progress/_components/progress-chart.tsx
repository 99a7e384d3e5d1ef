'use client'

import { CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts'
import type { ProgressPoint } from '@/domain/progress'

const DAY_MS = 24 * 60 * 60 * 1000

/** A point's date as an axis tick: "3 Jan", with the year where the chart spans more than one. */
export function shortDate(t: number, withYear: boolean): string {
  return new Date(t).toLocaleDateString(undefined, { day: 'numeric', month: 'short', ...(withYear ? { year: '2-digit' } : {}) })
}

/** A point's date in full, for the tooltip and the table. */
export function longDate(date: Date): string {
  return date.toLocaleDateString(undefined, { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' })
}

/**
 * One line over time, a point per session: dates along the bottom, the metric's unit up the side,
 * a tooltip with the value and the date on hover or tap. `display` turns a canonical value into
 * the number plotted (the user's units); `format` writes it for people, `tick` for the axis.
 */
export function ProgressChart({
  points,
  label,
  unit,
  display,
  format,
  tick,
}: {
  points: readonly ProgressPoint[]
  label: string
  unit: string
  display: (canonical: number) => number
  format: (canonical: number) => string
  tick: (shown: number) => string
}) {
  const data = points.map((p) => ({ t: p.performedAt.getTime(), y: display(p.value), point: p }))
  const t0 = data[0]?.t ?? 0
  const t1 = data.at(-1)?.t ?? 0
  // A lone session sits in the middle of a week rather than on an axis of zero width.
  const domain: [number, number] = t1 - t0 < DAY_MS ? [t0 - 3 * DAY_MS, t1 + 3 * DAY_MS] : [t0, t1]
  const withYear = new Date(domain[0]).getFullYear() !== new Date(domain[1]).getFullYear()
  return (
    <figure className="m-0 flex flex-col gap-1">
      <figcaption className="sr-only">{label}; the table below holds the same points.</figcaption>
      <div className="h-64 w-full text-zinc-600 dark:text-zinc-400" data-testid="progress-chart">
        <ResponsiveContainer width="100%" height="100%">
          <LineChart data={data} margin={{ top: 16, right: 16, bottom: 4, left: 4 }}>
            <CartesianGrid strokeDasharray="3 3" stroke="currentColor" strokeOpacity={0.25} />
            <XAxis
              dataKey="t"
              type="number"
              scale="time"
              domain={domain}
              tickFormatter={(t: number) => shortDate(t, withYear)}
              tick={{ fill: 'currentColor', fontSize: 12 }}
              stroke="currentColor"
              minTickGap={24}
            />
            <YAxis
              dataKey="y"
              domain={['auto', 'auto']}
              tickFormatter={tick}
              tick={{ fill: 'currentColor', fontSize: 12 }}
              stroke="currentColor"
              width={52}
              label={{ value: unit, position: 'insideTopLeft', offset: 0, dy: -16, fill: 'currentColor', fontSize: 12 }}
            />
            <Tooltip
              cursor={{ stroke: 'currentColor', strokeOpacity: 0.4 }}
              content={({ active, payload }) => {
                const p = (payload?.[0]?.payload as { point?: ProgressPoint } | undefined)?.point
                if (!active || !p) return null
                return (
                  <div
                    data-testid="progress-tooltip"
                    className="rounded-lg border border-zinc-300 bg-white px-3 py-2 text-sm text-zinc-900 shadow dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100"
                  >
                    <p className="font-semibold tabular-nums">{format(p.value)}</p>
                    <p className="text-zinc-600 dark:text-zinc-400">{longDate(p.performedAt)}</p>
                  </div>
                )
              }}
            />
            <Line
              type="linear"
              dataKey="y"
              stroke="var(--color-accent)"
              strokeWidth={2}
              dot={{ r: 4, fill: 'var(--color-accent)', stroke: 'var(--color-accent)' }}
              activeDot={{ r: 7 }}
              isAnimationActive={false}
            />
          </LineChart>
        </ResponsiveContainer>
      </div>
    </figure>
  )
}
