/**
 * Reads an import needs on the device: what the user's file can be mapped onto, which of its
 * workouts are here already, and the imports made so far (to undo one).
 */
import { and, desc, eq, inArray, isNotNull, isNull, sql } from 'drizzle-orm'
import { activities, entries, imports, libraries, sequenceItems } from '@/db/schema'
import type { Queryable } from '@/db/types'
import { activityInfos, type ActivityInfo } from './local'

/** The live activities of the user's own libraries, the default library's first. */
export async function importTargets(
  db: Queryable,
  userId: string,
): Promise<{ defaultLibraryId: string | null; activities: ActivityInfo[] }> {
  const found = await db
    .select({ id: activities.id, isDefault: libraries.isDefault })
    .from(activities)
    .innerJoin(libraries, eq(libraries.id, activities.libraryId))
    .where(and(eq(libraries.ownerId, userId), isNull(activities.deletedAt)))
  const infos = await activityInfos(
    db,
    found.map((f) => f.id),
  )
  const [library] = await db
    .select({ id: libraries.id })
    .from(libraries)
    .where(and(eq(libraries.ownerId, userId), eq(libraries.isDefault, true)))
  const first = new Set(found.filter((f) => f.isDefault).map((f) => f.id))
  const ordered = [...infos.values()].sort((a, b) => Number(first.has(b.id)) - Number(first.has(a.id)) || a.name.localeCompare(b.name))
  return { defaultLibraryId: library?.id ?? null, activities: ordered }
}

/** Which of these workout keys the user has imported already (and not undone). */
export async function importedKeys(db: Queryable, userId: string, keys: readonly string[]): Promise<Set<string>> {
  const out = new Set<string>()
  for (let i = 0; i < keys.length; i += 1000) {
    const chunk = keys.slice(i, i + 1000)
    const found = await db
      .select({ key: entries.importKey })
      .from(entries)
      .where(and(eq(entries.userId, userId), isNotNull(entries.importKey), inArray(entries.importKey, chunk)))
    for (const f of found) out.add(f.key!)
  }
  return out
}

export type ImportSummary = typeof imports.$inferSelect & { workouts: number }

/** The user's imports, newest first, each with how many of its workouts are still here. */
export async function userImports(db: Queryable, userId: string): Promise<ImportSummary[]> {
  const list = await db.select().from(imports).where(eq(imports.userId, userId)).orderBy(desc(imports.createdAt))
  if (list.length === 0) return []
  const counts = await db
    .select({ importId: entries.importId, workouts: sql<number>`count(*)::int` })
    .from(entries)
    .where(
      and(
        inArray(
          entries.importId,
          list.map((l) => l.id),
        ),
        isNotNull(entries.importKey),
      ),
    )
    .groupBy(entries.importId)
  const byId = new Map(counts.map((c) => [c.importId, Number(c.workouts)]))
  return list.map((l) => ({ ...l, workouts: byId.get(l.id) ?? 0 }))
}

/** How many workouts of this import are still on the device (an undo deletes them a batch at a time). */
export async function importWorkoutCount(db: Queryable, importId: string): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(entries)
    .where(and(eq(entries.importId, importId), isNotNull(entries.importKey)))
  return Number(row?.n ?? 0)
}

/** Activities that are a child in some template of the user's own libraries (superset blocks and the like). */
export async function templateChildIds(db: Queryable, userId: string): Promise<Set<string>> {
  const found = await db
    .selectDistinct({ id: sequenceItems.childId })
    .from(sequenceItems)
    .innerJoin(libraries, eq(libraries.id, sequenceItems.libraryId))
    .where(eq(libraries.ownerId, userId))
  return new Set(found.map((f) => f.id))
}
