/**
 * Telling the user when another device replaced a value this device set (sync/SPEC.md B14).
 *
 * An edit carries only the fields the user changed (its claims, `domain/mutators/claims.ts`), so
 * edits of different fields on two devices both survive, in server order. When two devices set
 * the same field, the later in server order wins; the one whose value was replaced learns it
 * here, as it pulls. It reads the server batch before it is applied, in the pull's local
 * transaction: a server transaction that settles this device's applied edits records their
 * claims with the values the server stored (from the batch's row images); a later transaction of
 * anyone else that writes a claimed field with another value (or deletes its row) records a
 * notice and ends the claim, unless a pending edit of this device claims the field again (it
 * comes later in server order, and wins).
 */
import { asc, inArray, sql } from 'drizzle-orm'
import { localEditClaims, localOutbox, localReplacedEdits } from '@/db/schema/local'
import { rows } from '@/db/rows'
import type { Tx } from '@/db/types'
import { claimsOf, type FieldClaim } from '@/domain/mutators/claims'
import { mutationResultRowSchema, scopeName, type Change } from '../protocol'

/** How many claims a device keeps: the newest, one per field. */
export const CLAIMS_KEPT = 500

type Claim = typeof localEditClaims.$inferSelect
type Image = Record<string, unknown> | null

/** A row's identity whatever the order or JSON types of its key's values. */
const rowId = (table: string, key: Record<string, unknown>) =>
  `${table}:${JSON.stringify(
    Object.keys(key)
      .sort()
      .map((k) => [k, String(key[k])]),
  )}`
const fieldId = (table: string, key: Record<string, unknown>, field: string) => `${rowId(table, key)}:${field}`

/** The field's columns of a row image; null when there is no row. */
function pick(row: Image, columns: readonly string[]): Image {
  return row ? Object.fromEntries(columns.map((c) => [c, row[c] ?? null])) : null
}
/** Whether two images of a field hold the same values (column by column: jsonb keeps its own key order). */
function same(a: Image, b: Image, columns: readonly string[]): boolean {
  if (a === null || b === null) return a === b
  return columns.every((c) => JSON.stringify(a[c] ?? null) === JSON.stringify(b[c] ?? null))
}

/** Where a claimed field is, in words the page shows, as the device knows it now. */
async function contextOf(tx: Tx, about: FieldClaim['about']): Promise<Record<string, unknown>> {
  const context: Record<string, unknown> = {}
  if (about.entryId) {
    const [entry] = await rows<{ activity: string; performed_at: string }>(
      tx,
      sql`select a.name as activity, e.performed_at::text as performed_at
          from entries e left join activities a on a.id = e.activity_id where e.id = ${about.entryId}::uuid`,
    )
    if (entry) Object.assign(context, { activity: entry.activity, performedAt: new Date(entry.performed_at).toISOString() })
  }
  if (about.attributeId) {
    const [attribute] = await rows<{ name: string; activity: string | null }>(
      tx,
      sql`select t.name, a.name as activity
          from attributes t left join activities a on a.id = t.activity_id where t.id = ${about.attributeId}::uuid`,
    )
    if (attribute) {
      context.attributeId = about.attributeId
      context.attribute = attribute.name
      context.activity ??= attribute.activity
    }
  }
  if (about.activityId) {
    context.activityId = about.activityId
    // An activity's own field (its rest) is told by the activity's name.
    const [activity] = await rows<{ name: string }>(tx, sql`select name from activities where id = ${about.activityId}::uuid`)
    if (activity) context.activity ??= activity.name
  }
  return context
}

/**
 * Records this batch's claims and replaced values (B14). Runs in the pull's transaction before
 * the batch is applied, while the outbox still holds the mutations the batch settles.
 */
export async function noteReplacedEdits(tx: Tx, changes: Change[], deviceId: string, userId: string): Promise<void> {
  const rowChanges = changes.filter(
    (c) => c.table !== 'mutation_results' && (c.kind === 'insert' || c.kind === 'update' || c.kind === 'delete'),
  )
  if (rowChanges.length === 0) return
  const mine = new Map<number, number[]>()
  for (const c of changes) {
    if (c.table !== 'mutation_results' || !c.row || c.scope !== scopeName('device', deviceId)) continue
    const result = mutationResultRowSchema.parse(c.row)
    mine.set(c.seq, [...(mine.get(c.seq) ?? []), ...(result.status === 'applied' ? [result.mutation_id] : [])])
  }
  const tables = [...new Set(rowChanges.map((c) => c.table))]
  const stored = await tx.select().from(localEditClaims).where(inArray(localEditClaims.tableName, tables))
  if (stored.length === 0 && mine.size === 0) return

  const outbox = await tx.select().from(localOutbox).orderBy(asc(localOutbox.mutationId))
  const settledHere = new Set([...mine.values()].flat())
  const settledAny = new Set(
    changes.flatMap((c) =>
      c.table === 'mutation_results' && c.row && c.scope === scopeName('device', deviceId)
        ? [mutationResultRowSchema.parse(c.row).mutation_id]
        : [],
    ),
  )
  // Fields a write of this device still to be pushed (or not yet settled) sets again: it comes
  // later in server order, so another device's value there replaces nothing for good.
  const reclaimed = new Set(
    outbox
      .filter((m) => !settledAny.has(m.mutationId))
      .flatMap((m) => claimsOf(m.name, m.args, userId).map((c) => fieldId(c.table, c.key, c.field))),
  )

  const byRow = new Map<string, Claim[]>()
  const hold = (claim: Claim) => {
    const id = rowId(claim.tableName, claim.key)
    byRow.set(id, [...(byRow.get(id) ?? []).filter((c) => c.field !== claim.field), claim])
  }
  stored.forEach(hold)

  // Each server transaction's rows, in seq order; of several changes to one row in a
  // transaction, the last is what it left.
  const transactions = new Map<number, Map<string, Change>>()
  for (const c of rowChanges) {
    const rowsOf = transactions.get(c.seq) ?? new Map<string, Change>()
    rowsOf.set(rowId(c.table, c.key), c)
    transactions.set(c.seq, rowsOf)
  }
  for (const [seq, last] of [...transactions].sort(([a], [b]) => a - b)) {
    const applied = mine.get(seq)
    if (applied) {
      // This device's own transaction: its edits claim what they set, as the server stored it.
      for (const m of outbox.filter((o) => applied.includes(o.mutationId))) {
        for (const claim of claimsOf(m.name, m.args, userId)) {
          const change = last.get(rowId(claim.table, claim.key))
          if (!change) continue
          const value = pick(change.kind === 'delete' ? null : change.row, claim.columns)
          const context = await contextOf(tx, claim.about)
          const [row] = await tx
            .insert(localEditClaims)
            .values({
              tableName: claim.table,
              key: claim.key,
              field: claim.field,
              mutationId: m.mutationId,
              columns: [...claim.columns],
              value,
              context,
            })
            .onConflictDoUpdate({
              target: [localEditClaims.tableName, localEditClaims.key, localEditClaims.field],
              set: { mutationId: m.mutationId, value, context, createdAt: sql`now()` },
            })
            .returning()
          hold(row!)
        }
      }
      continue
    }
    for (const [id, change] of last) {
      const claims = byRow.get(id)
      if (!claims) continue
      const row = change.kind === 'delete' ? null : change.row
      for (const claim of claims) {
        const theirs = pick(row, claim.columns)
        if (same(claim.value, theirs, claim.columns)) continue
        if (!reclaimed.has(fieldId(claim.tableName, claim.key, claim.field))) {
          // A value gone with its whole entry says so: the entry, not the value, was deleted.
          const entryId = claim.tableName === 'entry_values' ? claim.key.entry_id : claim.tableName === 'entries' ? claim.key.id : undefined
          const entryDeleted = entryId !== undefined && last.get(rowId('entries', { id: entryId }))?.kind === 'delete'
          await tx.insert(localReplacedEdits).values({
            tableName: claim.tableName,
            key: claim.key,
            field: claim.field,
            mine: claim.value,
            theirs,
            context: entryDeleted ? { ...claim.context, entryDeleted } : claim.context,
            seq,
          })
        }
        await tx.delete(localEditClaims).where(sql`${localEditClaims.id} = ${claim.id}`)
      }
      byRow.set(
        id,
        claims.filter((c) => same(c.value, pick(row, c.columns), c.columns)),
      )
    }
  }
  // The newest claims are kept; an edit older than them is past being raced.
  if (settledHere.size > 0) {
    await tx.execute(
      sql`delete from local_edit_claims where id not in (select id from local_edit_claims order by created_at desc, id desc limit ${CLAIMS_KEPT})`,
    )
  }
}
