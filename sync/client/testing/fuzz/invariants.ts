/** The end of a seed: every device syncs until quiet, then the invariants are checked. */
import { isDeepStrictEqual } from 'node:util'
import { sql } from 'drizzle-orm'
import { rows } from '@/db/rows'
import { picture, pictureDiff } from '@/db/testing/scope-picture'
import type { Db } from '@/db/types'
import { PROTOCOL_VERSION } from '../../../protocol'
import { cutOf, entriesInWindow, keptRoots, windowInForce } from '../../../server/window'
import { activityRecordsOf, summaryRecords } from '@/db/queries/records'
import { readState } from '../../replica'
import { deviceIdIn, everySessionBack } from './faults'
import { pendingUploads, photoProblems, showPhotos, uploadAll } from './photos'
import { attempt } from './requests'
import { shortIds, type Device, type Queued, type World } from './world'

async function head(db: Db): Promise<number> {
  const [row] = await rows<{ seq: string }>(db, sql`select seq::text as seq from sync_state where id = 1`)
  return Number(row!.seq)
}

/** What keeps devices from being settled: behind the server's head, writes in the outbox, or photos to upload. */
async function unsettled(w: World): Promise<string[]> {
  const seq = await head(w.server.db)
  const found: string[] = []
  for (const d of w.devices) {
    const state = await readState(d.db)
    const outbox = await rows<{ id: number; name: string; settled: string | null; error: string | null }>(
      d.db,
      sql`select mutation_id::int as id, name, settled_seq::text as settled, local_error as error from local_outbox order by mutation_id`,
    )
    const uploads = await pendingUploads(d)
    if (state.syncedSeq !== seq || outbox.length > 0 || uploads > 0) {
      const entries = outbox.map((e) => `#${e.id} ${e.name} settled at ${e.settled ?? 'nothing'}${e.error ? ` (${e.error})` : ''}`)
      found.push(
        `${d.name} (${d.client.deviceId.slice(0, 6)}) at ${state.syncedSeq} (the server at ${seq}), outbox [${entries.join(', ')}], ${uploads} uploads`,
      )
    }
  }
  return found
}

/**
 * Every device online on a perfect network, syncing in turns until nothing changes; after each
 * round of syncs every device's upload queue runs (an upload marks its photo uploaded, which the
 * next round brings to the others). The last round's uploads sweep each device's cache (M12)
 * after it heard everything. Then each device shows a few of its user's photos (M10).
 */
export async function quiesce(w: World) {
  w.step++
  w.log('--- every device online; sync until quiet')
  for (const d of w.devices) d.net.online = true
  await everySessionBack(w)
  for (let round = 1; ; round++) {
    for (const d of w.rng.shuffle(w.devices)) await attempt(w, d, `sync (round ${round})`, () => d.client.sync(), false)
    await uploadAll(w, round)
    const behind = await unsettled(w)
    if (behind.length === 0) break
    if (round >= 5) w.fail(`the devices did not settle after ${round} rounds of syncing on a perfect network: ${behind.join('; ')}`)
  }
  w.log('--- every device shows some of its photos')
  await showPhotos(w)
}

type ResultRow = { mutation_id: number; name: string; status: 'applied' | 'rejected'; error_code: string | null }

/** Checks the invariants of the file header of `index.ts`; fails the seed with every problem. */
export async function check(w: World) {
  const db = w.server.db
  const problems: string[] = []
  const seq = await head(db)
  const applied: { d: Device; id: number; q: Queued }[] = []
  const rejected: { d: Device; id: number; q: Queued }[] = []

  for (const d of w.devices) {
    const p = (what: string) => problems.push(`${d.name}: ${what}`)
    // 4. Nothing pending.
    const state = await readState(d.db)
    if (state.syncedSeq !== seq) p(`synced to ${state.syncedSeq}, the server is at ${seq}`)
    const [local] = await rows<{ outbox: number; undo: number }>(
      d.db,
      sql`select (select count(*)::int from local_outbox) as outbox, (select count(*)::int from local_undo) as undo`,
    )
    if (local!.outbox > 0) p(`${local!.outbox} mutations still in the outbox`)
    if (local!.undo > 0) p(`${local!.undo} rows still in the undo log with nothing pending`)

    // 1. The device holds exactly the server's rows of its scopes.
    const libraryIds = (
      await rows<{ id: string }>(
        db,
        sql`select id::text as id from libraries where owner_id = ${d.user.id} union select library_id::text from library_members where user_id = ${d.user.id}`,
      )
    ).map((r) => r.id)
    // W1: within its storage window, as the server applies it now.
    const window = await windowInForce(db, { userId: d.user.id, deviceId: d.client.deviceId }, PROTOCOL_VERSION)
    const cut = cutOf(window)
    const history =
      cut === null
        ? undefined
        : entriesInWindow(
            d.user.id,
            cut,
            (await keptRoots(db, d.user.id, cut)).map((r) => r.id),
          )
    if (cut !== null) w.count('windowedChecked')
    for (const diff of pictureDiff(await picture(d.db), await picture(db, { userId: d.user.id, libraryIds, history }), shortIds))
      p(`replica differs from the server${cut === null ? '' : ` (window from ${cut})`} in ${diff}`)

    // 2. One result per queued mutation, no more.
    // Under every id the device pushed under (it registers anew after a restore, B15), except
    // those a restore lost after the device had dropped them (B15's accepted loss).
    const ids = [...new Set([d.id, ...d.net.deviceIds, d.client.deviceId])]
    const results = await rows<ResultRow>(
      db,
      sql`select mutation_id::int as mutation_id, name, status, error_code from mutation_results where ${deviceIdIn(ids)} order by mutation_id`,
    )
    const expected = [...d.queued.keys()].filter((id) => !d.lost.has(id)).sort((a, b) => a - b)
    const got = results.map((r) => r.mutation_id)
    if (!isDeepStrictEqual(got, expected))
      p(
        `the server has results for mutations [${got}], the device queued [${[...d.queued.keys()]}] of which a restore lost [${[...d.lost]}]`,
      )
    if (d.lost.size > 0) w.count('lostChecked')
    if (state.nextMutationId !== d.queued.size + 1) p(`next mutation id is ${state.nextMutationId} after queueing ${d.queued.size}`)

    // 3. Every rejection reported, with the server's code, and nothing else.
    const reported = new Map(
      (
        await rows<{ mutation_id: number; name: string; error_code: string }>(
          d.db,
          sql`select mutation_id::int as mutation_id, name, error_code from local_rejections`,
        )
      ).map((r) => [r.mutation_id, r]),
    )
    for (const r of results) {
      const q = d.queued.get(r.mutation_id)
      if (!q) continue
      if (q.name !== r.name) p(`mutation #${r.mutation_id} is ${q.name} on the device, ${r.name} on the server`)
      const report = reported.get(r.mutation_id)
      if (r.status === 'applied') {
        applied.push({ d, id: r.mutation_id, q })
        if (report) p(`applied mutation #${r.mutation_id} ${r.name} is reported as rejected (${report.error_code})`)
      } else {
        rejected.push({ d, id: r.mutation_id, q })
        if (!report) p(`rejected mutation #${r.mutation_id} ${r.name} (${r.error_code}) is not reported`)
        else if (report.error_code !== r.error_code)
          p(`mutation #${r.mutation_id} was rejected with ${r.error_code}, the device reports ${report.error_code}`)
      }
      reported.delete(r.mutation_id)
    }
    // A rejection reported before a restore made the server forget it stays reported.
    let reportedLost = 0
    for (const [id, r] of reported) {
      if (d.lost.has(id) && d.queued.get(id)?.name === r.name) reportedLost++
      else p(`reports mutation #${id} ${r.name} as rejected (${r.error_code}), the server has no such rejection`)
    }
    const status = await d.client.refreshStatus()
    if (status.pending !== 0) p(`status says ${status.pending} pending`)
    if (status.rejected.length !== results.filter((r) => r.status === 'rejected').length + reportedLost)
      p(`status lists ${status.rejected.length} rejections`)
  }

  // 2. Applied creations are on the server unless deleted since; rejected ones left nothing.
  const deleted = new Set<string>()
  for (const { q } of applied) {
    if (q.name === 'deleteTag') deleted.add(`tags:${String(q.args.tagId)}`)
    if (q.name === 'deleteEntry') deleted.add(`entries:${String(q.args.entryId)}`)
    if (q.name === 'deleteLibrary') deleted.add(`libraries:${String(q.args.libraryId)}`)
  }
  type Made = { table: 'tags' | 'entries' | 'activities' | 'libraries'; id: string; libraryId?: string }
  const created = (q: Queued): Made | undefined => {
    const a = q.args
    if (q.name === 'createTag') return { table: 'tags', id: String(a.id) }
    if (q.name === 'logEntry') return { table: 'entries', id: String((a.entry as { id: string }).id) }
    if (q.name === 'createActivity' || q.name === 'addActivityToLibrary')
      return { table: 'activities', id: String(a.id), libraryId: String(a.libraryId) }
    if (q.name === 'createLibrary') return { table: 'libraries', id: String(a.id) }
    return undefined
  }
  const [present] = await rows<{ ids: string[] }>(
    db,
    sql`select array(select id::text from tags union all select id::text from entries union all select id::text from activities union all select id::text from libraries) as ids`,
  )
  const times = new Map<string, number>()
  for (const id of present!.ids) times.set(id, (times.get(id) ?? 0) + 1)
  for (const { d, id, q } of applied) {
    const c = created(q)
    if (!c || deleted.has(`${c.table}:${c.id}`) || (c.libraryId && deleted.has(`libraries:${c.libraryId}`))) continue
    const n = times.get(c.id) ?? 0
    if (n !== 1) problems.push(`${d.name}: applied #${id} ${q.name} made ${c.table} ${shortIds(c.id)}, which the server has ${n} times`)
  }
  for (const { d, id, q } of rejected) {
    const c = created(q)
    if (c && times.has(c.id)) problems.push(`${d.name}: rejected #${id} ${q.name} left ${c.table} ${shortIds(c.id)} on the server`)
  }
  problems.push(...(await photoProblems(w, applied, rejected)))
  problems.push(...(await recordProblems(w)))
  for (const d of w.devices) {
    if (d.net.surprises.length > 0) problems.push(`${d.name}: the server failed unexpectedly: ${d.net.surprises.join('; ')}`)
  }
  if (problems.length > 0) w.fail(`after syncing until quiet:\n  ${problems.join('\n  ')}`)
  w.count('applied', applied.length)
  w.count('rejected', rejected.length)
}

/**
 * W7: each user's records summary on the server is what the progress page's code finds over
 * their whole history now, for every activity of their libraries.
 */
async function recordProblems(w: World): Promise<string[]> {
  const db = w.server.db
  const problems: string[] = []
  const brief = (r: { key: string; value: number; entryId: string; performedAt: Date }) =>
    `${r.key}=${r.value}@${shortIds(r.entryId)}/${r.performedAt.toISOString()}`
  for (const user of w.users) {
    const ids = await rows<{ id: string }>(
      db,
      sql`select a.id::text as id from activities a
           where a.library_id in (select id from libraries where owner_id = ${user.id}
                                  union select library_id from library_members where user_id = ${user.id})`,
    )
    for (const { id } of ids) {
      const truth = (await activityRecordsOf(db, user.id, id)).map(brief).sort()
      const kept = (await summaryRecords(db, user.id, id)).map(brief).sort()
      if (truth.length > 0) w.count('recordsChecked')
      if (!isDeepStrictEqual(truth, kept)) {
        problems.push(`${user.name}'s records of ${shortIds(id)}: the summary holds [${kept}], the history gives [${truth}]`)
      }
    }
  }
  return problems
}
