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
 *
 * The same again from two processes (each a child running this file with half the connections,
 * both started on one signal): whether one Node process, not the database, was the limit.
 */
import { spawn } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { createInterface } from 'node:readline'
import { pathToFileURL } from 'node:url'
import postgres from 'postgres'
import { freshPostgres, printTable, round } from './lib'

const insert = (table: string, users: string[]) => (sql: postgres.Sql, i: number) =>
  sql`insert into ${sql(table)} (id, user_id, name) values (${randomUUID()}, ${users[i]!}, ${randomUUID()})`

/** Warm-up, then plain and synced alternated twice (the machine is shared): commits/s of each run. */
async function runs(client: postgres.Sql, connections: number, ms: number, users: string[]) {
  await Promise.all(Array.from({ length: connections }, () => client`select 1`))
  await loop(client, connections, 300, insert('plain_tags', users))
  await loop(client, connections, 300, insert('tags', users))
  const plain: number[] = []
  const synced: number[] = []
  for (let r = 0; r < 2; r++) {
    plain.push(await loop(client, connections, ms, insert('plain_tags', users)))
    synced.push(await loop(client, connections, ms, insert('tags', users)))
  }
  return { plain, synced }
}

/** `runs` from two child processes at once, `connections` split between them; the runs summed. */
async function twoProcesses(url: string, connections: number, ms: number, users: string[]) {
  const half = [Math.ceil(connections / 2), Math.floor(connections / 2)]
  const children = half.map((n, c) => {
    const offset = c === 0 ? 0 : half[0]!
    const child = spawn(
      process.execPath,
      [
        '--conditions=react-server',
        '--import',
        'tsx',
        import.meta.filename,
        '--m7-child',
        url,
        String(n),
        String(ms),
        users.slice(offset, offset + n).join(','),
      ],
      { stdio: ['pipe', 'pipe', 'inherit'] },
    )
    const lines = createInterface({ input: child.stdout! })
    const next = () => new Promise<string>((resolve) => lines.once('line', resolve))
    return { child, next }
  })
  // Both open their pools first; then one signal starts both clocks.
  await Promise.all(
    children.map(async (c) => ((await c.next()) === 'ready' ? undefined : Promise.reject(new Error('M7 child did not start')))),
  )
  const answers = children.map((c) => c.next())
  for (const c of children) c.child.stdin!.write('go\n')
  const results = (await Promise.all(answers)).map((line) => JSON.parse(line) as { plain: number[]; synced: number[] })
  for (const c of children) c.child.stdin!.end()
  const sum = (k: 'plain' | 'synced') => results[0]![k].map((x, i) => x + results[1]![k][i]!)
  return { plain: sum('plain'), synced: sum('synced') }
}

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
    const result: { processes: number; connections: number; synced: number; plain: number; ratio: number }[] = []
    const best = (xs: number[]) => Math.max(...xs)
    const record = (processes: number, connections: number, r: { plain: number[]; synced: number[] }) =>
      result.push({
        processes,
        connections,
        synced: round(best(r.synced), 0),
        plain: round(best(r.plain), 0),
        ratio: round(best(r.synced) / best(r.plain), 3),
      })
    for (const connections of levels) {
      // A pool of exactly this many connections, opened before the clock starts.
      const client = postgres(database.url, { max: connections, onnotice: () => {} })
      try {
        record(1, connections, await runs(client, connections, ms, users))
      } finally {
        await client.end({ timeout: 5 })
      }
    }
    for (const connections of levels.filter((n) => n >= 2)) record(2, connections, await twoProcesses(database.url, connections, ms, users))
    printTable(
      `M7 commits per second: one-row transactions into tags (synced: capture + seq at commit) vs a plain copy; ${ms} ms a run, best of 2`,
      result.map((r) => ({
        processes: r.processes,
        connections: r.connections,
        'synced commits/s': r.synced,
        'plain commits/s': r.plain,
        ratio: r.ratio,
      })),
    )
    const first = result[0]!
    const last = result.filter((r) => r.processes === 1).at(-1)!
    console.log(`ratio ${first.ratio} at ${first.connections} connection(s), ${last.ratio} at ${last.connections}`)
    return { levels: result }
  } finally {
    await database.close()
  }
}

/** A child of {@link twoProcesses}: opens its pool, says `ready`, runs on `go`, prints its runs. */
async function child([url, connections, ms, users]: string[]) {
  const client = postgres(url!, { max: Number(connections), onnotice: () => {} })
  await Promise.all(Array.from({ length: Number(connections) }, () => client`select 1`))
  const lines = createInterface({ input: process.stdin })
  const go = new Promise<void>((resolve) => lines.once('line', () => resolve()))
  console.log('ready')
  await go
  console.log(JSON.stringify(await runs(client, Number(connections), Number(ms), users!.split(','))))
  lines.close()
  await client.end({ timeout: 5 })
}

if (process.argv[2] === '--m7-child' && import.meta.url === pathToFileURL(process.argv[1]!).href) await child(process.argv.slice(3))
