/**
 * M7 the commit-order row's ceiling (SPEC L3): every transaction that writes a synced table takes
 * the single `sync_state` row lock at commit for its seq. Measured: commits per second of the
 * smallest real write (one `tags` row, autocommitted: its capture, its seq at commit) at 1, 8, 32
 * and 64 connections, each connection a loop of such commits for a fixed time, each its own user
 * (no shared foreign-key parent). Baseline, same run, same connections: the same single-row
 * commits into a copy of `tags` with no triggers and no foreign keys. Ratio = synced / plain.
 *
 * If the ratio falls as connections grow, the hot row (or the commit itself) is the limit; if it
 * holds, the cost per commit is constant work (the trigger, the log row) that parallelises.
 */
import { randomUUID } from 'node:crypto'
import postgres from 'postgres'
import { freshPostgres, printTable, round } from './lib'

async function loop(client: postgres.Sql, connections: number, ms: number, statement: (sql: postgres.Sql, i: number) => Promise<unknown>) {
  let commits = 0
  const end = performance.now() + ms
  await Promise.all(
    Array.from({ length: connections }, async (_, i) => {
      while (performance.now() < end) {
        await statement(client, i)
        commits += 1
      }
    }),
  )
  return commits / (ms / 1000)
}

export async function m7({ levels = [1, 8, 32, 64], ms = 3000 } = {}) {
  const max = Math.max(...levels)
  const database = await freshPostgres({ max: 2 })
  try {
    const users = Array.from({ length: max }, () => randomUUID())
    await database.client`insert into users ${database.client(users.map((id) => ({ id, name: 'M7', email: `m7-${id}@example.com` })))}`
    await database.client.unsafe('create table plain_tags (like tags including defaults including constraints including indexes)')
    const result: { connections: number; synced: number; plain: number; ratio: number }[] = []
    for (const connections of levels) {
      // A pool of exactly this many connections, opened before the clock starts.
      const client = postgres(database.url, { max: connections, onnotice: () => {} })
      try {
        await Promise.all(Array.from({ length: connections }, () => client`select 1`))
        const insert = (table: string) => (sql: postgres.Sql, i: number) =>
          sql`insert into ${sql(table)} (id, user_id, name) values (${randomUUID()}, ${users[i]!}, ${randomUUID()})`
        // Warm-up, then plain and synced, alternated twice; the better of each (the machine is shared).
        await loop(client, connections, 300, insert('plain_tags'))
        await loop(client, connections, 300, insert('tags'))
        const plain: number[] = []
        const synced: number[] = []
        for (let r = 0; r < 2; r++) {
          plain.push(await loop(client, connections, ms, insert('plain_tags')))
          synced.push(await loop(client, connections, ms, insert('tags')))
        }
        const best = (xs: number[]) => Math.max(...xs)
        result.push({
          connections,
          synced: round(best(synced), 0),
          plain: round(best(plain), 0),
          ratio: round(best(synced) / best(plain), 3),
        })
      } finally {
        await client.end({ timeout: 5 })
      }
    }
    printTable(
      `M7 commits per second: one-row transactions into tags (synced: capture + seq at commit) vs a plain copy; ${ms} ms a run, best of 2`,
      result.map((r) => ({ connections: r.connections, 'synced commits/s': r.synced, 'plain commits/s': r.plain, ratio: r.ratio })),
    )
    const first = result[0]!
    const last = result.at(-1)!
    console.log(`ratio ${first.ratio} at ${first.connections} connection(s), ${last.ratio} at ${last.connections}`)
    return { levels: result }
  } finally {
    await database.close()
  }
}
