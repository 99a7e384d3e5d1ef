'use client'

import { useEffect, useState } from 'react'
import { Button } from './ui/button'

/**
 * Registers the service worker (production builds only) and, when a new version has been
 * deployed and installed, offers to switch to it: the waiting worker takes over and the page
 * reloads once, in every tab. Only a switch between versions reloads: the first worker also
 * takes control of the page (it claims its clients), and reloading then would wipe whatever the
 * user was typing on a page that runs the current code anyway.
 */
export function ServiceWorker() {
  const [waiting, setWaiting] = useState<ServiceWorker | null>(null)
  useEffect(() => {
    if (process.env.NODE_ENV !== 'production' || !('serviceWorker' in navigator)) return
    let controller = navigator.serviceWorker.controller
    let reloading = false
    const onControllerChange = () => {
      const previous = controller
      controller = navigator.serviceWorker.controller
      if (reloading || previous === null) return
      reloading = true
      window.location.reload()
    }
    void navigator.serviceWorker.register('/sw.js').then((registration) => {
      const offer = () => {
        if (registration.waiting && navigator.serviceWorker.controller) setWaiting(registration.waiting)
      }
      offer()
      registration.addEventListener('updatefound', () => {
        registration.installing?.addEventListener('statechange', offer)
      })
      navigator.serviceWorker.addEventListener('controllerchange', onControllerChange)
    })
    return () => navigator.serviceWorker.removeEventListener('controllerchange', onControllerChange)
  }, [])
  if (!waiting) return null
  return (
    <div
      role="alert"
      className="fixed inset-x-4 bottom-[calc(var(--tab-bar-height,0px)+1rem)] z-50 mx-auto flex max-w-md items-center justify-between gap-3 rounded-xl bg-zinc-900 px-4 py-3 text-sm text-white shadow-lg dark:bg-zinc-100 dark:text-zinc-900"
    >
      <span>A new version of Cadence is ready.</span>
      {/* Serwist's worker (pwa/sw.ts) takes over when it hears this. */}
      <Button variant="secondary" onClick={() => waiting.postMessage({ type: 'SKIP_WAITING' })}>
        Update
      </Button>
    </div>
  )
}
