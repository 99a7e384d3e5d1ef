'use client'

import Link from 'next/link'
import { useRouter } from 'next/navigation'
import { useEffect, useState, useSyncExternalStore } from 'react'
import type { Device, DeviceStatus } from '@/sync/client/device'
import { useDevice, useDeviceStatus } from './sync-provider'

const changes = (n: number) => `${n} change${n === 1 ? '' : 's'}`

/** Sign-in for the device's own account, its address filled in. */
const signInHref = (email: string | null) => (email ? `/sign-in?email=${encodeURIComponent(email)}` : '/sign-in')

/**
 * Another account signed in on a device that holds this account's unsynced changes (SPEC A7):
 * sign in again as the device's account (its changes then sync), or discard them, with a yes.
 */
function OtherAccount({ device, status }: { device: Device | null; status: DeviceStatus }) {
  const router = useRouter()
  const [busy, setBusy] = useState(false)
  const who = status.accountEmail ?? 'the account this device holds'
  return (
    <section
      aria-label="Another account is signed in"
      className="rounded-lg border border-amber-300 bg-amber-50 p-3 text-sm text-amber-950 dark:border-amber-900 dark:bg-amber-950 dark:text-amber-100"
    >
      <p className="font-medium">Another account is signed in</p>
      <p className="mt-1">
        This device holds {changes(status.pending)} of {who} that have not reached the server. They wait for {who} to sign in again; nothing
        is discarded unless you say so.
      </p>
      <div className="mt-2 flex flex-wrap gap-3">
        <button
          className="underline"
          disabled={busy || !device}
          onClick={async () => {
            if (!device) return
            setBusy(true)
            await device.endServerSession().catch(() => undefined)
            router.push(signInHref(status.accountEmail))
          }}
        >
          Sign in as {who}
        </button>
        <button
          className="underline"
          disabled={busy || !device}
          onClick={async () => {
            if (!device) return
            const { pending, uploads } = await device.refreshStatus()
            const photos = uploads.pending > 0 ? ` and photos not yet uploaded (${uploads.pending} files)` : ''
            if (!window.confirm(`Discard ${changes(pending)}${photos} of ${who}? They have not reached the server and will be lost.`))
              return
            setBusy(true)
            await device.forgetAccount()
          }}
        >
          Discard them
        </button>
      </div>
    </section>
  )
}

function ago(date: Date | null, now: number): string {
  if (!date) return 'never'
  const s = Math.max(0, Math.round((now - date.getTime()) / 1000))
  if (s < 5) return 'just now'
  if (s < 60) return `${s} s ago`
  if (s < 3600) return `${Math.round(s / 60)} min ago`
  return date.toLocaleString()
}

/** Always-visible sync state: online or offline, pending writes, last sync, rejected writes. */
export function SyncStatusBar() {
  const device = useDevice()
  const status = useDeviceStatus()
  const [now, setNow] = useState(() => Date.now())
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 5000)
    return () => clearInterval(timer)
  }, [])
  // The browser's view of the network; the server renders "online" and hydration then agrees.
  const browserOnline = useSyncExternalStore(
    (onChange) => {
      window.addEventListener('online', onChange)
      window.addEventListener('offline', onChange)
      return () => {
        window.removeEventListener('online', onChange)
        window.removeEventListener('offline', onChange)
      }
    },
    () => navigator.onLine,
    () => true,
  )
  const online = status.online && browserOnline
  // Offline, the session cannot be known: the device says it is offline, not signed out.
  const signedOut = status.session === 'lost' && online
  return (
    <div className="flex flex-col gap-2">
      <p
        role="status"
        aria-label="Sync status"
        className="flex flex-wrap items-center gap-x-3 gap-y-1 text-xs text-zinc-600 dark:text-zinc-400"
      >
        {signedOut ? (
          <span className="inline-flex items-center gap-1.5">
            <span aria-hidden className="size-2 rounded-full bg-amber-500" />
            <span data-testid="sync-session">Signed out — sign in to sync{status.pending === 0 ? '' : ` ${changes(status.pending)}`}</span>
            <Link className="font-medium underline" href={signInHref(status.accountEmail)}>
              Sign in
            </Link>
          </span>
        ) : (
          <>
            <span className="inline-flex items-center gap-1.5">
              <span aria-hidden className={`size-2 rounded-full ${online ? 'bg-emerald-500' : 'bg-amber-500'}`} />
              <span data-testid="sync-online">{online ? 'Online' : 'Offline'}</span>
            </span>
            {/* Until the device has read its outbox it knows nothing of what is pending: no claim. */}
            <span data-testid="sync-pending">
              {!device ? 'Opening…' : status.pending === 0 ? 'All changes synced' : `${status.pending} pending`}
            </span>
          </>
        )}
        <span>Last synced {ago(status.lastSyncedAt, now)}</span>
        {/* Photo bytes follow their metadata (SPEC M7): say while some are still to reach the server. */}
        {status.uploads.pending > status.uploads.failed ? (
          <span data-testid="sync-uploads">{online ? 'Uploading photos…' : 'Photos wait to upload'}</span>
        ) : null}
        {status.uploads.failed > 0 ? (
          <Link className="font-medium text-red-700 underline dark:text-red-300" href="/settings#photos">
            {status.uploads.failed === 1 ? 'A photo was refused' : `${status.uploads.failed} photo files were refused`}
          </Link>
        ) : null}
        {status.loading ? (
          <span>
            Loading {status.loading.rows.toLocaleString()} rows{status.loading.percent === null ? '' : ` (${status.loading.percent}%)`}
            {status.loading.percent === null ? null : (
              <progress
                className="ml-2 h-1.5 w-24 align-middle"
                max={100}
                value={status.loading.percent}
                aria-label="First sync progress"
              />
            )}
          </span>
        ) : null}
        {status.leader ? <span className="sr-only">This tab syncs for all tabs</span> : null}
      </p>
      {status.session === 'other-account' ? <OtherAccount device={device} status={status} /> : null}
      {status.incompatible ? (
        <section
          aria-label="Sync paused"
          className="rounded-lg border border-amber-300 bg-amber-50 p-3 text-sm text-amber-950 dark:border-amber-900 dark:bg-amber-950 dark:text-amber-100"
        >
          <p className="font-medium">
            {status.incompatible === 'update-app'
              ? 'This app is out of date for the server'
              : 'The server runs an older Cadence than this app'}
          </p>
          <p className="mt-1">
            {status.incompatible === 'update-app'
              ? 'Reload to update it. Your changes stay on this device and sync after the update.'
              : 'Sync resumes once the server is updated. Your changes stay on this device until then.'}
          </p>
          {status.incompatible === 'update-app' ? (
            <button className="mt-2 underline" onClick={() => window.location.reload()}>
              Reload
            </button>
          ) : null}
        </section>
      ) : null}
      {status.localError ? (
        <section
          aria-label="This device failed to sync"
          className="rounded-lg border border-amber-300 bg-amber-50 p-3 text-sm text-amber-950 dark:border-amber-900 dark:bg-amber-950 dark:text-amber-100"
        >
          <p className="font-medium">Sync stopped on this device</p>
          <p className="mt-1">{status.localError} Reloading the app may help.</p>
        </section>
      ) : null}
      {status.recovery ? (
        <section
          aria-label="Registered with the server again"
          className="rounded-lg border border-sky-300 bg-sky-50 p-3 text-sm text-sky-950 dark:border-sky-900 dark:bg-sky-950 dark:text-sky-100"
        >
          <p className="font-medium">
            {status.recovery.reason === 'server-restored'
              ? 'The server was restored from a backup'
              : 'This device was restored from a backup'}
          </p>
          <p className="mt-1">{status.recovery.message}</p>
          <button className="mt-2 underline" onClick={() => device?.dismissRecovery()}>
            Dismiss
          </button>
        </section>
      ) : null}
      {status.rejected.length > 0 ? (
        <section
          aria-label="Rejected changes"
          className="rounded-lg border border-red-300 bg-red-50 p-3 text-sm text-red-900 dark:border-red-900 dark:bg-red-950 dark:text-red-100"
        >
          <p className="font-medium">
            {status.rejected.length === 1 ? 'A change was not accepted' : `${status.rejected.length} changes were not accepted`}
          </p>
          <ul className="mt-1 flex flex-col gap-1">
            {status.rejected.map((r) => (
              <li key={r.mutationId} className="flex items-start justify-between gap-3">
                <span>{r.message}</span>
                <button className="shrink-0 underline" onClick={() => void device?.dismissRejection(r.mutationId)}>
                  Dismiss
                </button>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  )
}
