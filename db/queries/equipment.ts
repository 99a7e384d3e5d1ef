/** The user's equipment, as the plate and warm-up calculators take it. */
import { eq } from 'drizzle-orm'
import { userSettings } from '../schema'
import type { Queryable } from '../types'
import { equipmentOrDefault, type Equipment } from '@/domain/equipment'

/**
 * The bars and plates the user stored, or the defaults for their mass unit (kg before their
 * settings row arrives). The first bar is the default one.
 */
export async function equipmentOf(db: Queryable, userId: string): Promise<Equipment> {
  const [row] = await db
    .select({ equipment: userSettings.equipment, massUnit: userSettings.massUnit })
    .from(userSettings)
    .where(eq(userSettings.userId, userId))
  return equipmentOrDefault(row?.equipment, row?.massUnit ?? 'kg')
}
