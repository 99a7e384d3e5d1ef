'use client'

import { useEffect, useState } from 'react'
import { PERSISTENCE_ASKED } from './sync/device-storage'

type Persistence = { persisted: boolean; usage: number | null; quota: number | null }

function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`
}

/**
 * Whether the browser may clear this device's data under storage pressure: the device asks for
 * persistent storage at its first sync (components/sync/device-storage.ts); this says what the
 * browser answered, and how much the app stores.
 */
export function StoragePersistence() {
  const [state, setState] = useState<Persistence | null | 'unsupported'>(null)
  useEffect(() => {
    let cancelled = false
    const read = async () => {
      const [persisted, estimate] = await Promise.all([
        navigator.storage?.persisted?.().catch(() => undefined),
        navigator.storage?.estimate?.().catch(() => undefined),
      ])
      if (cancelled) return
      setState(persisted === undefined ? 'unsupported' : { persisted, usage: estimate?.usage ?? null, quota: estimate?.quota ?? null })
    }
    void read()
    window.addEventListener(PERSISTENCE_ASKED, read)
    return () => {
      cancelled = true
      window.removeEventListener(PERSISTENCE_ASKED, read)
    }
  }, [])
  return (
    <section aria-labelledby="storage-heading" className="flex flex-col gap-2">
      <h2 id="storage-heading" className="font-semibold">
        Storage
      </h2>
      <div className="rounded-lg border border-zinc-200 px-4 py-3 text-sm dark:border-zinc-800" data-testid="storage-persistence">
        {state === null ? (
          <p className="text-zinc-600 dark:text-zinc-400">Checking storage…</p>
        ) : state === 'unsupported' ? (
          <p>Storage: this browser does not say whether it keeps this device&apos;s data.</p>
        ) : (
          <>
            <p className="font-medium">{state.persisted ? 'Storage: persistent' : 'Storage: may be cleared by the browser'}</p>
            <p className="text-zinc-600 dark:text-zinc-400">
              {state.persisted
                ? 'The browser keeps this device’s training log until you sign out or clear it.'
                : 'Under storage pressure the browser may clear this device’s data; anything not yet synced would be lost. Installing the app usually lets it keep it.'}
            </p>
            {state.usage !== null && state.quota !== null ? (
              <p className="text-zinc-600 dark:text-zinc-400">
                Using {megabytes(state.usage)} of {megabytes(state.quota)} available.
              </p>
            ) : null}
          </>
        )}
      </div>
    </section>
  )
}
