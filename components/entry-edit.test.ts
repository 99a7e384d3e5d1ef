/**
 * The history editor's side of B14 (sync/SPEC.md): of an entry's fields as the editor opened on
 * them, only those the user changed go into the mutation; and the words a replaced edit is
 * shown in.
 */
import { expect, test } from 'vitest'
import type { AttributeInfo } from '@/db/queries/local'
import type { ReplacedEdit } from '@/db/queries/replaced-edits'
import { newId } from '@/domain/ids'
import { strengthActivity } from '@/domain/testing/world'
import { defaultDisplayUnits } from '@/domain/units'
import { entryChanges, NOTHING_LEFT, shownFields } from './entry-edit'
import { replacedEditText } from './replaced-edit-text'

const squat = strengthActivity(newId(), 'Squat')
const attributes: AttributeInfo[] = squat.args.attributes.map((a, ordinal) => ({
  id: a.id,
  name: a.name,
  type: a.type,
  ordinal,
  retired: false,
  options: (a.options ?? []).map((o, i) => ({ id: o.id, label: o.label, ordinal: i, retired: false })),
}))

test('[B14] the history editor sends only the fields the user changed; a cleared field removes its value; an unreadable one is refused by name', () => {
  const values = new Map([
    [squat.ids.weight, { num: 130, text: null, bool: null, optionId: null, ordinal: 0 }],
    [squat.ids.reps, { num: 7, text: null, bool: null, optionId: null, ordinal: 1 }],
    [squat.ids.grip, { num: null, text: null, bool: null, optionId: squat.ids.wide, ordinal: 2 }],
  ])
  const shown = shownFields(attributes, values, 'Felt good', defaultDisplayUnits)
  const typed = (texts: Record<string, string>, notes = shown.notes) =>
    entryChanges(attributes, defaultDisplayUnits, shown, { texts: { ...shown.texts, ...texts }, notes })
  expect(typed({})).toEqual({ changes: {}, errors: {} })
  expect(typed({ [squat.ids.reps]: '9' })).toEqual({ changes: { values: { [squat.ids.reps]: 9 } }, errors: {} })
  expect(typed({ [squat.ids.grip]: '' }, 'Light')).toEqual({ changes: { notes: 'Light', values: { [squat.ids.grip]: null } }, errors: {} })
  expect(typed({ [squat.ids.reps]: 'nine' }).errors).toEqual({ [`values.${squat.ids.reps}`]: 'Reps must be a number, such as 5' })
})

const edit = (fields: Partial<ReplacedEdit>): ReplacedEdit => ({
  id: 1,
  tableName: 'entry_values',
  key: {},
  field: 'value',
  mine: null,
  theirs: null,
  context: {},
  seq: 1,
  replacedAt: new Date(),
  ...fields,
})

test("[B14] a replaced edit says whose value it was, where, and what replaced it, in the user's units", () => {
  const byId = new Map(attributes.map((a) => [a.id, a]))
  const entry = { activity: 'Squat', performedAt: '2026-11-12T07:30:00.000Z', attributeId: squat.ids.weight, attribute: 'Weight' }
  const day = new Date(entry.performedAt).toLocaleDateString(undefined, { day: 'numeric', month: 'short', year: 'numeric' })
  const weight = (num: number) => ({ num, text: null, bool: null, option_id: null })
  expect(
    replacedEditText(edit({ context: entry, mine: weight(140), theirs: weight(130) }), byId, { massUnit: 'lb', distanceUnit: 'km' }),
  ).toMatch(new RegExp(`^Your Weight 308\\.6[0-9]* lb on Squat \\(${day}\\) was replaced by 286\\.6[0-9]* lb from another device\\.$`))
  expect(replacedEditText(edit({ context: { ...entry, entryDeleted: true }, mine: weight(140) }), byId, defaultDisplayUnits)).toBe(
    `Your Weight 140 kg on Squat (${day}) was lost: another device deleted the entry.`,
  )
  expect(
    replacedEditText(
      edit({ tableName: 'user_settings', field: 'massUnit', mine: { mass_unit: 'lb' }, theirs: { mass_unit: 'kg' } }),
      byId,
      defaultDisplayUnits,
    ),
  ).toBe('Your weight unit “lb” was replaced by “kg” from another device.')
  expect(
    replacedEditText(
      edit({ tableName: 'activities', field: 'name', mine: { name: 'Front squat' }, theirs: { name: 'Back squat' } }),
      byId,
      defaultDisplayUnits,
    ),
  ).toBe('Your activity name “Front squat” was replaced by “Back squat” from another device.')
  expect(
    replacedEditText(
      edit({ tableName: 'entries', field: 'setType', context: entry, mine: { set_type: 'warmup' }, theirs: { set_type: null } }),
      byId,
      defaultDisplayUnits,
    ),
  ).toBe(`Your warm-up on Squat (${day}) was made a normal set by another device.`)
  expect(
    replacedEditText(
      edit({ tableName: 'user_settings', field: 'equipment', mine: { equipment: {} }, theirs: null }),
      byId,
      defaultDisplayUnits,
    ),
  ).toBe('Your bars and plates were replaced by those saved on another device.')
})

test('an edit that would leave the entry with nothing filled in is refused on its first field; the bounds are the forms’ too', () => {
  const values = new Map([[squat.ids.reps, { num: 7, text: null, bool: null, optionId: null, ordinal: 1 }]])
  const shown = shownFields(attributes, values, '', defaultDisplayUnits)
  const typed = (texts: Record<string, string>, notes = '') =>
    entryChanges(attributes, defaultDisplayUnits, shown, { texts: { ...shown.texts, ...texts }, notes })
  const first = `values.${attributes[0]!.id}`
  expect(typed({ [squat.ids.reps]: '' }).errors).toEqual({ [first]: NOTHING_LEFT })
  // Emptied of values but with a note, it is kept: the note is something filled in.
  expect(typed({ [squat.ids.reps]: '' }, 'Skipped: sore knee').errors).toEqual({})
  expect(typed({ [squat.ids.reps]: '1000000000' }).errors).toEqual({ [`values.${squat.ids.reps}`]: 'Reps must be at most 1,000' })
  expect(typed({ [squat.ids.weight]: '0x50' }).errors).toEqual({ [`values.${squat.ids.weight}`]: 'Weight must be a number, such as 82.5' })
  const lb = entryChanges(attributes, { massUnit: 'lb', distanceUnit: 'km' }, shown, {
    texts: { ...shown.texts, [squat.ids.weight]: '3000' },
    notes: '',
  })
  expect(lb.errors).toEqual({ [`values.${squat.ids.weight}`]: 'Weight must be at most 2,204.6 lb' })
})
