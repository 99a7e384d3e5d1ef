'use client'

import { OlderHistory } from '@/components/sync/older-history'
import { useDeviceStatus } from '@/components/sync/sync-provider'
import { summaryRecords } from '@/db/queries/records'
import { useRouter, useSearchParams } from 'next/navigation'
import { useState } from 'react'
import { z } from 'zod'
import { useLocalQuery } from '@/components/sync/use-local-query'
import { Card } from '@/components/ui/card'
import { Page } from '@/components/ui/page'
import { SelectField } from '@/components/ui/select'
import { activityInfo, displayUnits } from '@/db/queries/local'
import { progressChoices, progressEntries, type ProgressChoice } from '@/db/queries/progress'
import type { Db } from '@/db/types'
import {
  pointsInRange,
  progressMetrics,
  progressRangeLabels,
  progressRanges,
  sessionPoints,
  type ProgressMetric,
  type ProgressRange,
} from '@/domain/progress'
import { formatRecord, personalRecords, serverRecordsFor, withServerRecords } from '@/domain/records'
import { displayUnit, formatDuration, formatPace, formatValue, M_PER_MI, toDisplay, type DisplayUnits } from '@/domain/units'
import type { AttributeType } from '@/db/schema'
import { NoSuchActivity } from '../../_components/no-such-activity'
import { longDate, ProgressChart } from './progress-chart'

const numeric = new Set<AttributeType>(['number', 'integer', 'duration', 'distance', 'mass'])
const isId = (text: string) => z.uuid().safeParse(text).success

/**
 * The exercises to choose from, and the chosen one with its entries. An id that is not a UUID
 * is never sent to the database (which would refuse it): like an unknown id, it is "not found".
 */
async function load(db: Db, userId: string, activityId: string) {
  const [choices, units] = await Promise.all([progressChoices(db, userId), displayUnits(db, userId)])
  const found = isId(activityId) ? await activityInfo(db, activityId) : undefined
  const activity = found?.kind === 'scalar' ? found : undefined
  const entries = activity ? await progressEntries(db, userId, activity.id) : []
  // W7: the server's all-time records, for a device whose history begins after some of them.
  const summary = activity ? await summaryRecords(db, userId, activity.id) : []
  return { choices, units, activity, entries, summary }
}

/** How a metric's values are plotted and written, in the user's units. */
function scaleOf(metric: ProgressMetric, units: DisplayUnits) {
  if (metric.type === 'pace') {
    const perUnit = units.distanceUnit === 'mi' ? M_PER_MI : 1000
    return {
      unit: `min/${units.distanceUnit}`,
      display: (v: number) => v * perUnit,
      format: (v: number) => formatPace(v, units),
      tick: (shown: number) => formatDuration(shown),
    }
  }
  const type = metric.type
  if (type === 'duration') return { unit: 'time', display: (v: number) => v, format: formatDuration, tick: formatDuration }
  const unitless = type === 'integer' || type === 'number'
  return {
    unit: unitless ? (metric.counts ?? '') : (displayUnit(type, units) ?? ''),
    display: (v: number) => toDisplay(type, v, units),
    format: (v: number) => (unitless && metric.counts ? `${formatValue(type, v, units)} ${metric.counts}` : formatValue(type, v, units)),
    tick: (shown: number) => String(Math.round(shown * 10) / 10),
  }
}

/** Options grouped by library, the default library first, when there is more than one. */
function ChoiceOptions({ choices }: { choices: readonly ProgressChoice[] }) {
  const libraries = [...new Map(choices.map((c) => [c.libraryId, c.libraryName])).entries()]
  const options = (libraryId: string) =>
    choices
      .filter((c) => c.libraryId === libraryId)
      .map((c) => (
        <option key={c.id} value={c.id}>
          {c.name}
        </option>
      ))
  if (libraries.length <= 1) return libraries.map(([id]) => options(id))
  return libraries.map(([id, name]) => (
    <optgroup key={id} label={name}>
      {options(id)}
    </optgroup>
  ))
}

/**
 * An exercise's progress: a chart of one point per session for the metric the lifter picks,
 * over a range, with the same points in a table, and the personal records (warm-ups left out).
 */
export function ProgressView() {
  const router = useRouter()
  const activityId = useSearchParams().get('activity') ?? ''
  const data = useLocalQuery(['progress', activityId], (db, userId) => load(db, userId, activityId))
  const [metricId, setMetricId] = useState<string | null>(null)
  const [range, setRange] = useState<ProgressRange>('All')
  const status = useDeviceStatus()
  if (data.error) {
    return (
      <Page id="progress" title="Progress" gap="gap-4">
        <p role="alert">The progress could not be read from this device: {data.error.message}</p>
      </Page>
    )
  }
  if (!data.data) return <p className="text-zinc-600 dark:text-zinc-400">Loading progress…</p>
  const { choices, activity, units, entries, summary } = data.data
  const picker = (
    <SelectField
      label="Activity"
      value={activity?.id ?? ''}
      onChange={(e) => {
        setMetricId(null)
        router.replace(e.target.value ? `/progress?activity=${e.target.value}` : '/progress')
      }}
    >
      <option value="">Choose an activity</option>
      <ChoiceOptions choices={choices} />
    </SelectField>
  )
  if (!activity) {
    return (
      <Page id="progress" title="Progress" gap="gap-4">
        {activityId ? <NoSuchActivity /> : null}
        {picker}
        {!activityId ? (
          <p className="text-zinc-600 dark:text-zinc-400">
            {choices.length === 0
              ? 'No exercises yet: add one in your library, log it, and its progress shows here.'
              : 'Choose an exercise to see its progress.'}
          </p>
        ) : null}
      </Page>
    )
  }

  const attributes = activity.attributes.filter((a) => numeric.has(a.type))
  const metrics = progressMetrics(attributes)
  const metric = metrics.find((m) => m.id === metricId) ?? metrics[0]
  const records = withServerRecords(personalRecords(attributes, entries), serverRecordsFor(summary, status.window.heldFrom))
  const all = metric ? sessionPoints(entries, metric) : []
  const points = pointsInRange(all, range, new Date())
  const scale = metric ? scaleOf(metric, units) : null
  const best =
    metric && points.length > 0 ? points.reduce((a, b) => ((metric.lowerIsBetter ? b.value < a.value : b.value > a.value) ? b : a)) : null

  return (
    <Page id="progress" title={`Progress: ${activity.name}`} gap="gap-4">
      {picker}
      {!metric || !scale ? <p>{activity.name} has nothing numeric to chart.</p> : null}
      {metric && scale ? (
        <Card as="section" aria-labelledby="chart-heading" gap="gap-3">
          <h2 id="chart-heading" className="font-semibold">
            {metric.label}
          </h2>
          <div className="flex flex-wrap items-end gap-3">
            <SelectField label="Metric" grow value={metric.id} onChange={(e) => setMetricId(e.target.value)}>
              {metrics.map((m) => (
                <option key={m.id} value={m.id}>
                  {m.label}
                </option>
              ))}
            </SelectField>
            <div role="group" aria-label="Range" className="flex rounded-lg border border-zinc-300 dark:border-zinc-700">
              {progressRanges.map((r) => (
                <button
                  key={r}
                  type="button"
                  aria-pressed={r === range}
                  title={progressRangeLabels[r]}
                  onClick={() => setRange(r)}
                  className="min-h-11 min-w-11 px-2 text-sm font-medium first:rounded-l-lg last:rounded-r-lg aria-pressed:bg-accent-strong aria-pressed:text-white dark:aria-pressed:bg-sky-400 dark:aria-pressed:text-zinc-950"
                >
                  {r}
                </button>
              ))}
            </div>
          </div>
          {all.length === 0 ? (
            <p className="text-sm text-zinc-600 dark:text-zinc-400">Nothing logged yet: log {activity.name} and each session shows here.</p>
          ) : points.length === 0 ? (
            <p className="text-sm text-zinc-600 dark:text-zinc-400">No sessions in the {progressRangeLabels[range].toLowerCase()}.</p>
          ) : (
            <>
              <p className="text-sm text-zinc-600 dark:text-zinc-400" aria-live="polite">
                {points.length === 1 ? '1 session' : `${points.length} sessions`}
                {best ? (
                  <>
                    {' '}
                    · best <strong className="text-zinc-900 dark:text-zinc-100">{scale.format(best.value)}</strong> on{' '}
                    {longDate(best.performedAt)}
                  </>
                ) : null}
              </p>
              <ProgressChart
                points={points}
                label={`${metric.label} of ${activity.name} per session`}
                unit={scale.unit}
                display={scale.display}
                format={scale.format}
                tick={scale.tick}
              />
              <details className="text-sm">
                <summary className="flex min-h-11 cursor-pointer items-center font-medium">Show data</summary>
                <table className="w-full text-left tabular-nums">
                  <caption className="sr-only">
                    {metric.label} of {activity.name}, one row per session
                  </caption>
                  <thead>
                    <tr className="border-b border-zinc-200 dark:border-zinc-800">
                      <th scope="col" className="py-1 font-medium">
                        Date
                      </th>
                      <th scope="col" className="py-1 font-medium">
                        {metric.label}
                      </th>
                      <th scope="col" className="py-1 text-right font-medium">
                        Sets
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {[...points].reverse().map((p) => (
                      <tr key={p.session} className="border-b border-zinc-100 dark:border-zinc-900">
                        <td className="py-1">{longDate(p.performedAt)}</td>
                        <td className="py-1">{scale.format(p.value)}</td>
                        <td className="py-1 text-right">{p.sets}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </details>
            </>
          )}
        </Card>
      ) : null}
      {records.length > 0 ? (
        <Card as="section" aria-labelledby="records-heading">
          <h2 id="records-heading" className="font-semibold">
            Personal records
          </h2>
          <dl aria-label="Personal records" className="grid grid-cols-1 gap-x-6 gap-y-1 text-sm sm:grid-cols-2">
            {records.map((r) => (
              <div key={r.key} className="flex justify-between gap-2">
                <dt className="text-zinc-600 dark:text-zinc-400">{r.label}</dt>
                <dd>
                  <strong>{formatRecord(r, units)}</strong>{' '}
                  <span className="text-zinc-600 dark:text-zinc-400">· {r.performedAt.toLocaleDateString()}</span>
                </dd>
              </div>
            ))}
          </dl>
        </Card>
      ) : null}
      <OlderHistory />
    </Page>
  )
}
