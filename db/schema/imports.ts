/**
 * Imports: a file of another app's history (or a Cadence archive) brought in by the user. Every
 * entry an import wrote points at its row (`entries.importId`) and says which row of the file it
 * came from (`entries.importRow`); a workout's root entry also keeps the workout's key in the
 * file (`entries.importKey`), so re-importing the same file skips what is already there and an
 * import can be undone as one action (its entries deleted, nothing else touched).
 *
 * Sync: user scope.
 */
import { sql } from 'drizzle-orm'
import { check, index, integer, pgTable, text, uuid } from 'drizzle-orm/pg-core'
import { users } from './auth'
import { createdAt, id, instant } from './columns'
import { syncScope } from './sync-scope'

/** Where an import came from: the format of its file. Append-only. */
export const importSources = ['strong', 'hevy', 'fitnotes', 'stronglifts', 'cadence', 'cadence-archive'] as const
export type ImportSource = (typeof importSources)[number]

export const imports = pgTable(
  'imports',
  {
    id: id(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    source: text({ enum: importSources }).notNull(),
    /** The file's name as the user picked it. */
    fileName: text().notNull(),
    /** Data rows the file held, for the import's summary. */
    fileRows: integer().notNull().default(0),
    createdAt: createdAt(),
    /** Set when the import was undone (its entries deleted); the row stays as the record of it. */
    undoneAt: instant(),
  },
  (t) => [
    index().on(t.userId),
    check('imports_source_valid', sql`${t.source} in ('strong', 'hevy', 'fitnotes', 'stronglifts', 'cadence', 'cadence-archive')`),
    check('imports_file_name_length', sql`length(${t.fileName}) between 1 and 255`),
    check('imports_file_rows_nonnegative', sql`${t.fileRows} >= 0`),
  ],
)
syncScope(imports, 'user', imports.userId)
