'use client'

import Link from 'next/link'
import { useState } from 'react'
import { useDevice } from '@/components/sync/sync-provider'
import { useLocalQuery } from '@/components/sync/use-local-query'
import { useMutations } from '@/components/sync/use-mutations'
import { Button } from '@/components/ui/button'
import { Card } from '@/components/ui/card'
import { Notice } from '@/components/ui/notice'
import { Page } from '@/components/ui/page'
import { importedKeys, importTargets, userImports } from '@/db/queries/imports'
import { displayUnits, type ActivityInfo } from '@/db/queries/local'
import { newId } from '@/domain/ids'
import { catalogueMatcher } from '@/portability/import/catalogue'
import { ImportFileError, type ParsedImport, type WeightUnit } from '@/portability/import/model'
import { parseInWorker } from '@/portability/import/parse-in-worker'
import { buildImport, mappingProblem, proposeMapping, type ExerciseMapping, type Target } from '@/portability/import/plan'
import { runImport, type ImportProgress } from '@/portability/import/run'
import { summarize } from '@/portability/import/summary'
import { ArchiveImport } from './archive-import'
import { ImportList } from './import-list'
import { MappingTable } from './mapping-table'

type Preview = {
  file: File
  parsed: ParsedImport
  /** The unit the user chose for a file that names none (null when the file names its own). */
  askedUnit: WeightUnit | null
  mapping: ExerciseMapping[]
  own: ActivityInfo[]
  defaultLibraryId: string
  already: number
}

type Stage =
  | { step: 'pick' }
  | { step: 'reading'; fileName: string; rows: number; fraction: number }
  | { step: 'preview'; preview: Preview }
  | { step: 'archive'; file: File }
  | { step: 'writing'; fileName: string; progress: ImportProgress }
  | { step: 'done'; fileName: string; workouts: number; sets: number; skipped: number }

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' })

/**
 * Import from Strong, Hevy, FitNotes, StrongLifts or a Cadence file: pick a file, see what it
 * holds and where each exercise goes, confirm, watch it write; undo an import from the list.
 * Everything happens on the device (offline too); the writes sync in the background (SPEC I1).
 */
export function ImportFlow() {
  const device = useDevice()
  const [stage, setStage] = useState<Stage>({ step: 'pick' })
  const { message, setMessage } = useMutations()
  const units = useLocalQuery(['units'], (db, userId) => displayUnits(db, userId))
  const past = useLocalQuery(['imports'], (db, userId) => userImports(db, userId))

  async function read(file: File, unit?: WeightUnit) {
    if (!device) return
    setMessage(undefined)
    if (/\.json$/i.test(file.name) || file.type === 'application/json') return setStage({ step: 'archive', file })
    setStage({ step: 'reading', fileName: file.name, rows: 0, fraction: 0 })
    try {
      let parsed = await parseInWorker(file, { fileName: file.name, units: unit }, (p) =>
        setStage({ step: 'reading', fileName: file.name, rows: p.rows, fraction: p.totalBytes ? p.bytes / p.totalBytes : 0 }),
      )
      let askedUnit = unit ?? null
      if (parsed.needsUnits) {
        askedUnit = units.data?.massUnit ?? 'kg'
        if (askedUnit !== 'kg') parsed = await parseInWorker(file, { fileName: file.name, units: askedUnit }, () => {})
      }
      const { own, defaultLibraryId, already } = await device.query(async (db, userId) => {
        const targets = await importTargets(db, userId)
        const keys = await importedKeys(
          db,
          userId,
          parsed.workouts.map((w) => w.key),
        )
        return { own: targets.activities, defaultLibraryId: targets.defaultLibraryId, already: keys.size }
      })
      if (!defaultLibraryId) throw new Error('Your library has not reached this device yet: sync once, then import.')
      const mapping = proposeMapping(parsed, own, catalogueMatcher(parsed.format))
      setStage({ step: 'preview', preview: { file, parsed, askedUnit, mapping, own, defaultLibraryId, already } })
    } catch (error) {
      setStage({ step: 'pick' })
      setMessage({ ok: false, text: error instanceof ImportFileError || error instanceof Error ? error.message : String(error) })
    }
  }

  async function write(preview: Preview) {
    if (!device) return
    const fileName = preview.file.name
    setStage({ step: 'writing', fileName, progress: { done: 0, total: 1, workouts: 0 } })
    try {
      const imported = await device.query((db, userId) =>
        importedKeys(
          db,
          userId,
          preview.parsed.workouts.map((w) => w.key),
        ),
      )
      const built = buildImport({ ...preview, fileName, imported, newId })
      await runImport(
        built.steps,
        (step) => device.mutate(step.name, step.args as never),
        (progress) => setStage({ step: 'writing', fileName, progress }),
      )
      setStage({ step: 'done', fileName, workouts: built.workouts, sets: built.sets, skipped: built.skippedWorkouts })
    } catch (error) {
      setStage({ step: 'preview', preview })
      setMessage({
        ok: false,
        text: `The import stopped: ${error instanceof Error ? error.message : String(error)} What was written before stays; import the file again to write the rest.`,
      })
    }
  }

  return (
    <Page id="import" title="Import history" gap="gap-6">
      <Notice message={message} />
      {stage.step === 'pick' && (
        <Card as="section" gap="gap-3" aria-labelledby="import-pick-heading">
          <h2 id="import-pick-heading" className="font-semibold">
            Bring your history
          </h2>
          <p className="text-sm text-zinc-600 dark:text-zinc-400">
            A CSV export from Strong, Hevy, FitNotes or StrongLifts, Cadence&apos;s own CSV, or a Cadence archive (JSON). The file is read
            on this device, offline too; you see what it holds before anything is written.
          </p>
          <label className="flex flex-col gap-1 text-sm font-medium">
            File to import
            <input
              type="file"
              accept=".csv,.txt,.json,text/csv,application/json"
              disabled={!device}
              onChange={(e) => {
                const file = e.target.files?.[0]
                if (file) void read(file)
                e.target.value = ''
              }}
              className="rounded-lg border border-zinc-300 p-2 text-sm dark:border-zinc-700"
            />
          </label>
        </Card>
      )}
      {stage.step === 'reading' && (
        <div role="status" className="flex flex-col gap-2">
          <p>
            Reading {stage.fileName}… {stage.rows.toLocaleString()} rows
          </p>
          <progress className="w-full" max={1} value={stage.fraction} aria-label={`Reading ${stage.fileName}`} />
        </div>
      )}
      {stage.step === 'preview' && (
        <PreviewView
          preview={stage.preview}
          onChange={(preview) => setStage({ step: 'preview', preview })}
          onUnit={(unit) => void read(stage.preview.file, unit)}
          onCancel={() => setStage({ step: 'pick' })}
          onConfirm={() => void write(stage.preview)}
        />
      )}
      {stage.step === 'archive' && <ArchiveImport file={stage.file} onDone={() => setStage({ step: 'pick' })} />}
      {stage.step === 'writing' && (
        <div role="status" className="flex flex-col gap-2">
          <p>
            Writing {stage.fileName}: {stage.progress.workouts.toLocaleString()} workouts so far
          </p>
          <progress className="w-full" max={stage.progress.total} value={stage.progress.done} aria-label={`Writing ${stage.fileName}`} />
          <p className="text-sm text-zinc-600 dark:text-zinc-400">Keep this page open. What is written stays if it is closed.</p>
        </div>
      )}
      {stage.step === 'done' && (
        <Card as="section" gap="gap-3" aria-labelledby="import-done-heading">
          <h2 id="import-done-heading" className="font-semibold">
            Imported {stage.fileName}
          </h2>
          <p role="status">
            {stage.workouts.toLocaleString()} workouts and {stage.sets.toLocaleString()} sets written
            {stage.skipped > 0 ? `; ${stage.skipped.toLocaleString()} workouts were here already and were skipped` : ''}. They reach the
            server in the background.
          </p>
          <div className="flex flex-wrap gap-2">
            <Link
              href="/history"
              className="inline-flex min-h-11 items-center rounded-lg bg-accent-strong px-4 text-sm font-medium text-white"
            >
              See history
            </Link>
            <Button variant="secondary" onClick={() => setStage({ step: 'pick' })}>
              Import another file
            </Button>
          </div>
        </Card>
      )}
      <ImportList imports={past.data ?? []} />
    </Page>
  )
}

function PreviewView({
  preview,
  onChange,
  onUnit,
  onCancel,
  onConfirm,
}: {
  preview: Preview
  onChange: (preview: Preview) => void
  onUnit: (unit: WeightUnit) => void
  onCancel: () => void
  onConfirm: () => void
}) {
  const { parsed } = preview
  const summary = summarize(parsed)
  const toWrite = parsed.workouts.length - preview.already
  const problems = preview.mapping.flatMap((m) => {
    const p = mappingProblem(m, preview.own)
    return p ? [p] : []
  })
  const setTarget = (name: string, target: Target) =>
    onChange({ ...preview, mapping: preview.mapping.map((m) => (m.name === name ? { ...m, target } : m)) })
  const range =
    summary.firstDate && summary.lastDate
      ? `${dateFormat.format(new Date(summary.firstDate))} – ${dateFormat.format(new Date(summary.lastDate))}`
      : 'no dates'
  return (
    <section aria-labelledby="import-preview-heading" className="flex flex-col gap-4">
      <h2 id="import-preview-heading" className="text-lg font-semibold">
        {preview.file.name}
      </h2>
      <dl className="grid grid-cols-2 gap-2 sm:grid-cols-4" aria-label="What the file holds">
        {(
          [
            ['Format', summary.formatLabel],
            ['Workouts', summary.workouts.toLocaleString()],
            ['Exercises', summary.exercises.toLocaleString()],
            ['Sets', summary.sets.toLocaleString()],
          ] as const
        ).map(([term, value]) => (
          <div key={term} className="rounded-lg border border-zinc-200 p-2 dark:border-zinc-800">
            <dt className="text-xs text-zinc-600 dark:text-zinc-400">{term}</dt>
            <dd className="font-semibold break-words">{value}</dd>
          </div>
        ))}
      </dl>
      <p>
        From {range}.{' '}
        {preview.already > 0
          ? `${preview.already.toLocaleString()} of its workouts were imported before and will be skipped.`
          : 'None of its workouts is here yet.'}
      </p>
      {preview.askedUnit !== null && (
        <fieldset className="flex flex-col gap-2 rounded-lg border border-amber-300 p-3 dark:border-amber-700">
          <legend className="px-1 font-medium">This file does not say its weight unit</legend>
          <div className="flex gap-4">
            {(['kg', 'lb'] as const).map((unit) => (
              <label key={unit} className="flex min-h-11 items-center gap-2">
                <input type="radio" name="import-unit" checked={preview.askedUnit === unit} onChange={() => onUnit(unit)} />
                {unit === 'kg' ? 'Kilograms (kg)' : 'Pounds (lb)'}
              </label>
            ))}
          </div>
        </fieldset>
      )}
      <MappingTable mapping={preview.mapping} own={preview.own} onTarget={setTarget} />
      {parsed.problems.length > 0 && (
        <details className="rounded-lg border border-zinc-200 p-3 dark:border-zinc-800">
          <summary className="cursor-pointer font-medium">
            {parsed.problems.length.toLocaleString()} {parsed.problems.length === 1 ? 'row' : 'rows'} could not be read and will be left out
          </summary>
          <ul aria-label="Rows left out" className="mt-2 flex flex-col gap-1 text-sm">
            {parsed.problems.slice(0, 200).map((p, i) => (
              <li key={i}>
                Row {p.row}: {p.message}
              </li>
            ))}
            {parsed.problems.length > 200 && <li>and {parsed.problems.length - 200} more</li>}
          </ul>
        </details>
      )}
      {problems.length > 0 && (
        <ul role="alert" className="text-red-700 dark:text-red-400">
          {problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      )}
      <div className="flex flex-wrap gap-2">
        <Button onClick={onConfirm} disabled={problems.length > 0 || toWrite <= 0}>
          {toWrite > 0 ? `Import ${toWrite.toLocaleString()} ${toWrite === 1 ? 'workout' : 'workouts'}` : 'Nothing new to import'}
        </Button>
        <Button variant="secondary" onClick={onCancel}>
          Choose another file
        </Button>
      </div>
    </section>
  )
}
