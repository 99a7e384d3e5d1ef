/**
 * The words of an exercise name as search (`search.ts`) and name matching (`match.ts`) compare
 * them, so that both read "DB Bench-Presses", "dumbbell bench press" and "Dumbbell Bench Press"
 * alike.
 *
 * - Case, accents and apostrophes do not count ("Farmer's" is "farmers"); any other character
 *   that is not a letter or a digit separates words, so "Pull-up" is "pull up". Letters are
 *   those of any script: "Присед" is a word (one the catalogue lacks, so no match), not nothing
 *   to be left out beside "squat".
 * - A plural is its singular ("Lunges", "Crunches", "Flies"). The folding is crude (it makes
 *   "biceps" "bicep"), which is harmless because both sides of every comparison are folded alike.
 * - Gym abbreviations are spelled out: db, bb, kb, bw, ohp, rdl, sldl, dl, cgbp.
 * - Equipment is recognised as words anywhere in a name ("Barbell Row", "Leg Extension Machine",
 *   "EZ-Bar Curl", "Hex Bar Deadlift").
 */
import type { CatalogueEquipment } from './exercises'

const abbreviations: Readonly<Record<string, readonly string[]>> = {
  db: ['dumbbell'],
  bb: ['barbell'],
  kb: ['kettlebell'],
  bw: ['bodyweight'],
  ohp: ['overhead', 'press'],
  rdl: ['romanian', 'deadlift'],
  sldl: ['stiff', 'legged', 'deadlift'],
  dl: ['deadlift'],
  cgbp: ['close', 'grip', 'bench', 'press'],
  flye: ['fly'],
  ezbar: ['ez', 'bar'],
  hexbar: ['hex', 'bar'],
  trapbar: ['trap', 'bar'],
}

/** Longest first, so "smith machine" is one piece of equipment and not "machine". */
const equipmentPhrases: readonly (readonly [readonly string[], CatalogueEquipment])[] = [
  [['ez', 'curl', 'bar'], 'ez bar'],
  [['smith', 'machine'], 'smith machine'],
  [['ez', 'bar'], 'ez bar'],
  [['trap', 'bar'], 'trap bar'],
  [['hex', 'bar'], 'trap bar'],
  [['resistance', 'band'], 'band'],
  [['body', 'weight'], 'bodyweight'],
  [['smith'], 'smith machine'],
  [['ez'], 'ez bar'],
  [['barbell'], 'barbell'],
  [['dumbbell'], 'dumbbell'],
  [['kettlebell'], 'kettlebell'],
  [['cable'], 'cable'],
  [['pulley'], 'cable'],
  [['machine'], 'machine'],
  [['band'], 'band'],
  [['bodyweight'], 'bodyweight'],
]

/** Lower case without accents or apostrophes; "&" and "+" read as "and". */
export function fold(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/['’‘`´]/g, '')
    .replace(/[&+]/g, ' and ')
}

/** A word's singular, roughly: enough to read "presses", "crunches", "flies", "ups" as one. */
export function singular(word: string): string {
  if (word.length < 3 || !word.endsWith('s') || /(ss|us|is)$/.test(word)) return word
  if (word.length > 4 && word.endsWith('ies')) return `${word.slice(0, -3)}y`
  if (/(ch|sh|x|ss)es$/.test(word)) return word.slice(0, -2)
  return word.slice(0, -1)
}

/** The words of a text, folded, singular, abbreviations spelled out. */
export function words(text: string): string[] {
  return fold(text)
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w !== '')
    .map(singular)
    .flatMap((w) => abbreviations[w] ?? [w])
}

/** The equipment named in a list of words, and the words left once those are taken out. */
export function takeEquipment(ws: readonly string[]): { rest: string[]; equipment: CatalogueEquipment[] } {
  const rest: string[] = []
  const equipment: CatalogueEquipment[] = []
  let i = 0
  while (i < ws.length) {
    const found = equipmentPhrases.find(([phrase]) => phrase.every((p, k) => ws[i + k] === p))
    if (found) {
      const [phrase, kind] = found
      if (!equipment.includes(kind)) equipment.push(kind)
      i += phrase.length
    } else {
      rest.push(ws[i]!)
      i += 1
    }
  }
  return { rest, equipment }
}
