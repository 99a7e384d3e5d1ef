/**
 * What a device holds against what the server holds in its scopes (sync/SPEC.md R1), read
 * straight from the tables: an oracle of its own, not the pull or snapshot code under test. The
 * convergence fuzz and the PostgreSQL suites end every run with it.
 */
import { isDeepStrictEqual } from 'node:util'
import { sql, type SQL } from 'drizzle-orm'
import { rows } from '@/db/rows'
import { replicaTables } from '@/db/schema/registry'
import type { Db } from '@/db/types'

/** Each replica table's rows, in primary key order, as JSON. */
export type Picture = Record<string, Record<string, unknown>[]>

/**
 * A device's user and the libraries it may read: the scopes whose rows it holds; with `history`,
 * the ids of the user's entries its storage window holds (SPEC W1), as a subquery.
 */
export type PictureScope = { userId: string; libraryIds: readonly string[]; history?: SQL }

/**
 * The rows of every replica table in key order, in UTC (so a server's and a device's timestamps
 * read alike); with `scope`, only the rows in it (a server's view of one device).
 */
export async function picture(db: Db, scope?: PictureScope): Promise<Picture> {
  const parts = replicaTables.map((t) => {
    const order = sql.join(
      t.key.map((k) => sql`t.${sql.identifier(k)}`),
      sql`, `,
    )
    const ids = scope ? (t.scope === 'user' ? [scope.userId] : scope.libraryIds) : undefined
    const where =
      ids === undefined
        ? sql`true`
        : ids.length === 0
          ? sql`false`
          : sql`t.${sql.identifier(t.column)}::text in (${sql.join(
              ids.map((id) => sql`${id}`),
              sql`, `,
            )})`
    const windowed = scope?.history && t.window ? sql` and t.${sql.identifier(t.window)} in ${scope.history}` : sql``
    return sql`${t.table}::text, (select coalesce(jsonb_agg(to_jsonb(t) order by ${order}), '[]'::jsonb) from ${sql.identifier(t.table)} t where ${where}${windowed})`
  })
  return db.transaction(async (tx) => {
    await tx.execute(sql`set local time zone 'UTC'`)
    const [row] = await rows<{ p: Picture }>(tx, sql`select jsonb_build_object(${sql.join(parts, sql`, `)}) as p`)
    return row!.p
  })
}

function keyOf(table: string, row: Record<string, unknown>) {
  return replicaTables
    .find((t) => t.table === table)!
    .key.map((k) => String(row[k]))
    .join('|')
}

/**
 * How `device` differs from `server`, one entry per table that differs, naming up to four rows
 * (`shorten` may abbreviate the ids in them); empty when they are equal.
 */
export function pictureDiff(device: Picture, server: Picture, shorten: (text: string) => string = (text) => text): string[] {
  const problems: string[] = []
  for (const t of replicaTables) {
    const mine = device[t.table] ?? []
    const truth = server[t.table] ?? []
    if (isDeepStrictEqual(mine, truth)) continue
    const byKey = new Map(truth.map((r) => [keyOf(t.table, r), r]))
    const seen = new Set<string>()
    const lines: string[] = []
    for (const row of mine) {
      const key = keyOf(t.table, row)
      seen.add(key)
      const other = byKey.get(key)
      if (!other) lines.push(`only on the device: ${JSON.stringify(row)}`)
      else if (!isDeepStrictEqual(row, other)) lines.push(`differs: device ${JSON.stringify(row)}\n        server ${JSON.stringify(other)}`)
    }
    for (const [key, row] of byKey) if (!seen.has(key)) lines.push(`missing on the device: ${JSON.stringify(row)}`)
    if (lines.length === 0) lines.push('same rows in another order')
    problems.push(
      `${t.table}:\n      ${lines.slice(0, 4).map(shorten).join('\n      ')}${lines.length > 4 ? `\n      …and ${lines.length - 4} more` : ''}`,
    )
  }
  return problems
}
