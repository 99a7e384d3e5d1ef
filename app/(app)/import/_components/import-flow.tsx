'use client'

import Link from 'next/link'
import { useEffect, useRef, useState, type RefObject } from 'react'
import { useDevice } from '@/components/sync/sync-provider'
import { useLocalQuery } from '@/components/sync/use-local-query'
import { useMutations } from '@/components/sync/use-mutations'
import { Button } from '@/components/ui/button'
import { Card } from '@/components/ui/card'
import { Notice } from '@/components/ui/notice'
import { Page } from '@/components/ui/page'
import { importedKeys, importTargets, templateChildIds, userImports } from '@/db/queries/imports'
import { displayUnits, type ActivityInfo } from '@/db/queries/local'
import { newId } from '@/domain/ids'
import type { EntryInput } from '@/domain/mutators/entries'
import { catalogueMatcher } from '@/portability/import/catalogue'
import { ImportFileError, type ParsedImport, type WeightUnit } from '@/portability/import/model'
import { parseInWorker } from '@/portability/import/parse-in-worker'
import {
  buildImport,
  mappingProblem,
  proposeMapping,
  type ExerciseMapping,
  type LeftOutWorkout,
  type Target,
} from '@/portability/import/plan'
import { ImportStepError, runImport, type ImportProgress } from '@/portability/import/run'
import { summarize } from '@/portability/import/summary'
import { ArchiveImport } from './archive-import'
import { importBusyText, useLeaveWarning, withImportLock } from './import-guard'
import { ImportList } from './import-list'
import { MappingTable } from './mapping-table'

type Preview = {
  file: File
  parsed: ParsedImport
  /** The unit the user chose for a file that names none (null when the file names its own). */
  askedUnit: WeightUnit | null
  mapping: ExerciseMapping[]
  /** The targets the user picked, by exercise name: a re-read of the file keeps them. */
  chosen: ReadonlyMap<string, Target>
  own: ActivityInfo[]
  defaultLibraryId: string
  already: number
  /** True while the file is read again in another unit: importing waits for it. */
  rereading?: boolean
}

type Stage =
  | { step: 'pick' }
  | { step: 'reading'; fileName: string; rows: number; fraction: number }
  | { step: 'preview'; preview: Preview }
  | { step: 'archive'; file: File }
  | { step: 'writing'; fileName: string; importId: string | null; progress: ImportProgress }
  | { step: 'done'; fileName: string; workouts: number; sets: number; skipped: number; leftOut: readonly LeftOutWorkout[] }

/** What a read of the file keeps from the preview before it. */
type Keep = {
  unit?: WeightUnit
  chosen?: ReadonlyMap<string, Target>
  /** Writes may have happened since the choices were made: a choice of "new" is dropped (the activity may exist now). */
  afterWrites?: boolean
}

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' })

/** The proposal for the file against `own`, with the user's choices by name laid over it. */
function remap(parsed: ParsedImport, own: readonly ActivityInfo[], keep: Keep): ExerciseMapping[] {
  return proposeMapping(parsed, own, catalogueMatcher(parsed.format)).map((m) => {
    const chosen = keep.chosen?.get(m.name)
    if (!chosen || (keep.afterWrites && chosen.kind === 'new')) return m
    // A chosen activity that is gone stays chosen: mappingProblem says so, rather than the import
    // quietly going somewhere else.
    return { ...m, target: chosen }
  })
}

const sameTargets = (a: readonly ExerciseMapping[], b: readonly ExerciseMapping[]) =>
  JSON.stringify(a.map((m) => [m.name, m.target])) === JSON.stringify(b.map((m) => [m.name, m.target]))

/** One sentence: ends with a full stop unless it ends in punctuation already. */
const sentence = (text: string) => {
  const trimmed = text.trim()
  return /[.!?…]$/.test(trimmed) ? trimmed : `${trimmed}.`
}

const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error))

/** Why an import stopped, in words: where in the file, and the refusal (never the step's internals). */
function stoppedText(error: unknown): string {
  const after = 'What was written stays; import the file again to write the rest.'
  if (!(error instanceof ImportStepError)) return `The import stopped: ${sentence(errorText(error))} ${after}`
  const reason = sentence(errorText(error.cause))
  const first = error.step.name === 'importWorkouts' ? error.step.args.workouts[0] : undefined
  if (!first) return `The import stopped: ${reason} ${after}`
  const { performedAt } = first.entry as EntryInput
  const when = performedAt ? ` of ${dateFormat.format(new Date(performedAt))}` : ''
  const row = first.rows[0] !== undefined ? ` (row ${first.rows[0]})` : ''
  return `The import stopped at the workout${when}${row}: ${reason} ${after}`
}

/** Moves focus to the heading of each new stage, so that keyboard and screen-reader users follow the page. */
function useStageFocus(step: Stage['step']) {
  const heading = useRef<HTMLHeadingElement>(null)
  const shown = useRef(step)
  useEffect(() => {
    if (shown.current === step) return
    shown.current = step
    heading.current?.focus()
  }, [step])
  return heading
}

/** A polite live region that is in the page before its text, so that the text is announced. */
function Announce({ text }: { text: string }) {
  const [said, setSaid] = useState('')
  useEffect(() => {
    const timer = setTimeout(() => setSaid(text), 50)
    return () => clearTimeout(timer)
  }, [text])
  return <p role="status">{said}</p>
}

const stageHeading = 'font-semibold outline-none'

/**
 * Import from Strong, Hevy, FitNotes, StrongLifts or a Cadence file: pick a file, see what it
 * holds and where each exercise goes, confirm, watch it write; undo an import from the list.
 * Everything happens on the device (offline too); the writes sync in the background (SPEC I1).
 * One import writes at a time across tabs (`import-guard.tsx`).
 */
export function ImportFlow() {
  const device = useDevice()
  const [stage, setStage] = useState<Stage>({ step: 'pick' })
  const { message, setMessage } = useMutations()
  const units = useLocalQuery(['units'], (db, userId) => displayUnits(db, userId))
  const past = useLocalQuery(['imports'], (db, userId) => userImports(db, userId))
  const heading = useStageFocus(stage.step)
  /** The latest read: an earlier one that ends later is dropped. */
  const reads = useRef(0)
  useLeaveWarning(stage.step === 'writing')

  /** The file parsed in the worker (in the display unit when it names none) and set against this device's activities. */
  async function load(file: File, keep: Keep, onProgress: (rows: number, fraction: number) => void): Promise<Preview> {
    if (!device) throw new Error('This device is still opening.')
    let parsed = await parseInWorker(file, { fileName: file.name, units: keep.unit }, (p) =>
      onProgress(p.rows, p.totalBytes ? p.bytes / p.totalBytes : 0),
    )
    // A unit given reads the file in it (and so it no longer needs one): the question stays asked.
    let askedUnit = keep.unit ?? null
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
    const chosen = keep.afterWrites
      ? new Map([...(keep.chosen ?? new Map<string, Target>())].filter(([, t]) => t.kind !== 'new'))
      : (keep.chosen ?? new Map<string, Target>())
    return { file, parsed, askedUnit, mapping: remap(parsed, own, keep), chosen, own, defaultLibraryId, already }
  }

  /** Picking a file, and reading it again after a failed import: shows its preview, or says why it cannot be read. */
  async function read(file: File, keep: Keep = {}): Promise<boolean> {
    if (!device) return false
    const read = ++reads.current
    setMessage(undefined)
    if (/\.json$/i.test(file.name) || file.type === 'application/json') {
      setStage({ step: 'archive', file })
      return true
    }
    setStage({ step: 'reading', fileName: file.name, rows: 0, fraction: 0 })
    try {
      const preview = await load(file, keep, (rows, fraction) => {
        if (read === reads.current) setStage({ step: 'reading', fileName: file.name, rows, fraction })
      })
      if (read === reads.current) setStage({ step: 'preview', preview })
      return true
    } catch (error) {
      if (read !== reads.current) return false
      setStage({ step: 'pick' })
      setMessage({ ok: false, text: error instanceof ImportFileError ? error.message : errorText(error) })
      return false
    }
  }

  /**
   * The kg/lb choice: the file read again in that unit while the preview stays (the radio keeps
   * focus), the user's choices laid over the new mapping, including any made meanwhile.
   */
  async function reread(preview: Preview, unit: WeightUnit) {
    const read = ++reads.current
    const current = (s: Stage): s is Extract<Stage, { step: 'preview' }> =>
      read === reads.current && s.step === 'preview' && s.preview.file === preview.file
    setMessage(undefined)
    setStage((s) => (current(s) ? { step: 'preview', preview: { ...s.preview, askedUnit: unit, rereading: true } } : s))
    try {
      const fresh = await load(preview.file, { unit }, () => {})
      setStage((s) =>
        current(s)
          ? { step: 'preview', preview: { ...fresh, chosen: s.preview.chosen, mapping: remap(fresh.parsed, fresh.own, s.preview) } }
          : s,
      )
    } catch (error) {
      if (read !== reads.current) return
      setStage((s) => (current(s) ? { step: 'preview', preview: { ...s.preview, askedUnit: preview.askedUnit, rereading: false } } : s))
      setMessage({ ok: false, text: errorText(error) })
    }
  }

  async function write(preview: Preview) {
    if (!device) return
    const fileName = preview.file.name
    setMessage(undefined)
    setStage({ step: 'writing', fileName, importId: null, progress: { done: 0, total: 1, workouts: 0 } })
    try {
      const outcome = await withImportLock(async () => {
        // Another tab may have imported since the preview: its keys, and the activities it made.
        const fresh = await device.query(async (db, userId) => {
          const targets = await importTargets(db, userId)
          const imported = await importedKeys(
            db,
            userId,
            preview.parsed.workouts.map((w) => w.key),
          )
          const nested = await templateChildIds(db, userId)
          return { own: targets.activities, defaultLibraryId: targets.defaultLibraryId, imported, nested }
        })
        const mapping = remap(preview.parsed, fresh.own, preview)
        if (fresh.defaultLibraryId !== preview.defaultLibraryId || !sameTargets(mapping, preview.mapping)) {
          return { kind: 'changed' as const, preview: { ...preview, mapping, own: fresh.own, already: fresh.imported.size } }
        }
        const built = buildImport({ ...preview, mapping, own: fresh.own, fileName, imported: fresh.imported, nested: fresh.nested, newId })
        setStage({ step: 'writing', fileName, importId: built.importId, progress: { done: 0, total: built.steps.length, workouts: 0 } })
        await runImport(
          built.steps,
          (step) => device.mutate(step.name, step.args as never),
          (progress) => setStage({ step: 'writing', fileName, importId: built.importId, progress }),
        )
        return { kind: 'written' as const, built }
      })
      if (!outcome) {
        setStage({ step: 'preview', preview })
        setMessage({ ok: false, text: importBusyText })
      } else if (outcome.value.kind === 'changed') {
        setStage({ step: 'preview', preview: outcome.value.preview })
        setMessage({
          ok: false,
          text: 'Your exercises changed since this preview was made (in another tab, perhaps): check where each exercise goes, then import.',
        })
      } else {
        const { built } = outcome.value
        setStage({
          step: 'done',
          fileName,
          workouts: built.workouts,
          sets: built.sets,
          skipped: built.skippedWorkouts,
          leftOut: built.leftOut ?? [],
        })
      }
    } catch (error) {
      // Part of the file may be written, and activities created: a preview saying "new" for them
      // would create them twice. Read the file again against what is here now.
      const stopped = stoppedText(error)
      await read(preview.file, { unit: preview.askedUnit ?? undefined, chosen: preview.chosen, afterWrites: true })
      setMessage((m) => ({ ok: false, text: m && !m.ok ? `${stopped} ${m.text}` : stopped }))
    }
  }

  return (
    <Page id="import" title="Import history" gap="gap-6">
      <Notice message={message} />
      {stage.step === 'pick' && (
        <Card as="section" gap="gap-3" aria-labelledby="import-pick-heading">
          <h2 id="import-pick-heading" ref={heading} tabIndex={-1} className={stageHeading}>
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
        <section aria-labelledby="import-reading-heading" className="flex flex-col gap-2">
          <h2 id="import-reading-heading" ref={heading} tabIndex={-1} className={`${stageHeading} break-all`}>
            Reading {stage.fileName}
          </h2>
          <p role="status">{stage.rows.toLocaleString()} rows read</p>
          <progress className="w-full" max={1} value={stage.fraction} aria-label={`Reading ${stage.fileName}`} />
        </section>
      )}
      {stage.step === 'preview' && (
        <PreviewView
          preview={stage.preview}
          heading={heading}
          onChange={(preview) => setStage({ step: 'preview', preview })}
          onUnit={(unit) => void reread(stage.preview, unit)}
          onCancel={() => setStage({ step: 'pick' })}
          onConfirm={() => void write(stage.preview)}
        />
      )}
      {stage.step === 'archive' && <ArchiveImport file={stage.file} heading={heading} onDone={() => setStage({ step: 'pick' })} />}
      {stage.step === 'writing' && (
        <section aria-labelledby="import-writing-heading" className="flex flex-col gap-2">
          <h2 id="import-writing-heading" ref={heading} tabIndex={-1} className={`${stageHeading} break-all`}>
            Writing {stage.fileName}
          </h2>
          <p role="status">{stage.progress.workouts.toLocaleString()} workouts so far</p>
          <progress className="w-full" max={stage.progress.total} value={stage.progress.done} aria-label={`Writing ${stage.fileName}`} />
          <p className="text-sm text-zinc-600 dark:text-zinc-400">Keep this page open. What is written stays if it is closed.</p>
        </section>
      )}
      {stage.step === 'done' && <DoneCard done={stage} heading={heading} onAnother={() => setStage({ step: 'pick' })} />}
      <ImportList imports={past.data ?? []} writing={stage.step === 'writing' ? stage.importId : null} />
    </Page>
  )
}

const count = (n: number, one: string, many: string) => `${n.toLocaleString()} ${n === 1 ? one : many}`

/** What the import wrote, skipped and left out; the summary is announced. */
function DoneCard({
  done,
  heading,
  onAnother,
}: {
  done: Extract<Stage, { step: 'done' }>
  heading: RefObject<HTMLHeadingElement | null>
  onAnother: () => void
}) {
  const skipped = done.skipped > 0 ? `; ${count(done.skipped, 'workout was', 'workouts were')} here already and skipped` : ''
  const leftOut = done.leftOut.length > 0 ? `; ${count(done.leftOut.length, 'workout was', 'workouts were')} left out (below)` : ''
  return (
    <Card as="section" gap="gap-3" aria-labelledby="import-done-heading">
      <h2 id="import-done-heading" ref={heading} tabIndex={-1} className={`${stageHeading} break-all`}>
        Imported {done.fileName}
      </h2>
      <Announce
        text={`${count(done.workouts, 'workout', 'workouts')} and ${count(done.sets, 'set', 'sets')} written${skipped}${leftOut}. They reach the server in the background.`}
      />
      {done.leftOut.length > 0 && (
        <details className="rounded-lg border border-amber-300 p-3 dark:border-amber-700">
          <summary className="cursor-pointer font-medium">{count(done.leftOut.length, 'workout', 'workouts')} left out</summary>
          <ul aria-label="Workouts left out" className="mt-2 flex flex-col gap-1 text-sm">
            {done.leftOut.map((w) => (
              <li key={w.row}>
                Row {w.row}, “{w.name}”: {w.reason}
              </li>
            ))}
          </ul>
        </details>
      )}
      <div className="flex flex-wrap gap-2">
        <Link
          href="/history"
          className="inline-flex min-h-11 items-center rounded-lg bg-accent-strong px-4 text-sm font-medium text-white focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-accent"
        >
          See history
        </Link>
        <Button variant="secondary" onClick={onAnother}>
          Import another file
        </Button>
      </div>
    </Card>
  )
}

function PreviewView({
  preview,
  heading,
  onChange,
  onUnit,
  onCancel,
  onConfirm,
}: {
  preview: Preview
  heading: RefObject<HTMLHeadingElement | null>
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
    onChange({
      ...preview,
      mapping: preview.mapping.map((m) => (m.name === name ? { ...m, target } : m)),
      chosen: new Map(preview.chosen).set(name, target),
    })
  const range =
    summary.firstDate && summary.lastDate
      ? `${dateFormat.format(new Date(summary.firstDate))} – ${dateFormat.format(new Date(summary.lastDate))}`
      : 'no dates'
  return (
    <section aria-labelledby="import-preview-heading" className="flex flex-col gap-4">
      <h2 id="import-preview-heading" ref={heading} tabIndex={-1} className={`text-lg ${stageHeading} break-all`}>
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
          <div className="flex flex-wrap items-center gap-x-4">
            {(['kg', 'lb'] as const).map((unit) => (
              <label key={unit} className="flex min-h-11 items-center gap-2">
                <input type="radio" name="import-unit" checked={preview.askedUnit === unit} onChange={() => onUnit(unit)} />
                {unit === 'kg' ? 'Kilograms (kg)' : 'Pounds (lb)'}
              </label>
            ))}
            <p role="status" className="text-sm text-zinc-600 dark:text-zinc-400">
              {preview.rereading ? `Reading the file again in ${preview.askedUnit === 'kg' ? 'kilograms' : 'pounds'}…` : ''}
            </p>
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
        <Button onClick={onConfirm} disabled={problems.length > 0 || toWrite <= 0 || preview.rereading}>
          {toWrite > 0 ? `Import ${toWrite.toLocaleString()} ${toWrite === 1 ? 'workout' : 'workouts'}` : 'Nothing new to import'}
        </Button>
        <Button variant="secondary" onClick={onCancel}>
          Choose another file
        </Button>
      </div>
    </section>
  )
}
