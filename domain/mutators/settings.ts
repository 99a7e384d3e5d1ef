import { z } from 'zod'
import { distanceUnits, massUnits, userSettings } from '@/db/schema'
import { equipmentSchema } from '../equipment'
import { defineMutator } from './define'

/**
 * Changes the settings named, and only those (sync/SPEC.md B14). `equipment` is replaced whole
 * (bars and plates together, as the equipment page saves them); null goes back to the defaults
 * for the user's mass unit.
 */
export const updateSettings = defineMutator(
  'updateSettings',
  z
    .object({
      massUnit: z.enum(massUnits, 'must be kg or lb').optional(),
      distanceUnit: z.enum(distanceUnits, 'must be km or mi').optional(),
      weekStartsOn: z.number().int().min(0, 'must be 0 (Sunday) to 6').max(6, 'must be 0 (Sunday) to 6').optional(),
      storageWindowDays: z.number().int().min(1, 'must be at least 1 day').max(36_500).nullable().optional(),
      equipment: equipmentSchema.nullable().optional(),
      keepPhotoLocation: z.boolean().optional(),
    })
    .strict(),
  async (ctx, args) => {
    const set = { ...args, updatedAt: ctx.now }
    await ctx.tx
      .insert(userSettings)
      .values({ userId: ctx.userId, ...set })
      .onConflictDoUpdate({ target: userSettings.userId, set })
  },
)
