'use client'

import { useEffect } from 'react'

/**
 * What keeps a long write of the import page from being doubled or cut short by accident: one
 * import at a time across this browser's tabs (a second would plan against targets the first is
 * still creating, and write "new" activities twice), and a warning before the page is left while
 * writing (what is written stays, but the rest waits for the file to be imported again).
 */

/** Held while an import or a restore plans and writes, in any tab of this origin. */
const lockName = 'cadence-import'

/**
 * Runs `write` holding the import lock; resolves with its result, or with null, without running
 * it, when another tab or window holds the lock. Without the Web Locks API (an old browser) it
 * just runs.
 */
export async function withImportLock<T>(write: () => Promise<T>): Promise<{ value: T } | null> {
  if (typeof navigator === 'undefined' || !('locks' in navigator)) return { value: await write() }
  return navigator.locks.request(lockName, { ifAvailable: true }, async (lock) => (lock ? { value: await write() } : null))
}

/** Said when {@link withImportLock} finds the lock held elsewhere. */
export const importBusyText = 'An import is running in another tab or window; wait for it to finish.'

/** While `active`, leaving or reloading the page asks first. */
export function useLeaveWarning(active: boolean) {
  useEffect(() => {
    if (!active) return
    const warn = (event: BeforeUnloadEvent) => event.preventDefault()
    window.addEventListener('beforeunload', warn)
    return () => window.removeEventListener('beforeunload', warn)
  }, [active])
}
