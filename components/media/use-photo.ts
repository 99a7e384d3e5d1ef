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
 * changes (the photo's upload finished, say). The URL is revoked when the hash changes or the
 * component goes.
 */
export function usePhotoImage(sha256: string | null, retryKey: unknown = null): PhotoImage {
  const device = useDevice()
  const { online } = useDeviceStatus()
  const [result, setResult] = useState<{ sha256: string; image: PhotoImage } | null>(null)
  const shown = useRef<{ sha256: string; url: string } | null>(null)

  useEffect(() => {
    if (!device || !sha256 || shown.current?.sha256 === sha256) return
    let cancelled = false
    device.photos.load(sha256).then(
      (blob: Blob | null) => {
        if (cancelled) return
        if (!blob) return setResult({ sha256, image: { state: 'absent' } })
        const url = URL.createObjectURL(blob)
        shown.current = { sha256, url }
        setResult({ sha256, image: { state: 'shown', url } })
      },
      (error: unknown) => {
        if (cancelled) return
        setResult({ sha256, image: { state: 'error', message: error instanceof Error ? error.message : String(error) } })
      },
    )
    return () => {
      cancelled = true
    }
  }, [device, sha256, online, retryKey])

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
