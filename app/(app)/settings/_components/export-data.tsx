'use client'

import Link from 'next/link'
import { useId, useState } from 'react'
import { useDevice } from '@/components/sync/sync-provider'
import { useLocalQuery } from '@/components/sync/use-local-query'
import { Button } from '@/components/ui/button'
import { Notice, type NoticeMessage } from '@/components/ui/notice'
import { Select } from '@/components/ui/select'
import { displayUnits } from '@/db/queries/local'
import type { Db } from '@/db/types'
import { exportArchive } from '@/portability/export/archive'
import { cadenceCsv, hevyCsv, strongCsv } from '@/portability/export/csv'
import type { WeightUnit } from '@/portability/import/model'

type Kind = 'archive' | 'strong' | 'hevy' | 'sets'

/** `2026-12-01`, today on this device: the date in a file's name. */
function today(): string {
  const d = new Date()
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`
}

/** Hands `text` to the browser as a file download. */
function save(text: string, fileName: string, type: string) {
  const url = URL.createObjectURL(new Blob([text], { type }))
  const link = document.createElement('a')
  link.href = url
  link.download = fileName
  link.hidden = true
  document.body.append(link)
  link.click()
  link.remove()
  // The download has started by the next task; the URL is no longer needed after it.
  setTimeout(() => URL.revokeObjectURL(url), 1000)
}

/** Each export: its button, the file it writes, and how it is built from the device database. */
const exports: Record<
  Kind,
  { label: string; file: () => string; type: string; build: (db: Db, userId: string, unit: WeightUnit) => Promise<string> }
> = {
  archive: {
    label: 'Download archive (JSON)',
    file: () => `cadence-${today()}.json`,
    type: 'application/json',
    build: async (db, userId) => `${JSON.stringify(await exportArchive(db, userId), null, 2)}\n`,
  },
  strong: {
    label: 'Strong CSV',
    file: () => `cadence-strong-${today()}.csv`,
    type: 'text/csv',
    build: (db, userId, units) => strongCsv(db, userId, { units }),
  },
  hevy: {
    label: 'Hevy CSV',
    file: () => `cadence-hevy-${today()}.csv`,
    type: 'text/csv',
    build: (db, userId, units) => hevyCsv(db, userId, { units }),
  },
  sets: {
    label: 'Spreadsheet CSV (one row per set)',
    file: () => `cadence-sets-${today()}.csv`,
    type: 'text/csv',
    build: (db, userId) => cadenceCsv(db, userId),
  },
}

/**
 * Settings → Your data: downloads of everything this account owns, built from the device
 * database (so they work offline): the lossless archive, CSVs in Strong's and Hevy's layouts
 * (weights in the unit picked, which starts as the display unit), and a one-row-per-set CSV.
 */
export function ExportData() {
  const device = useDevice()
  const units = useLocalQuery(['units'], (db, userId) => displayUnits(db, userId))
  const [picked, setPicked] = useState<WeightUnit>()
  const [busy, setBusy] = useState<Kind>()
  const [message, setMessage] = useState<NoticeMessage>()
  const unitId = useId()
  const unit: WeightUnit = picked ?? units.data?.massUnit ?? 'kg'

  async function download(kind: Kind) {
    if (!device) return
    const { build, file, type } = exports[kind]
    setBusy(kind)
    setMessage(undefined)
    try {
      const text = await device.query((db, userId) => build(db, userId, unit))
      const name = file()
      save(text, name, type)
      setMessage({ ok: true, text: `Downloaded ${name}.` })
    } catch (error) {
      setMessage({ ok: false, text: `The export failed: ${error instanceof Error ? error.message : String(error)}` })
    } finally {
      setBusy(undefined)
    }
  }

  const button = (kind: Kind, variant: 'primary' | 'secondary' = 'secondary') => (
    <Button
      type="button"
      variant={variant}
      className="w-full sm:w-auto"
      disabled={!device || busy !== undefined}
      aria-busy={busy === kind}
      onClick={() => void download(kind)}
    >
      {busy === kind ? 'Preparing…' : exports[kind].label}
    </Button>
  )

  return (
    <section id="your-data" aria-labelledby="your-data-heading" className="flex scroll-mt-4 flex-col gap-4">
      <div className="flex flex-col gap-1">
        <h2 id="your-data-heading" className="font-semibold">
          Your data
        </h2>
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          Everything you log is yours to take. Files are made on this device, so this works offline too.
        </p>
      </div>
      <div className="flex flex-col gap-2 rounded-lg border border-zinc-200 px-4 py-3 dark:border-zinc-800">
        <p className="text-sm">
          <span className="font-medium">Archive:</span> your libraries, activities, templates, every entry, tags and settings, in a file
          Cadence imports back exactly.
        </p>
        {button('archive', 'primary')}
      </div>
      <div className="flex flex-col gap-3 rounded-lg border border-zinc-200 px-4 py-3 dark:border-zinc-800">
        <p className="text-sm">
          <span className="font-medium">CSV:</span> one row per set, for other apps and spreadsheets. Only sets go in: weight, reps,
          distance, time and RPE.
        </p>
        <label htmlFor={unitId} className="flex items-center justify-between gap-3 text-sm">
          Weights in Strong and Hevy CSV
          <Select id={unitId} value={unit} onChange={(e) => setPicked(e.target.value as WeightUnit)}>
            <option value="kg">Kilograms (kg, km)</option>
            <option value="lb">Pounds (lb, miles)</option>
          </Select>
        </label>
        <div className="flex flex-col gap-2 sm:flex-row sm:flex-wrap">
          {button('strong')}
          {button('hevy')}
          {button('sets')}
        </div>
      </div>
      <Notice message={message} />
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        <Link href="/import" className="font-medium text-accent-strong underline underline-offset-2 dark:text-accent">
          Import from Strong, Hevy, FitNotes or StrongLifts, or a Cadence archive
        </Link>
      </p>
    </section>
  )
}
