'use client'

/**
 * Gives every page this tab's {@link Device}: the device database, its sync status and its
 * mutations. The device owns leadership, notification batching and sign-out across tabs
 * (sync/client/device.ts); this component only opens it, re-reads the pages' queries when it says
 * their data changed, and leaves for sign-in when the device is signed out (here or in another tab).
 */
import { useQueryClient } from '@tanstack/react-query'
import { useRouter } from 'next/navigation'
import { createContext, useContext, useEffect, useState, useSyncExternalStore } from 'react'
import { authClient } from '@/components/auth-client'
import { openBrowserDevice } from '@/sync/client/browser'
import { emptyDeviceStatus, type Device, type DeviceStatus } from '@/sync/client/device'
import { followDeviceStatus, forgetDeviceAccount } from './device-storage'

type DeviceContextValue = { device: Device } | { error: string } | null

const DeviceContext = createContext<DeviceContextValue>(null)

export function SyncProvider({ children }: { children: React.ReactNode }) {
  const [value, setValue] = useState<DeviceContextValue>(null)
  const queryClient = useQueryClient()
  const router = useRouter()

  useEffect(() => {
    let cancelled = false
    let device: Device | null = null
    const cleanups: (() => void)[] = []
    openBrowserDevice({ endSession: async () => void (await authClient.signOut()) }).then(
      (opened) => {
        if (cancelled) return void opened?.close()
        if (!opened) {
          forgetDeviceAccount()
          return router.replace('/sign-in')
        }
        device = opened
        followDeviceStatus(opened.status)
        cleanups.push(opened.subscribe(() => followDeviceStatus(opened.status)))
        cleanups.push(opened.onDataChange(() => void queryClient.invalidateQueries({ queryKey: ['local'] })))
        cleanups.push(
          opened.subscribe(() => {
            if (!opened.status.signedOut) return
            // A page load, not a client-side move: it ends this tab's database worker, which
            // led the shared database and was closed moments after clearing it; a device opened
            // in the same page could wait on it for ever (A7, after a discard). The sign-in page
            // sends on to the app when another account is signed in.
            window.location.replace('/sign-in')
          }),
        )
        setValue({ device: opened })
      },
      (error: unknown) => {
        if (!cancelled) setValue({ error: error instanceof Error ? error.message : String(error) })
      },
    )
    return () => {
      cancelled = true
      for (const cleanup of cleanups) cleanup()
      void device?.close()
    }
  }, [queryClient, router])

  return <DeviceContext.Provider value={value}>{children}</DeviceContext.Provider>
}

/** This tab's device, or null while it opens. Throws if opening failed. */
export function useDevice(): Device | null {
  const value = useContext(DeviceContext)
  if (value && 'error' in value) throw new Error(`This device's database could not open: ${value.error}`)
  return value?.device ?? null
}

/** One object, so that `useSyncExternalStore` sees the same snapshot on every read. */
const emptyStatus = emptyDeviceStatus()

/** The device's sync status, re-rendering on each change (the empty status while it opens). */
export function useDeviceStatus(): DeviceStatus {
  const device = useDevice()
  return useSyncExternalStore(
    (onChange) => device?.subscribe(onChange) ?? (() => {}),
    () => device?.status ?? emptyStatus,
    () => emptyStatus,
  )
}
