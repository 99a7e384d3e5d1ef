'use client'

import { useState } from 'react'
import { useDevice } from './sync/sync-provider'
import { Button } from './ui/button'

/**
 * Signs out and clears this device's copy of the account, in every tab (the device stops every
 * tab's sync loop first; the page then leaves for sign-in). Unsynced changes would be lost with
 * it, so it says how many there are and asks first.
 */
export function SignOutButton() {
  const device = useDevice()
  const [pending, setPending] = useState(false)
  return (
    <Button
      variant="ghost"
      disabled={pending || !device}
      onClick={async () => {
        if (!device) return
        const status = await device.refreshStatus()
        const unsynced = status.pending
        // Photo bytes still to upload are lost with the device's cache too (SPEC M12).
        const photos = status.uploads.pending
        const lost = [
          unsynced > 0 ? `${unsynced} change${unsynced === 1 ? '' : 's'}` : null,
          photos > 0 ? `photos not yet uploaded (${photos} file${photos === 1 ? '' : 's'})` : null,
        ].filter((part) => part !== null)
        if (
          lost.length > 0 &&
          !window.confirm(`${lost.join(' and ')} have not reached the server yet and will be lost if you sign out now. Sign out anyway?`)
        ) {
          return
        }
        setPending(true)
        await device.signOut()
      }}
    >
      Sign out
    </Button>
  )
}
