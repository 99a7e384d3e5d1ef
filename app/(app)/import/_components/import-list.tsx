'use client'

import { useState } from 'react'
import { useMutations } from '@/components/sync/use-mutations'
import { Button } from '@/components/ui/button'
import { Notice } from '@/components/ui/notice'
import type { ImportSummary } from '@/db/queries/imports'

const sourceNames: Record<ImportSummary['source'], string> = {
  strong: 'Strong',
  hevy: 'Hevy',
  fitnotes: 'FitNotes',
  stronglifts: 'StrongLifts',
  cadence: 'Cadence CSV',
  'cadence-archive': 'Cadence archive',
}

const when = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' })

/** The imports made so far, newest first; undoing one deletes its workouts and nothing else (SPEC I3). */
export function ImportList({ imports }: { imports: readonly ImportSummary[] }) {
  const { run, message } = useMutations()
  const [confirming, setConfirming] = useState<string | null>(null)
  if (imports.length === 0) return null
  return (
    <section aria-labelledby="imports-heading" className="flex flex-col gap-2">
      <h2 id="imports-heading" className="font-semibold">
        Your imports
      </h2>
      <Notice message={message} />
      <ul className="divide-y divide-zinc-200 rounded-xl border border-zinc-200 dark:divide-zinc-800 dark:border-zinc-800">
        {imports.map((i) => (
          <li key={i.id} className="flex flex-wrap items-center justify-between gap-2 px-3 py-2">
            <div className="min-w-0">
              <p className="font-medium break-all">{i.fileName}</p>
              <p className="text-xs text-zinc-600 dark:text-zinc-400">
                {sourceNames[i.source]} · {when.format(i.createdAt)} ·{' '}
                {i.undoneAt ? 'undone' : `${i.workouts.toLocaleString()} ${i.workouts === 1 ? 'workout' : 'workouts'}`}
              </p>
            </div>
            {!i.undoneAt &&
              (confirming === i.id ? (
                <div className="flex gap-2">
                  <Button
                    onClick={async () => {
                      setConfirming(null)
                      await run('undoImport', { importId: i.id }, { done: `Undone: the workouts of ${i.fileName} are deleted.` })
                    }}
                  >
                    Delete its {i.workouts.toLocaleString()} workouts
                  </Button>
                  <Button variant="secondary" onClick={() => setConfirming(null)}>
                    Keep
                  </Button>
                </div>
              ) : (
                <Button variant="secondary" onClick={() => setConfirming(i.id)} aria-label={`Undo the import of ${i.fileName}`}>
                  Undo
                </Button>
              ))}
          </li>
        ))}
      </ul>
    </section>
  )
}
