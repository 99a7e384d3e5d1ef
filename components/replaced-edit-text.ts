/**
 * A replaced edit in words (sync/SPEC.md B14): "Your Reps 9 on Squat (12 Nov) was replaced by 8
 * from another device." Values are shown by their attribute's type and the user's units.
 */
import type { AttributeInfo } from '@/db/queries/local'
import type { ReplacedEdit } from '@/db/queries/replaced-edits'
import { DEFAULT_REST_SECONDS } from '@/domain/rest'
import { readSetType, setTypeLabels } from '@/domain/set-types'
import { formatDuration, type DisplayUnits } from '@/domain/units'
import type { StoredValue } from '@/domain/values'
import { valueText } from './value-text'

const settingNames: Record<string, string> = {
  massUnit: 'weight unit',
  distanceUnit: 'distance unit',
  weekStartsOn: 'first day of the week',
  storageWindowDays: 'days of history kept',
  equipment: 'bars and plates',
  keepPhotoLocation: 'keeping where photos were taken',
}

const day = (iso: unknown) =>
  typeof iso === 'string' ? new Date(iso).toLocaleDateString(undefined, { day: 'numeric', month: 'short', year: 'numeric' }) : ''

const quoted = (text: string) => `“${text.length > 60 ? `${text.slice(0, 59)}…` : text}”`

function stored(columns: Record<string, unknown>): StoredValue {
  return {
    num: typeof columns.num === 'number' ? columns.num : null,
    text: typeof columns.text === 'string' ? columns.text : null,
    bool: typeof columns.bool === 'boolean' ? columns.bool : null,
    optionId: typeof columns.option_id === 'string' ? columns.option_id : null,
  }
}

/** One stored value for people: by its attribute when the device has it, else as stored. */
function valueWords(columns: Record<string, unknown>, attribute: AttributeInfo | undefined, units: DisplayUnits): string {
  const value = stored(columns)
  if (attribute) return valueText(attribute, value, units)
  return String(value.num ?? value.text ?? value.bool ?? value.optionId ?? '')
}

/** The one column a row-field claim holds (a name, a unit), as text. */
const column = (columns: Record<string, unknown> | null) => String(Object.values(columns ?? {})[0] ?? '')

/** A stored rest for people: "2:00", or the default spelled out (a null is the default). */
function restWords(columns: Record<string, unknown>): string {
  const seconds = columns.rest_seconds
  return typeof seconds === 'number' ? formatDuration(seconds) : `the default of ${formatDuration(DEFAULT_REST_SECONDS)}`
}

/** "Your rest for Squat (2:00) was replaced by 1:30 from another device." */
function restReplacedText(edit: ReplacedEdit, activity: string): string {
  const mine = `Your rest for ${activity} (${restWords(edit.mine ?? {})})`
  if (!edit.theirs) return `${mine} was lost: another device deleted the activity.`
  if (typeof edit.theirs.rest_seconds !== 'number') return `${mine} was set back to ${restWords(edit.theirs)} by another device.`
  return `${mine} was replaced by ${restWords(edit.theirs)} from another device.`
}

export function replacedEditText(edit: ReplacedEdit, attributes: Map<string, AttributeInfo>, units: DisplayUnits): string {
  const c = edit.context
  const activity = typeof c.activity === 'string' ? c.activity : 'an activity'
  const entry = `${activity}${c.performedAt ? ` (${day(c.performedAt)})` : ''}`
  if (c.entryDeleted && (edit.tableName === 'entry_values' || edit.tableName === 'entries')) {
    const attribute = typeof c.attributeId === 'string' ? attributes.get(c.attributeId) : undefined
    const what =
      edit.tableName === 'entries'
        ? `edit of ${edit.field === 'notes' ? 'the notes' : edit.field === 'setType' ? 'the set type' : 'the time'}`
        : `${attribute?.name ?? (typeof c.attribute === 'string' ? c.attribute : 'value')}${edit.mine ? ` ${valueWords(edit.mine, attribute, units)}` : ''}`
    return `Your ${what} on ${entry} was lost: another device deleted the entry.`
  }
  if (edit.tableName === 'entry_values') {
    const attribute = typeof c.attributeId === 'string' ? attributes.get(c.attributeId) : undefined
    const field = attribute?.name ?? (typeof c.attribute === 'string' ? c.attribute : 'value')
    if (!edit.mine) return `You removed ${field} on ${entry}; another device set it to ${valueWords(edit.theirs ?? {}, attribute, units)}.`
    const mine = `Your ${field} ${valueWords(edit.mine, attribute, units)} on ${entry}`
    if (!edit.theirs) return `${mine} was removed by another device.`
    return `${mine} was replaced by ${valueWords(edit.theirs, attribute, units)} from another device.`
  }
  if (edit.tableName === 'entries') {
    if (edit.field === 'notes') return `Your notes on ${entry} were replaced by another device’s: ${quoted(column(edit.theirs))}.`
    if (edit.field === 'setType') {
      const kind = (columns: Record<string, unknown> | null) => setTypeLabels[readSetType(column(columns) || null)].toLowerCase()
      return `Your ${kind(edit.mine)} on ${entry} was made a ${kind(edit.theirs)} by another device.`
    }
    const time = new Date(column(edit.theirs)).toLocaleString()
    return `Your time for ${activity} (${day(column(edit.mine))}) was replaced by ${time} from another device.`
  }
  if (edit.tableName === 'activities' && edit.field === 'restSeconds') return restReplacedText(edit, activity)
  if (edit.field === 'equipment') return 'Your bars and plates were replaced by those saved on another device.'
  const what =
    edit.tableName === 'activities'
      ? 'activity name'
      : edit.tableName === 'attributes'
        ? 'field name'
        : edit.tableName === 'libraries'
          ? 'library name'
          : (settingNames[edit.field] ?? edit.field)
  const where = edit.tableName === 'attributes' && typeof c.activity === 'string' ? ` in ${c.activity}` : ''
  const mine = `Your ${what} ${quoted(column(edit.mine))}${where}`
  if (!edit.theirs) return `${mine} was deleted on another device.`
  return `${mine} was replaced by ${quoted(column(edit.theirs))} from another device.`
}
