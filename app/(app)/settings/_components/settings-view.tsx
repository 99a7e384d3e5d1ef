'use client'

import { useDevice } from '@/components/sync/sync-provider'
import { useLocalQuery } from '@/components/sync/use-local-query'
import { useMutations } from '@/components/sync/use-mutations'
import { PhotoSettings } from '@/components/media/photo-settings'
import { HistoryOnDevice } from '@/components/sync/history-on-device'
import { Notice } from '@/components/ui/notice'
import { Page } from '@/components/ui/page'
import { StoragePersistence } from '@/components/storage-persistence'
import { Select } from '@/components/ui/select'
import { accountDevices, displayUnits } from '@/db/queries/local'
import { DeviceList } from './device-list'
import { EquipmentEditor } from './equipment-editor'

/** One unit setting: a select of the units (value → name, in order) beside its label. */
function UnitField<U extends string>({
  label,
  value,
  units,
  onChange,
}: {
  label: string
  value: U
  units: Record<U, string>
  onChange: (unit: U) => void
}) {
  return (
    <label className="flex items-center justify-between gap-3">
      {label}
      <Select value={value} onChange={(e) => onChange(e.target.value as U)}>
        {(Object.entries(units) as [U, string][]).map(([unit, name]) => (
          <option key={unit} value={unit}>
            {name}
          </option>
        ))}
      </Select>
    </label>
  )
}

/** Units, bars and plates, storage and photos, this account's devices, and sign-out (in the header). */
export function SettingsView() {
  const device = useDevice()
  const units = useLocalQuery(['units'], (db, userId) => displayUnits(db, userId))
  const list = useLocalQuery(['devices'], (db, userId) => accountDevices(db, userId))
  const { run, message } = useMutations()
  if (!units.data) return <p className="text-zinc-600 dark:text-zinc-400">Loading settings…</p>
  const save = (change: { massUnit?: 'kg' | 'lb'; distanceUnit?: 'km' | 'mi' }) => run('updateSettings', change)
  return (
    <Page id="settings" title="Settings" gap="gap-6">
      <Notice message={message} />
      <fieldset className="flex flex-col gap-3">
        <legend className="mb-2 font-semibold">Units</legend>
        <UnitField
          label="Weight"
          value={units.data.massUnit}
          units={{ kg: 'Kilograms (kg)', lb: 'Pounds (lb)' }}
          onChange={(massUnit) => void save({ massUnit })}
        />
        <UnitField
          label="Distance"
          value={units.data.distanceUnit}
          units={{ km: 'Kilometres (km)', mi: 'Miles (mi)' }}
          onChange={(distanceUnit) => void save({ distanceUnit })}
        />
      </fieldset>
      <EquipmentEditor massUnit={units.data.massUnit} />
      <StoragePersistence />
      <HistoryOnDevice />
      <PhotoSettings />
      <DeviceList
        list={list.data ?? []}
        thisDevice={device?.deviceId}
        onWindow={(deviceId, window) => void run('setDeviceWindow', { deviceId, window }, { queueIfNotFound: true })}
      />
    </Page>
  )
}
