'use client'

import { useEffect, useRef, useState } from 'react'
import { useDevice } from '@/components/sync/sync-provider'
import { useMutations } from '@/components/sync/use-mutations'
import { Button } from '@/components/ui/button'
import { Notice } from '@/components/ui/notice'
import { importWorkoutCount, type ImportSummary } from '@/db/queries/imports'
import { useLeaveWarning } from './import-guard'

const sourceNames: Record<ImportSummary['source'], string> = {
  strong: 'Strong',
  hevy: 'Hevy',
  fitnotes: 'FitNotes',
  stronglifts: 'StrongLifts',
  cadence: 'Cadence CSV',
  'cadence-archive': 'Cadence archive',
}

const when = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' })

const workoutCount = (n: number) => `${n.toLocaleString()} ${n === 1 ? 'workout' : 'workouts'}`

/** An undo under way: how many of the import's workouts are left of how many it started with. */
type Undoing = { id: string; left: number; total: number }

/**
 * The imports made so far, newest first; undoing one deletes its workouts and nothing else
 * (SPEC I3). An undo deletes a batch of workouts a call, so it runs `undoImport` until none are
 * left, showing how many remain; one that was cut short (the page closed) can be finished.
 * `writing` is the import this page is writing now: it cannot be undone until it ends.
 */
export function ImportList({ imports, writing }: { imports: readonly ImportSummary[]; writing: string | null }) {
  const device = useDevice()
  const { run, message, setMessage } = useMutations()
  const [confirming, setConfirming] = useState<string | null>(null)
  const [undoing, setUndoing] = useState<Undoing | null>(null)
  const [done, setDone] = useState('')
  const heading = useRef<HTMLHeadingElement>(null)
  const list = useRef<HTMLUListElement>(null)
  /** The Undo button to return to when a confirmation is dismissed. */
  const returnTo = useRef<string | null>(null)
  useLeaveWarning(undoing !== null)

  useEffect(() => {
    const within = list.current
    if (!within) return
    if (confirming) within.querySelector<HTMLButtonElement>(`[data-keep="${confirming}"]`)?.focus()
    else if (returnTo.current) within.querySelector<HTMLButtonElement>(`[data-undo="${returnTo.current}"]`)?.focus()
    returnTo.current = null
  }, [confirming])

  async function undo(i: ImportSummary) {
    if (!device) return
    setConfirming(null)
    setMessage(undefined)
    setDone('')
    // The buttons of this import go while it is undone: focus waits on the list's heading.
    heading.current?.focus()
    let left = i.workouts
    setUndoing({ id: i.id, left, total: Math.max(left, 1) })
    try {
      for (;;) {
        if (!(await run('undoImport', { importId: i.id }))) return
        const now = await device.query((db) => importWorkoutCount(db, i.id))
        if (now === 0) break
        // A call that deleted nothing would loop for ever: stop and say so.
        if (now >= left) {
          setMessage({ ok: false, text: `The undo of ${i.fileName} stopped with ${workoutCount(now)} left. Try "Finish undo" again.` })
          return
        }
        left = now
        setUndoing({ id: i.id, left, total: Math.max(i.workouts, left) })
      }
      setDone(`Undone: the workouts of ${i.fileName} are deleted.`)
    } finally {
      setUndoing(null)
    }
  }

  if (imports.length === 0) return null
  return (
    <section aria-labelledby="imports-heading" className="flex flex-col gap-2">
      <h2 id="imports-heading" ref={heading} tabIndex={-1} className="font-semibold outline-none">
        Your imports
      </h2>
      <Notice message={message} />
      {/* In the page before its text, so that progress and the outcome are announced. */}
      <p role="status" className={undoing ? '' : 'text-emerald-700 dark:text-emerald-400'}>
        {undoing ? `Deleting… ${undoing.left.toLocaleString()} of ${workoutCount(undoing.total)} left` : done}
      </p>
      <ul ref={list} className="divide-y divide-zinc-200 rounded-xl border border-zinc-200 dark:divide-zinc-800 dark:border-zinc-800">
        {imports.map((i) => {
          const busy = writing === i.id || undoing?.id === i.id
          const interrupted = Boolean(i.undoneAt) && i.workouts > 0
          const state =
            writing === i.id
              ? 'being written'
              : undoing?.id === i.id
                ? 'deleting…'
                : interrupted
                  ? `Undo interrupted: ${workoutCount(i.workouts)} left`
                  : i.undoneAt
                    ? 'undone'
                    : i.workouts === 0
                      ? 'nothing new: its workouts were here already'
                      : workoutCount(i.workouts)
          return (
            <li key={i.id} className="flex flex-col gap-2 px-3 py-2">
              <div className="flex flex-wrap items-center justify-between gap-2">
                <div className="min-w-0">
                  <p className="font-medium break-all">{i.fileName}</p>
                  <p
                    className={`text-xs ${interrupted && !busy ? 'text-amber-700 dark:text-amber-400' : 'text-zinc-600 dark:text-zinc-400'}`}
                  >
                    {sourceNames[i.source]} · {when.format(i.createdAt)} · {state}
                  </p>
                </div>
                {!busy && undoing === null && interrupted && (
                  <Button variant="secondary" onClick={() => void undo(i)} aria-label={`Finish the undo of ${i.fileName}`}>
                    Finish undo
                  </Button>
                )}
                {!busy && !i.undoneAt && i.workouts > 0 && confirming !== i.id && (
                  <Button
                    variant="secondary"
                    data-undo={i.id}
                    disabled={undoing !== null}
                    onClick={() => setConfirming(i.id)}
                    aria-label={`Undo the import of ${i.fileName}`}
                  >
                    Undo
                  </Button>
                )}
              </div>
              {!busy && !i.undoneAt && i.workouts > 0 && confirming === i.id && (
                <div role="group" aria-label={`Undo the import of ${i.fileName}`} className="flex flex-col gap-2">
                  <p className="text-sm">
                    This deletes the {workoutCount(i.workouts)} this import wrote, with any edits made to them since the import. Workouts
                    you logged yourself and the exercises it created stay.
                  </p>
                  <div className="flex flex-wrap gap-2">
                    <Button onClick={() => void undo(i)}>Delete its {workoutCount(i.workouts)}</Button>
                    <Button
                      variant="secondary"
                      data-keep={i.id}
                      onClick={() => {
                        returnTo.current = i.id
                        setConfirming(null)
                      }}
                    >
                      Keep
                    </Button>
                  </div>
                </div>
              )}
            </li>
          )
        })}
      </ul>
    </section>
  )
}
