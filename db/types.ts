import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core'
import type { ExtractTablesWithRelations } from 'drizzle-orm'
import type * as schema from './schema'

/**
 * A Drizzle database over the server schema, whatever the driver (PGlite or postgres.js).
 * Queries and mutations take a `Db` so tests can hand them their own database.
 */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>

/** A transaction of a {@link Db}. */
export type Tx = PgTransaction<PgQueryResultHKT, typeof schema, ExtractTablesWithRelations<typeof schema>>

/** Either a database or a transaction: what query functions accept. */
export type Queryable = Db | Tx
