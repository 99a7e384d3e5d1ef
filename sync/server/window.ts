import 'server-only'
import { and, eq } from 'drizzle-orm'
import { sql, type SQL } from 'drizzle-orm'
import { devices } from '@/db/schema'
import { rows } from '@/db/rows'
import type { Queryable } from '@/db/types'
import { windowOfRow } from '@/domain/mutators/devices'
import { WINDOW_PROTOCOL, type WindowInForce } from '../protocol'

/**
 * Storage windows on the server (sync/SPEC.md W1-W6): which history a device is sent. A window
 * cuts an entry's history by the time of its workout (its root entry), never inside one, and
 * keeps every workout that holds the last entry of an activity, so "last time" and records work.
 */

type Who = { userId: string; deviceId: string }

/** A month's count of history rows (entries and their values, tags and photos), newest first. */
type MonthCount = { month: string; n: number }

/** How long a row budget's cut is reused before the counts are read again (W1). */
const BUDGET_TTL_MS = 10 * 60_000
const BUDGET_CACHE_MAX = 10_000
const budgets = new Map<string, { from: string | null; at: number }>()

/**
 * The window in force for a device (W1, W2), as its answers carry it: `all` for a device that
 * speaks an older protocol (it cannot know what it lacks), has set none, or is not registered.
 */
export async function windowInForce(q: Queryable, who: Who, protocolVersion: number): Promise<WindowInForce> {
  if (protocolVersion < WINDOW_PROTOCOL) return { kind: 'all' }
  const [device] = await q
    .select({ windowMonths: devices.windowMonths, windowRows: devices.windowRows })
    .from(devices)
    .where(and(eq(devices.id, who.deviceId), eq(devices.userId, who.userId)))
  if (!device) return { kind: 'all' }
  const setting = windowOfRow(device)
  if (setting.kind === 'all') return setting
  if (setting.kind === 'months') return { ...setting, from: await monthsCut(q, setting.months) }
  return { ...setting, from: await budgetCut(q, who.userId, setting.rows) }
}

/** Which of these devices have a window set, as `userId/deviceId`: one query for a batch of pulls (R6). */
export async function windowedAmong(q: Queryable, whos: Who[]): Promise<Set<string>> {
  if (whos.length === 0) return new Set()
  const found = await rows<{ user_id: string; id: string }>(
    q,
    sql`select user_id::text, id::text from devices
         where id in (select value::uuid from jsonb_array_elements_text(${JSON.stringify(whos.map((w) => w.deviceId))}::jsonb))
           and (window_months is not null or window_rows is not null)`,
  )
  return new Set(found.map((d) => `${d.user_id}/${d.id}`))
}

/** Midnight UTC today, `months` months back: a cut that moves once a day. */
async function monthsCut(q: Queryable, months: number): Promise<string> {
  const [cut] = await rows<{ from: Date | string }>(
    q,
    sql`select (date_trunc('day', now() at time zone 'UTC') - make_interval(months => ${months})) at time zone 'UTC' as "from"`,
  )
  return new Date(cut!.from).toISOString()
}

/**
 * The start of the oldest whole month from which the user's history fits `budget` rows (W1),
 * newest months first; null when everything fits. A budget smaller than the newest month still
 * keeps that month: a window never holds part of a month, nor nothing. Cached for ten minutes per
 * user and budget, so the counts are read rarely; a cut that moves then is a narrowing or a
 * widening like any other (W3, W4).
 */
export async function budgetCut(q: Queryable, userId: string, budget: number, now = Date.now()): Promise<string | null> {
  const key = `${userId}/${budget}`
  const cached = budgets.get(key)
  if (cached && now - cached.at < BUDGET_TTL_MS) return cached.from
  const months = await monthCounts(q, userId)
  let total = 0
  let from: string | null = null
  for (const [i, { month, n }] of months.entries()) {
    total += n
    if (total > budget) {
      from = i === 0 ? month : months[i - 1]!.month
      break
    }
  }
  if (budgets.size >= BUDGET_CACHE_MAX) budgets.delete(budgets.keys().next().value!)
  budgets.set(key, { from, at: now })
  return from
}

/** Forgets the cached budget cuts (tests move the clock or the history under them). */
export function forgetBudgetCuts() {
  budgets.clear()
}

const historyOf = (userId: string) =>
  sql`with recursive tree(id, root_at) as (
        select id, performed_at from entries where user_id = ${userId} and parent_id is null
        union all
        select e.id, t.root_at from entries e join tree t on e.parent_id = t.id
      )`

async function monthCounts(q: Queryable, userId: string): Promise<MonthCount[]> {
  const found = await rows<{ month: Date | string; n: number }>(
    q,
    sql`${historyOf(userId)}, counted as (
          select t.id, t.root_at, 1 as n from tree t
          union all select t.id, t.root_at, count(*) from entry_values v join tree t on t.id = v.entry_id group by t.id, t.root_at
          union all select t.id, t.root_at, count(*) from entry_tags x join tree t on t.id = x.entry_id group by t.id, t.root_at
          union all select t.id, t.root_at, count(*) from entry_media m join tree t on t.id = m.entry_id group by t.id, t.root_at
        )
        select date_trunc('month', root_at at time zone 'UTC') at time zone 'UTC' as month, sum(n)::int as n
          from counted group by 1 order by 1 desc`,
  )
  return found.map((m) => ({ month: new Date(m.month).toISOString(), n: Number(m.n) }))
}

/**
 * The workouts older than `from` a window keeps (W1): for each activity the user has logged, the
 * workout holding its latest entry. Ids of root entries, with their times.
 */
export async function keptRoots(q: Queryable, userId: string, from: string): Promise<{ id: string; performedAt: string }[]> {
  const found = await rows<{ id: string; performed_at: Date | string }>(
    q,
    sql`with recursive latest as (
          select distinct on (activity_id) id, parent_id from entries
           where user_id = ${userId} order by activity_id, performed_at desc, id desc
        ), up(id, parent_id) as (
          select id, parent_id from latest
          union
          select e.id, e.parent_id from entries e join up on e.id = up.parent_id
        )
        select distinct r.id::text as id, r.performed_at from up join entries r on r.id = up.id
         where up.parent_id is null and r.performed_at < ${from}
         order by r.performed_at desc, id`,
  )
  return found.map((r) => ({ id: r.id, performedAt: new Date(r.performed_at).toISOString() }))
}

/**
 * The ids of the user's entries a device with this window holds (W1): every entry of a workout
 * from `from`, and of the kept ones before it. A subquery for `in (...)`.
 */
export function entriesInWindow(userId: string, from: string, kept: string[]): SQL {
  return sql`(with recursive tree(id) as (
      select id from entries
       where user_id = ${userId} and parent_id is null
         and (performed_at >= ${from} or id in (select value::uuid from jsonb_array_elements_text(${JSON.stringify(kept)}::jsonb)))
      union all
      select e.id from entries e join tree t on e.parent_id = t.id
    ) select id from tree)`
}

/** For entry ids, the time of each one's workout (its root entry); entries gone are absent. */
export async function rootTimes(q: Queryable, ids: string[]): Promise<Map<string, { root: string; performedAt: string }>> {
  if (ids.length === 0) return new Map()
  const found = await rows<{ start: string; root: string; performed_at: Date | string }>(
    q,
    sql`with recursive up(id, parent_id, start) as (
          select id, parent_id, id from entries
           where id in (select value::uuid from jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb))
          union all
          select e.id, e.parent_id, up.start from entries e join up on e.id = up.parent_id
        )
        select up.start::text as start, up.id::text as root, e.performed_at from up join entries e on e.id = up.id
         where up.parent_id is null`,
  )
  return new Map(found.map((r) => [r.start, { root: r.root, performedAt: new Date(r.performed_at).toISOString() }]))
}

/** The cut a window makes, or null when it holds everything. */
export const cutOf = (window: WindowInForce): string | null => (window.kind === 'all' ? null : window.from)
