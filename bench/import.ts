/**
 * IMPORT: a large file imported on a device and settled with the server (issue 15; SPEC I1).
 * A generated Strong export of `rows` rows (about 50 sets a workout, half of them with a Rest
 * Timer row) is parsed, planned and written on a device (PGlite, device schema) through
 * `SyncClient.mutate`, as the import page does; then the device syncs with a server on
 * PostgreSQL until its outbox is empty (every mutation pushed, applied and settled).
 *
 * Raw baselines, measured in the same run: the same entry and value rows inserted by multi-row
 * INSERTs into a fresh device PGlite (the floor for the device's write) and into the server's
 * PostgreSQL in one transaction (the floor for settling: the server has to store them at least).
 */
import { sql } from 'drizzle-orm'
import { importTargets, templateChildIds } from '@/db/queries/imports'
import { rows as rowsOf } from '@/db/rows'
import { newId } from '@/domain/ids'
import { catalogueMatcher } from '@/portability/import/catalogue'
import { parseImport } from '@/portability/import/parse'
import { buildImport, proposeMapping } from '@/portability/import/plan'
import { runImport } from '@/portability/import/run'
import { fiveYearStrongHistory } from '@/portability/import/testing/generate'
import { HttpTransport } from '@/sync/client/transport'
import { handlerFetch } from '@/sync/server/testing/fetch'
import { postgresServer } from '@/sync/server/testing/postgres'
import { benchDevice, syncUntilSettled } from './data'
import { rawInsert } from './raw-insert'
import { freshPglite, now, printTable, round } from './lib'

export async function importBench({ rows = 60_000 } = {}) {
  const file = fiveYearStrongHistory(7, rows)
  const { server } = await postgresServer()
  const ann = await server.user('Ann')
  const device = await benchDevice(ann, new HttpTransport({ fetch: handlerFetch(() => server.service, ann.token) }))
  try {
    await device.client.sync()

    let t = now()
    const parsed = parseImport(file.text, { units: 'kg', fileName: 'strong.csv' })
    const parseMs = now() - t

    t = now()
    const targets = await importTargets(device.db, ann.id)
    const built = buildImport({
      parsed,
      fileName: 'strong.csv',
      mapping: proposeMapping(parsed, targets.activities, catalogueMatcher(parsed.format)),
      own: targets.activities,
      defaultLibraryId: targets.defaultLibraryId!,
      imported: new Set(),
      nested: await templateChildIds(device.db, ann.id),
      newId,
    })
    const planMs = now() - t

    t = now()
    await runImport(built.steps, (step) => device.client.mutate(step.name, step.args as never))
    const writeMs = now() - t

    t = now()
    let pushes = 0
    while ((await device.client.push()) > 0) pushes += 1
    const pushMs = now() - t
    const rounds = await syncUntilSettled(device)
    const settleMs = now() - t

    // The rows the import wrote, as the floors insert them.
    const copied = new Map<string, Record<string, unknown>[]>()
    for (const table of ['entries', 'entry_values']) {
      copied.set(table, await rowsOf<Record<string, unknown>>(device.db, sql.raw(`select * from ${table}`)))
    }
    // Parents before children, as foreign keys need.
    const parentOf = new Map(copied.get('entries')!.map((e) => [e.id as string, e.parent_id as string | null]))
    const depth = (id: string): number => {
      const parent = parentOf.get(id)
      return parent ? 1 + depth(parent) : 0
    }
    copied.get('entries')!.sort((a, b) => depth(a.id as string) - depth(b.id as string))
    const entryCount = copied.get('entries')!.length
    const valueCount = copied.get('entry_values')!.length

    const floor = await freshPglite('device')
    t = now()
    await floor.pg.transaction(async (tx) => {
      await tx.query('alter table entries disable trigger user')
      await tx.query('alter table entry_values disable trigger user')
    })
    await rawInsert(floor.pg, copied)
    const rawDeviceMs = now() - t
    await floor.close()

    const { server: bare, database } = await postgresServer()
    await bare.user('Floor')
    const [owner] = await rowsOf<{ id: string }>(database.db, sql`select id from users limit 1`)
    const [library] = await rowsOf<{ id: string }>(database.db, sql`select id from libraries limit 1`)
    // Activities and attributes the entries point at, then the entries themselves, in one transaction.
    const activities = await rowsOf<Record<string, unknown>>(device.db, sql`select * from activities`)
    const attributes = await rowsOf<Record<string, unknown>>(device.db, sql`select * from attributes`)
    const own = (list: Record<string, unknown>[], key: string, value: string) => list.map((r) => ({ ...r, [key]: value }))
    t = now()
    await database.client.begin(async (tx) => {
      const insert = async (table: string, list: Record<string, unknown>[]) => {
        for (let i = 0; i < list.length; i += 1000) await tx`insert into ${tx(table)} ${tx(list.slice(i, i + 1000) as never)}`
      }
      await insert('activities', own(own(activities, 'library_id', library!.id), 'created_by', owner!.id))
      await insert('attributes', own(attributes, 'library_id', library!.id))
      await insert(
        'entries',
        own(copied.get('entries')!, 'user_id', owner!.id).map((e) => ({ ...e, import_id: null })),
      )
      await insert('entry_values', own(copied.get('entry_values')!, 'user_id', owner!.id))
    })
    const rawServerMs = now() - t
    await bare.close()

    const mutations = built.steps.length
    const result = {
      rows: file.rows,
      workouts: built.workouts,
      sets: built.sets,
      entries: entryCount,
      values: valueCount,
      mutations,
      parseMs: round(parseMs),
      planMs: round(planMs),
      writeMs: round(writeMs),
      rawDeviceMs: round(rawDeviceMs),
      writeRatio: round(writeMs / rawDeviceMs),
      settleMs: round(settleMs),
      pushMs: round(pushMs),
      pushes,
      syncRounds: rounds,
      rawServerMs: round(rawServerMs),
      settleRatio: round(settleMs / rawServerMs),
    }
    printTable(`IMPORT: a ${file.rows.toLocaleString()}-row Strong file (${built.workouts} workouts, ${built.sets} sets)`, [
      { step: 'parse (papaparse, one thread)', ms: result.parseMs, baseline: '', ratio: '' },
      { step: 'plan', ms: result.planMs, baseline: '', ratio: '' },
      { step: `write on the device (${mutations} mutations)`, ms: result.writeMs, baseline: result.rawDeviceMs, ratio: result.writeRatio },
      {
        step: `settle with the server (${rounds} sync rounds)`,
        ms: result.settleMs,
        baseline: result.rawServerMs,
        ratio: result.settleRatio,
      },
      { step: 'of which pushing', ms: result.pushMs, baseline: '', ratio: '' },
    ])
    return result
  } finally {
    await device.close()
    await server.close()
  }
}
