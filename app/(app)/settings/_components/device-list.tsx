'use client'

import { useEffect, useState } from 'react'
import { Select } from '@/components/ui/select'
import { windowChoices, windowLabel, windowOfValue, windowValue } from '@/components/sync/window-text'
import type { devices } from '@/db/schema'
import { windowOfRow, type WindowSetting } from '@/domain/mutators/devices'

type DeviceRow = typeof devices.$inferSelect

/** "just now", "3 minutes ago", "2 days ago": how long before `now` a time was. */
export function agoText(at: Date, now: Date): string {
  const seconds = Math.round((now.getTime() - at.getTime()) / 1000)
  if (seconds < 60) return 'just now'
  const format = new Intl.RelativeTimeFormat('en', { numeric: 'auto' })
  for (const [unit, size] of [
    ['day', 86_400],
    ['hour', 3600],
    ['minute', 60],
  ] as const) {
    if (seconds >= size) return format.format(-Math.floor(seconds / size), unit)
  }
  return 'just now'
}

/** Which history a device keeps (SPEC W1): the choices, and the device's own if it is another. */
function WindowField({ device, onWindow }: { device: DeviceRow; onWindow: (window: WindowSetting) => void }) {
  const current = windowOfRow(device)
  const value = windowValue(current)
  const choices = windowChoices.some((c) => c.value === value)
    ? windowChoices
    : [...windowChoices, { value, window: current, label: windowLabel(current) }]
  return (
    <label className="mt-2 flex items-center justify-between gap-3">
      History kept
      <Select
        value={value}
        onChange={(e) => {
          const window = windowOfValue(e.target.value)
          if (window) onWindow(window)
        }}
      >
        {choices.map((c) => (
          <option key={c.value} value={c.value}>
            {c.label}
          </option>
        ))}
      </Select>
    </label>
  )
}

/**
 * The account's devices, this one first and marked, each with its last successful sync as the server
 * recorded it (`devices.last_seen_at`, SPEC P1: noted at most every ten minutes, so it says so), and
 * the history it keeps (W1), which any of them may change.
 */
export function DeviceList({
  list,
  thisDevice,
  onWindow,
}: {
  list: readonly DeviceRow[]
  thisDevice: string | undefined
  onWindow: (deviceId: string, window: WindowSetting) => void
}) {
  const [now, setNow] = useState(() => new Date())
  useEffect(() => {
    const timer = setInterval(() => setNow(new Date()), 30_000)
    return () => clearInterval(timer)
  }, [])
  return (
    <section aria-labelledby="devices-heading" className="flex flex-col gap-2">
      <h2 id="devices-heading" className="font-semibold">
        Devices
      </h2>
      <ul className="flex flex-col gap-2">
        {[...list.filter((d) => d.id === thisDevice), ...list.filter((d) => d.id !== thisDevice)].map((d) => {
          const synced = d.lastSeenAt ? new Date(d.lastSeenAt) : null
          return (
            <li
              key={d.id}
              aria-label={d.name || 'Unnamed device'}
              className="rounded-lg border border-zinc-200 px-4 py-3 text-sm dark:border-zinc-800"
            >
              <p className="flex flex-wrap items-center gap-2 font-medium">
                {d.name || 'Unnamed device'}
                {d.id === thisDevice ? (
                  <span className="rounded-full bg-zinc-100 px-2 py-0.5 text-xs font-medium text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300">
                    This device
                  </span>
                ) : null}
              </p>
              <p className="text-zinc-600 dark:text-zinc-400">
                {synced ? (
                  <>
                    Last synced {agoText(synced, now)}{' '}
                    <time dateTime={synced.toISOString()}>
                      ({synced.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' })})
                    </time>
                  </>
                ) : (
                  'Not synced yet'
                )}
              </p>
              <WindowField device={d} onWindow={(window) => onWindow(d.id, window)} />
            </li>
          )
        })}
      </ul>
      <p className="text-xs text-zinc-600 dark:text-zinc-400">The server notes a device’s sync at most every ten minutes.</p>
    </section>
  )
}
