'use client'

import { useQueryClient } from '@tanstack/react-query'
import { useEffect } from 'react'
import { useDevice, useDeviceStatus } from '@/components/sync/sync-provider'

/**
 * Re-reads the local query `key` (as given to `useLocalQuery`) when this device's upload queue
 * changes. The queue is device bookkeeping, not synced data: its changes reach the page only
 * through the status's counts (an upload refused, one finished). Invalidated rather than keyed
 * by the counts, so what the page shows stays on screen while it is read again.
 */
export function useRereadOnUploads(key: readonly unknown[]) {
  const device = useDevice()
  const { uploads } = useDeviceStatus()
  const queryClient = useQueryClient()
  const userId = device?.userId
  const keyText = JSON.stringify(key)
  useEffect(() => {
    if (!userId) return
    void queryClient.invalidateQueries({ queryKey: ['local', userId, ...(JSON.parse(keyText) as unknown[])] })
  }, [queryClient, userId, keyText, uploads.pending, uploads.failed])
}
