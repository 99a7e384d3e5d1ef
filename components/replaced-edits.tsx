'use client'

import { useDevice } from '@/components/sync/sync-provider'
import { useLocalQuery } from '@/components/sync/use-local-query'
import { displayUnits } from '@/db/queries/local'
import { dismissReplacedEdit, replacedEdits } from '@/db/queries/replaced-edits'
import { replacedEditText } from './replaced-edit-text'

/**
 * Values of this device that another device's later edit replaced (sync/SPEC.md B14), each
 * until the user dismisses it: the later edit won, and nothing is replaced in silence.
 */
export function ReplacedEdits() {
  const device = useDevice()
  const data = useLocalQuery(['replaced-edits'], async (db, userId) => ({
    ...(await replacedEdits(db)),
    units: await displayUnits(db, userId),
  }))
  if (!data.data || data.data.edits.length === 0) return null
  const { edits, attributes, units } = data.data
  return (
    <section
      aria-label="Edits replaced by another device"
      aria-live="polite"
      className="rounded-lg border border-amber-300 bg-amber-50 p-3 text-sm text-amber-950 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-100"
    >
      <p className="font-medium">{edits.length === 1 ? 'An edit was replaced' : `${edits.length} edits were replaced`}</p>
      <ul className="mt-1 flex flex-col gap-1">
        {edits.map((edit) => {
          const text = replacedEditText(edit, attributes, units)
          return (
            <li key={edit.id} className="flex items-start justify-between gap-3">
              <span>{text}</span>
              <button
                className="shrink-0 underline"
                aria-label={`Dismiss: ${text}`}
                onClick={async () => {
                  await device?.query((db) => dismissReplacedEdit(db, edit.id))
                  await data.refetch()
                }}
              >
                Dismiss
              </button>
            </li>
          )
        })}
      </ul>
    </section>
  )
}
