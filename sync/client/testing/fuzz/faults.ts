/**
 * The fuzz's larger faults: a session that ends and comes back (A7), a server restored from a
 * backup (B15, P2), and two devices of one user editing different fields of one entry offline
 * (B14). Each counts what it did, for the seeds' coverage check.
 */
import { sql } from 'drizzle-orm'
import { rows } from '@/db/rows'
import { markRestored } from '@/sync/server/restore'
import { quote, serverTables } from './pool'
import type { MutatorArgs } from '@/domain/mutators'
import { forgetBlobs } from './photos'
import { attempt, queue } from './requests'
import { attributesOf, viewOf } from './views'
import { shortIds, type Device, type World } from './world'

const backupTables = [...serverTables, 'sync_state']

/** `device_id in (...)` for the ids a device has pushed under. */
export const deviceIdIn = (ids: string[]) =>
  sql`device_id::text in (${sql.join(
    ids.map((id) => sql`${id}`),
    sql`, `,
  )})`

async function sessionLive(w: World, d: Device): Promise<boolean> {
  const [s] = await rows<{ live: boolean }>(w.server.db, sql`select expires_at > now() as live from sessions where token = ${d.token}`)
  return s?.live ?? false
}

/**
 * The device's session ends (it expired, or its cookies were cleared): the server answers its
 * requests 401 until it comes back (the same user signs in again). The device keeps its writes.
 */
export async function sessionFault(w: World, d: Device) {
  if (await sessionLive(w, d)) {
    await rows(w.server.db, sql`update sessions set expires_at = now() - interval '1 minute' where token = ${d.token}`)
    w.count('sessionsExpired')
    w.log(`${d.name}'s session ends`)
  } else {
    await rows(w.server.db, sql`update sessions set expires_at = now() + interval '1 day' where token = ${d.token}`)
    w.count('sessionsBack')
    w.log(`${d.name} signs in again`)
  }
}

/** Every device's user signs in again (the end of a seed). */
export async function everySessionBack(w: World) {
  for (const d of w.devices) if (!(await sessionLive(w, d))) await sessionFault(w, d)
}

/** The server's database is copied as a backup would (every table, in schema `fuzz_backup`). */
export async function backupServer(w: World) {
  await w.serverExec(
    `drop schema if exists fuzz_backup cascade; create schema fuzz_backup;
     ${backupTables.map((t) => `create table fuzz_backup.${quote(t)} as select * from public.${quote(t)};`).join('\n')}`,
  )
  w.backedUp = true
  w.count('backups')
  w.log('server backs up its database')
}

/**
 * The server is restored from its backup (and restarts): what it settled since is forgotten.
 * What the run expects (B15): a forgotten mutation its device still has in the outbox (answered
 * or not) is sent again and settles; one the device had already settled and dropped is gone
 * from the server for good (the accepted loss), noted in `lost` so the final check excuses
 * exactly those.
 */
export async function restoreServer(w: World) {
  if (!w.backedUp) return backupServer(w)
  const forgotten: { d: Device; id: number; dropped: boolean }[] = []
  for (const d of w.devices) {
    const ids = [...new Set([...d.net.deviceIds, d.client.deviceId])]
    const results = async (table: string) =>
      new Set(
        (
          await rows<{ key: string }>(
            w.server.db,
            sql`select device_id::text || ':' || mutation_id::text as key from ${sql.raw(table)} where ${deviceIdIn(ids)}`,
          )
        ).map((r) => r.key),
      )
    const before = await results('fuzz_backup.mutation_results')
    const outbox = new Set((await rows<{ id: number }>(d.db, sql`select mutation_id::int as id from local_outbox`)).map((r) => r.id))
    for (const key of await results('public.mutation_results')) {
      if (before.has(key)) continue
      const id = Number(key.slice(key.lastIndexOf(':') + 1))
      forgotten.push({ d, id, dropped: !outbox.has(id) })
    }
  }
  for (const { d, id, dropped } of forgotten) {
    if (dropped) {
      d.lost.add(id)
      w.count('lostToRestore')
      w.log(`  ${d.name} #${id} is settled and dropped on the device, and forgotten by the restored server`)
    } else w.count('forgottenPending')
  }
  await forgetBlobs(w)
  await w.serverExec(
    `set session_replication_role = replica;
     ${backupTables.map((t) => `delete from public.${quote(t)}; insert into public.${quote(t)} select * from fuzz_backup.${quote(t)};`).join('\n')}
     set session_replication_role = origin;`,
  )
  // The operator marks the restore before serving again, as the README says (C4): every device
  // learns it from its next pull and loads a snapshot, sending again what the server forgot.
  await markRestored(w.server.db)
  await w.server.restart()
  w.count('serverRestores')
  w.log('server is restored from its backup, marked restored, and restarts')
}

const NUMERIC = new Set(['integer', 'number', 'mass', 'duration', 'distance'])

/**
 * Two devices of one user, synced, go offline; one changes one field of an entry, the other
 * another field of the same entry; they come back one after the other. Both edits must be on the
 * server (B14: an edit carries only the fields it changed).
 */
export async function offlineFieldEdits(w: World) {
  const { rng } = w
  const users = w.users.filter((u) => w.devices.filter((d) => d.user.id === u.id).length >= 2)
  if (users.length === 0) return
  const user = rng.pick(users)
  const [a, b] = rng.shuffle(w.devices.filter((d) => d.user.id === user.id)) as [Device, Device]
  w.log(`${a.name} and ${b.name} sync, go offline and edit one entry's different fields`)
  for (const d of [a, b]) {
    if (!(await sessionLive(w, d))) return w.log(`  ${d.name} is signed out: nothing edited`)
    d.net.online = true
    await attempt(w, d, 'sync', () => d.client.sync(), false)
  }
  const view = await viewOf(a.db)
  const entry = rng.maybe(view.entries)
  if (!entry) return w.log('  no entry to edit')
  const numeric = (await attributesOf(a.db, entry.activityId)).filter((x) => NUMERIC.has(x.type) && !x.retired)
  const fields = rng.shuffle(['notes', ...numeric.map((x) => x.id)])
  if (fields.length < 2) return w.log('  the entry has one field to edit')
  const edit = (field: string) =>
    field === 'notes'
      ? {
          value: `note ${rng.int(1, 999)}`,
          args: (v: string | number): MutatorArgs<'editEntry'> => ({ entryId: entry.id, notes: String(v) }),
        }
      : { value: rng.int(1, 500), args: (v: string | number): MutatorArgs<'editEntry'> => ({ entryId: entry.id, values: { [field]: v } }) }
  a.net.online = false
  b.net.online = false
  const made: { d: Device; field: string; value: string | number; id: number | undefined }[] = []
  for (const [d, field] of [
    [a, fields[0]!],
    [b, fields[1]!],
  ] as const) {
    const { value, args } = edit(field)
    made.push({ d, field, value, id: await queueEdit(w, d, args(value)) })
  }
  for (const { d } of made) {
    d.net.online = true
    await attempt(w, d, 'push', () => d.client.push(), false)
  }
  for (const { d, field, value, id } of made) {
    if (id === undefined) return
    const ids = [...new Set([...d.net.deviceIds, d.client.deviceId])]
    const [result] = await rows<{ status: string }>(
      w.server.db,
      sql`select status from mutation_results where ${deviceIdIn(ids)} and mutation_id = ${id}`,
    )
    if (result?.status !== 'applied') return w.log(`  ${d.name}'s edit #${id} is ${result?.status ?? 'not settled'}`)
    const [stored] = await rows<{ value: string | number | null }>(
      w.server.db,
      field === 'notes'
        ? sql`select notes as value from entries where id = ${entry.id}`
        : sql`select num::float8 as value from entry_values where entry_id = ${entry.id} and attribute_id = ${field}`,
    )
    if (stored?.value !== value) {
      w.fail(`${d.name}'s edit #${id} of ${shortIds(field)} to ${value} is lost: the server has ${stored?.value ?? 'nothing'} (B14)`)
    }
  }
  w.count('offlineFieldEdits')
}

function queueEdit(w: World, d: Device, args: MutatorArgs<'editEntry'>) {
  return queue(w, d, { name: 'editEntry', args })
}
