'use client'

import { useRouter } from 'next/navigation'
import { useState } from 'react'
import { clearDevice } from '@/sync/client/client'
import { authClient } from './auth-client'
import { useSync } from './sync/sync-provider'
import { Button } from './ui/button'

/**
 * Signs out and clears this device's copy of the account. Unsynced changes would be lost with
 * it, so it says how many there are and asks first.
 */
export function SignOutButton() {
  const router = useRouter()
  const sync = useSync()
  const [pending, setPending] = useState(false)
  return (
    <Button
      variant="ghost"
      disabled={pending}
      onClick={async () => {
        const unsynced = sync ? (await sync.client.refreshStatus()).pending : 0
        if (
          unsynced > 0 &&
          !window.confirm(
            `${unsynced} change${unsynced === 1 ? ' has' : 's have'} not reached the server yet and will be lost if you sign out now. Sign out anyway?`,
          )
        ) {
          return
        }
        setPending(true)
        if (sync) {
          await sync.client.stop()
          await clearDevice(sync.db)
        }
        await authClient.signOut()
        router.replace('/sign-in')
        router.refresh()
      }}
    >
      Sign out
    </Button>
  )
}
