/**
 * The catalogue as an importer sees it: a file's exercise name to the built-in exercise it stands
 * for (`domain/catalogue`), with the attributes an activity made from it gets.
 */
import { catalogueName, measureAttributes } from '@/domain/catalogue/exercises'
import { matchExerciseName } from '@/domain/catalogue/match'
import type { ImportFormat } from './model'
import type { CatalogueMatcher } from './plan'

/** The matcher for a file of this format (a StrongLifts file's lifts are barbell lifts unless it says otherwise). */
export function catalogueMatcher(format: ImportFormat): CatalogueMatcher {
  const impliedEquipment = format === 'stronglifts' ? ('barbell' as const) : undefined
  return (name) => {
    const match = matchExerciseName(name, { impliedEquipment })
    if (!match) return null
    const { exercise } = match
    return { slug: exercise.slug, name: catalogueName(exercise), attributes: measureAttributes[exercise.measure].map((a) => ({ ...a })) }
  }
}
