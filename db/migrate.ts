/**
 * One migrator for every database Cadence opens: the server's PostgreSQL, the server's embedded
 * PGlite, and the browser's PGlite. Migrations come bundled as data (see
 * scripts/bundle-migrations.mjs), so nothing reads migration files at run time.
 *
 * Invariants:
 * - All pending migrations apply in one transaction; a failure leaves the database as it was.
 * - Concurrent starters (several server instances) serialise on an advisory lock.
 * - A database that has applied a migration this build does not know (written by a newer
 *   Cadence) is refused with {@link SchemaTooNewError} instead of being touched.
 * - A known migration whose SQL changed after it was applied is refused too: committed
 *   migrations are never edited.
 */

export type Migration = {
  readonly tag: string
  readonly when: number
  readonly hash: string
  readonly statements: readonly string[]
}

/** The little a migrator needs from a driver, inside one transaction. */
export type SqlTx = {
  exec(sql: string): Promise<void>
  query<Row>(sql: string): Promise<Row[]>
}

export type SqlRunner = {
  transaction<T>(fn: (tx: SqlTx) => Promise<T>): Promise<T>
}

export class SchemaTooNewError extends Error {
  constructor(readonly unknownTags: string[]) {
    super(
      `The database was written by a newer version of Cadence (it has migration ${unknownTags.join(', ')}, ` +
        'which this version does not know). Upgrade Cadence, or point it at another database or data directory.',
    )
    this.name = 'SchemaTooNewError'
  }
}

export class MigrationEditedError extends Error {
  constructor(readonly tag: string) {
    super(
      `Migration ${tag} was changed after it was applied to this database. ` +
        'Committed migrations must never be edited: revert the edit and add a new migration instead.',
    )
    this.name = 'MigrationEditedError'
  }
}

const LOCK_KEY = 0x43_41_44_45 // "CADE"

/**
 * Applies every migration of `migrations` the database lacks, in order, in one transaction.
 * Returns the tags applied (empty when the database was up to date).
 */
export async function migrate(runner: SqlRunner, migrations: readonly Migration[]): Promise<string[]> {
  return runner.transaction(async (tx) => {
    await tx.exec(`select pg_advisory_xact_lock(${LOCK_KEY})`)
    await tx.exec(`
      create schema if not exists cadence_meta;
      create table if not exists cadence_meta.migrations (
        tag text primary key,
        hash text not null,
        applied_at timestamptz not null default now()
      );
    `)
    const applied = await tx.query<{ tag: string; hash: string }>('select tag, hash from cadence_meta.migrations order by tag')
    const known = new Map(migrations.map((m) => [m.tag, m]))
    const unknown = applied.filter((a) => !known.has(a.tag)).map((a) => a.tag)
    if (unknown.length > 0) throw new SchemaTooNewError(unknown)
    for (const a of applied) {
      if (known.get(a.tag)?.hash !== a.hash) throw new MigrationEditedError(a.tag)
    }

    const done = new Set(applied.map((a) => a.tag))
    const pending = migrations.filter((m) => !done.has(m.tag))
    for (const m of pending) {
      for (const statement of m.statements) await tx.exec(statement)
      await tx.exec(`insert into cadence_meta.migrations (tag, hash) values (${quote(m.tag)}, ${quote(m.hash)})`)
    }
    return pending.map((m) => m.tag)
  })
}

/** Tags are drizzle-kit file names and hashes are hex: quoting is for safety, not for escaping needs. */
function quote(value: string): string {
  return `'${value.replaceAll("'", "''")}'`
}
