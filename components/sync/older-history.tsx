'use client'

import { Button } from '@/components/ui/button'
import { Notice } from '@/components/ui/notice'
import { useDevice, useDeviceStatus } from './sync-provider'
import { useMutations } from './use-mutations'
import type { WindowSetting } from '@/domain/mutators/devices'
import { cutDate, widerWindow } from './window-text'

/**
 * Where this device's history stops (SPEC W5, W6): past its storage window, older workouts are on
 * the server. Online, it keeps three more months here (a wider window, fetched in pages) or
 * everything; offline, it says what is missing and since when.
 */
export function OlderHistory() {
  const device = useDevice()
  const status = useDeviceStatus()
  const { run, message } = useMutations()
  const { setting, from, heldFrom, filling } = status.window
  const boundary = from ?? heldFrom
  if (setting.kind === 'all' && heldFrom === null) return null
  if (boundary === null) return null
  const widen = (window: WindowSetting) =>
    device ? run('setDeviceWindow', { deviceId: device.deviceId, window }, { queueIfNotFound: true }) : undefined
  return (
    <section
      aria-label="Older history"
      className="flex flex-col gap-2 rounded-lg border border-dashed border-zinc-300 px-4 py-3 text-sm dark:border-zinc-700"
    >
      <Notice message={message} />
      <p className="font-medium">Older history is on the server.</p>
      <p className="text-zinc-600 dark:text-zinc-400">
        This device keeps workouts from {cutDate(boundary)} on, and before then only the last workout of each activity (for “last time” and
        records).
      </p>
      {filling ? (
        <p role="status">Fetching older history… {filling.rows.toLocaleString('en')} rows so far.</p>
      ) : heldFrom !== null && from !== null && heldFrom > from ? (
        <p role="status">Older history will be fetched from {cutDate(from)} once this device is online.</p>
      ) : null}
      {setting.kind === 'all' ? null : status.online ? (
        <div className="flex flex-wrap gap-2">
          <Button variant="secondary" onClick={() => void widen(widerWindow(setting, boundary))}>
            Keep 3 more months here
          </Button>
          <Button variant="secondary" onClick={() => void widen({ kind: 'all' })}>
            Keep all history here
          </Button>
        </div>
      ) : (
        <p>You are offline: connect to fetch workouts from before {cutDate(boundary)}.</p>
      )}
    </section>
  )
}
