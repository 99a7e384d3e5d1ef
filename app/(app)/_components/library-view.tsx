'use client'

import Link from 'next/link'
import { useSearchParams } from 'next/navigation'
import { Fragment, useState } from 'react'
import { CatalogueRow, catalogueMatches, filterOwn, useCatalogueAdd } from '@/components/exercise-picker'
import { useDevice, useDeviceStatus } from '@/components/sync/sync-provider'
import { useLocalQuery } from '@/components/sync/use-local-query'
import { useMutations } from '@/components/sync/use-mutations'
import { Notice } from '@/components/ui/notice'
import { Button } from '@/components/ui/button'
import { Page } from '@/components/ui/page'
import { Select } from '@/components/ui/select'
import { TextField } from '@/components/ui/text-field'
import { defaultLibrary, libraryActivities, libraryWithRole } from '@/db/queries/local'
import type { Queryable } from '@/db/types'
import {
  catalogueEquipment,
  catalogueExercise,
  catalogueName,
  muscles,
  type CatalogueEquipment,
  type CatalogueExercise,
  type Muscle,
} from '@/domain/catalogue/exercises'
import { normalizeName } from '@/domain/catalogue/match'
import { popularSlugs, searchCatalogue } from '@/domain/catalogue/search'
import { catalogueSuggestion, distinctLabels, sameName, suggestedNames } from '@/domain/duplicate-names'
import { newId } from '@/domain/ids'
import type { MutatorArgs } from '@/domain/mutators'

const templates = {
  strength: {
    label: 'Strength (weight × reps)',
    kind: 'scalar',
    attributes: [
      ['Weight', 'mass'],
      ['Reps', 'integer'],
    ],
  },
  cardio: {
    label: 'Cardio (distance, time)',
    kind: 'scalar',
    attributes: [
      ['Distance', 'distance'],
      ['Time', 'duration'],
    ],
  },
  workout: { label: 'Workout (a sequence of exercises)', kind: 'sequence', attributes: [] },
  superset: { label: 'Superset or circuit (exercises done in turn)', kind: 'sequence', attributes: [] },
} as const

const popular = popularSlugs.map((slug) => catalogueExercise(slug)!)
const capital = (text: string) => text.charAt(0).toUpperCase() + text.slice(1)

/** The library the page shows: `/?library=<id>` when given (undefined when it is not the user's to see), else the default. */
async function shownLibrary(db: Queryable, userId: string, libraryId: string | null) {
  if (libraryId === null) {
    const library = await defaultLibrary(db, userId)
    return library ? { id: library.id, name: library.name, isDefault: true, role: 'owner' as const } : undefined
  }
  return (await libraryWithRole(db, userId, libraryId)) ?? null
}

/**
 * A library, read from the device database: its activities (searchable), the catalogue to add
 * exercises from in one tap, and a form to make one's own. Names already in the library are
 * warned about before a second is added, and same-named activities are told apart in lists.
 */
export function LibraryView() {
  const requested = useSearchParams().get('library')
  const device = useDevice()
  const status = useDeviceStatus()
  const library = useLocalQuery(['library', requested], (db, userId) => shownLibrary(db, userId, requested))
  const libraryId = library.data?.id
  const list = useLocalQuery(['activities', libraryId], (db) => (libraryId ? libraryActivities(db, libraryId) : Promise.resolve([])))
  const { run, submit, fieldError, message } = useMutations()
  const catalogue = useCatalogueAdd(libraryId)
  const [kind, setKind] = useState<keyof typeof templates>('strength')
  const [picked, setPicked] = useState<Record<string, number>>({})
  const [query, setQuery] = useState('')
  const [pickQuery, setPickQuery] = useState('')
  const [muscle, setMuscle] = useState<Muscle | ''>('')
  const [equipment, setEquipment] = useState<CatalogueEquipment | ''>('')
  const [name, setName] = useState('')
  // The typed name the user was warned about: adding it again adds it anyway.
  const [warned, setWarned] = useState<{ key: string; existing: string; suggestions: string[] }>()
  const [catalogueWarning, setCatalogueWarning] = useState<{ exercise: CatalogueExercise; existing: string; suggestion: string }>()

  const activities = list.data ?? []
  const add = submit('add-activity', async (data) => {
    if (!libraryId) return false
    const typed = String(data.get('name') ?? '')
    const clash = sameName(typed, activities)
    if (clash && warned?.key !== normalizeName(typed)) {
      setWarned({ key: normalizeName(typed), existing: clash.name, suggestions: suggestedNames(typed, activities).slice(0, 3) })
      return false
    }
    const template = templates[kind]
    const args: MutatorArgs<'createActivity'> = {
      id: newId(),
      libraryId,
      name: typed,
      kind: template.kind,
      attributes: template.attributes.map(([name, type]) => ({ id: newId(), name, type })),
      items:
        template.kind === 'sequence' ? Object.entries(picked).map(([childId, repeat]) => ({ id: newId(), childId, repeat })) : undefined,
    }
    const ok = await run('createActivity', args)
    if (ok) {
      setPicked({})
      setName('')
      setWarned(undefined)
    }
    return ok
  })

  async function addFromCatalogue(exercise: CatalogueExercise, chosenName?: string) {
    const shown = chosenName ?? catalogueName(exercise)
    const clash = sameName(shown, activities)
    if (clash) {
      setCatalogueWarning({ exercise, existing: clash.name, suggestion: catalogueSuggestion(exercise, shown, activities) })
      return undefined
    }
    setCatalogueWarning(undefined)
    return catalogue.add(exercise, chosenName)
  }

  if (requested !== null && library.data === null && !library.isPending && status.lastSyncedAt !== null) {
    return (
      <Page id="library" title="Library not found" gap="gap-4">
        <p>
          There is no such library on this device, or it is not shared with you.{' '}
          <Link href="/" className="underline">
            Back to your library
          </Link>
        </p>
      </Page>
    )
  }
  if (!device || library.isPending || (!library.data && status.lastSyncedAt === null)) {
    return <p className="text-zinc-600 dark:text-zinc-400">Loading your library on this device…</p>
  }
  if (!library.data) return <p>Your library has not reached this device yet.</p>
  const shown = library.data
  const canEdit = shown.role === 'owner' || shown.role === 'editor'
  const scalars = activities.filter((a) => a.kind === 'scalar')
  const labels = distinctLabels(activities)
  const filtered = filterOwn(query, activities)
  const empty = activities.length === 0
  const filtering = query.trim() !== '' || muscle !== '' || equipment !== ''
  const found = filtering
    ? searchCatalogue(query, { muscle: muscle || undefined, equipment: equipment || undefined, limit: 20 })
    : empty
      ? popular
      : []
  const composable = kind === 'workout' ? activities : scalars
  const shownChoices = composable.filter((a) => a.id in picked || filterOwn(pickQuery, [a]).length > 0)
  const pickFromCatalogue = pickQuery.trim() ? catalogueMatches(pickQuery, activities, { limit: 4 }) : []

  const search = (
    <div className="flex flex-col gap-1.5">
      <label htmlFor="library-search" className="text-sm font-medium">
        {empty ? 'Search the catalogue' : 'Search exercises'}
      </label>
      <input
        id="library-search"
        type="search"
        autoComplete="off"
        enterKeyHint="search"
        placeholder={empty ? 'Bench press, squat, row…' : 'Your exercises and the catalogue'}
        value={query}
        onChange={(e) => setQuery(e.target.value)}
        className="min-h-11 rounded-lg border border-zinc-300 bg-white px-3 text-base outline-none focus:border-accent focus:ring-2 focus:ring-accent/30 dark:border-zinc-700 dark:bg-zinc-900"
      />
    </div>
  )

  return (
    <Page id="library" title={shown.name} gap="gap-4">
      {!shown.isDefault ? (
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          {shown.role === 'owner' ? 'One of your libraries.' : `Shared with you (${shown.role}).`}{' '}
          <Link href="/libraries" className="inline-flex min-h-11 items-center underline">
            All libraries
          </Link>
        </p>
      ) : null}
      {empty && canEdit ? (
        <div className="flex flex-col gap-1">
          <h2 className="text-lg font-semibold">Find an exercise</h2>
          <p className="text-sm text-zinc-600 dark:text-zinc-400">Your library is empty. Tap an exercise to put it in, then log it.</p>
        </div>
      ) : null}
      {canEdit || !empty ? search : null}
      {!empty ? (
        filtered.length > 0 ? (
          <ul
            aria-label="Activities"
            className="divide-y divide-zinc-200 rounded-xl border border-zinc-200 dark:divide-zinc-800 dark:border-zinc-800"
          >
            {filtered.map((a) => {
              const label = labels.get(a.id) ?? a.name
              // A same-named activity without its own description is numbered ("Row (2)").
              const number = label.startsWith(`${a.name} (`) ? label.slice(a.name.length) : ''
              return (
                <li key={a.id} className="flex flex-wrap items-center justify-between gap-x-2 px-4 py-1">
                  <span className="flex min-w-0 flex-col py-1">
                    <span>
                      <span>{a.name}</span>
                      {number ? <span className="text-zinc-600 dark:text-zinc-400">{number}</span> : null}
                    </span>
                    <span className="text-xs text-zinc-600 dark:text-zinc-400">
                      {a.kind === 'sequence' ? 'Workout' : a.description || 'Exercise'}
                    </span>
                  </span>
                  <span className="flex gap-1">
                    {shown.role === 'owner' ? (
                      <>
                        <Link
                          className="inline-flex min-h-11 items-center rounded-lg px-3 text-sm font-medium underline-offset-4 hover:underline"
                          href={`/log?activity=${a.id}`}
                          aria-label={`Log ${label}`}
                        >
                          {a.kind === 'sequence' ? 'Start' : 'Log'}
                        </Link>
                        <Link
                          className="inline-flex min-h-11 items-center rounded-lg px-3 text-sm underline-offset-4 hover:underline"
                          href={`/progress?activity=${a.id}`}
                          aria-label={`Progress of ${label}`}
                        >
                          Progress
                        </Link>
                      </>
                    ) : null}
                    {canEdit ? (
                      <Link
                        className="inline-flex min-h-11 items-center rounded-lg px-3 text-sm underline-offset-4 hover:underline"
                        href={`/activity?id=${a.id}`}
                        aria-label={`Edit ${label}`}
                      >
                        Edit
                      </Link>
                    ) : null}
                  </span>
                </li>
              )
            })}
          </ul>
        ) : (
          <p className="text-sm text-zinc-600 dark:text-zinc-400">None of your activities is called that.</p>
        )
      ) : !canEdit ? (
        <p className="rounded-xl border border-dashed border-zinc-300 px-6 py-10 text-center dark:border-zinc-700">No activities yet.</p>
      ) : null}

      {canEdit ? (
        <section aria-labelledby="catalogue-heading" className="flex flex-col gap-3">
          <div className="flex flex-col gap-0.5">
            <h2 id="catalogue-heading" className={empty ? 'sr-only' : 'text-base font-semibold'}>
              {empty ? 'Catalogue' : 'From the catalogue'}
            </h2>
            {!empty ? (
              <p className="text-sm text-zinc-600 dark:text-zinc-400">
                Search above, or pick a muscle or equipment; a tap puts it in this library.
              </p>
            ) : null}
          </div>
          <div className="grid grid-cols-2 gap-2">
            <label className="flex flex-col gap-1 text-sm font-medium">
              Muscle
              <Select value={muscle} onChange={(e) => setMuscle(e.target.value as Muscle | '')}>
                <option value="">Any</option>
                {muscles.map((m) => (
                  <option key={m} value={m}>
                    {capital(m)}
                  </option>
                ))}
              </Select>
            </label>
            <label className="flex flex-col gap-1 text-sm font-medium">
              Equipment
              <Select value={equipment} onChange={(e) => setEquipment(e.target.value as CatalogueEquipment | '')}>
                <option value="">Any</option>
                {catalogueEquipment.map((m) => (
                  <option key={m} value={m}>
                    {m === 'none' ? 'None (running, swimming…)' : capital(m)}
                  </option>
                ))}
              </Select>
            </label>
          </div>
          {found.length > 0 ? (
            <>
              {!filtering ? <h3 className="text-sm font-medium">Popular</h3> : null}
              <ul
                aria-label={filtering ? 'Catalogue matches' : 'Popular exercises'}
                className="divide-y divide-zinc-200 overflow-hidden rounded-xl border border-zinc-200 dark:divide-zinc-800 dark:border-zinc-800"
              >
                {found.map((e) => (
                  <Fragment key={e.slug}>
                    <CatalogueRow
                      exercise={e}
                      note={sameName(catalogueName(e), activities) ? 'in this library' : undefined}
                      onPick={() => void addFromCatalogue(e)}
                    />
                    {catalogueWarning?.exercise.slug === e.slug ? (
                      <li className="p-2">
                        <div
                          role="alert"
                          className="flex flex-col gap-2 rounded-lg border border-amber-400 bg-amber-50 p-3 text-sm dark:border-amber-700 dark:bg-amber-950"
                        >
                          <p>
                            “{catalogueWarning.existing}” is already in this library. Give the new one another name, so the two are told
                            apart.
                          </p>
                          <div className="flex flex-wrap gap-2">
                            <Button
                              onClick={async () => {
                                const w = catalogueWarning
                                if ((await addFromCatalogue(w.exercise, w.suggestion)) !== undefined) setCatalogueWarning(undefined)
                              }}
                            >
                              Name it “{catalogueWarning.suggestion}”
                            </Button>
                            <Button variant="secondary" onClick={() => setCatalogueWarning(undefined)}>
                              Keep only the one I have
                            </Button>
                          </div>
                        </div>
                      </li>
                    ) : null}
                  </Fragment>
                ))}
              </ul>
            </>
          ) : filtering ? (
            <p className="text-sm text-zinc-600 dark:text-zinc-400">No exercise in the catalogue fits; make your own below.</p>
          ) : null}
          <Notice message={catalogue.message} />
        </section>
      ) : null}

      {canEdit ? (
        <form
          onSubmit={add}
          className="flex flex-col gap-3 rounded-xl border border-zinc-200 p-4 dark:border-zinc-800"
          aria-label="Add an activity"
        >
          <h2 className="text-base font-semibold">Make your own</h2>
          <div className="flex flex-col gap-3 sm:flex-row sm:items-end">
            <div className="flex-1">
              <TextField
                label="New activity"
                name="name"
                required
                maxLength={200}
                value={name}
                onChange={(e) => setName(e.target.value)}
                error={fieldError('add-activity', 'name')}
              />
              {warned && warned.key === normalizeName(name) ? (
                <div
                  role="alert"
                  className="mt-2 flex flex-col gap-2 rounded-lg border border-amber-400 bg-amber-50 p-3 text-sm dark:border-amber-700 dark:bg-amber-950"
                >
                  <p>
                    “{warned.existing}” is already in this library. Press Add again to have two of that name, or tell them apart, say by the
                    equipment:
                  </p>
                  <div className="flex flex-wrap gap-2">
                    {warned.suggestions.map((s) => (
                      <Button key={s} type="button" variant="secondary" onClick={() => setName(s)}>
                        Use “{s}”
                      </Button>
                    ))}
                  </div>
                </div>
              ) : null}
            </div>
            <div className="flex flex-col gap-1.5">
              <label htmlFor="template" className="text-sm font-medium">
                Type
              </label>
              <Select id="template" name="template" value={kind} onChange={(e) => setKind(e.target.value as keyof typeof templates)}>
                {Object.entries(templates).map(([value, t]) => (
                  <option key={value} value={value}>
                    {t.label}
                  </option>
                ))}
              </Select>
            </div>
            <Button type="submit">Add</Button>
          </div>
          {kind === 'workout' || kind === 'superset' ? (
            <fieldset className="flex flex-col gap-2">
              <legend className="text-sm font-medium">
                {kind === 'workout'
                  ? 'Exercises and supersets in this workout, and sets (or rounds) of each'
                  : 'Exercises done in turn, and sets of each a round'}
              </legend>
              <input
                type="search"
                aria-label="Search exercises to include"
                placeholder="Search exercises to include"
                autoComplete="off"
                value={pickQuery}
                onChange={(e) => setPickQuery(e.target.value)}
                onKeyDown={(e) => {
                  if (e.key === 'Enter') e.preventDefault()
                }}
                className="min-h-11 rounded-lg border border-zinc-300 bg-white px-3 text-base dark:border-zinc-700 dark:bg-zinc-900"
              />
              {scalars.length === 0 && pickFromCatalogue.length === 0 ? (
                <p className="text-sm text-zinc-600 dark:text-zinc-400">
                  Add an exercise first (search for one above); a workout is a sequence of them.
                </p>
              ) : null}
              {shownChoices.map((a) => {
                const label = labels.get(a.id) ?? a.name
                return (
                  <div key={a.id} className="flex min-h-11 items-center gap-3">
                    <input
                      id={`pick-${a.id}`}
                      type="checkbox"
                      className="size-5"
                      checked={a.id in picked}
                      onChange={(e) =>
                        setPicked((p) => {
                          const next = { ...p }
                          if (e.target.checked) next[a.id] = kind === 'superset' ? 1 : 3
                          else delete next[a.id]
                          return next
                        })
                      }
                    />
                    <label htmlFor={`pick-${a.id}`} className="flex-1">
                      {label}
                    </label>
                    {a.id in picked ? (
                      <input
                        aria-label={`${a.kind === 'sequence' ? 'Rounds' : 'Sets'} of ${label}`}
                        type="number"
                        min={1}
                        max={100}
                        value={picked[a.id]}
                        onChange={(e) => setPicked((p) => ({ ...p, [a.id]: Math.max(1, Number(e.target.value) || 1) }))}
                        className="min-h-11 w-20 rounded-lg border border-zinc-300 bg-white px-2 dark:border-zinc-700 dark:bg-zinc-900"
                      />
                    ) : null}
                  </div>
                )
              })}
              {pickFromCatalogue.length > 0 ? (
                <>
                  <p className="text-sm font-medium">From the catalogue: picked, it joins your library and this workout</p>
                  <ul
                    aria-label="Catalogue exercises to include"
                    className="divide-y divide-zinc-200 overflow-hidden rounded-lg border border-zinc-200 dark:divide-zinc-800 dark:border-zinc-800"
                  >
                    {pickFromCatalogue.map((e) => (
                      <CatalogueRow
                        key={e.slug}
                        exercise={e}
                        onPick={async () => {
                          const created = await catalogue.add(e)
                          if (created) {
                            setPicked((p) => ({ ...p, [created]: kind === 'superset' ? 1 : 3 }))
                            setPickQuery('')
                          }
                        }}
                      />
                    ))}
                  </ul>
                </>
              ) : null}
            </fieldset>
          ) : null}
          <Notice message={message} />
        </form>
      ) : null}
    </Page>
  )
}
