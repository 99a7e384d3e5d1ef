'use client'

import { useQuery, useQueryClient } from '@tanstack/react-query'
import { useId, useState } from 'react'
import { useDevice } from '@/components/sync/sync-provider'
import { useLocalQuery } from '@/components/sync/use-local-query'
import { useMutations } from '@/components/sync/use-mutations'
import { Notice, type NoticeMessage } from '@/components/ui/notice'
import { Select } from '@/components/ui/select'
import { keepsPhotoLocation } from '@/db/queries/media'
import { formatBytes } from '@/domain/media'
import { photoErrorText } from './photo-error-text'
import { useRereadOnUploads } from './use-reread-on-uploads'

const MB = 1024 * 1024
/** The budgets offered besides the default (sync/SPEC.md M11), in bytes. */
const budgets = [100 * MB, 250 * MB, 500 * MB, 1024 * MB, 2048 * MB]
const muted = 'text-zinc-600 dark:text-zinc-400'

/**
 * Settings → Photos: what this device's photo cache holds and may hold (its budget, a device
 * setting: M11), what still waits to upload and what the server refused, and the account's
 * choice to keep where photos were taken.
 */
export function PhotoSettings() {
  const device = useDevice()
  const queryClient = useQueryClient()
  const usage = useQuery({
    queryKey: ['local', device?.userId, 'photo-usage'],
    queryFn: () => device!.photos.usage(),
    enabled: Boolean(device),
  })
  // The cache and the upload queue are this device's bookkeeping, read again as its counts change.
  useRereadOnUploads(['photo-usage'])
  const keep = useLocalQuery(['keep-photo-location'], keepsPhotoLocation)
  const { run, message: keepMessage } = useMutations()
  const [budgetMessage, setBudgetMessage] = useState<NoticeMessage>()
  const locationHelp = useId()

  async function setBudget(value: string) {
    if (!device) return
    setBudgetMessage(undefined)
    try {
      await device.photos.setBudget(value === '' ? null : Number(value))
      await queryClient.invalidateQueries({ queryKey: ['local', device.userId, 'photo-usage'] })
    } catch (error) {
      setBudgetMessage({ ok: false, text: photoErrorText(error, 'change the space for photos') })
    }
  }

  const u = usage.data
  const failed = new Map<string, number>()
  for (const f of u?.failedUploads ?? []) failed.set(f.error, (failed.get(f.error) ?? 0) + 1)
  const files = (n: number) => (n === 1 ? '1 file' : `${n} files`)
  return (
    <section id="photos" aria-labelledby="photos-heading" className="flex flex-col gap-3 scroll-mt-20">
      <h2 id="photos-heading" className="font-semibold">
        Photos
      </h2>
      <div
        className="flex flex-col gap-3 rounded-lg border border-zinc-200 px-4 py-3 text-sm dark:border-zinc-800"
        data-testid="photo-settings"
      >
        {usage.error ? (
          <p role="alert">This device&apos;s photo storage could not be read: {usage.error.message}</p>
        ) : !u ? (
          <p className={muted}>Reading this device&apos;s photos…</p>
        ) : (
          <>
            <p>
              <span className="font-medium">Photos on this device: {formatBytes(u.usedBytes)}</span>{' '}
              <span className={muted}>of {formatBytes(u.budgetBytes)} set aside.</span>
            </p>
            <label className="flex flex-wrap items-center justify-between gap-2">
              Space for photos
              <Select value={u.budgetIsDefault ? '' : String(u.budgetBytes)} onChange={(e) => void setBudget(e.target.value)}>
                <option value="">Default ({formatBytes(u.defaultBudgetBytes)})</option>
                {[...new Set([...budgets, ...(u.budgetIsDefault ? [] : [u.budgetBytes])])]
                  .sort((a, b) => a - b)
                  .map((bytes) => (
                    <option key={bytes} value={bytes}>
                      {formatBytes(bytes)}
                    </option>
                  ))}
              </Select>
            </label>
            <p className={muted}>
              When photos need more space than this, the ones you looked at longest ago are removed from this device; they stay on the
              server and load again when you open them. Photos not yet uploaded are never removed.
            </p>
            <Notice message={budgetMessage} />
            <p>
              {u.pendingUploads === 0
                ? u.failedUploads.length === 0
                  ? 'Every photo is uploaded.'
                  : 'Nothing else waits to upload.'
                : `Waiting to upload: ${files(u.pendingUploads)}, ${formatBytes(u.pendingBytes)}.`}
            </p>
            {failed.size > 0 ? (
              <div className="flex flex-col gap-1 text-red-700 dark:text-red-400">
                <p className="font-medium">
                  {u.failedUploads.length === 1 ? 'The server refused 1 file:' : `The server refused ${u.failedUploads.length} files:`}
                </p>
                <ul className="list-disc pl-5">
                  {[...failed].map(([error, count]) => (
                    <li key={error}>
                      {error}
                      {count > 1 ? ` (${count} files)` : ''}
                    </li>
                  ))}
                </ul>
              </div>
            ) : null}
          </>
        )}
        <div className="flex flex-col gap-1 border-t border-zinc-200 pt-3 dark:border-zinc-800">
          <label className="flex min-h-11 items-center gap-3 font-medium">
            <input
              type="checkbox"
              className="size-5"
              aria-describedby={locationHelp}
              checked={keep.data ?? false}
              disabled={keep.data === undefined}
              onChange={(e) => void run('updateSettings', { keepPhotoLocation: e.target.checked })}
            />
            Keep where photos were taken (location)
          </label>
          <p id={locationHelp} className={muted}>
            Off, the location a phone writes into a photo is removed before the photo is saved, so nobody who sees it learns where it was
            taken. Photos already added stay as they are.
          </p>
          <Notice message={keepMessage} />
        </div>
      </div>
    </section>
  )
}
