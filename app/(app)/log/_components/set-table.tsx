'use client'

import { useLocalQuery } from '@/components/sync/use-local-query'
import { collectValues, fieldText } from '@/components/value-text'
import { recordHistories } from '@/db/queries/entries'
import type { ActivityInfo, AttributeInfo } from '@/db/queries/local'
import type { PreviousSet } from '@/db/queries/previous'
import { formatRecord, serverRecordsFor, setRecords, type RecordEntry, type ServerRecords } from '@/domain/records'
import { summaryRecords } from '@/db/queries/records'
import { useDeviceStatus } from '@/components/sync/sync-provider'
import { setColumnLabels, setTypeLabels, setTypes, type SetType } from '@/domain/set-types'
import type { DisplayUnits } from '@/domain/units'
import { TrophyIcon } from './trophy-icon'
import type { DraftExercise, DraftSet } from './workout-draft'

/** The field the lifter is in: which set, which attribute (the toolbar's steppers act on it). */
export type ActiveField = { exercise: string; set: string; attribute: string }

const cell =
  'h-10 w-full min-w-0 rounded-md border border-zinc-300 bg-white px-1 text-center text-base tabular-nums aria-invalid:border-red-600 dark:border-zinc-700 dark:bg-zinc-900'

/** The attributes a set table has columns for: every live one but text (notes are per exercise). */
export function setColumns(activity: ActivityInfo): AttributeInfo[] {
  return activity.attributes.filter((a) => !a.retired && a.type !== 'text')
}

/** A previous set's number for one attribute, as its field would hold it ('' when none). */
function previousNumber(a: AttributeInfo, previous: PreviousSet | undefined, units: DisplayUnits): string {
  const v = previous?.values.get(a.ordinal)
  return !v || a.type === 'choice' || a.type === 'boolean' ? '' : fieldText(a, v, units)
}

function previousText(activity: ActivityInfo, previous: PreviousSet | undefined, units: DisplayUnits): string {
  const parts = setColumns(activity)
    .map((a) => previousNumber(a, previous, units))
    .filter(Boolean)
  return parts.length === 0 ? '–' : parts.join(' × ')
}

/** A draft set as a record entry: its filled-in numbers, canonical (a field that does not parse counts as empty). */
function asEntry(activity: ActivityInfo, set: DraftSet, units: DisplayUnits): RecordEntry {
  const { values } = collectValues(activity.attributes, set.texts, units)
  return {
    entryId: set.key,
    performedAt: new Date(),
    setType: set.setType,
    values: new Map(Object.entries(values).flatMap(([id, v]) => (typeof v === 'number' ? [[id, v] as const] : []))),
  }
}

/**
 * The records each done set broke when it was ticked, by set key: against the exercise's saved
 * history and the sets of this table done before it (so two heavier sets in a row are each a
 * record, and equalling one is none). Nothing until the history is read.
 */
function recordsBySet(
  activity: ActivityInfo,
  sets: readonly DraftSet[],
  history: readonly RecordEntry[] | undefined,
  units: DisplayUnits,
  server?: ServerRecords,
) {
  const out = new Map<string, ReturnType<typeof setRecords>>()
  if (!history) return out
  const attributes = activity.attributes.filter((a) => !a.retired)
  const before: RecordEntry[] = [...history]
  for (const set of sets) {
    if (!set.done) continue
    const entry = asEntry(activity, set, units)
    const hits = setRecords(attributes, before, entry, server)
    if (hits.length > 0) out.set(set.key, hits)
    before.push(entry)
  }
  return out
}

/**
 * One exercise's sets as a compact table, as lifters know it from paper logs: the set (its
 * number, or W/D/F), what was done last time at that position (tap to copy), a field per
 * attribute, and a tick. Each row is one line at phone width; a set that breaks a personal
 * record, the moment it is ticked, gets a badge under it saying which.
 */
export function SetTable({
  exercise,
  activity,
  units,
  previous,
  errors,
  onChange,
  onType,
  onTick,
  onCopyPrevious,
  onFocusField,
  onRemoveSet,
}: {
  exercise: DraftExercise
  activity: ActivityInfo
  units: DisplayUnits
  previous: ReadonlyMap<string, PreviousSet>
  errors: Record<string, string>
  onChange: (set: DraftSet, attributeId: string, text: string) => void
  onType: (set: DraftSet, type: SetType) => void
  onTick: (set: DraftSet) => void
  onCopyPrevious: (set: DraftSet, previous: PreviousSet) => void
  onFocusField: (field: ActiveField) => void
  onRemoveSet: (set: DraftSet) => void
}) {
  const columns = setColumns(activity)
  const history = useLocalQuery(
    ['record-history', activity.id],
    async (db, userId) => (await recordHistories(db, userId, [activity.id])).get(activity.id) ?? [],
  )
  // W7: on a device that holds only recent history, the server's older records count too.
  const heldFrom = useDeviceStatus().window.heldFrom
  const summary = useLocalQuery(['record-summary', activity.id], (db, userId) => summaryRecords(db, userId, activity.id))
  const server = serverRecordsFor(summary.data, heldFrom)
  const records = recordsBySet(activity, exercise.sets, heldFrom !== null && !summary.data ? undefined : history.data, units, server)
  const labels = setColumnLabels(exercise.sets.map((s) => s.setType))
  const unitOf = (a: AttributeInfo) =>
    a.type === 'mass' ? units.massUnit : a.type === 'distance' ? units.distanceUnit : a.type === 'duration' ? 'time' : null
  const template = `2.25rem 4.5rem repeat(${columns.length}, minmax(0, 1fr)) 2.75rem`
  return (
    <div role="table" aria-label={`Sets of ${activity.name}`} className="flex flex-col gap-1">
      <div
        role="row"
        className="grid items-end gap-1 text-xs font-medium text-zinc-600 dark:text-zinc-400"
        style={{ gridTemplateColumns: template }}
      >
        <span role="columnheader" className="text-center">
          Set
        </span>
        <span role="columnheader">Previous</span>
        {columns.map((a) => (
          <span role="columnheader" key={a.id} className="truncate text-center">
            {a.name}
            {unitOf(a) ? ` (${unitOf(a)})` : ''}
          </span>
        ))}
        <span role="columnheader" className="text-center">
          <span className="sr-only">Done</span>✓
        </span>
      </div>
      {exercise.sets.map((set, i) => {
        const before = previous.get(set.key)
        const label = labels[i]!
        const name = `${activity.name} set ${i + 1}`
        return (
          <div
            role="row"
            key={set.key}
            data-testid="set-row"
            aria-label={name}
            className={`grid items-center gap-1 rounded-md ${set.done ? 'bg-emerald-100 dark:bg-emerald-950' : ''}`}
            style={{ gridTemplateColumns: template }}
          >
            <span role="cell">
              <button
                type="button"
                className="h-10 w-full rounded-md text-sm font-semibold hover:bg-zinc-200 dark:hover:bg-zinc-800"
                aria-label={`${name}: ${setTypeLabels[set.setType]}. Change type`}
                onClick={() => onType(set, setTypes[(setTypes.indexOf(set.setType) + 1) % setTypes.length]!)}
                onContextMenu={(e) => {
                  e.preventDefault()
                  onRemoveSet(set)
                }}
              >
                {label}
              </button>
            </span>
            <span role="cell" className="min-w-0">
              <button
                type="button"
                disabled={!before}
                className="h-10 w-full truncate rounded-md px-1 text-left text-xs text-zinc-600 tabular-nums enabled:hover:bg-zinc-200 dark:text-zinc-400 dark:enabled:hover:bg-zinc-800"
                aria-label={before ? `${name}: last time ${previousText(activity, before, units)}. Copy` : `${name}: nothing last time`}
                onClick={() => before && onCopyPrevious(set, before)}
              >
                {previousText(activity, before, units)}
              </button>
            </span>
            {columns.map((a) => {
              const error = errors[`${set.key}.${a.id}`]
              const fieldLabel = `${name} ${a.name}${unitOf(a) ? ` (${unitOf(a)})` : ''}`
              if (a.type === 'boolean') {
                return (
                  <span role="cell" key={a.id} className="flex justify-center">
                    <input
                      type="checkbox"
                      className="size-6"
                      aria-label={fieldLabel}
                      checked={set.texts[a.id] === 'true'}
                      onChange={(e) => onChange(set, a.id, e.target.checked ? 'true' : '')}
                    />
                  </span>
                )
              }
              if (a.type === 'choice') {
                return (
                  <span role="cell" key={a.id}>
                    <select
                      className={cell}
                      aria-label={fieldLabel}
                      value={set.texts[a.id] ?? ''}
                      onChange={(e) => onChange(set, a.id, e.target.value)}
                    >
                      <option value="">–</option>
                      {a.options
                        .filter((o) => !o.retired || o.id === set.texts[a.id])
                        .map((o) => (
                          <option key={o.id} value={o.id}>
                            {o.label}
                          </option>
                        ))}
                    </select>
                  </span>
                )
              }
              return (
                <span role="cell" key={a.id}>
                  <input
                    className={cell}
                    aria-label={fieldLabel}
                    aria-invalid={error ? true : undefined}
                    title={error}
                    data-field={`${set.key}.${a.id}`}
                    inputMode={a.type === 'integer' ? 'numeric' : a.type === 'duration' ? 'text' : 'decimal'}
                    enterKeyHint="next"
                    placeholder={previousNumber(a, before, units) || (a.type === 'duration' ? '0:00' : '')}
                    value={set.texts[a.id] ?? ''}
                    onFocus={() => onFocusField({ exercise: exercise.key, set: set.key, attribute: a.id })}
                    onChange={(e) => onChange(set, a.id, e.target.value)}
                  />
                </span>
              )
            })}
            <span role="cell">
              <button
                type="button"
                aria-pressed={set.done}
                aria-label={`${name} done`}
                className={`h-10 w-full rounded-md border text-lg font-bold ${
                  set.done
                    ? 'border-emerald-600 bg-emerald-600 text-white'
                    : 'border-zinc-300 text-zinc-400 hover:bg-zinc-100 dark:border-zinc-700 dark:hover:bg-zinc-800'
                }`}
                onClick={() => onTick(set)}
              >
                ✓
              </button>
            </span>
            {records.has(set.key) ? (
              <span role="cell" className="col-span-full">
                <span
                  role="status"
                  className="block rounded-md border border-amber-300 bg-amber-50 px-2 py-1 text-sm text-amber-950 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-100"
                >
                  <TrophyIcon className="mr-1 inline size-4 align-[-3px]" />
                  <strong>New record{records.get(set.key)!.length > 1 ? 's' : ''}:</strong>{' '}
                  {records
                    .get(set.key)!
                    .map((r) => `${r.label} ${formatRecord(r, units)}`)
                    .join(' · ')}
                </span>
              </span>
            ) : null}
          </div>
        )
      })}
      {Object.entries(errors)
        .filter(([key]) => exercise.sets.some((s) => key.startsWith(`${s.key}.`)))
        .map(([key, message]) => (
          <p key={key} role="alert" className="text-sm text-red-700 dark:text-red-400">
            Set {exercise.sets.findIndex((s) => key.startsWith(`${s.key}.`)) + 1}: {message}
          </p>
        ))}
    </div>
  )
}
