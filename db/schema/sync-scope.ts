/**
 * How a table takes part in sync, declared once beside the table (sync/SPEC.md L6). The
 * registry (`db/schema/registry.ts`) reads these declarations, plus each table's name, primary
 * key and foreign keys from Drizzle itself, and everything that must agree with them (the
 * server's capture triggers and grant copy, the device's undo and notify triggers, the delete
 * order of a library, the device's clear lists) is generated from it.
 */
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core'

/**
 * The scope a synced row belongs to (SPEC vocabulary): one user's rows, one library's rows, or
 * one device's results (server-only rows a device receives as acks).
 */
export const syncScopeKinds = ['user', 'library', 'device'] as const
export type SyncScopeKind = (typeof syncScopeKinds)[number]

/**
 * `window`: the row belongs to an entry's history, named by this column (the entry's id), and a
 * device with a storage window holds it only while that entry's workout is in the window
 * (sync/SPEC.md W1).
 */
export type SyncScopeOptions = { window?: PgColumn }
export type SyncScopeDeclaration = { kind: SyncScopeKind; column: PgColumn } & SyncScopeOptions
export type LocalTableDeclaration = { notify: boolean }

const scopes = new WeakMap<PgTable, SyncScopeDeclaration>()
const locals = new WeakMap<PgTable, LocalTableDeclaration>()

/**
 * Declares that `table`'s rows sync in a `kind` scope whose id is `column` of the row itself
 * (so a row's scope is known even while it is deleted), and with `window` that it is history a
 * storage window cuts. Returns the table.
 */
export function syncScope<T extends PgTable>(table: T, kind: SyncScopeKind, column: PgColumn, options: SyncScopeOptions = {}): T {
  if (column.table !== table) throw new Error(`syncScope: the scope column must belong to the table it scopes`)
  if (options.window && (options.window.table !== table || kind !== 'user')) {
    throw new Error(`syncScope: a window column must belong to the table, in the user scope`)
  }
  scopes.set(table, { kind, column, ...options })
  return table
}

/**
 * Declares a device-only bookkeeping table. `notify`: its commits wake the tabs (the status bar
 * reads it; SPEC B12), as every synced table's do.
 */
export function localTable<T extends PgTable>(table: T, declaration: LocalTableDeclaration): T {
  locals.set(table, declaration)
  return table
}

export const scopeOf = (table: PgTable) => scopes.get(table)
export const localDeclarationOf = (table: PgTable) => locals.get(table)
