'use client'

import { useEffect, useState, type RefObject } from 'react'
import { useDevice } from '@/components/sync/sync-provider'
import { Button } from '@/components/ui/button'
import { Card } from '@/components/ui/card'
import { Notice, type NoticeMessage } from '@/components/ui/notice'
import { defaultLibrary } from '@/db/queries/local'
import { newId } from '@/domain/ids'
import { verifyArchive, type Archive } from '@/portability/export/archive'
import { restoreMutations } from '@/portability/export/restore'
import { ImportStepError, runImport, type ImportProgress } from '@/portability/import/run'
import { importBusyText, useLeaveWarning, withImportLock } from './import-guard'

/**
 * A Cadence archive (the JSON export): checked (format, version, checksum), described, and on
 * confirmation recreated in this account as mutations, like any import (one at a time across
 * tabs, as imports are). `heading` is focused when the stage appears (`import-flow.tsx`).
 */
export function ArchiveImport({
  file,
  heading,
  onDone,
}: {
  file: File
  heading: RefObject<HTMLHeadingElement | null>
  onDone: () => void
}) {
  const device = useDevice()
  const [archive, setArchive] = useState<Archive | null>(null)
  const [message, setMessage] = useState<NoticeMessage>()
  const [progress, setProgress] = useState<ImportProgress | null>(null)
  const [finished, setFinished] = useState(false)
  useLeaveWarning(progress !== null && !finished)

  useEffect(() => {
    let live = true
    void (async () => {
      try {
        const text = await file.text()
        let json: unknown
        try {
          json = JSON.parse(text)
        } catch {
          throw new Error(`"${file.name}" is not JSON: a Cadence archive is the JSON file Settings → Your data downloads.`)
        }
        const verified = await verifyArchive(json)
        if (live) setArchive(verified)
      } catch (error) {
        if (live) setMessage({ ok: false, text: error instanceof Error ? error.message : String(error) })
      }
    })()
    return () => {
      live = false
    }
  }, [file])

  async function restore(archive: Archive) {
    if (!device) return
    setMessage(undefined)
    try {
      const ran = await withImportLock(async () => {
        const library = await device.query((db, userId) => defaultLibrary(db, userId))
        if (!library) throw new Error('Your library has not reached this device yet: sync once, then restore.')
        const steps = restoreMutations(archive, { userId: device.userId, defaultLibraryId: library.id }, newId)
        setProgress({ done: 0, total: steps.length, workouts: 0 })
        await runImport(steps, (step) => device.mutate(step.name, step.args as never), setProgress)
      })
      if (!ran) return setMessage({ ok: false, text: importBusyText })
      setFinished(true)
      setMessage({ ok: true, text: `Restored ${archive.data.entries.length.toLocaleString()} entries from ${file.name}.` })
    } catch (error) {
      // The refusal's own words, not which step of the restore it was.
      const cause = error instanceof ImportStepError ? error.cause : error
      const reason = (cause instanceof Error ? cause.message : String(cause)).trim()
      setMessage({
        ok: false,
        text: `The restore stopped: ${/[.!?…]$/.test(reason) ? reason : `${reason}.`} What was written before stays.`,
      })
    }
  }

  const data = archive?.data
  return (
    <Card as="section" gap="gap-3" aria-labelledby="archive-heading">
      <h2 id="archive-heading" ref={heading} tabIndex={-1} className="font-semibold break-all outline-none">
        {file.name}
      </h2>
      <Notice message={message} />
      {data && !finished && (
        <>
          <p>
            A Cadence archive from {new Date(archive.exportedAt).toLocaleString()}: {data.libraries.length} libraries,{' '}
            {data.libraries.reduce((n, l) => n + l.activities.length, 0)} activities, {data.entries.length.toLocaleString()} entries,{' '}
            {data.tags.length} tags. The checksum matches.
          </p>
          <p className="text-sm text-zinc-600 dark:text-zinc-400">
            Meant for a new or empty account: restoring adds everything it holds beside what is here already.
          </p>
        </>
      )}
      {progress && !finished && (
        <div role="status" className="flex flex-col gap-1">
          <p>
            Restoring: step {progress.done.toLocaleString()} of {progress.total.toLocaleString()}
          </p>
          <progress className="w-full" max={progress.total} value={progress.done} aria-label={`Restoring ${file.name}`} />
        </div>
      )}
      <div className="flex flex-wrap gap-2">
        {archive && !progress && <Button onClick={() => void restore(archive)}>Restore this archive</Button>}
        <Button variant="secondary" onClick={onDone} disabled={progress !== null && !finished}>
          {finished ? 'Done' : 'Choose another file'}
        </Button>
      </div>
    </Card>
  )
}
