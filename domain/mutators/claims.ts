/**
 * The fields a mutation sets, read off its arguments (sync/SPEC.md B14). An edit carries only
 * what the user changed, so its arguments are its intent: each named field is one the device
 * claims, and a later write of that field by another device replaces the device's value, which
 * the device then tells its user. Fields a mutation sets as a side effect (`updated_at`, a
 * template's version) are not claimed: nobody chose their values.
 */
import { editEntry } from './entries'
import { renameActivity, setActivityRest } from './activities'
import { renameAttribute } from './attributes'
import { renameLibrary } from './libraries'
import { updateSettings } from './settings'
import type { Mutator } from './define'

/**
 * One claimed field: its row (`table` and `key`, in SQL names, as the change stream carries
 * them), the columns that hold it, and what it is for people: `field` names it, and `about`
 * says which entry, attribute, activity or library it belongs to.
 */
export type FieldClaim = {
  table: string
  key: Record<string, string>
  field: string
  columns: readonly string[]
  about: { entryId?: string; attributeId?: string; activityId?: string; libraryId?: string }
}

/** Every column of an entry value: one of them holds it, by the attribute's type. */
export const valueColumns = ['num', 'text', 'bool', 'option_id'] as const

type ClaimsOf<A> = (args: A, userId: string) => FieldClaim[]

function claims<A>(mutator: Mutator<A, unknown>, of: ClaimsOf<A>) {
  return [
    mutator.name,
    (raw: unknown, userId: string) => {
      const parsed = mutator.args.safeParse(raw)
      return parsed.success ? of(parsed.data, userId) : []
    },
  ] as const
}

const settingColumns = {
  massUnit: 'mass_unit',
  distanceUnit: 'distance_unit',
  weekStartsOn: 'week_starts_on',
  storageWindowDays: 'storage_window_days',
  equipment: 'equipment',
  keepPhotoLocation: 'keep_photo_location',
} as const

const byName = new Map<string, (raw: unknown, userId: string) => FieldClaim[]>([
  claims(editEntry, (args) => {
    const entry = { table: 'entries', key: { id: args.entryId }, about: { entryId: args.entryId } }
    return [
      ...(args.notes === undefined ? [] : [{ ...entry, field: 'notes', columns: ['notes'] }]),
      ...(args.performedAt === undefined ? [] : [{ ...entry, field: 'performedAt', columns: ['performed_at'] }]),
      ...(args.setType === undefined ? [] : [{ ...entry, field: 'setType', columns: ['set_type'] }]),
      ...Object.keys(args.values ?? {}).map((attributeId) => ({
        table: 'entry_values',
        key: { entry_id: args.entryId, attribute_id: attributeId },
        field: 'value',
        columns: valueColumns,
        about: { entryId: args.entryId, attributeId },
      })),
    ]
  }),
  claims(renameActivity, (args) => [
    { table: 'activities', key: { id: args.activityId }, field: 'name', columns: ['name'], about: { activityId: args.activityId } },
  ]),
  claims(setActivityRest, (args) => [
    {
      table: 'activities',
      key: { id: args.activityId },
      field: 'restSeconds',
      columns: ['rest_seconds'],
      about: { activityId: args.activityId },
    },
  ]),
  claims(renameAttribute, (args) => [
    { table: 'attributes', key: { id: args.attributeId }, field: 'name', columns: ['name'], about: { attributeId: args.attributeId } },
  ]),
  claims(renameLibrary, (args) => [
    { table: 'libraries', key: { id: args.libraryId }, field: 'name', columns: ['name'], about: { libraryId: args.libraryId } },
  ]),
  claims(updateSettings, (args, userId) =>
    (Object.keys(settingColumns) as (keyof typeof settingColumns)[])
      .filter((name) => args[name] !== undefined)
      .map((name) => ({ table: 'user_settings', key: { user_id: userId }, field: name, columns: [settingColumns[name]], about: {} })),
  ),
])

/**
 * The fields the named mutation claims with these arguments: none for a mutation that edits no
 * field a person chose (a new row is nobody else's to replace), or for arguments it would refuse.
 */
export function claimsOf(name: string, args: unknown, userId: string): FieldClaim[] {
  return byName.get(name)?.(args, userId) ?? []
}
