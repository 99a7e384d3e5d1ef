'use client'

import { useDevice } from '@/components/sync/sync-provider'
import { useLocalQuery } from '@/components/sync/use-local-query'
import { useMutations } from '@/components/sync/use-mutations'
import { Notice } from '@/components/ui/notice'
import { accountDevices, displayUnits } from '@/db/queries/local'

/** Units, this account's devices, and sign-out (in the header). */
export function SettingsView() {
  const device = useDevice()
  const units = useLocalQuery(['units'], (db, userId) => displayUnits(db, userId))
  const list = useLocalQuery(['devices'], (db, userId) => accountDevices(db, userId))
  const { run, message } = useMutations()
  if (!units.data) return <p className="text-zinc-600 dark:text-zinc-400">Loading settings…</p>
  const save = (change: { massUnit?: 'kg' | 'lb'; distanceUnit?: 'km' | 'mi' }) => run('updateSettings', change)
  const select = 'min-h-11 rounded-lg border border-zinc-300 bg-white px-3 dark:border-zinc-700 dark:bg-zinc-900'
  return (
    <section aria-labelledby="settings-heading" className="flex flex-col gap-6">
      <h1 id="settings-heading" className="text-2xl font-semibold">
        Settings
      </h1>
      <Notice message={message} />
      <fieldset className="flex flex-col gap-3">
        <legend className="mb-2 font-semibold">Units</legend>
        <label className="flex items-center justify-between gap-3">
          Weight
          <select className={select} value={units.data.massUnit} onChange={(e) => void save({ massUnit: e.target.value as 'kg' | 'lb' })}>
            <option value="kg">Kilograms (kg)</option>
            <option value="lb">Pounds (lb)</option>
          </select>
        </label>
        <label className="flex items-center justify-between gap-3">
          Distance
          <select
            className={select}
            value={units.data.distanceUnit}
            onChange={(e) => void save({ distanceUnit: e.target.value as 'km' | 'mi' })}
          >
            <option value="km">Kilometres (km)</option>
            <option value="mi">Miles (mi)</option>
          </select>
        </label>
      </fieldset>
      <section aria-labelledby="devices-heading" className="flex flex-col gap-2">
        <h2 id="devices-heading" className="font-semibold">
          Devices
        </h2>
        <ul className="flex flex-col gap-2">
          {(list.data ?? []).map((d) => (
            <li key={d.id} className="rounded-lg border border-zinc-200 px-4 py-3 text-sm dark:border-zinc-800">
              <p className="font-medium">
                {d.name || 'Unnamed device'}
                {d.id === device?.deviceId ? ' (this device)' : ''}
              </p>
              <p className="text-zinc-600 dark:text-zinc-400">
                Last seen {d.lastSeenAt ? new Date(d.lastSeenAt).toLocaleString() : 'never'}
              </p>
            </li>
          ))}
        </ul>
      </section>
    </section>
  )
}
