/**
 * Search in the catalogue, as a picker asks it while the user types: "db bench" finds the
 * dumbbell bench press, "pullup" the pull-up, "skull" the lying triceps extension.
 *
 * Each query word must begin a word of the exercise (or, for "pullup", a run of its words), in
 * any order; case, accents, plurals and the gym abbreviations of `words.ts` do not count.
 * Ranking, best first:
 * 0. exact: the query is the name, or the name with its equipment ("bench press", "ohp");
 * 1. prefix: the name (or the shown name) begins with the query ("bench" → "Bench press");
 * 2. words: every query word is in the name or the equipment ("db bench");
 * 3. alias: every query word is in the name, the equipment or one of the aliases ("military");
 * 4. muscle: every query word is in the name, the equipment or the primary muscle ("chest").
 * Within a rank, by name; the same name with several equipments keeps catalogue order,
 * so its default (the barbell for the big lifts) comes first.
 */
import { catalogueExercises, catalogueName, type CatalogueEquipment, type CatalogueExercise, type Muscle } from './exercises'
import { words } from './words'

export type SearchOptions = {
  /** At most this many results; all by default. */
  limit?: number
  /** Only exercises for this primary muscle. */
  muscle?: Muscle
  /** Only exercises done with this equipment. */
  equipment?: CatalogueEquipment
}

/** What a new library is offered before anything is typed: the lifts most programmes start from. */
export const popularSlugs = [
  'bench-press-barbell',
  'squat-barbell',
  'deadlift-barbell',
  'overhead-press-barbell',
  'bent-over-row-barbell',
  'pull-up',
  'lat-pulldown-cable',
  'romanian-deadlift-barbell',
  'leg-press-machine',
  'plank',
] as const

type Searchable = {
  exercise: CatalogueExercise
  order: number
  /** The shown name's words without spaces ("benchpressdumbbell"). */
  shown: string
  name: string[]
  equipment: string[]
  aliases: string[][]
  muscle: string[]
}

const searchable: readonly Searchable[] = catalogueExercises.map((exercise, order) => ({
  exercise,
  order,
  shown: words(catalogueName(exercise)).join(''),
  name: words(exercise.name),
  equipment: words(exercise.equipment),
  aliases: exercise.aliases.map(words),
  muscle: words(exercise.primaryMuscle),
}))

/** A query word is found when it begins a word, or a run of words read without spaces ("pullup"). */
function found(word: string, field: readonly string[]): boolean {
  return field.some((_, i) => field.slice(i).join('').startsWith(word))
}

function all(query: readonly string[], field: readonly string[]): boolean {
  return query.every((w) => found(w, field))
}

function sameWords(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((w) => b.includes(w)) && b.every((w) => a.includes(w))
}

function rank(s: Searchable, query: readonly string[]): number | null {
  const shown = [...s.name, ...s.equipment]
  const joined = query.join('')
  if (sameWords(query, s.name) || sameWords(query, shown) || joined === s.name.join('')) return 0
  if (s.name.join('').startsWith(joined) || s.shown.startsWith(joined)) return 1
  if (all(query, shown)) return 2
  if (s.aliases.some((alias) => all(query, [...shown, ...alias]))) return 3
  if (all(query, [...shown, ...s.muscle])) return 4
  return null
}

/**
 * Whether a name fits a query as catalogue search reads one: every query word begins a word of
 * the name, or a run of its words read without spaces ("pullup" fits "Pull-up"). An empty query
 * fits every name. For filtering the user's own activities the way the catalogue is searched.
 */
export function nameMatches(query: string, name: string): boolean {
  return all(words(query), words(name))
}

function byName(a: Searchable, b: Searchable): number {
  return a.exercise.name.localeCompare(b.exercise.name, 'en') || a.order - b.order
}

/** Catalogue exercises that fit a query, best first (see the module); an empty query lists them all by name. */
export function searchCatalogue(query: string, options: SearchOptions = {}): CatalogueExercise[] {
  const limit = options.limit ?? Infinity
  const q = words(query)
  const pool = searchable.filter(
    (s) =>
      (options.muscle === undefined || s.exercise.primaryMuscle === options.muscle) &&
      (options.equipment === undefined || s.exercise.equipment === options.equipment),
  )
  if (q.length === 0)
    return pool
      .toSorted(byName)
      .slice(0, limit)
      .map((s) => s.exercise)
  return pool
    .flatMap((s) => {
      const r = rank(s, q)
      return r === null ? [] : [{ s, r }]
    })
    .toSorted((a, b) => a.r - b.r || byName(a.s, b.s))
    .slice(0, limit)
    .map(({ s }) => s.exercise)
}
