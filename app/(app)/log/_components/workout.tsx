'use client'

import Link from 'next/link'
import { ExercisePicker } from '@/components/exercise-picker'
import { useEffect, useMemo, useRef, useState } from 'react'
import { useDevice } from '@/components/sync/sync-provider'
import { useLocalQuery } from '@/components/sync/use-local-query'
import { useMutations } from '@/components/sync/use-mutations'
import { Button } from '@/components/ui/button'
import { Notice } from '@/components/ui/notice'
import { equipmentOf } from '@/db/queries/equipment'
import { recordHistories } from '@/db/queries/entries'
import { summariesOf } from '@/db/queries/records'
import { activityInfos, defaultLibrary, libraryActivities, templateChildren, type ActivityInfo } from '@/db/queries/local'
import { previousForWorkout } from '@/db/queries/previous'
import type { Db } from '@/db/types'
import type { EntryInput } from '@/domain/mutators/entries'
import { smallestIncrement } from '@/domain/plates'
import { serverRecordsFor, workoutSummary, type WorkoutSummary } from '@/domain/records'
import { toCanonical, type DisplayUnits } from '@/domain/units'
import { FinishSummary } from './finish-summary'
import { PlateCalculator, shownWeight } from './plate-calculator'
import { askToNotify, RestTimer } from './rest-timer'
import { SetTable, type ActiveField } from './set-table'
import {
  addExercise,
  addSet,
  discardDraft,
  draftFromPlan,
  entryOf,
  loadDraft,
  moveBlock,
  nextSet,
  prependSets,
  previousBySet,
  previousTexts,
  readSet,
  removeExercise,
  removeSet,
  saveDraft,
  tickSet,
  updateExercise,
  updateSet,
  type Draft,
  type PlanItem,
} from './workout-draft'

/** The workout's template as blocks: its exercises, and its nested sequences (supersets). */
async function planOf(db: Db, workoutId: string): Promise<PlanItem[]> {
  const items = await templateChildren(db, workoutId)
  const infos = await activityInfos(
    db,
    items.map((i) => i.childId),
  )
  const plan: PlanItem[] = []
  for (const item of items) {
    const child = infos.get(item.childId)
    if (!child) continue
    if (child.kind === 'scalar') {
      plan.push({ kind: 'exercise', activityId: child.id, sets: item.repeat })
      continue
    }
    const inner = await templateChildren(db, child.id)
    plan.push({
      kind: 'block',
      activityId: child.id,
      rounds: item.repeat,
      exercises: inner.map((i) => ({ activityId: i.childId, sets: i.repeat })),
    })
  }
  return plan
}

async function load(db: Db, userId: string, workout: ActivityInfo) {
  const [plan, equipment, library] = await Promise.all([planOf(db, workout.id), equipmentOf(db, userId), defaultLibrary(db, userId)])
  const ids = plan.flatMap((p) => (p.kind === 'exercise' ? [p.activityId] : [p.activityId, ...p.exercises.map((e) => e.activityId)]))
  const choices = library ? (await libraryActivities(db, library.id)).filter((a) => a.kind === 'scalar') : []
  const planned = await activityInfos(db, ids)
  // The draft kept in this tab (a reload, a locked phone), else a new one from the current
  // template, kept from the first change: a workout only looked at is not one under way.
  const initial = loadDraft(userId, workout.id) ?? draftFromPlan(workout.id, plan, planned, new Date())
  return { plan, equipment, choices, libraryId: library?.id, planned, initial }
}

/**
 * A workout in the gym: one compact set table per exercise (supersets grouped), "previous" per
 * set, a tick that starts the pinned rest timer and moves on, steppers and the plate and warm-up
 * calculators for the field in use, exercises and sets added, moved or removed while logging,
 * notes per exercise and per workout, and a finish summary with the records broken.
 */
export function Workout({ activity, units }: { activity: ActivityInfo; units: DisplayUnits }) {
  const device = useDevice()
  const userId = device?.userId ?? ''
  const base = useLocalQuery(['workout', activity.id], (db, uid) => load(db, uid, activity))
  const [edited, setDraftState] = useState<Draft | null>(null)
  const [active, setActive] = useState<ActiveField | null>(null)
  const [calculator, setCalculator] = useState<'plates' | 'warmup' | null>(null)
  const [summary, setSummary] = useState<{
    summary: WorkoutSummary
    draft: Draft
    entry: EntryInput
    names: Map<string, string>
  } | null>(null)
  const [noting, setNoting] = useState<string | null>(null)
  const { run, invalid, fieldError, message, setMessage } = useMutations()
  const form = 'workout'
  const focusNext = useRef<string | null>(null)

  const draft = edited ?? base.data?.initial ?? null

  const exerciseIds = useMemo(() => [...new Set(draft?.blocks.flatMap((b) => b.exercises.map((e) => e.activityId)) ?? [])], [draft])
  const infos = useLocalQuery(['workout-activities', ...exerciseIds], (db) => activityInfos(db, exerciseIds))
  const previous = useLocalQuery(['workout-previous', activity.id, draft?.startedAt], (db, uid) =>
    previousForWorkout(db, uid, activity.id, draft ? new Date(draft.startedAt) : new Date()),
  )

  useEffect(() => {
    if (!focusNext.current) return
    const input = document.querySelector<HTMLInputElement>(`[data-field^="${focusNext.current}."]`)
    focusNext.current = null
    input?.focus()
  })

  const setDraft = (next: Draft) => {
    setDraftState(next)
    if (userId) saveDraft(userId, next)
  }

  if (summary) {
    return (
      <FinishSummary
        workout={activity}
        summary={summary.summary}
        draft={summary.draft}
        entry={summary.entry}
        names={summary.names}
        units={units}
        onDone={() => {
          // Show the next workout once its fresh draft is read: the one read while the finished
          // workout was saving is that workout's draft, and its start time would become the next's.
          void base.refetch().then(() => setSummary(null))
        }}
      />
    )
  }
  if (!draft || !base.data || !infos.data) return <p className="text-zinc-600 dark:text-zinc-400">Preparing {activity.name}…</p>
  const activities = infos.data
  const previousSets = previousBySet(draft, previous.data?.exercises ?? new Map())
  const errors: Record<string, string> = {}
  for (const b of draft.blocks)
    for (const e of b.exercises)
      for (const s of e.sets)
        for (const a of activities.get(e.activityId)?.attributes ?? []) {
          const error = fieldError(form, `${s.key}.${a.id}`)
          if (error) errors[`${s.key}.${a.id}`] = error
        }

  const activeSet = active
    ? draft.blocks.flatMap((b) => b.exercises.map((e) => ({ b, e }))).find(({ e }) => e.key === active.exercise)
    : undefined
  const activeAttribute = activeSet ? activities.get(activeSet.e.activityId)?.attributes.find((a) => a.id === active!.attribute) : undefined
  const activeText = activeSet && active ? (activeSet.e.sets.find((s) => s.key === active.set)?.texts[active.attribute] ?? '') : ''
  const plateStep = smallestIncrement(base.data.equipment.plates)
  const step = activeAttribute?.type === 'mass' ? (plateStep === null ? 1 : shownWeight(plateStep, units)) : 1
  const stepActive = (by: number) => {
    if (!activeSet || !active) return
    const current = Number(activeText.replace(',', '.')) || 0
    const next = Math.max(0, Math.round((current + by) * 100) / 100)
    setDraft(
      updateSet(draft, { block: activeSet.b.key, exercise: activeSet.e.key }, active.set, {
        texts: textsWith(active.attribute, String(next)),
      }),
    )
  }
  const textsWith = (attributeId: string, text: string) => ({
    ...(activeSet!.e.sets.find((s) => s.key === active!.set)?.texts ?? {}),
    [attributeId]: text,
  })
  const activeKg =
    activeAttribute?.type === 'mass' && activeText.trim() !== '' ? toCanonical('mass', Number(activeText.replace(',', '.')), units) : null

  async function finish() {
    if (!draft) return
    const problems: Record<string, string> = {}
    const { entry, sets } = entryOf(draft, (e, s) => {
      const info = activities.get(e.activityId)
      if (!info) return null
      const read = readSet(info, s, units)
      Object.assign(problems, read.problems)
      return read.values
    })
    if (Object.keys(problems).length > 0) return invalid(form, problems)
    if (sets.length === 0) return setMessage({ ok: false, text: 'Tick or fill in at least one set before finishing.' })
    const finishedAt = new Date()
    const history = device
      ? await device.query((db, uid) => recordHistories(db, uid, exerciseIds, { before: new Date(draft.startedAt) }))
      : new Map()
    // W7: a device holding only recent history measures against the server's older records too.
    const heldFrom = device?.status.window.heldFrom ?? null
    const summaries = device && heldFrom !== null ? await device.query((db, uid) => summariesOf(db, uid, exerciseIds)) : new Map()
    const ok = await run('logEntry', { entry })
    if (!ok) return
    const summaryOf = workoutSummary({
      startedAt: new Date(draft.startedAt),
      finishedAt,
      sets: sets.map((s) => ({
        entryId: s.key,
        activityId: s.activityId,
        performedAt: new Date(draft.startedAt),
        setType: s.setType,
        values: new Map(Object.entries(s.values).flatMap(([k, v]) => (typeof v === 'number' ? [[k, v] as const] : []))),
      })),
      exercises: exerciseIds.map((id) => ({
        activityId: id,
        attributes: activities.get(id)?.attributes ?? [],
        history: history.get(id) ?? [],
        server: serverRecordsFor(summaries.get(id) ?? [], heldFrom),
      })),
    })
    discardDraft(userId, activity.id)
    setSummary({ summary: summaryOf, draft, entry, names: new Map([...activities.values()].map((a) => [a.id, a.name])) })
    setDraftState(null)
  }

  const blockName = (id: string | null) => (id ? (base.data.planned.get(id)?.name ?? 'Superset') : null)

  return (
    <section aria-labelledby="workout-heading" className="flex flex-col gap-3 pb-24">
      <div className="flex items-center justify-between gap-2">
        <h1 id="workout-heading" className="truncate text-xl font-semibold">
          {activity.name}
        </h1>
        <Button onClick={() => void finish()}>Finish</Button>
      </div>
      <RestTimer rest={draft.rest} onChange={(rest) => setDraft({ ...draft, rest })} />
      {draft.blocks.length === 0 ? <p>No exercises yet: add one below.</p> : null}
      {draft.blocks.map((block, bi) => {
        const superset = block.exercises.length > 1 || block.blockActivityId !== null
        return (
          <div
            key={block.key}
            role="group"
            aria-label={superset ? `Superset: ${block.exercises.map((e) => activities.get(e.activityId)?.name).join(' and ')}` : undefined}
            className={superset ? 'flex flex-col gap-2 border-l-4 border-accent-strong pl-2 dark:border-sky-400' : 'flex flex-col gap-2'}
          >
            {superset ? (
              <p className="text-xs font-semibold text-accent-strong uppercase dark:text-sky-300">
                Superset · {blockName(block.blockActivityId)}
              </p>
            ) : null}
            {block.exercises.map((ex) => {
              const info = activities.get(ex.activityId)
              if (!info) return null
              const where = { block: block.key, exercise: ex.key }
              const absent = previous.data && previous.data.lastWorkout && !previous.data.exercises.get(ex.activityId)?.inLastWorkout
              return (
                <section key={ex.key} aria-label={info.name} className="flex flex-col gap-1">
                  <div className="flex items-center justify-between gap-2">
                    <h2 className="truncate text-base font-semibold">{info.name}</h2>
                    <details className="relative">
                      <summary
                        className="flex min-h-11 min-w-11 cursor-pointer list-none items-center justify-center rounded-lg text-lg hover:bg-zinc-200 dark:hover:bg-zinc-800"
                        aria-label={`${info.name} options`}
                      >
                        ⋯
                      </summary>
                      <div className="absolute right-0 z-30 flex w-56 flex-col rounded-lg border border-zinc-200 bg-white p-1 shadow-lg dark:border-zinc-800 dark:bg-zinc-900">
                        <MenuButton onClick={() => setDraft(addSet(draft, where))}>Add a set</MenuButton>
                        <MenuButton
                          onClick={() => {
                            setNoting(ex.key)
                            setTimeout(() => document.getElementById(`notes-${ex.key}`)?.focus(), 0)
                          }}
                        >
                          Notes on {info.name}
                        </MenuButton>
                        <MenuButton onClick={() => setDraft(removeSet(draft, where, ex.sets.at(-1)?.key ?? ''))}>
                          Remove the last set
                        </MenuButton>
                        <MenuButton disabled={bi === 0} onClick={() => setDraft(moveBlock(draft, block.key, -1))}>
                          Move up
                        </MenuButton>
                        <MenuButton disabled={bi === draft.blocks.length - 1} onClick={() => setDraft(moveBlock(draft, block.key, 1))}>
                          Move down
                        </MenuButton>
                        <MenuButton onClick={() => setDraft(removeExercise(draft, where))}>Remove {info.name}</MenuButton>
                      </div>
                    </details>
                  </div>
                  {absent ? (
                    <p className="text-xs text-zinc-600 dark:text-zinc-400">
                      Not in your last {activity.name}
                      {previous.data?.exercises.get(ex.activityId)?.source === 'lastTime'
                        ? ': previous is from the last time you did it'
                        : ''}
                      .
                    </p>
                  ) : null}
                  <SetTable
                    exercise={ex}
                    activity={info}
                    units={units}
                    previous={previousSets}
                    errors={errors}
                    onChange={(set, attributeId, text) =>
                      setDraft(updateSet(draft, where, set.key, { texts: { ...set.texts, [attributeId]: text } }))
                    }
                    onType={(set, setType) => setDraft(updateSet(draft, where, set.key, { setType }))}
                    onCopyPrevious={(set, before) =>
                      setDraft(updateSet(draft, where, set.key, { texts: { ...set.texts, ...previousTexts(info, before, units) } }))
                    }
                    onTick={(set) => {
                      askToNotify()
                      // A set ticked with fields left empty was done as last time (shown in them).
                      const before = previousSets.get(set.key)
                      const filled =
                        set.done || !before
                          ? draft
                          : updateSet(draft, where, set.key, { texts: { ...previousTexts(info, before, units), ...nonEmpty(set.texts) } })
                      const ticked = tickSet(filled, where, set.key, Date.now())
                      if (!set.done) focusNext.current = nextSet(ticked, set.key)?.set ?? null
                      setDraft(ticked)
                    }}
                    onFocusField={setActive}
                    onRemoveSet={(set) => setDraft(removeSet(draft, where, set.key))}
                  />
                  <label className="sr-only" htmlFor={`notes-${ex.key}`}>
                    Notes on {info.name}
                  </label>
                  {ex.notes || active?.exercise === ex.key || noting === ex.key ? (
                    <input
                      id={`notes-${ex.key}`}
                      className="h-9 rounded-md border border-zinc-300 bg-white px-2 text-sm dark:border-zinc-700 dark:bg-zinc-900"
                      placeholder={`Notes on ${info.name}`}
                      value={ex.notes}
                      onChange={(e) => setDraft(updateExercise(draft, where, { notes: e.target.value }))}
                    />
                  ) : null}
                </section>
              )
            })}
          </div>
        )
      })}

      <div className="flex flex-col gap-2 border-t border-zinc-200 pt-3 dark:border-zinc-800">
        <ExercisePicker
          label="Exercise to add"
          items={base.data.choices}
          library={base.data.libraryId ? { id: base.data.libraryId, activities: base.data.choices } : undefined}
          onPick={async (id) => {
            const info = device ? (await device.query((db) => activityInfos(db, [id]))).get(id) : undefined
            if (info) setDraft(addExercise(draft, info, activeSet?.b.key ?? null))
          }}
        />
        <label className="flex flex-col gap-1 text-sm font-medium">
          Workout notes
          <textarea
            className="min-h-16 rounded-lg border border-zinc-300 bg-white p-2 text-base dark:border-zinc-700 dark:bg-zinc-900"
            value={draft.notes}
            onChange={(e) => setDraft({ ...draft, notes: e.target.value })}
          />
        </label>
        <div className="flex flex-wrap gap-2">
          <Button onClick={() => void finish()}>Finish workout</Button>
          <Button
            variant="ghost"
            onClick={() => {
              if (!window.confirm(`Discard this ${activity.name}? Nothing of it has been saved.`)) return
              discardDraft(userId, activity.id)
              setDraftState(null)
              void base.refetch()
            }}
          >
            Discard workout
          </Button>
          <Link href="/settings#equipment" className="inline-flex min-h-11 items-center px-2 text-sm underline">
            Bars and plates
          </Link>
        </div>
        <Notice message={message} />
      </div>

      {active &&
      activeAttribute &&
      (activeAttribute.type === 'mass' || activeAttribute.type === 'integer' || activeAttribute.type === 'number') ? (
        <div
          role="toolbar"
          aria-label={`${activeAttribute.name} tools`}
          className="fixed inset-x-0 bottom-[var(--tab-bar-height,0px)] z-20 flex justify-center gap-2 border-t border-zinc-200 bg-white/95 px-2 py-2 backdrop-blur dark:border-zinc-800 dark:bg-zinc-950/95"
          onMouseDown={(e) => e.preventDefault()}
        >
          <Button variant="secondary" onClick={() => stepActive(-step)} aria-label={`${activeAttribute.name} minus ${step}`}>
            −{step}
          </Button>
          <Button variant="secondary" onClick={() => stepActive(step)} aria-label={`${activeAttribute.name} plus ${step}`}>
            +{step}
          </Button>
          {activeAttribute.type === 'mass' ? (
            <>
              <Button variant="secondary" onClick={() => setCalculator('plates')}>
                Plates
              </Button>
              <Button variant="secondary" onClick={() => setCalculator('warmup')}>
                Warm-up
              </Button>
            </>
          ) : null}
        </div>
      ) : null}

      <PlateCalculator
        open={calculator !== null}
        mode={calculator ?? 'plates'}
        targetKg={activeKg}
        equipment={base.data.equipment}
        units={units}
        onClose={() => setCalculator(null)}
        onUseWeight={(kg) => {
          if (activeSet && active) {
            const text = String(shownWeight(kg, units))
            setDraft(
              updateSet(draft, { block: activeSet.b.key, exercise: activeSet.e.key }, active.set, {
                texts: textsWith(active.attribute, text),
              }),
            )
          }
          setCalculator(null)
        }}
        onAddWarmups={(sets) => {
          if (activeSet && activeAttribute) {
            const info = activities.get(activeSet.e.activityId)
            const reps = info?.attributes.find((a) => a.type === 'integer' && !a.retired)
            setDraft(
              prependSets(
                draft,
                { block: activeSet.b.key, exercise: activeSet.e.key },
                sets.map((w) => ({
                  setType: 'warmup',
                  texts: {
                    [activeAttribute.id]: String(shownWeight(w.weightKg, units)),
                    ...(reps ? { [reps.id]: String(w.reps) } : {}),
                  },
                })),
              ),
            )
          }
          setCalculator(null)
        }}
      />
    </section>
  )
}

const nonEmpty = (texts: Record<string, string>) => Object.fromEntries(Object.entries(texts).filter(([, t]) => t.trim() !== ''))

function MenuButton(props: React.ButtonHTMLAttributes<HTMLButtonElement>) {
  return (
    <button
      type="button"
      className="min-h-11 rounded-md px-3 text-left text-sm hover:bg-zinc-100 disabled:opacity-50 dark:hover:bg-zinc-800"
      {...props}
      onClick={(e) => {
        props.onClick?.(e)
        e.currentTarget.closest('details')?.removeAttribute('open')
      }}
    />
  )
}
