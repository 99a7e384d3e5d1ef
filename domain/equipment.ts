/**
 * A user's equipment: the bars and plates the plate and warm-up calculators load. Stored in
 * `user_settings.equipment` and synced with the other settings; null there means the defaults
 * for the user's mass unit, so a user who never opens the equipment page still gets answers.
 *
 * Decisions (each a question a newcomer would ask):
 * - Weights keep the unit printed on the iron: a 45 lb plate is `{ weight: 45, unit: 'lb' }`, not
 *   20.41… kg, so what the user typed is what they see again, and a gym with both kinds of plate
 *   is described as it is. The calculators convert to kg (exactly: 1 lb = 0.45359237 kg).
 * - Bars carry a unit too (a 45 lb bar is not a 20 kg bar), for the same reason.
 * - Plates are counted in pairs: a barbell is loaded the same on both sides, so an odd plate is
 *   of no use to it, and "pairs" cannot be misread as per side or in total.
 * - The first bar is the one a calculator uses unless the user picks another.
 */
import { z } from 'zod'
import type { MassUnit, StoredEquipment } from '@/db/schema/settings'
import { KG_PER_LB } from './units'

export type Equipment = StoredEquipment
export type Bar = Equipment['bars'][number]
export type PlateStock = Equipment['plates'][number]

export const MAX_BARS = 10
export const MAX_PLATE_KINDS = 20
export const MAX_PAIRS = 50
/** Heavier than any bar (a strongman axle is about 30 kg) or plate (50 kg) made for loading by hand. */
export const MAX_BAR_KG = 100
export const MAX_PLATE_KG = 50

/** A weight in kg from a weight in its own unit. */
export function toKg(weight: number, unit: MassUnit): number {
  return unit === 'lb' ? weight * KG_PER_LB : weight
}

const unitSchema = z.enum(['kg', 'lb'], 'must be kg or lb')
const weightSchema = z.number('must be a number').refine(Number.isFinite, 'must be a finite number')
const limit = (kg: number) => `must be at most ${kg} kg (${Math.floor(kg / KG_PER_LB)} lb)`

const barSchema = z
  .object({
    name: z.string().trim().min(1, 'must not be blank').max(40, 'must be at most 40 characters'),
    weight: weightSchema.min(0, 'must be 0 or more'),
    unit: unitSchema,
  })
  .strict()
  .refine((b) => toKg(b.weight, b.unit) <= MAX_BAR_KG, { message: limit(MAX_BAR_KG), path: ['weight'] })

const plateSchema = z
  .object({
    weight: weightSchema.gt(0, 'must be more than 0'),
    unit: unitSchema,
    pairs: z
      .number('must be a number')
      .int('must be a whole number of pairs')
      .min(1, 'must be at least 1 pair (remove the plate instead)')
      .max(MAX_PAIRS, `must be at most ${MAX_PAIRS} pairs`),
  })
  .strict()
  .refine((p) => toKg(p.weight, p.unit) <= MAX_PLATE_KG, { message: limit(MAX_PLATE_KG), path: ['weight'] })

/** The equipment `updateSettings` accepts: each problem is reported at its field's path. */
export const equipmentSchema = z
  .object({
    bars: z
      .array(barSchema)
      .min(1, 'must hold at least one bar (a bar of 0 kg stands for none)')
      .max(MAX_BARS, `must hold at most ${MAX_BARS} bars`),
    plates: z.array(plateSchema).max(MAX_PLATE_KINDS, `must hold at most ${MAX_PLATE_KINDS} kinds of plate`),
  })
  .strict()
  .superRefine((e, ctx) => {
    const names = new Map<string, number>()
    e.bars.forEach((b, i) => {
      const key = b.name.toLowerCase()
      if (names.has(key))
        ctx.addIssue({ code: 'custom', path: ['bars', i, 'name'], message: `is the name of bar ${names.get(key)! + 1} already` })
      else names.set(key, i)
    })
    const plates = new Map<string, number>()
    e.plates.forEach((p, i) => {
      const key = `${p.weight} ${p.unit}`
      if (plates.has(key)) {
        const first = plates.get(key)! + 1
        ctx.addIssue({
          code: 'custom',
          path: ['plates', i, 'weight'],
          message: `repeats plate ${first} (${key}): count its pairs there instead`,
        })
      } else plates.set(key, i)
    })
  }) satisfies z.ZodType<Equipment, unknown>

export const defaultKgEquipment: Equipment = {
  bars: [{ name: 'Barbell', weight: 20, unit: 'kg' }],
  plates: [
    { weight: 25, unit: 'kg', pairs: 6 },
    { weight: 20, unit: 'kg', pairs: 2 },
    { weight: 15, unit: 'kg', pairs: 2 },
    { weight: 10, unit: 'kg', pairs: 2 },
    { weight: 5, unit: 'kg', pairs: 2 },
    { weight: 2.5, unit: 'kg', pairs: 2 },
    { weight: 1.25, unit: 'kg', pairs: 2 },
  ],
}

export const defaultLbEquipment: Equipment = {
  bars: [{ name: 'Barbell', weight: 45, unit: 'lb' }],
  plates: [
    { weight: 45, unit: 'lb', pairs: 8 },
    { weight: 35, unit: 'lb', pairs: 2 },
    { weight: 25, unit: 'lb', pairs: 2 },
    { weight: 10, unit: 'lb', pairs: 2 },
    { weight: 5, unit: 'lb', pairs: 2 },
    { weight: 2.5, unit: 'lb', pairs: 2 },
  ],
}

/** The defaults for a mass unit: a commercial gym's bar and plates, enough of the big ones for any lift. */
export function defaultEquipment(massUnit: MassUnit): Equipment {
  return massUnit === 'lb' ? defaultLbEquipment : defaultKgEquipment
}

/** The equipment a user has: what they stored, or the defaults for their mass unit. */
export function equipmentOrDefault(stored: Equipment | null | undefined, massUnit: MassUnit): Equipment {
  return stored ?? defaultEquipment(massUnit)
}
