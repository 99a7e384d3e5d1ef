'use client'

import { useRouter, useSearchParams } from 'next/navigation'
import { useLocalQuery } from '@/components/sync/use-local-query'
import { Card } from '@/components/ui/card'
import { Page } from '@/components/ui/page'
import { NamedOptions, SelectField } from '@/components/ui/select'
import { activityInfo, attributeSeries, defaultLibrary, displayUnits, libraryActivities, type SeriesPoint } from '@/db/queries/local'
import type { Db } from '@/db/types'
import { personalRecords, type PersonalRecord, type RecordEntry } from '@/domain/records'
import { formatPace, formatValue, toDisplay, type DisplayUnits } from '@/domain/units'
import type { AttributeType } from '@/db/schema'

const numeric = new Set<AttributeType>(['number', 'integer', 'duration', 'distance', 'mass'])

/** Every numeric attribute of the activity over its qualitatively equal entries. */
async function load(db: Db, userId: string, activityId: string) {
  const library = await defaultLibrary(db, userId)
  const choices = library ? (await libraryActivities(db, library.id)).filter((a) => a.kind === 'scalar') : []
  const activity = activityId ? await activityInfo(db, activityId) : undefined
  const units = await displayUnits(db, userId)
  const series = []
  for (const a of activity?.attributes.filter((x) => numeric.has(x.type)) ?? []) {
    series.push({ attribute: a, points: await attributeSeries(db, userId, activity!.id, a.ordinal) })
  }
  return {
    choices,
    activity,
    units,
    series,
    records: personalRecords(
      series.map((x) => x.attribute),
      entriesOf(series),
    ),
  }
}

/** The series regrouped by entry: each entry's numeric values by attribute id. */
function entriesOf(series: { attribute: { id: string }; points: SeriesPoint[] }[]): RecordEntry[] {
  const byEntry = new Map<string, { entryId: string; performedAt: Date; values: Map<string, number> }>()
  for (const { attribute, points } of series) {
    for (const p of points) {
      const e = byEntry.get(p.entryId) ?? { entryId: p.entryId, performedAt: p.performedAt, values: new Map<string, number>() }
      e.values.set(attribute.id, p.value)
      byEntry.set(p.entryId, e)
    }
  }
  return [...byEntry.values()]
}

function formatRecord(record: PersonalRecord, units: DisplayUnits): string {
  if (record.type === 'pace') return formatPace(record.value, units)
  if (record.type === 'volume') return formatValue('mass', record.value, units)
  return formatValue(record.type, record.value, units)
}

function Chart({ points, type, units, label }: { points: SeriesPoint[]; type: AttributeType; units: DisplayUnits; label: string }) {
  const w = 600
  const h = 160
  const values = points.map((p) => toDisplay(type, p.value, units))
  const min = Math.min(...values)
  const max = Math.max(...values)
  const t0 = points[0]!.performedAt.getTime()
  const t1 = points.at(-1)!.performedAt.getTime()
  const x = (t: number) => (t1 === t0 ? w / 2 : ((t - t0) / (t1 - t0)) * (w - 20) + 10)
  const y = (v: number) => (max === min ? h / 2 : h - 10 - ((v - min) / (max - min)) * (h - 20))
  const path = points.map((p, i) => `${i === 0 ? 'M' : 'L'}${x(p.performedAt.getTime()).toFixed(1)},${y(values[i]!).toFixed(1)}`).join(' ')
  return (
    <svg viewBox={`0 0 ${w} ${h}`} role="img" aria-label={label} className="h-40 w-full text-accent">
      <path d={path} fill="none" stroke="currentColor" strokeWidth={2} />
      {points.map((p, i) => (
        <circle key={p.entryId} cx={x(p.performedAt.getTime())} cy={y(values[i]!)} r={3} fill="currentColor" />
      ))}
    </svg>
  )
}

/** Charts and personal records for any numeric attribute of an activity, in the user's units. */
export function ProgressView() {
  const router = useRouter()
  const activityId = useSearchParams().get('activity') ?? ''
  const data = useLocalQuery(['progress', activityId], (db, userId) => load(db, userId, activityId))
  if (!data.data) return <p className="text-zinc-600 dark:text-zinc-400">Loading progress…</p>
  const { choices, activity, units, series, records } = data.data
  return (
    <Page id="progress" title={`Progress${activity ? `: ${activity.name}` : ''}`} gap="gap-4">
      <SelectField label="Activity" value={activity?.id ?? ''} onChange={(e) => router.replace(`/progress?activity=${e.target.value}`)}>
        <option value="">Choose an activity</option>
        <NamedOptions items={choices} />
      </SelectField>
      {activity && series.length === 0 ? <p>{activity.name} has no numeric attributes to chart.</p> : null}
      {records.length > 0 ? (
        <Card as="section" aria-labelledby="records-heading">
          <h2 id="records-heading" className="font-semibold">
            Personal records
          </h2>
          <dl aria-label="Personal records" className="grid grid-cols-1 gap-x-6 gap-y-1 text-sm sm:grid-cols-2">
            {records.map((r) => (
              <div key={r.kind + r.label} className="flex justify-between gap-2">
                <dt className="text-zinc-600 dark:text-zinc-400">{r.label}</dt>
                <dd>
                  <strong>{formatRecord(r, units)}</strong> <span className="text-zinc-500">· {r.performedAt.toLocaleDateString()}</span>
                </dd>
              </div>
            ))}
          </dl>
        </Card>
      ) : null}
      {series.map(({ attribute, points }) => (
        <Card as="section" key={attribute.id} aria-label={attribute.name}>
          <h2 className="font-semibold">{attribute.name}</h2>
          {points.length > 0 ? (
            <>
              <p className="text-sm text-zinc-600 dark:text-zinc-400">{points.length === 1 ? '1 entry' : `${points.length} entries`}</p>
              <Chart points={points} type={attribute.type} units={units} label={`${attribute.name} over time`} />
            </>
          ) : (
            <p className="text-sm text-zinc-600 dark:text-zinc-400">Nothing logged yet.</p>
          )}
        </Card>
      ))}
    </Page>
  )
}
