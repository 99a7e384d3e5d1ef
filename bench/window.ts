/**
 * WINDOW: the five-year account's initial sync in headless Chromium against the production app
 * (`next start`, PostgreSQL), on a new device that keeps everything and on one that keeps the
 * last 3 months (sync/SPEC.md W1), in the same run: time from the snapshot request to the status
 * bar's first "Last synced", the rows the device then holds (Settings → History on this device),
 * and the bytes the browser counts for the app (`navigator.storage.estimate()`).
 *
 * The account's five years end today (`seedAccount`'s `endingNow`), so the 3 months hold recent
 * workouts. The windowed device is made as a user's phone would be one day, without a way to
 * choose before its first sync: its first snapshot request is held back, the window is set on its
 * device row, and the device's own retry (1 s later) is the one timed. The records summary (W7) is
 * rebuilt after seeding, as `npm run records:rebuild` would, and timed.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { BrowserContext } from '@playwright/test'
import { sql } from 'drizzle-orm'
import { rebuildRecords } from '@/sync/server/records'
import { countRows } from './data'
import { printTable, round, type Row } from './lib'
import { appDir, ensureBuilt, seedAccount, signUp, startApp, type AppUser } from './m5-app'
import { launch, signIn, visit, watchFor } from './m5-coldstart'

type Held = { syncMs: number; snapshotRequests: number; historyRows: number; totalRows: number; usageMB: number | null }

/** One new device's initial sync; with `months`, its window is set before its first snapshot. */
async function device(profile: string, baseUrl: string, user: AppUser, setWindow?: (deviceId: string) => Promise<void>): Promise<Held> {
  const context: BrowserContext = await launch(profile, baseUrl)
  try {
    await signIn(context, user, baseUrl)
    const page = await context.newPage()
    let held = Boolean(setWindow)
    await page.route('**/api/sync/snapshot*', async (route) => {
      if (!held) return route.continue()
      held = false
      await setWindow!(new URL(route.request().url()).searchParams.get('deviceId')!)
      await route.abort('internetdisconnected')
    })
    await page.addInitScript({ content: watchFor('synced') })
    const clock = await visit<{ doneMs: number }>(page, '/')
    const snapshots = await page.evaluate(() =>
      performance
        .getEntriesByType('resource')
        .filter((e) => e.name.includes('/api/sync/snapshot'))
        .map((e) => e.startTime),
    )
    const started = snapshots[snapshots.length - 1]!
    await page.goto('/settings')
    const text = (await page.getByTestId('history-on-device').textContent({ timeout: 60_000 })) ?? ''
    await page
      .getByTestId('history-on-device')
      .getByText(/rows of history here/)
      .waitFor({ timeout: 60_000 })
    const shown = (await page.getByTestId('history-on-device').textContent()) ?? text
    const number = (re: RegExp) => Number((shown.match(re)?.[1] ?? 'NaN').replace(/,/g, ''))
    const usage = await page.evaluate(async () => (await navigator.storage.estimate()).usage ?? null)
    return {
      syncMs: round(clock.doneMs - started, 0),
      snapshotRequests: snapshots.length,
      historyRows: number(/([\d,]+) rows of history here/),
      totalRows: number(/\(([\d,]+) rows in all\)/),
      usageMB: usage === null ? null : round(usage / 1_000_000, 1),
    }
  } finally {
    await context.close()
  }
}

export async function windowBench({ scale }: { scale: number }) {
  const dir = appDir()
  ensureBuilt(dir)
  const app = await startApp(dir)
  const profiles = await mkdtemp(join(tmpdir(), 'cadence-window-'))
  try {
    const user = await signUp(app.baseUrl, 'Athlete')
    const account = await seedAccount(app.database, user, scale, { endingNow: true })
    const counts = countRows(account.workouts)
    const rebuildStart = performance.now()
    const activities = await rebuildRecords(app.database.db, { userId: user.id })
    const rebuildMs = round(performance.now() - rebuildStart, 0)
    console.log(
      `WINDOW: seeded ${counts.workouts} workouts (${counts.entries} entries); records of ${activities} activities in ${rebuildMs} ms`,
    )
    const everything = await device(join(profiles, 'all'), app.baseUrl, user)
    console.log(`  everything: ${JSON.stringify(everything)}`)
    const months3 = await device(join(profiles, 'm3'), app.baseUrl, user, async (deviceId) => {
      await app.database.db.execute(
        sql`insert into devices (id, user_id, name, window_months) values (${deviceId}, ${user.id}, 'Phone', 3)
            on conflict (id) do update set window_months = 3, window_rows = null`,
      )
    })
    console.log(`  3 months: ${JSON.stringify(months3)}`)
    const res = {
      workouts: counts.workouts,
      entries: counts.entries,
      values: counts.values,
      recordsRebuildMs: rebuildMs,
      everything,
      months3,
      ratios: {
        syncTime: round(months3.syncMs / everything.syncMs, 3),
        historyRows: round(months3.historyRows / everything.historyRows, 3),
        usage: everything.usageMB && months3.usageMB ? round(months3.usageMB / everything.usageMB, 3) : null,
      },
    }
    const table: Row[] = [
      {
        device: 'everything',
        'sync ms': everything.syncMs,
        'history rows': everything.historyRows,
        'rows in all': everything.totalRows,
        MB: everything.usageMB ?? '',
      },
      {
        device: 'last 3 months',
        'sync ms': months3.syncMs,
        'history rows': months3.historyRows,
        'rows in all': months3.totalRows,
        MB: months3.usageMB ?? '',
      },
      {
        device: '3 months / everything',
        'sync ms': res.ratios.syncTime,
        'history rows': res.ratios.historyRows,
        'rows in all': '',
        MB: res.ratios.usage ?? '',
      },
    ]
    printTable('WINDOW: initial sync of the five-year account, everything vs a 3-month window', table)
    return res
  } finally {
    await app.close()
    await rm(profiles, { recursive: true, force: true })
  }
}
