/**
 * Units, in one place. Values are stored in canonical units (kg, m, s) and shown in the user's
 * display units; every conversion in the app goes through here.
 */
import type { AttributeType, DistanceUnit, MassUnit } from '@/db/schema'

export const KG_PER_LB = 0.45359237
export const M_PER_MI = 1609.344

export type DisplayUnits = { massUnit: MassUnit; distanceUnit: DistanceUnit }
export const defaultDisplayUnits: DisplayUnits = { massUnit: 'kg', distanceUnit: 'km' }

/** The unit a value of this type is shown in, for these settings (null: unitless). */
export function displayUnit(type: AttributeType, units: DisplayUnits): string | null {
  if (type === 'mass') return units.massUnit
  if (type === 'distance') return units.distanceUnit
  if (type === 'duration') return 's'
  return null
}

/** Canonical value → display value. */
export function toDisplay(type: AttributeType, canonical: number, units: DisplayUnits): number {
  if (type === 'mass') return units.massUnit === 'lb' ? canonical / KG_PER_LB : canonical
  if (type === 'distance') return units.distanceUnit === 'mi' ? canonical / M_PER_MI : canonical / 1000
  return canonical
}

/** Display value → canonical value. */
export function toCanonical(type: AttributeType, display: number, units: DisplayUnits): number {
  if (type === 'mass') return units.massUnit === 'lb' ? display * KG_PER_LB : display
  if (type === 'distance') return units.distanceUnit === 'mi' ? display * M_PER_MI : display * 1000
  return display
}

/** 3725 → "1:02:05", 65 → "1:05". */
export function formatDuration(seconds: number): string {
  const total = Math.round(seconds)
  const h = Math.floor(total / 3600)
  const m = Math.floor((total % 3600) / 60)
  const s = total % 60
  const mm = h > 0 ? String(m).padStart(2, '0') : String(m)
  return `${h > 0 ? `${h}:` : ''}${mm}:${String(s).padStart(2, '0')}`
}

/** "1:02:05", "1:05" or "65" → seconds; null when it is not a duration. */
export function parseDuration(text: string): number | null {
  const parts = text.trim().split(':')
  if (parts.length > 3 || parts.some((p) => !/^\d+(\.\d+)?$/.test(p))) return null
  return parts.reduce((acc, p) => acc * 60 + Number(p), 0)
}

/** A value for people: rounded sensibly, with its unit. */
export function formatValue(type: AttributeType, canonical: number, units: DisplayUnits): string {
  if (type === 'duration') return formatDuration(canonical)
  const value = toDisplay(type, canonical, units)
  const unit = displayUnit(type, units)
  const rounded = Math.round(value * 100) / 100
  return unit ? `${rounded} ${unit}` : String(rounded)
}

/** Seconds per metre → "4:30 /km" or "7:15 /mi". */
export function formatPace(secondsPerMetre: number, units: DisplayUnits): string {
  const perUnit = secondsPerMetre * (units.distanceUnit === 'mi' ? M_PER_MI : 1000)
  return `${formatDuration(perUnit)} /${units.distanceUnit}`
}
