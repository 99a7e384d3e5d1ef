/**
 * The device's side of a storage window (sync/SPEC.md W1-W6): which history it holds, what it
 * lacks, and the steps that bring the replica to the window the server sends.
 *
 * The window in force comes with every pull answer and snapshot; the device keeps it, with
 * `heldFrom` (it holds every workout from then on; null: everything), in
 * `local_sync_state.filter`, so every local query can say where its history stops.
 */
import { eq, sql } from 'drizzle-orm'
import { localSyncState } from '@/db/schema/local'
import { windowedTables } from '@/db/schema/registry'
import { rows } from '@/db/rows'
import type { Queryable, Tx } from '@/db/types'
import type { Change, HistoryResponse, WindowInForce } from '../protocol'
import { putRows } from './replica'

export type HeldWindow = {
  /** The window the server last said is in force. */
  setting: WindowInForce
  /** The device holds every workout from this time on; null: all of them. */
  heldFrom: string | null
  /** Workouts (root entry ids) in the window the device lacks: re-dated into it (W4). */
  wanted: string[]
  /** Whether the kept workouts may have changed (W1): an entry was deleted or re-dated before the cut. */
  keptStale: boolean
  /** Whether pruning waits for the outbox to empty (W3). */
  pruneDue: boolean
  /** Where a widening stopped (the `next` of its last page), to go on from after a restart (W4). */
  cursor: string | null
}

export const everything: HeldWindow = {
  setting: { kind: 'all' },
  heldFrom: null,
  wanted: [],
  keptStale: false,
  pruneDue: false,
  cursor: null,
}

/** The cut a window makes, or null when it holds everything. */
export const cutOf = (window: WindowInForce): string | null => (window.kind === 'all' ? null : window.from)

/** Whether `a` is later than `b`, where null is the beginning of time. */
const after = (a: string | null, b: string | null) => a !== null && (b === null || a > b)

/** Whether the replica lacks history of the window: a widening still to fetch (W4). */
export const widening = (held: HeldWindow) => after(held.heldFrom, cutOf(held.setting))

export async function storedWindow(q: Queryable): Promise<HeldWindow> {
  const [state] = await q.select({ filter: localSyncState.filter }).from(localSyncState).where(eq(localSyncState.id, 1))
  return windowOf(state?.filter)
}

/** The window a `local_sync_state.filter` value holds (everything for none). */
export function windowOf(filter: unknown): HeldWindow {
  const stored = filter as Partial<HeldWindow> | null | undefined
  return stored?.setting ? { ...everything, ...stored } : everything
}

export async function storeWindow(tx: Queryable, held: HeldWindow) {
  await tx.update(localSyncState).set({ filter: held }).where(eq(localSyncState.id, 1))
}

const idList = (ids: string[]) => sql`(select value::uuid from jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb))`

/**
 * The workouts a batch re-dates into the window that this device does not hold (W4), read before
 * the batch is applied: a root entry's update (not its insert: a new workout comes whole) whose
 * entry is not here, at or after the cut.
 */
export async function lackingRoots(tx: Queryable, changes: Change[], cut: string | null): Promise<string[]> {
  const inserted = new Set(changes.filter((c) => c.table === 'entries' && c.kind === 'insert').map((c) => String(c.key.id)))
  const candidates = [
    ...new Set(
      changes
        .filter((c) => c.table === 'entries' && c.kind === 'update' && c.row?.parent_id === null && !inserted.has(String(c.key.id)))
        .filter((c) => cut === null || new Date(String(c.row!.performed_at)).toISOString() >= cut)
        .map((c) => String(c.key.id)),
    ),
  ]
  if (candidates.length === 0) return []
  const here = await rows<{ id: string }>(tx, sql`select id::text as id from entries where id in ${idList(candidates)}`)
  const held = new Set(here.map((r) => r.id))
  return candidates.filter((id) => !held.has(id))
}

/**
 * Whether a batch may change which workouts before the cut are kept (W1): it deletes an entry,
 * or writes one dated before the cut (the last entry of its activity may now be another).
 */
export function touchesKept(changes: Change[], cut: string): boolean {
  return changes.some(
    (c) => c.table === 'entries' && (c.kind === 'delete' || (c.row !== null && new Date(String(c.row.performed_at)).toISOString() < cut)),
  )
}

/**
 * Deletes the history outside the window (W3): every workout before `cut` that does not hold the
 * latest entry of one of its activities, with its entries' values, tags and photos. Run only with
 * an empty outbox, so no pending write's rows go. Returns how many rows went.
 */
export async function pruneOutside(tx: Tx, cut: string): Promise<number> {
  const doomed = await rows<{ id: string }>(
    tx,
    sql`with recursive tree(id, root) as (
          select id, id from entries where parent_id is null
          union all
          select e.id, t.root from entries e join tree t on e.parent_id = t.id
        ), latest as (
          select distinct on (activity_id) id from entries order by activity_id, performed_at desc, id desc
        ), kept as (
          select distinct t.root from tree t join latest l on l.id = t.id
        )
        select t.id::text as id from tree t join entries r on r.id = t.root
         where r.performed_at < ${cut} and t.root not in (select root from kept)`,
  )
  if (doomed.length === 0) return 0
  const ids = doomed.map((d) => d.id)
  let removed = 0
  for (const table of [...windowedTables].reverse()) {
    const gone = await rows<{ n: number }>(
      tx,
      sql`with gone as (delete from ${sql.identifier(table.table)} where ${sql.identifier(table.window!)} in ${idList(ids)} returning 1)
          select count(*)::int as n from gone`,
    )
    removed += gone[0]?.n ?? 0
  }
  return removed
}

/** The root entries this device holds before `cut`: the kept workouts, as it has them. */
export async function heldBefore(q: Queryable, cut: string): Promise<string[]> {
  const found = await rows<{ id: string }>(q, sql`select id::text as id from entries where parent_id is null and performed_at < ${cut}`)
  return found.map((r) => r.id)
}

/** Writes a history answer's rows into the replica (W4, W5), parents first. Returns how many. */
export async function putHistory(tx: Tx, answer: HistoryResponse): Promise<number> {
  let put = 0
  for (const table of windowedTables) {
    const images = answer.tables[table.table] ?? []
    if (images.length === 0) continue
    await putRows(tx, table, images)
    put += images.length
  }
  return put
}
