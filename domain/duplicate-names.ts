/**
 * Two activities of one name in a library: warned about before one is added or renamed, and told
 * apart wherever they are listed. Names are compared as the importer compares them
 * (`catalogue/match.ts` normalizeName: case, punctuation, plurals, where the equipment is
 * written), so "Bench Press" and "bench-press" are one name, "Bench press (dumbbell)" another.
 */
import { catalogueExercises, type CatalogueExercise } from './catalogue/exercises'
import { normalizeName } from './catalogue/match'

export type Named = { id: string; name: string; description?: string }

/** The activity of `items` (other than `exceptId`, the one being renamed) whose name is `name`'s. */
export function sameName<T extends Named>(name: string, items: readonly T[], exceptId?: string): T | undefined {
  const key = normalizeName(name)
  if (key === '') return undefined
  return items.find((item) => item.id !== exceptId && normalizeName(item.name) === key)
}

function taken(name: string, items: readonly Named[]): boolean {
  return sameName(name, items) !== undefined
}

/**
 * Names to offer instead of `name`, which `items` already hold: the name with each equipment the
 * catalogue has it with ("Bench press (dumbbell)"), or with `equipment` when the caller knows it
 * (a catalogue exercise), that the library does not hold yet; else the name numbered ("Plank 2").
 */
export function suggestedNames(name: string, items: readonly Named[], equipment?: string): string[] {
  const base = name.trim().replace(/\s*\([^)]*\)\s*$/, '')
  const key = normalizeName(base)
  // The catalogue's spelling of the name when it has it ("bench-press" → "Bench press (dumbbell)").
  const known = equipment ? [] : catalogueExercises.filter((e) => e.equipment !== 'none' && normalizeName(e.name) === key)
  const named = equipment ? (equipment === 'none' ? [] : [`${base} (${equipment})`]) : known.map((e) => `${e.name} (${e.equipment})`)
  const suffixed = [...new Set(named)].filter((n) => !taken(n, items))
  if (suffixed.length > 0) return suffixed
  for (let i = 2; ; i++) {
    const numbered = `${name.trim()} ${i}`
    if (!taken(numbered, items)) return [numbered]
  }
}

/** The equipment to name a catalogue exercise's copy by when its shown name is taken. */
export function catalogueSuggestion(exercise: CatalogueExercise, shownName: string, items: readonly Named[]): string {
  return suggestedNames(shownName, items, exercise.equipment)[0]!
}

/**
 * How a list labels each item: its name, or, when another item has the same name, the name with
 * its description ("Bench press — Dumbbell · chest"), or else with its place among them ("Squat (2)").
 */
export function distinctLabels(items: readonly Named[]): Map<string, string> {
  const groups = new Map<string, Named[]>()
  for (const item of items) {
    const key = normalizeName(item.name)
    groups.set(key, [...(groups.get(key) ?? []), item])
  }
  const labels = new Map<string, string>()
  for (const group of groups.values()) {
    group.forEach((item, i) => {
      if (group.length === 1) return labels.set(item.id, item.name)
      const description = item.description?.trim()
      const unique = description && group.filter((o) => o.description?.trim() === description).length === 1
      labels.set(item.id, unique ? `${item.name} — ${description}` : `${item.name} (${i + 1})`)
    })
  }
  return labels
}
