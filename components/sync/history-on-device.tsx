'use client'

import { useEffect, useState } from 'react'
import { heldRows } from '@/db/queries/window'
import { useDevice, useDeviceStatus } from './sync-provider'
import { useLocalQuery } from './use-local-query'
import { cutDate, windowLabel } from './window-text'

/** Above this share of its quota the browser may soon refuse writes: Settings warns (W6). */
const QUOTA_WARNING = 0.8

const megabytes = (bytes: number) => `${(bytes / 1_000_000).toLocaleString('en', { maximumFractionDigits: 1 })} MB`

/**
 * What this device holds of the account's history (SPEC W6): its window, where its history
 * begins, the rows held here, the bytes the browser counts for the app and its quota, and a
 * warning before the quota is near.
 */
export function HistoryOnDevice() {
  const status = useDeviceStatus()
  const device = useDevice()
  const held = useLocalQuery(['held-rows'], (db) => heldRows(db))
  // The server's count of the window's rows, asked when online and again as the device's change.
  const [server, setServer] = useState<number | null>(null)
  const [estimate, setEstimate] = useState<{ usage: number; quota: number } | null>(null)
  const rowsHeld = held.data?.total
  useEffect(() => {
    let cancelled = false
    void navigator.storage
      ?.estimate?.()
      .then((e) => {
        if (!cancelled && e.usage !== undefined && e.quota !== undefined) setEstimate({ usage: e.usage, quota: e.quota })
      })
      .catch(() => undefined)
    return () => {
      cancelled = true
    }
  }, [rowsHeld])
  const online = status.online
  const historyHeld = held.data?.history
  useEffect(() => {
    if (!device || !online) return
    let cancelled = false
    device.serverHistoryRows().then(
      (rows) => {
        if (!cancelled) setServer(rows)
      },
      () => undefined,
    )
    return () => {
      cancelled = true
    }
  }, [device, online, historyHeld])
  const { setting, from, heldFrom, filling } = status.window
  const near = estimate !== null && estimate.quota > 0 && estimate.usage / estimate.quota >= QUOTA_WARNING
  return (
    <section aria-labelledby="history-on-device-heading" className="flex flex-col gap-2">
      <h2 id="history-on-device-heading" className="font-semibold">
        History on this device
      </h2>
      <div
        className="flex flex-col gap-1 rounded-lg border border-zinc-200 px-4 py-3 text-sm dark:border-zinc-800"
        data-testid="history-on-device"
      >
        <p className="font-medium">{windowLabel(setting)}</p>
        <p className="text-zinc-600 dark:text-zinc-400">
          {from === null && heldFrom === null
            ? 'Every workout is kept here.'
            : `Workouts from ${cutDate(from ?? heldFrom!)} are kept here; older ones are on the server, except the last of each activity.`}
        </p>
        {filling ? <p role="status">Fetching older history… {filling.rows.toLocaleString('en')} rows so far.</p> : null}
        {held.data ? (
          <p>
            {held.data.history.toLocaleString('en')} rows of history here ({held.data.total.toLocaleString('en')} rows in all)
            {estimate ? `; the app uses ${megabytes(estimate.usage)} of ${megabytes(estimate.quota)} the browser allows.` : '.'}
          </p>
        ) : null}
        {server !== null ? (
          <p className="text-zinc-600 dark:text-zinc-400">
            The server counts {server.toLocaleString('en')} rows of history for this device
            {held.data && held.data.history !== server ? '; the rest is on its way.' : '.'}
          </p>
        ) : null}
        {near ? (
          <p role="alert" className="font-medium text-amber-800 dark:text-amber-300">
            This browser’s storage for the app is nearly full. Keep less history on this device (below), or photos will stop being kept and
            new data may not be saved.
          </p>
        ) : null}
        <p className="text-xs text-zinc-600 dark:text-zinc-400">Change what each device keeps under Devices.</p>
      </div>
    </section>
  )
}
