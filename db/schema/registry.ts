/**
 * The sync registry (sync/SPEC.md L6): every synced table with its scope, read from the one
 * declaration beside each Drizzle table (`syncScope`, `localTable`) and from the table itself
 * (name, primary key, foreign keys). Triggers, lists and delete orders that must agree with the
 * declarations are derived from here, never written by hand.
 */
import { is } from 'drizzle-orm'
import { toSnakeCase } from 'drizzle-orm/casing'
import { getTableConfig, PgTable, type PgColumn } from 'drizzle-orm/pg-core'
import * as localSchema from './local'
import * as syncedSchema from './synced'
import { mutationResults } from './sync'
import { localDeclarationOf, scopeOf, type SyncScopeKind } from './sync-scope'

/** How a synced table's rows are found for a scope: by SQL names, as the triggers and the wire see them. */
export type SyncTable = {
  table: string
  scope: SyncScopeKind
  /** The column holding the scope's id. */
  column: string
  key: string[]
  /** For history a storage window cuts (SPEC W1): the column naming the row's entry. */
  window?: string
}

/** A registered table: its names and the Drizzle table, for code that queries it. */
export type RegisteredTable = SyncTable & { drizzle: PgTable; parents: string[] }

export type LocalTable = { table: string; notify: boolean; drizzle: PgTable }

/** A column's SQL name: the project's Drizzle config maps camelCase keys to snake_case. */
export const sqlName = (column: PgColumn) => (column.keyAsName ? toSnakeCase(column.name) : column.name)

export const tablesIn = (schema: Record<string, unknown>): PgTable[] =>
  Object.values(schema).filter((value): value is PgTable => is(value, PgTable))

function primaryKeyOf(table: PgTable): string[] {
  const config = getTableConfig(table)
  const composite = config.primaryKeys[0]
  if (composite) return composite.columns.map(sqlName)
  const key = config.columns.filter((c) => c.primary).map(sqlName)
  if (key.length === 0) throw new Error(`Synced table ${config.name} has no primary key`)
  return key
}

/**
 * Parents first: a table comes after every table it references (self references aside), ties by
 * name, so a copy or an apply in this order never sees a child before its parent, and deletes in
 * the reverse order never orphan one.
 */
function parentsFirst(tables: RegisteredTable[]): RegisteredTable[] {
  const byName = new Map(tables.map((t) => [t.table, t]))
  const done = new Set<string>()
  const ordered: RegisteredTable[] = []
  const visit = (table: RegisteredTable, path: string[]) => {
    if (done.has(table.table)) return
    if (path.includes(table.table)) throw new Error(`Foreign keys form a cycle: ${[...path, table.table].join(' -> ')}`)
    for (const parent of [...table.parents].sort()) {
      const registered = byName.get(parent)
      if (registered) visit(registered, [...path, table.table])
    }
    done.add(table.table)
    ordered.push(table)
  }
  for (const table of [...tables].sort((a, b) => a.table.localeCompare(b.table))) visit(table, [])
  return ordered
}

/** Builds the registry of `tables`; every one must carry a `syncScope` declaration. */
export function registerSyncTables(tables: PgTable[]): RegisteredTable[] {
  return parentsFirst(
    tables.map((drizzle) => {
      const config = getTableConfig(drizzle)
      const scope = scopeOf(drizzle)
      if (!scope) throw new Error(`Table ${config.name} is synced but declares no scope: add syncScope(...) beside it`)
      return {
        table: config.name,
        scope: scope.kind,
        column: sqlName(scope.column),
        key: primaryKeyOf(drizzle),
        ...(scope.window ? { window: sqlName(scope.window) } : {}),
        drizzle,
        parents: config.foreignKeys.map((fk) => getTableConfig(fk.reference().foreignTable).name).filter((name) => name !== config.name),
      }
    }),
  )
}

/** Builds the device-only tables' list; every one must carry a `localTable` declaration. */
export function registerLocalTables(tables: PgTable[]): LocalTable[] {
  return tables
    .map((drizzle) => {
      const config = getTableConfig(drizzle)
      const declaration = localDeclarationOf(drizzle)
      if (!declaration) throw new Error(`Device table ${config.name} is not declared: add localTable(...) beside it`)
      return { table: config.name, notify: declaration.notify, drizzle }
    })
    .sort((a, b) => a.table.localeCompare(b.table))
}

/**
 * Every table whose changes are captured: the device's replica tables (`synced.ts`) and the
 * server-only `mutation_results`, which reach a device as acks in its device scope (SPEC P5).
 */
export const registry: readonly RegisteredTable[] = registerSyncTables([...tablesIn(syncedSchema), mutationResults])

/** The synced tables by SQL names, parents first. */
export const syncTables: readonly SyncTable[] = registry.map(({ table, scope, column, key, window }) => ({
  table,
  scope,
  column,
  key,
  ...(window ? { window } : {}),
}))

/** The tables a storage window cuts (SPEC W1), parents first: an entry's history. */
export const windowedTables: readonly SyncTable[] = syncTables.filter((t) => t.window !== undefined)

/** The tables a device holds rows of (its replica): all but the device-scoped results. */
export const replicaTables: readonly RegisteredTable[] = registry.filter((t) => t.scope !== 'device')

/** The device's own bookkeeping tables (`local.ts`). */
export const localTables: readonly LocalTable[] = registerLocalTables(tablesIn(localSchema))

/**
 * One step of deleting a library: delete `table`'s rows whose `column` is the library's id or,
 * with `via`, whose `column` points at a row of the library in `via.table`.
 */
export type LibraryDeletionStep = { table: PgTable; column: PgColumn; via?: { table: PgTable; key: PgColumn; scope: PgColumn } }

const columnOf = (table: PgTable, name: string) => {
  const column = getTableConfig(table).columns.find((c) => sqlName(c) === name)
  if (!column) throw new Error(`No column ${name} in ${getTableConfig(table).name}`)
  return column
}

/**
 * What deleting a library deletes, in order (SPEC S1, D1): first the rows of other scopes that
 * the server's foreign keys cascade-delete with the library's rows (a goal on one of its
 * activities), then the library's own tables, children first. The device has no foreign keys,
 * so both runtimes delete every row explicitly and end with the same rows.
 */
export function libraryDeletionOf(tables: readonly RegisteredTable[]): LibraryDeletionStep[] {
  const inLibrary = tables.filter((t) => t.scope === 'library')
  const libraryTables = new Map(inLibrary.map((t) => [t.drizzle, t]))
  const dependents: LibraryDeletionStep[] = []
  for (const t of tables) {
    if (t.scope !== 'user') continue
    for (const fk of getTableConfig(t.drizzle).foreignKeys) {
      const reference = fk.reference()
      const parent = libraryTables.get(reference.foreignTable)
      if (!parent || fk.onDelete !== 'cascade') continue
      const [column, key] = [reference.columns, reference.foreignColumns]
      if (column.length !== 1 || key.length !== 1) throw new Error(`${t.table}: composite foreign keys into a library are not supported`)
      dependents.push({
        table: t.drizzle,
        column: column[0]!,
        via: { table: parent.drizzle, key: key[0]!, scope: columnOf(parent.drizzle, parent.column) },
      })
    }
  }
  const own = [...inLibrary].reverse().map((t) => ({ table: t.drizzle, column: columnOf(t.drizzle, t.column) }))
  return [...dependents, ...own]
}

export const libraryDeletion: readonly LibraryDeletionStep[] = libraryDeletionOf(registry)
