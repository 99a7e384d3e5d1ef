/**
 * What an entry edit changes: only the fields the user touched (sync/SPEC.md B14). A form holds
 * every field of the entry, but a mutation carrying them all would put this device's stale
 * copy of each untouched field over another device's edit of it.
 */
import type { AttributeInfo, StoredValues } from '@/db/queries/local'
import type { DisplayUnits } from '@/domain/units'
import type { Value } from '@/domain/values'
import { fieldText, parseField } from './value-text'

/** An entry editor's fields as text: a value field's text by attribute id, and the notes. */
export type EntryFields = { texts: Record<string, string>; notes: string }

/** The fields as an editor opens on an entry's stored values and notes. */
export function shownFields(
  attributes: readonly AttributeInfo[],
  values: StoredValues | undefined,
  notes: string,
  units: DisplayUnits,
): EntryFields {
  return { texts: Object.fromEntries(attributes.map((a) => [a.id, fieldText(a, values?.get(a.id), units)])), notes }
}

/** What the editor says of an edit that would leave the entry with nothing filled in. */
export const NOTHING_LEFT = 'Nothing would be left of this entry: fill in at least one field or a note, or delete it.'

/** The part of `editEntry`'s arguments an edit decides (the entry's id aside). */
export type EntryChanges = { notes?: string; values?: Record<string, Value | null> }

/**
 * Compares the fields as the editor opened (`shown`) with what the user left in them
 * (`edited`): a field whose text is unchanged is not sent; a cleared one removes its value.
 * `errors` holds each changed field that cannot be read, by its form name (`values.<id>`);
 * `changes` is empty when the user changed nothing.
 */
export function entryChanges(
  attributes: readonly AttributeInfo[],
  units: DisplayUnits,
  shown: EntryFields,
  edited: EntryFields,
): { changes: EntryChanges; errors: Record<string, string> } {
  const values: Record<string, Value | null> = {}
  const errors: Record<string, string> = {}
  for (const a of attributes) {
    const before = shown.texts[a.id] ?? ''
    const after = edited.texts[a.id] ?? ''
    if (after === before) continue
    const value = parseField(a, after, units)
    if (value instanceof Error) errors[`values.${a.id}`] = value.message
    else if (value !== undefined) values[a.id] = value
    else if (before.trim() !== '') values[a.id] = null
  }
  const changes: EntryChanges = {}
  if (edited.notes !== shown.notes) changes.notes = edited.notes
  if (Object.keys(values).length > 0) changes.values = values
  // An edit that empties the entry is refused here as editEntry refuses it: on the first field.
  const first = attributes.find((a) => !a.retired)
  const emptied = attributes.every((a) => (edited.texts[a.id] ?? '').trim() === '') && edited.notes.trim() === ''
  if (first && emptied && (changes.values || changes.notes !== undefined)) errors[`values.${first.id}`] = NOTHING_LEFT
  return { changes, errors }
}
