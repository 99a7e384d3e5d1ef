/**
 * Name matching for importers: which catalogue exercise an exercise name from another app's file
 * stands for ("Bench Press (Barbell)", "Flat Barbell Bench Press", "Pull Up", "Running"), and
 * {@link normalizeName}, the key that tells whether a file's name is one of the user's own.
 *
 * How a name is read:
 * - Words are compared as `words.ts` folds them (case, accents, punctuation, plurals,
 *   abbreviations), and without the spaces between them, so "Pull-up", "Pull Up" and "pullup"
 *   are one name.
 * - Equipment may be written anywhere: in parentheses ("Squat (Barbell)"), as a leading word
 *   ("Barbell Row") or inside ("Flat Barbell Bench Press", "Leg Extension Machine").
 * - Other words in parentheses or after a " - " are details. A detail that makes a catalogue
 *   name with the rest ("Pull Up (Weighted)" is "Weighted pull-up", "Running (Treadmill)" is
 *   "Treadmill running") is part of the name; grip and attachment details ("Cable - Straight
 *   Bar", "V Grip") are left out, and the match is then only likely. Any other detail, or any
 *   word of the name that the catalogue does not have, means no match: a wrong exercise is
 *   worse than none, because the importer then keeps the file's own name.
 *
 * Which exercise:
 * - When the file names equipment, only an exercise with that equipment matches ("Bench Press
 *   (Kettlebell)" is no match). An alias that fits but with other equipment ("Shoulder Press
 *   (Smith Machine)") reaches the same-named exercise with that equipment, as likely.
 * - When it names none, an exercise whose own name says its equipment ("Cable crunch") is left
 *   out, and among the rest the name's default (the first listed, see `exercises.ts`) wins; the
 *   match is exact only when there was nothing to choose between.
 * - A catalogue name beats an alias.
 */
import { catalogueExercises, type CatalogueEquipment, type CatalogueExercise } from './exercises'
import { takeEquipment, words } from './words'

export type ExerciseMatch = {
  exercise: CatalogueExercise
  /** `exact`: the name is the exercise's, with its equipment. `likely`: a choice was made (see the module). */
  confidence: 'exact' | 'likely'
}

export type MatchOptions = {
  /**
   * The equipment a file means when a name names none (a StrongLifts file is all barbell work):
   * it picks among a name's equipments before the default does. A name with no exercise of
   * that equipment still matches the others ("Pull-ups" in a barbell program).
   */
  impliedEquipment?: CatalogueEquipment
}

type ReadName = { base: string[]; details: string[]; equipment: CatalogueEquipment[] }

/** Grip and attachment words: a detail made only of these does not change the exercise. */
const ignorableDetails = new Set([
  'grip',
  'wide',
  'narrow',
  'close',
  'neutral',
  'overhand',
  'underhand',
  'pronated',
  'supinated',
  'straight',
  'bar',
  'rope',
  'v',
  'handle',
  'attachment',
])

function readName(name: string): ReadName {
  const details: string[] = []
  let main = name.replace(/[([]([^()[\]]*)[)\]]/g, (_, inner: string) => {
    details.push(inner)
    return ' '
  })
  const [head = '', ...tail] = main.split(/\s+[-–—:|]\s+|\s*,\s*/)
  main = head
  details.push(...tail)
  const inMain = takeEquipment(words(main))
  const inDetails = takeEquipment(details.flatMap(words))
  return {
    base: inMain.rest,
    details: inDetails.rest,
    equipment: [...new Set([...inMain.equipment, ...inDetails.equipment])],
  }
}

/**
 * The key under which two exercise names are the same: folded words without spaces, then the
 * equipment they name, wherever it was written. "Bench Press (Barbell)", "barbell bench-press"
 * and "BB Bench Presses" give one key; "Bench Press (Dumbbell)" another. For comparing, not for
 * showing.
 */
export function normalizeName(name: string): string {
  const read = readName(name)
  const text = [...read.base, ...read.details].join('')
  return read.equipment.length === 0 ? text : `${text} (${[...read.equipment].sort().join(', ')})`
}

type Indexed = {
  exercise: CatalogueExercise
  order: number
  via: 'name' | 'alias'
  /** The equipment the indexed text itself names ("Cable crunch"); usually none. */
  names: readonly CatalogueEquipment[]
}

const index = (() => {
  const map = new Map<string, Indexed[]>()
  catalogueExercises.forEach((exercise, order) => {
    const texts: [string, Indexed['via']][] = [[exercise.name, 'name'], ...exercise.aliases.map((a): [string, 'alias'] => [a, 'alias'])]
    for (const [text, via] of texts) {
      const read = readName(text)
      const key = read.base.join('')
      const list = map.get(key) ?? []
      list.push({ exercise, order, via, names: read.equipment })
      map.set(key, list)
    }
  })
  return map
})()

/** Test hook: every indexed text and the equipment it names, to check them against the data. */
export function indexedEquipment(): { slug: string; names: readonly CatalogueEquipment[] }[] {
  return [...index.values()].flat().map((i) => ({ slug: i.exercise.slug, names: i.names }))
}

function distinct(list: readonly Indexed[]): CatalogueExercise[] {
  return [...new Set(list.map((i) => i.exercise))]
}

/** Name matches before alias matches, each in catalogue order. */
function best(list: readonly Indexed[]): CatalogueExercise[] {
  const byName = list.filter((i) => i.via === 'name')
  return distinct((byName.length > 0 ? byName : list).toSorted((a, b) => a.order - b.order))
}

function pick(key: string, equipment: CatalogueEquipment | undefined, options: MatchOptions): ExerciseMatch | null {
  const found = index.get(key) ?? []
  if (found.length === 0) return null
  if (equipment) {
    const direct = best(found.filter((i) => i.exercise.equipment === equipment))
    const [first] = direct
    if (first) return { exercise: first, confidence: direct.length === 1 ? 'exact' : 'likely' }
    const names = new Set(found.map((i) => i.exercise.name))
    const sibling = catalogueExercises.find((e) => names.has(e.name) && e.equipment === equipment)
    return sibling ? { exercise: sibling, confidence: 'likely' } : null
  }
  const open = found.filter((i) => i.names.length === 0)
  if (open.length === 0) {
    // Only names that state equipment ("Kettlebell swing" for "Swing"): one is a fair guess.
    const [only, ...others] = distinct(found)
    return only && others.length === 0 ? { exercise: only, confidence: 'likely' } : null
  }
  const candidates = best(open)
  const implied = options.impliedEquipment && candidates.filter((e) => e.equipment === options.impliedEquipment)
  const choice = implied && implied.length > 0 ? implied : candidates
  const [first] = choice
  return first ? { exercise: first, confidence: choice.length === 1 ? 'exact' : 'likely' } : null
}

/**
 * The catalogue exercise a name from an import file stands for, or null when none clearly does
 * (then the importer keeps the file's name as the user's own activity). See the module for how
 * a name is read and which exercise wins.
 */
export function matchExerciseName(nameFromFile: string, options: MatchOptions = {}): ExerciseMatch | null {
  const read = readName(nameFromFile)
  if (read.base.length === 0 || read.equipment.length > 1) return null
  const [equipment] = read.equipment
  if (read.details.length === 0) return pick(read.base.join(''), equipment, options)
  for (const key of [
    [...read.details, ...read.base],
    [...read.base, ...read.details],
  ]) {
    const match = pick(key.join(''), equipment, options)
    if (match) return match
  }
  if (!read.details.every((w) => ignorableDetails.has(w))) return null
  const match = pick(read.base.join(''), equipment, options)
  return match && { exercise: match.exercise, confidence: 'likely' }
}
