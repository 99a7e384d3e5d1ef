/**
 * Plausible bounds for entry values: past them a value is a typo (1e12 kg, 1e9 reps, RPE 15),
 * not a set anyone did. One module, read by the mutations (`encodeValue`, so the device and the
 * server refuse the same values), by the forms before they submit (`parseField`, in the user's
 * units) and by the importer (`readMeasure`, `readRpe`).
 *
 * A bound follows from an attribute's type, and for two measures from its name: an integer
 * attribute whose normalized name is "reps" (or "rep") is reps, a number attribute whose
 * normalized name is "rpe" is an RPE, from 1 to 10 in halves. The normalized name is the name
 * lower-cased with everything but letters and digits dropped ("R.P.E." and "rpe " are "rpe";
 * "RPE (1-10)" is not). Every bound starts at 0: no measure of a set is negative.
 */
import type { AttributeType } from '@/db/schema'
import { formatDuration, toDisplay, type DisplayUnits } from './units'

/** The heaviest weight a set may hold: a tonne, in kg. */
export const MAX_MASS_KG = 1000
/** The most reps a set may hold. */
export const MAX_REPS = 1000
/** The longest distance a set may cover: 1000 km, in metres. */
export const MAX_DISTANCE_M = 1_000_000
/** The longest time a set may take: a day, in seconds. */
export const MAX_DURATION_S = 86_400
/** Any other number or whole number (a count, a level): at most a million. */
export const MAX_OTHER_NUMBER = 1_000_000
/** RPE (rate of perceived exertion): 1 to 10, in steps of a half. */
export const RPE = { min: 1, max: 10, step: 0.5 } as const

/** What a bound is about; it decides the message. */
export type Measure = 'mass' | 'reps' | 'rpe' | 'distance' | 'duration' | 'other'
export type Bound = { measure: Measure; min: number; max: number; step: number | null }

type Named = { name: string; type: AttributeType }

/** "R.P.E. " → "rpe": the name as the bounds recognise it. */
export function normalizedName(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '')
}

/** The bound on an attribute's values, in canonical units (kg, m, s); null for text, yes/no and choices. */
export function boundOf(attribute: Named): Bound | null {
  const name = normalizedName(attribute.name)
  switch (attribute.type) {
    case 'mass':
      return { measure: 'mass', min: 0, max: MAX_MASS_KG, step: null }
    case 'distance':
      return { measure: 'distance', min: 0, max: MAX_DISTANCE_M, step: null }
    case 'duration':
      return { measure: 'duration', min: 0, max: MAX_DURATION_S, step: null }
    case 'integer':
      return name === 'reps' || name === 'rep'
        ? { measure: 'reps', min: 0, max: MAX_REPS, step: 1 }
        : { measure: 'other', min: 0, max: MAX_OTHER_NUMBER, step: 1 }
    case 'number':
      return name === 'rpe'
        ? { measure: 'rpe', min: RPE.min, max: RPE.max, step: RPE.step }
        : { measure: 'other', min: 0, max: MAX_OTHER_NUMBER, step: null }
    default:
      return null
  }
}

/** The RPE message, the same wherever an RPE is refused. */
export const rpeMessage = (label: string) => `${label} must be from 1 to 10, in halves (such as 7.5)`

/** True when `n` is an RPE: 1 to 10 in halves. */
export function isRpe(n: number): boolean {
  return n >= RPE.min && n <= RPE.max && Number.isInteger(n / RPE.step)
}

/**
 * Why a value (canonical units) is out of its attribute's bound, in words, or null when it is
 * within it. With `units` the limit is said in the user's units ("2204.6 lb"); without, in the
 * canonical ones ("1000 kg"), as a mutation says it.
 */
export function outOfBounds(attribute: Named, value: number, units?: DisplayUnits): string | null {
  const bound = boundOf(attribute)
  if (!bound) return null
  const label = attribute.name
  if (bound.measure === 'rpe') return isRpe(value) ? null : rpeMessage(label)
  if (value < bound.min) return `${label} must be zero or more`
  if (value > bound.max) return `${label} must be at most ${limitText(bound, units)}`
  return null
}

/** A bound's maximum for people: in the user's units when given, rounded down so that it is allowed itself. */
export function limitText(bound: Bound, units?: DisplayUnits): string {
  const shown = (type: 'mass' | 'distance', canonicalUnit: string, unit: string | undefined) => {
    if (!units || unit === canonicalUnit)
      return `${(type === 'distance' ? bound.max / 1000 : bound.max).toLocaleString('en')} ${canonicalUnit}`
    return `${(Math.floor(toDisplay(type, bound.max, units) * 10) / 10).toLocaleString('en')} ${unit}`
  }
  switch (bound.measure) {
    case 'mass':
      return shown('mass', 'kg', units?.massUnit)
    case 'distance':
      return shown('distance', 'km', units?.distanceUnit)
    case 'duration':
      return `${formatDuration(bound.max)} (a day)`
    default:
      return bound.max.toLocaleString('en')
  }
}

// Reading numbers and times as people type them --------------------------------------------------

// A plain decimal: no exponent, no hex, no sign, no thousands separators (bare Number() reads
// "0x50" as 80, "1e12" as a trillion and " " as 0). The comma is a decimal comma where allowed.
const decimal = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/
const decimalWithComma = /^[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)$/

/** A plain decimal ("82.5", "-3", with `decimalComma` also "82,5") as a number; null when it is not one. */
export function readDecimal(text: string, decimalComma = false): number | null {
  const t = text.trim()
  if (!(decimalComma ? decimalWithComma : decimal).test(t)) return null
  return Number(t.replace(',', '.'))
}

/**
 * Why a typed time ("1:30", "1:05:00") is not one, or null: after the first part, minutes and
 * seconds go from 0 to 59, so "99:99" is a typo rather than 100 minutes and 39 seconds.
 */
export function clockProblem(label: string, text: string): string | null {
  const parts = text.trim().split(':')
  if (parts.length < 2 || parts.slice(1).every((p) => Number(p) < 60)) return null
  return `${label}: ${text.trim()} is not a time; minutes and seconds go up to 59`
}
