/**
 * The device's replica, inside one local transaction at a time: applying server changes,
 * reverting and replaying pending writes, and the outbox. Every function takes the transaction
 * so a caller composes them atomically (sync/SPEC.md B1-B4).
 */
import { asc, eq, lte, sql } from 'drizzle-orm'
import { localOutbox, localRejections, localSyncState, localUndo } from '@/db/schema/local'
import { replicaTables, type SyncTable } from '@/db/schema/registry'
import { rows } from '@/db/rows'
import type { Queryable, Tx } from '@/db/types'
import { asRefusal } from '@/domain/apply'
import { MutationError } from '@/domain/errors'
import { runMutator } from '@/domain/mutators'
import { mutationDigest, mutationResultRowSchema, scopeName, type Change, type MutationResultRow } from '../protocol'

const tables = new Map<string, SyncTable>(replicaTables.map((t) => [t.table, t]))

function tableOf(name: string): SyncTable {
  const table = tables.get(name)
  if (!table) throw new Error(`The server sent a change to unknown table "${name}"`)
  return table
}

function keyMatch(table: SyncTable, key: Record<string, unknown>) {
  const name = sql.identifier(table.table)
  const columns = sql.join(
    table.key.map((k) => sql.identifier(k)),
    sql`, `,
  )
  return sql`(${columns}) = (select ${columns} from jsonb_populate_record(null::${name}, ${JSON.stringify(key)}::jsonb))`
}

export async function deleteRow(tx: Tx, table: SyncTable, key: Record<string, unknown>) {
  await tx.execute(sql`delete from ${sql.identifier(table.table)} where ${keyMatch(table, key)}`)
}

/** Writes a full row image, replacing any row with the same key. */
export async function putRow(tx: Tx, table: SyncTable, row: Record<string, unknown>) {
  const keys = Object.fromEntries(table.key.map((k) => [k, row[k]]))
  await deleteRow(tx, table, keys)
  await tx.execute(
    sql`insert into ${sql.identifier(table.table)} select * from jsonb_populate_record(null::${sql.identifier(table.table)}, ${JSON.stringify(row)}::jsonb)`,
  )
}

/** Several rows' keys (or whole images) of one table as a relation, for set-at-a-time writes. */
function recordset(table: SyncTable, images: Record<string, unknown>[]) {
  return sql`jsonb_populate_recordset(null::${sql.identifier(table.table)}, ${JSON.stringify(images)}::jsonb)`
}

/** Deletes the rows with these keys in one statement. */
export async function deleteRows(tx: Tx, table: SyncTable, keys: Record<string, unknown>[]) {
  if (keys.length === 0) return
  const columns = sql.join(
    table.key.map((k) => sql.identifier(k)),
    sql`, `,
  )
  await tx.execute(sql`delete from ${sql.identifier(table.table)} where (${columns}) in (select ${columns} from ${recordset(table, keys)})`)
}

const keyOf = (table: SyncTable, row: Record<string, unknown>) => Object.fromEntries(table.key.map((k) => [k, row[k]]))

/**
 * Writes full row images in two statements, replacing rows with the same keys; of several
 * images of one key the last wins, as if they were written one by one.
 */
export async function putRows(tx: Tx, table: SyncTable, images: Record<string, unknown>[]) {
  if (images.length === 0) return
  const latest = new Map(images.map((row) => [JSON.stringify(table.key.map((k) => row[k])), row]))
  const unique = [...latest.values()]
  await deleteRows(
    tx,
    table,
    unique.map((row) => keyOf(table, row)),
  )
  await tx.execute(sql`insert into ${sql.identifier(table.table)} select * from ${recordset(table, unique)}`)
}

/**
 * Applies a server batch set-at-a-time (recording is off), with the effect of applying its
 * changes one by one in order (SPEC B2): the device has no foreign keys (D1), so only the order
 * of changes to the same table matters, and each table's changes are written in runs of
 * upserts and deletes in their order. A scope change is a barrier: what precedes it is written
 * first. Results of this device's mutations settle their outbox entries (B3).
 */
export async function applyChanges(tx: Tx, changes: Change[], deviceId: string) {
  let segment: Change[] = []
  const flush = async () => {
    const byTable = new Map<string, Change[]>()
    for (const change of segment) byTable.set(change.table, [...(byTable.get(change.table) ?? []), change])
    for (const [name, list] of byTable) {
      const table = tableOf(name)
      for (let i = 0; i < list.length;) {
        const kind = list[i]!.kind
        let j = i
        while (j < list.length && list[j]!.kind === kind) j++
        const run = list.slice(i, j)
        if (kind === 'delete')
          await deleteRows(
            tx,
            table,
            run.map((c) => c.key),
          )
        else
          await putRows(
            tx,
            table,
            run.map((c) => c.row!),
          )
        i = j
      }
    }
    segment = []
  }
  for (const change of changes) {
    if (change.table === 'mutation_results' || change.kind === 'scope_removed' || change.kind === 'scope_added') {
      await flush()
      await applyChange(tx, change, deviceId)
    } else {
      segment.push(change)
    }
  }
  await flush()
}

/** Deletes every row of a library from the device (a lost scope, SPEC S3). */
export async function dropLibrary(tx: Tx, libraryId: string) {
  for (const table of tables.values()) {
    if (table.scope !== 'library') continue
    await tx.execute(sql`delete from ${sql.identifier(table.table)} where ${sql.identifier(table.column)} = ${libraryId}::uuid`)
  }
}

export async function clearReplica(tx: Tx) {
  for (const table of tables.values()) await tx.execute(sql`delete from ${sql.identifier(table.table)}`)
}

/**
 * Settles an outbox entry from its result in the stream (SPEC B3): applied ones are dropped
 * (their effects arrived in the same server transaction), rejected ones move to the rejections
 * with the reason. A result recorded for another mutation under the entry's number (the device's
 * storage went back to an earlier copy, B15) settles nothing: the entry stays, and its push
 * learns the rest.
 */
export async function settle(tx: Tx, result: MutationResultRow) {
  const [pending] = await tx.select().from(localOutbox).where(eq(localOutbox.mutationId, result.mutation_id))
  if (!pending) return
  if (result.args_digest !== null && result.args_digest !== (await mutationDigest(pending.name, pending.args))) return
  if (result.status === 'rejected') {
    await tx
      .insert(localRejections)
      .values({
        mutationId: pending.mutationId,
        name: pending.name,
        args: pending.args,
        errorCode: result.error_code ?? 'conflict',
        errorMessage: result.error_message ?? 'The server refused this change.',
      })
      .onConflictDoNothing()
  }
  await tx.delete(localOutbox).where(eq(localOutbox.mutationId, pending.mutationId))
}

/** Applies one server change to the replica (recording is off). */
export async function applyChange(tx: Tx, change: Change, deviceId: string) {
  if (change.table === 'mutation_results') {
    if (change.row && change.scope === scopeName('device', deviceId)) await settle(tx, mutationResultRowSchema.parse(change.row))
    return
  }
  if (change.kind === 'scope_removed') return dropLibrary(tx, String(change.key.id))
  if (change.kind === 'scope_added') return
  const table = tableOf(change.table)
  if (change.kind === 'delete') return deleteRow(tx, table, change.key)
  await putRow(tx, table, change.row!)
}

/** A row's identity across the undo log and the stream, whatever the JSON of its key values. */
function rowId(tableName: string, key: Record<string, unknown>) {
  const table = tableOf(tableName)
  return `${tableName}:${JSON.stringify(table.key.map((k) => String(key[k])))}`
}

/**
 * Applies a server batch beside the pending writes, without reverting and replaying them, when
 * that gives the state a rebase would (SPEC B11): the batch settles none of this device's
 * mutations and changes no scope, no row it writes or deletes is one a pending write touched,
 * and no pending write is held only by a local refusal. The batch goes in under a savepoint; a
 * constraint it breaks against a pending write rolls it back. Returns false when the caller
 * must rebase instead (nothing has changed then).
 */
export async function applyBesidePending(tx: Tx, changes: Change[], deviceId: string): Promise<boolean> {
  if (changes.some((c) => c.table === 'mutation_results' || c.kind === 'scope_removed' || c.kind === 'scope_added')) return false
  const [refused] = await rows<{ n: number }>(tx, sql`select count(*)::int as n from local_outbox where local_error is not null`)
  if ((refused?.n ?? 0) > 0) return false
  const touched = new Set(
    (await tx.select({ table: localUndo.tableName, key: localUndo.key }).from(localUndo)).map((u) =>
      rowId(u.table, u.key as Record<string, unknown>),
    ),
  )
  if (changes.some((c) => touched.has(rowId(c.table, c.key)))) return false
  try {
    await tx.transaction((sp) => applyChanges(sp, changes, deviceId))
    return true
  } catch {
    return false
  }
}

async function recording(tx: Tx, on: boolean) {
  await tx.execute(sql`select set_config('cadence.recording', ${on ? 'on' : 'off'}, true)`)
}

type UndoRecord = typeof localUndo.$inferSelect

/**
 * Puts every row these undo records touched straight back to its oldest before-image among them,
 * set-at-a-time per table: undoing step by step would pass through states that need not be valid
 * beside rows a batch has brought in since (B11), e.g. a deleted tag's name now taken by another
 * device's tag.
 */
async function revertRecords(tx: Tx, undo: readonly UndoRecord[]) {
  const oldest = new Map<string, UndoRecord>()
  for (const step of undo) {
    const id = rowId(step.tableName, step.key as Record<string, unknown>)
    if (!oldest.has(id)) oldest.set(id, step)
  }
  const byTable = new Map<string, UndoRecord[]>()
  for (const step of oldest.values()) {
    const steps = byTable.get(step.tableName)
    if (steps) steps.push(step)
    else byTable.set(step.tableName, [step])
  }
  for (const [name, steps] of byTable) {
    const table = tableOf(name)
    await deleteRows(
      tx,
      table,
      steps.map((s) => s.key as Record<string, unknown>),
    )
    await putRows(
      tx,
      table,
      steps.flatMap((s) => (s.before ? [s.before as Record<string, unknown>] : [])),
    )
  }
}

/** Undoes every pending write and forgets the undo log (SPEC B2). */
export async function revertPending(tx: Tx) {
  const undo = await tx.select().from(localUndo).orderBy(asc(localUndo.id))
  if (undo.length === 0) return
  await revertRecords(tx, undo)
  await tx.delete(localUndo)
}

/** The newest undo record's id (0 for none): a mutation run next records only above it (B16). */
export async function undoWatermark(tx: Tx): Promise<number> {
  const [row] = await rows<{ n: string | number | null }>(tx, sql`select max(id) as n from local_undo`)
  return Number(row?.n ?? 0)
}

/**
 * Settles this device's oldest pending writes beside the rest, without replaying them (SPEC B16),
 * when the batch applies every one of them (a run from the front of the outbox), changes no
 * scope, and neither they nor the batch touch a row a later pending write touched. Their rows go
 * back to before them and the batch brings the server's images (their effects are in the
 * transaction of their results, P4), their undo records go, and the later writes keep theirs.
 * Under a savepoint, as B11: a constraint the batch breaks rolls it back. Returns false when the
 * caller must rebase instead (nothing has changed then).
 */
export async function settleBesidePending(tx: Tx, changes: Change[], deviceId: string): Promise<boolean> {
  if (changes.some((c) => c.kind === 'scope_removed' || c.kind === 'scope_added')) return false
  const results = changes.filter((c) => c.table === 'mutation_results')
  if (results.length === 0) return false
  const own = scopeName('device', deviceId)
  if (results.some((c) => c.scope !== own || !c.row || c.kind !== 'insert')) return false
  const settled = results.map((c) => mutationResultRowSchema.parse(c.row))
  if (settled.some((r) => r.status !== 'applied')) return false
  const outbox = await tx.select().from(localOutbox).orderBy(asc(localOutbox.mutationId))
  if (outbox.some((m) => m.localError !== null)) return false
  const ids = new Set(settled.map((r) => r.mutation_id))
  const front = outbox.slice(0, ids.size)
  if (front.length < ids.size || front.some((m) => !ids.has(m.mutationId))) return false
  for (const r of settled) {
    const m = front.find((f) => f.mutationId === r.mutation_id)!
    if (r.args_digest !== null && r.args_digest !== (await mutationDigest(m.name, m.args))) return false
  }
  const next = outbox[ids.size]
  if (next && next.undoFrom === null) return false
  const boundary = next ? next.undoFrom! : Number.MAX_SAFE_INTEGER
  const undo = await tx.select().from(localUndo).orderBy(asc(localUndo.id))
  const theirs = undo.filter((u) => u.id <= boundary)
  const later = new Set(undo.filter((u) => u.id > boundary).map((u) => rowId(u.tableName, u.key as Record<string, unknown>)))
  if (theirs.some((u) => later.has(rowId(u.tableName, u.key as Record<string, unknown>)))) return false
  if (changes.some((c) => c.table !== 'mutation_results' && later.has(rowId(c.table, c.key)))) return false
  try {
    await tx.transaction(async (sp) => {
      await revertRecords(sp, theirs)
      await sp.delete(localUndo).where(lte(localUndo.id, boundary))
      await applyChanges(sp, changes, deviceId)
    })
    return true
  } catch {
    return false
  }
}

/**
 * Runs a mutation on the replica with its before-images recorded. A refusal rolls back its
 * savepoint and is returned; anything else is thrown.
 */
export async function runRecorded(tx: Tx, userId: string, name: string, args: unknown, now: Date) {
  await recording(tx, true)
  try {
    await tx.transaction((sp) => runMutator({ tx: sp, userId, now, runtime: 'device' }, name, args))
    return undefined
  } catch (error) {
    const refusal = asRefusal(error)
    if (!refusal) throw error
    // The issues travel to the page that made the mutation (its form places each by its path).
    return { ...refusal, issues: error instanceof MutationError ? error.issues : [] }
  } finally {
    await recording(tx, false)
  }
}

/**
 * Re-runs every pending mutation, in order, on the current state (SPEC B2). One that now fails
 * stays queued with the local reason: the server decides its fate (SPEC B4).
 */
export async function replayPending(tx: Tx, userId: string) {
  const pending = await tx.select().from(localOutbox).orderBy(asc(localOutbox.mutationId))
  for (const m of pending) {
    const undoFrom = await undoWatermark(tx)
    const refusal = await runRecorded(tx, userId, m.name, m.args, m.createdAt)
    const localError = refusal ? `${refusal.code}: ${refusal.message}` : null
    if (localError !== m.localError || undoFrom !== m.undoFrom) {
      await tx.update(localOutbox).set({ localError, undoFrom }).where(eq(localOutbox.mutationId, m.mutationId))
    }
  }
}

export async function readState(tx: Queryable) {
  const [state] = await tx.select().from(localSyncState).where(eq(localSyncState.id, 1))
  if (!state) throw new Error('This device has no sync state: open it with a user first.')
  return state
}

export async function pendingCount(tx: Queryable): Promise<number> {
  const [row] = await rows<{ n: number }>(tx, sql`select count(*)::int as n from local_outbox`)
  return row?.n ?? 0
}
