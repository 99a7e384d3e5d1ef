/**
 * Set types: a normal set, a warm-up, a drop set, a set taken to failure. A set's type is data
 * on its entry (`entries.set_type`), not a convention of notes or names, so records and volume
 * can leave warm-ups out and history can show the letter.
 *
 * Stored: a normal set is null (see `markedSetTypes` in `db/schema/entries.ts` for why), the
 * others by name. Everything outside the database speaks {@link SetType}, with `normal` spelled
 * out; {@link storedSetType} and {@link readSetType} are the only translations.
 */
import { markedSetTypes, type MarkedSetType } from '@/db/schema/entries'

/** Every set type, in the order a picker lists them. */
export const setTypes = ['normal', ...markedSetTypes] as const
export type SetType = (typeof setTypes)[number]

/** The letter shown in a set table's first column; a normal set shows its number instead. */
export const setTypeLetters: Readonly<Record<SetType, string | null>> = { normal: null, warmup: 'W', drop: 'D', failure: 'F' }

/** A set type in words, for pickers and screen readers. */
export const setTypeLabels: Readonly<Record<SetType, string>> = {
  normal: 'Normal set',
  warmup: 'Warm-up',
  drop: 'Drop set',
  failure: 'To failure',
}

/** The column value for a set type: null for a normal set. */
export function storedSetType(setType: SetType | undefined): MarkedSetType | null {
  return setType === undefined || setType === 'normal' ? null : setType
}

/** A stored `set_type` as a {@link SetType}; null, and any value this version does not know, read as normal. */
export function readSetType(stored: string | null | undefined): SetType {
  return (markedSetTypes as readonly string[]).includes(stored ?? '') ? (stored as MarkedSetType) : 'normal'
}

/** Whether a set of this type counts toward records and volume: every set but a warm-up. */
export function countsAsWork(setType: SetType): boolean {
  return setType !== 'warmup'
}

/**
 * What a set table's first column shows for each of an exercise's sets, in order: a marked set
 * its letter, a normal set its number among the normal sets ("W, W, 1, 2, 3, D").
 */
export function setColumnLabels(types: readonly SetType[]): string[] {
  let n = 0
  return types.map((t) => setTypeLetters[t] ?? String(++n))
}
