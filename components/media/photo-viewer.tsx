'use client'

import { useEffect, useId, useRef, useState } from 'react'
import { useDevice, useDeviceStatus } from '@/components/sync/sync-provider'
import { Button } from '@/components/ui/button'
import { Notice, type NoticeMessage } from '@/components/ui/notice'
import type { EntryPhoto } from '@/db/queries/media'
import { photoErrorText } from './photo-error-text'
import { usePhotoImage } from './use-photo'

/** A photo's upload state in words, for the viewer and for screen readers; '' once uploaded. */
export function uploadText(photo: EntryPhoto, online: boolean): string {
  if (photo.failed) return `Not uploaded: ${photo.failed}`
  if (photo.uploading) return online ? 'Uploading to the server.' : 'Waiting for a connection to upload.'
  return ''
}

/**
 * One of an entry's photos, large, in a modal dialog (the browser's: focus stays inside, Escape
 * closes it): the thumbnail at once, the full image once it is loaded (sync/SPEC.md M10), and
 * what the user can do with it: move it earlier or later among the entry's photos, remove it.
 * `mediaId` null: closed. The photo is found by id in `photos`, so it stays open as it moves,
 * and closes when it is gone (removed here or on another device).
 */
export function PhotoViewer({
  entryId,
  label,
  photos,
  mediaId,
  onClose,
  onRemoved,
}: {
  entryId: string
  label: string
  photos: readonly EntryPhoto[]
  mediaId: string | null
  onClose: () => void
  /** After a removal here: the dialog gives focus back to the removed photo's thumbnail, which is going. */
  onRemoved?: (mediaId: string) => void
}) {
  const dialog = useRef<HTMLDialogElement>(null)
  const index = photos.findIndex((p) => p.mediaId === mediaId)
  const photo = index >= 0 ? photos[index]! : null
  const open = photo !== null

  useEffect(() => {
    const d = dialog.current
    if (!d) return
    if (open && !d.open) d.showModal()
    if (!open && d.open) d.close()
  }, [open])

  return (
    <dialog
      ref={dialog}
      aria-labelledby={`${entryId}-viewer-heading`}
      onClose={onClose}
      className="m-auto max-h-[calc(100dvh-1rem)] w-[min(100vw-1rem,40rem)] rounded-xl bg-white p-0 text-zinc-900 backdrop:bg-black/70 dark:bg-zinc-900 dark:text-zinc-100"
    >
      {photo ? (
        <ViewedPhoto
          key={photo.mediaId}
          entryId={entryId}
          label={label}
          photos={photos}
          index={index}
          onClose={onClose}
          onRemoved={onRemoved}
        />
      ) : null}
    </dialog>
  )
}

function ViewedPhoto({
  entryId,
  label,
  photos,
  index,
  onClose,
  onRemoved,
}: {
  entryId: string
  label: string
  photos: readonly EntryPhoto[]
  index: number
  onClose: () => void
  onRemoved?: (mediaId: string) => void
}) {
  const device = useDevice()
  const { online } = useDeviceStatus()
  const photo = photos[index]!
  const thumbnail = usePhotoImage(photo.thumbSha256 ?? photo.sha256, photo.uploaded)
  const full = usePhotoImage(photo.thumbSha256 ? photo.sha256 : null, photo.uploaded)
  const [busy, setBusy] = useState(false)
  const [message, setMessage] = useState<NoticeMessage>()
  const panel = useRef<HTMLDivElement>(null)

  // A photo moved to an end disables the button that moved it: focus goes to the other one,
  // not out of the dialog.
  useEffect(() => {
    const focused = document.activeElement
    if (focused !== document.body && !(focused instanceof HTMLButtonElement && focused.disabled)) return
    panel.current?.querySelector<HTMLButtonElement>(`[data-move="${index === 0 ? 'later' : 'earlier'}"]`)?.focus()
  }, [index])
  const headingId = `${entryId}-viewer-heading`
  const statusId = useId()
  const title = `Photo ${index + 1} of ${photos.length}, ${label}`

  const image = full.state === 'shown' ? full : thumbnail
  const fullText = !photo.thumbSha256
    ? ''
    : full.state === 'loading'
      ? 'Loading the full photo…'
      : full.state === 'absent'
        ? !online
          ? 'The full photo is not on this device yet; it loads when you are online.'
          : photo.uploaded
            ? 'The server did not send the full photo just now; this is its thumbnail, and it tries again.'
            : 'The full photo is not on the server yet; this is its thumbnail.'
        : full.state === 'error'
          ? `The full photo could not be read on this device: ${full.message}`
          : ''

  async function act(doing: string, action: () => Promise<void>) {
    if (!device) return
    setBusy(true)
    setMessage(undefined)
    try {
      await action()
    } catch (error) {
      setMessage({ ok: false, text: photoErrorText(error, doing) })
    } finally {
      setBusy(false)
    }
  }
  const move = (by: -1 | 1) =>
    act('move the photo', async () => {
      const ids = photos.map((p) => p.mediaId)
      const [moved] = ids.splice(index, 1)
      ids.splice(index + by, 0, moved!)
      await device!.photos.reorder(entryId, ids)
    })
  const remove = () => {
    if (!window.confirm(`Remove this photo from ${label}? It is deleted from every device.`)) return
    void act('remove the photo', async () => {
      await device!.photos.detach(entryId, photo.mediaId)
      onRemoved?.(photo.mediaId)
      onClose()
    })
  }

  return (
    <div ref={panel} className="flex flex-col gap-3 p-3">
      <div className="flex items-center justify-between gap-2">
        <h2 id={headingId} className="min-w-0 truncate text-base font-semibold">
          {title}
        </h2>
        <Button type="button" variant="ghost" onClick={onClose}>
          Close
        </Button>
      </div>
      <div
        className="flex aspect-[4/3] max-h-[60dvh] w-full items-center justify-center overflow-hidden rounded-lg bg-zinc-100 dark:bg-zinc-800"
        style={photo.width && photo.height ? { aspectRatio: `${photo.width} / ${photo.height}` } : undefined}
      >
        {image.state === 'shown' ? (
          // An object URL of the device's blob cache: next/image has nothing to optimise.
          // eslint-disable-next-line @next/next/no-img-element
          <img src={image.url} alt={title} aria-describedby={statusId} className="size-full object-contain" />
        ) : (
          <p className="p-4 text-center text-sm text-zinc-700 dark:text-zinc-300">
            {image.state === 'loading'
              ? 'Loading the photo…'
              : image.state === 'absent'
                ? !online
                  ? 'Not on this device yet. It loads when you are online.'
                  : photo.uploaded
                    ? 'The server did not send this photo just now; trying again.'
                    : 'Not on the server yet: the device that took it has not uploaded it.'
                : `This photo could not be read on this device: ${image.message}`}
          </p>
        )}
      </div>
      <div id={statusId} className="flex flex-col gap-1 text-sm text-zinc-700 dark:text-zinc-300" aria-live="polite">
        {fullText ? <p>{fullText}</p> : null}
        {uploadText(photo, online) ? (
          <p className={photo.failed ? 'text-red-700 dark:text-red-400' : undefined}>{uploadText(photo, online)}</p>
        ) : null}
      </div>
      <Notice message={message} />
      <div className="flex flex-wrap gap-2">
        <Button
          type="button"
          data-move="earlier"
          variant="secondary"
          className="disabled:opacity-50"
          disabled={busy || index === 0}
          onClick={() => void move(-1)}
        >
          Move earlier
        </Button>
        <Button
          type="button"
          data-move="later"
          variant="secondary"
          className="disabled:opacity-50"
          disabled={busy || index === photos.length - 1}
          onClick={() => void move(1)}
        >
          Move later
        </Button>
        <Button type="button" variant="ghost" className="ml-auto text-red-700! dark:text-red-400!" disabled={busy} onClick={remove}>
          Remove photo
        </Button>
      </div>
    </div>
  )
}
