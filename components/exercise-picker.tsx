'use client'

import { useId, useState } from 'react'
import { useMutations } from '@/components/sync/use-mutations'
import { Notice } from '@/components/ui/notice'
import { catalogueDescription, catalogueName, type CatalogueExercise } from '@/domain/catalogue/exercises'
import { nameMatches, searchCatalogue, type SearchOptions } from '@/domain/catalogue/search'
import { distinctLabels, sameName, type Named } from '@/domain/duplicate-names'
import { newId } from '@/domain/ids'

/** An activity of the user's, as a picker lists it. */
export type PickerItem = Named & { kind?: 'scalar' | 'sequence' }

/** The user's items whose name fits `query` (catalogue search's reading of words), in their order. */
export function filterOwn<T extends Named>(query: string, items: readonly T[]): T[] {
  return items.filter((i) => nameMatches(query, i.name))
}

/**
 * Catalogue exercises that fit the query and are not in the library already (by name, as
 * `duplicate-names.ts` compares them): those are picked from the user's own list instead.
 */
export function catalogueMatches(query: string, library: readonly Named[], options: SearchOptions = {}): CatalogueExercise[] {
  const limit = options.limit ?? 8
  return searchCatalogue(query, { ...options, limit: Infinity })
    .filter((e) => !sameName(catalogueName(e), library))
    .slice(0, limit)
}

/**
 * Adds a catalogue exercise to a library as the user's own activity (one `addCatalogueExercise`
 * mutation, so offline too) and gives back its id, or undefined when it was refused (the
 * refusal is in `message`).
 */
export function useCatalogueAdd(libraryId: string | undefined) {
  const { run, message } = useMutations()
  async function add(exercise: CatalogueExercise, name?: string): Promise<string | undefined> {
    if (!libraryId) return undefined
    const id = newId()
    const ok = await run(
      'addCatalogueExercise',
      { id, libraryId, slug: exercise.slug, name },
      { done: `${name ?? catalogueName(exercise)} is in your library.` },
    )
    return ok ? id : undefined
  }
  return { add, message }
}

const rowButton =
  'flex min-h-11 w-full items-center justify-between gap-3 px-3 py-2 text-left hover:bg-zinc-100 focus-visible:outline-2 focus-visible:outline-offset-[-2px] focus-visible:outline-accent aria-pressed:bg-accent/10 aria-pressed:font-medium dark:hover:bg-zinc-800'
const listBox = 'divide-y divide-zinc-200 overflow-hidden rounded-lg border border-zinc-200 dark:divide-zinc-800 dark:border-zinc-800'

/** A catalogue exercise as a tappable row: its name, what it is ("Dumbbell · chest") and a plus. */
export function CatalogueRow({
  exercise,
  onPick,
  busy,
  note,
}: {
  exercise: CatalogueExercise
  onPick: () => void
  busy?: boolean
  note?: string
}) {
  return (
    <li>
      <button type="button" className={rowButton} onClick={onPick} disabled={busy}>
        <span className="flex min-w-0 flex-col">
          <span className="font-medium">{catalogueName(exercise)}</span>
          <span className="text-xs text-zinc-600 dark:text-zinc-400">
            {catalogueDescription(exercise)}
            {note ? ` · ${note}` : ''}
          </span>
        </span>
        <span aria-hidden className="text-xl leading-none text-accent-strong dark:text-accent">
          +
        </span>
      </button>
    </li>
  )
}

type PickerProps = {
  /** The search field's label ("Exercise to add"). */
  label: string
  /** The user's activities to pick from. */
  items: readonly PickerItem[]
  /** Called with the picked activity's id (a catalogue exercise's new copy's id too). */
  onPick: (id: string) => void | Promise<void>
  /** The item picked, shown pressed. */
  selectedId?: string
  /** The library catalogue exercises are added to when picked, and every name in it (for duplicates); none: no catalogue. */
  library?: { id: string; activities: readonly Named[] }
  /** List the user's items before anything is typed (a short list); otherwise only matches are listed. */
  listWhenEmpty?: boolean
}

/**
 * Search and pick an exercise: a labelled search field, the user's matching exercises as buttons
 * and, below, matching catalogue exercises, each added to the library (as the user's own copy)
 * when picked. Same-named activities are told apart by `distinctLabels`.
 */
export function ExercisePicker({ label, items, onPick, selectedId, library, listWhenEmpty = false }: PickerProps) {
  const id = useId()
  const [query, setQuery] = useState('')
  const [busy, setBusy] = useState(false)
  const { add, message } = useCatalogueAdd(library?.id)
  const typed = query.trim() !== ''
  const own = typed || listWhenEmpty ? filterOwn(query, items) : []
  const fromCatalogue = typed && library ? catalogueMatches(query, library.activities, { limit: 6 }) : []
  const labels = distinctLabels(items)

  async function pickCatalogue(exercise: CatalogueExercise) {
    setBusy(true)
    try {
      const created = await add(exercise)
      if (created) {
        setQuery('')
        await onPick(created)
      }
    } finally {
      setBusy(false)
    }
  }

  return (
    <div className="flex min-w-0 flex-1 flex-col gap-2">
      <label htmlFor={id} className="text-sm font-medium">
        {label}
      </label>
      <input
        id={id}
        type="search"
        autoComplete="off"
        enterKeyHint="search"
        placeholder="Search exercises"
        aria-describedby={`${id}-count`}
        value={query}
        onChange={(e) => setQuery(e.target.value)}
        // Enter searches; it must not submit a form the picker sits in.
        onKeyDown={(e) => {
          if (e.key === 'Enter') e.preventDefault()
        }}
        className="min-h-11 rounded-lg border border-zinc-300 bg-white px-3 text-base outline-none focus:border-accent focus:ring-2 focus:ring-accent/30 dark:border-zinc-700 dark:bg-zinc-900"
      />
      <p id={`${id}-count`} aria-live="polite" className="sr-only">
        {typed ? `${own.length} of yours, ${fromCatalogue.length} in the catalogue` : ''}
      </p>
      {own.length > 0 ? (
        <ul aria-label="Your exercises" className={listBox}>
          {own.map((item) => (
            <li key={item.id}>
              <button
                type="button"
                className={rowButton}
                aria-pressed={selectedId === undefined ? undefined : item.id === selectedId}
                onClick={() => {
                  // A pick that adds (nothing stays selected) starts the next search afresh.
                  if (selectedId === undefined) setQuery('')
                  void onPick(item.id)
                }}
              >
                <span>{labels.get(item.id) ?? item.name}</span>
                {item.id === selectedId ? (
                  <span aria-hidden className="text-lg leading-none text-accent-strong dark:text-accent">
                    ✓
                  </span>
                ) : null}
              </button>
            </li>
          ))}
        </ul>
      ) : typed ? (
        <p className="text-sm text-zinc-600 dark:text-zinc-400">None of yours is called that.</p>
      ) : null}
      {fromCatalogue.length > 0 ? (
        <>
          <p className="text-sm font-medium">From the catalogue: picked, it joins your library</p>
          <ul aria-label="From the catalogue" className={listBox}>
            {fromCatalogue.map((e) => (
              <CatalogueRow key={e.slug} exercise={e} busy={busy} onPick={() => void pickCatalogue(e)} />
            ))}
          </ul>
        </>
      ) : null}
      <Notice message={message?.ok ? undefined : message} />
    </div>
  )
}
