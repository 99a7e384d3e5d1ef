'use client'

import { useEffect, useRef, useState } from 'react'
import { useDevice, useDeviceStatus } from '@/components/sync/sync-provider'

/**
 * A blob of a photo as a page can show it: loading, shown (an object URL of this component's),
 * absent (not cached on this device and not to be had now: offline, or not yet on the server),
 * or failed to read.
 */
export type PhotoImage = { state: 'loading' } | { state: 'shown'; url: string } | { state: 'absent' } | { state: 'error'; message: string }

const loading: PhotoImage = { state: 'loading' }

/**
 * The blob `sha256` (null: none wanted, e.g. the full image before the viewer opens) as an
 * object URL, fetched only when a page shows it (sync/SPEC.md M10) through the device's blob
 * cache. A blob not to be had is tried again when the device comes online or `retryKey`
 * changes (the photo's upload finished, say), and, while online, after a wait that doubles from
 * 5 s to a minute (a busy server, a download that timed out). The URL is revoked when the hash
 * changes or the component goes.
 */
export function usePhotoImage(sha256: string | null, retryKey: unknown = null): PhotoImage {
  const device = useDevice()
  const { online } = useDeviceStatus()
  const [result, setResult] = useState<{ sha256: string; image: PhotoImage; attempt: number } | null>(null)
  const [attempt, setAttempt] = useState({ sha256, n: 0 })
  const shown = useRef<{ sha256: string; url: string } | null>(null)
  const tries = attempt.sha256 === sha256 ? attempt.n : 0

  useEffect(() => {
    if (!device || !sha256 || shown.current?.sha256 === sha256) return
    let cancelled = false
    device.photos.load(sha256).then(
      (blob: Blob | null) => {
        if (cancelled) return
        if (!blob) return setResult({ sha256, image: { state: 'absent' }, attempt: tries })
        const url = URL.createObjectURL(blob)
        shown.current = { sha256, url }
        setResult({ sha256, image: { state: 'shown', url }, attempt: tries })
      },
      (error: unknown) => {
        if (cancelled) return
        setResult({ sha256, image: { state: 'error', message: error instanceof Error ? error.message : String(error) }, attempt: tries })
      },
    )
    return () => {
      cancelled = true
    }
  }, [device, sha256, online, retryKey, tries])

  // Absent while online: once more later, the wait doubling, until it is shown.
  const absentAt = result?.sha256 === sha256 && result.image.state === 'absent' ? result.attempt : null
  useEffect(() => {
    if (absentAt === null || !online || !sha256) return
    const timer = setTimeout(() => setAttempt({ sha256, n: absentAt + 1 }), Math.min(60_000, 5_000 * 2 ** absentAt))
    return () => clearTimeout(timer)
  }, [absentAt, online, sha256])

  // React runs every cleanup of a render before any effect of it, so on a new hash the old URL
  // is revoked and forgotten before the loader looks for one of the new hash.
  useEffect(
    () => () => {
      if (shown.current) URL.revokeObjectURL(shown.current.url)
      shown.current = null
    },
    [sha256],
  )

  if (!sha256) return loading
  return result?.sha256 === sha256 ? result.image : loading
}
