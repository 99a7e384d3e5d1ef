/**
 * What the browser keeps for this device beyond its database: whether an account is on it (so
 * the sign-in page, offline, can offer the way back into the app without opening the database),
 * and the request that the browser not clear the database under storage pressure.
 */
import type { DeviceStatus } from '@/sync/client/device'

const ACCOUNT_KEY = 'cadence.device-account'
/** Fired on `window` once persistent storage has been asked for, so Settings reads the answer. */
export const PERSISTENCE_ASKED = 'cadence:storage-persistence'

/** The account on this device, as the last open device said: its address ('' before its profile arrived), or null. */
export function deviceAccount(): string | null {
  try {
    return window.localStorage.getItem(ACCOUNT_KEY)
  } catch {
    return null
  }
}

function setDeviceAccount(email: string | null) {
  try {
    if (email === null) window.localStorage.removeItem(ACCOUNT_KEY)
    else if (window.localStorage.getItem(ACCOUNT_KEY) !== email) window.localStorage.setItem(ACCOUNT_KEY, email)
  } catch {
    // Storage refused (a private window's quota): the sign-in page then offers no shortcut.
  }
}

/** Nobody is signed in on this device. */
export function forgetDeviceAccount() {
  setDeviceAccount(null)
}

let asked = false

/** Asks once per page, after a sync succeeded: the data is then worth keeping. */
async function askPersistentStorage() {
  if (asked || !navigator.storage?.persist) return
  asked = true
  try {
    if (!(await navigator.storage.persisted())) await navigator.storage.persist()
  } finally {
    window.dispatchEvent(new Event(PERSISTENCE_ASKED))
  }
}

/** Follows the open device's status: remembers its account, forgets it on sign-out, and asks for persistence at the first sync. */
export function followDeviceStatus(status: DeviceStatus) {
  if (status.signedOut) return setDeviceAccount(null)
  setDeviceAccount(status.accountEmail ?? '')
  if (status.lastSyncedAt !== null) void askPersistentStorage().catch(() => {})
}
