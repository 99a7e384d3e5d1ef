'use client'

/**
 * Gives every page the device database, the sync client and its status. Each tab opens the shared
 * PGlite worker; only the leader tab runs the sync loop, and a new leader starts it when the old
 * one closes (sync/SPEC.md B8). Any committed local change refreshes every local query in every
 * tab (the database notifies `cadence_local`).
 */
import { useQueryClient } from '@tanstack/react-query'
import { useRouter } from 'next/navigation'
import { createContext, useContext, useEffect, useState, useSyncExternalStore } from 'react'
import { localSyncState } from '@/db/schema/local'
import type { Db } from '@/db/types'
import { openDeviceDatabase, type DeviceDatabase } from '@/sync/client/browser'
import { SyncClient, initDevice, type SyncStatus } from '@/sync/client/client'
import { HttpTransport } from '@/sync/client/transport'
import { newId } from '@/domain/ids'

type SyncContextValue = { db: Db; client: SyncClient; userId: string; isLeader: boolean } | { error: string } | null

const SyncContext = createContext<SyncContextValue>(null)

/**
 * Whose data this device holds: the account in its sync state (so a signed-in device opens
 * offline), or on a fresh device the server's session. Null: nobody is signed in here.
 */
async function deviceAccount(db: Db): Promise<string | null> {
  const [state] = await db.select({ userId: localSyncState.userId }).from(localSyncState)
  if (state) return state.userId
  const response = await fetch('/api/auth/get-session', { credentials: 'same-origin', cache: 'no-store' }).catch(() => null)
  if (!response?.ok) return null
  const session = (await response.json().catch(() => null)) as { user?: { id?: string } } | null
  return session?.user?.id ?? null
}

export function SyncProvider({ children }: { children: React.ReactNode }) {
  const [value, setValue] = useState<SyncContextValue>(null)
  const queryClient = useQueryClient()
  const router = useRouter()

  useEffect(() => {
    let cancelled = false
    let device: DeviceDatabase | undefined
    let client: SyncClient | undefined
    const cleanups: (() => void)[] = []
    ;(async () => {
      device = await openDeviceDatabase()
      const userId = await deviceAccount(device.db)
      if (userId === null) {
        if (!cancelled) router.replace('/sign-in')
        return
      }
      const state = await initDevice(device.db, { deviceId: newId(), userId })
      client = new SyncClient({
        db: device.db,
        transport: new HttpTransport(),
        deviceId: state.deviceId,
        userId,
        deviceName: navigator.userAgent.slice(0, 200),
        onLocalWrite: () => void queryClient.invalidateQueries({ queryKey: ['local'] }),
      })
      if (cancelled) return
      const c = client
      setValue({ db: device.db, client: c, userId, isLeader: false })
      // One tab runs the sync loop (B8). The lock is ours, not PGlite's worker election, whose
      // leader-now message can arrive before a tab listens for it; the browser hands the lock to
      // another tab the moment this one closes.
      const leadership = new AbortController()
      let resign: (() => void) | undefined
      cleanups.push(() => {
        leadership.abort()
        resign?.()
      })
      navigator.locks
        .request(`cadence-sync:${userId}`, { signal: leadership.signal }, async () => {
          if (cancelled) return
          c.start()
          setValue({ db: device!.db, client: c, userId, isLeader: true })
          await new Promise<void>((resolve) => (resign = resolve))
          await c.stop()
        })
        .catch(() => undefined)
      // The database notifies once per table and statement; one commit can touch many tables,
      // so changes are gathered and handled once per turn of the event loop.
      const changed = new Set<string>()
      let scheduled = false
      const flush = () => {
        scheduled = false
        const tables = [...changed]
        changed.clear()
        // Pages read only synced tables; the local_* bookkeeping is the status bar's ('*': both).
        const bookkeeping = (table: string) => table.startsWith('local_')
        if (!tables.every(bookkeeping)) void queryClient.invalidateQueries({ queryKey: ['local'] })
        if (tables.some((table) => table === '*' || bookkeeping(table))) c.refreshStatus().catch(() => undefined)
        // A write made in another tab: the leader pushes it now (only the leader runs the loop).
        // Only for a write not yet pushed: the loop's own bookkeeping must not restart it, or
        // every pull would end the long poll that follows it.
        if (tables.includes('local_outbox')) c.kickIfUnpushed().catch(() => undefined)
      }
      const refresh = (table = '*') => {
        changed.add(table)
        if (!scheduled) {
          scheduled = true
          setTimeout(flush, 0)
        }
      }
      const unlisten = await device.shared.listen('cadence_local', refresh)
      cleanups.push(unlisten)
      // When the database moves to another tab's worker, this tab listens there again; re-read
      // what may have changed meanwhile.
      cleanups.push(device.shared.onMoved(() => refresh()))
      const online = () => c.kick()
      window.addEventListener('online', online)
      cleanups.push(() => window.removeEventListener('online', online))
      await c.refreshStatus()
    })().catch((error: unknown) => {
      if (!cancelled) setValue({ error: error instanceof Error ? error.message : String(error) })
    })
    return () => {
      cancelled = true
      for (const cleanup of cleanups) cleanup()
      void client?.stop()
      void device?.shared.close()
    }
  }, [queryClient, router])

  return <SyncContext.Provider value={value}>{children}</SyncContext.Provider>
}

/** The device database and sync client, or null while they open. Throws if opening failed. */
export function useSync() {
  const value = useContext(SyncContext)
  if (value && 'error' in value) throw new Error(`This device's database could not open: ${value.error}`)
  return value
}

const emptyStatus: SyncStatus = {
  online: true,
  pending: 0,
  oldestPendingAt: null,
  lastSyncedAt: null,
  lag: 0,
  rejected: [],
  lastError: null,
  loading: null,
}

export function useSyncStatus(): SyncStatus {
  const sync = useSync()
  return useSyncExternalStore(
    (onChange) => sync?.client.subscribe(onChange) ?? (() => {}),
    () => sync?.client.status ?? emptyStatus,
    () => emptyStatus,
  )
}
