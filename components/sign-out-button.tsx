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
        const unsynced = (await device.refreshStatus()).pending
        if (
          unsynced > 0 &&
          !window.confirm(
            `${unsynced} change${unsynced === 1 ? ' has' : 's have'} not reached the server yet and will be lost if you sign out now. Sign out anyway?`,
          )
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
