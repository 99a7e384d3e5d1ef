'use client'

import Link from 'next/link'
import { useSyncExternalStore } from 'react'
import { deviceAccount } from '@/components/sync/device-storage'

function subscribe(onChange: () => void) {
  window.addEventListener('online', onChange)
  window.addEventListener('offline', onChange)
  return () => {
    window.removeEventListener('online', onChange)
    window.removeEventListener('offline', onChange)
  }
}

/**
 * Offline (the service worker served this page's shell), signing in cannot work: says so, and
 * when an account is on this device, offers the way into the app, which works offline.
 */
export function OfflineNotice() {
  const offline = useSyncExternalStore(
    subscribe,
    () => !navigator.onLine,
    () => false,
  )
  const account = useSyncExternalStore(
    subscribe,
    () => deviceAccount(),
    () => null,
  )
  if (!offline) return null
  return (
    <div
      role="status"
      className="flex flex-col gap-2 rounded-lg bg-amber-50 px-4 py-3 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-100"
    >
      <p>
        <strong>You are offline:</strong> signing in needs the network. Connect, then try again.
      </p>
      {account !== null ? (
        <>
          <p>
            {account ? `${account} is on this device.` : 'Your account is on this device.'} Your training log works offline; changes sync
            when you are back online.
          </p>
          <Link href="/" className="inline-flex min-h-11 items-center self-start font-medium underline">
            Open your training log
          </Link>
        </>
      ) : null}
    </div>
  )
}
