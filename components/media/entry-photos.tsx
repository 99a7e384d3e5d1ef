'use client'

import { useEffect, useId, useRef, useState } from 'react'
import { useDevice, useDeviceStatus } from '@/components/sync/sync-provider'
import { useLocalQuery } from '@/components/sync/use-local-query'
import { Button } from '@/components/ui/button'
import { Notice, type NoticeMessage } from '@/components/ui/notice'
import { keepsPhotoLocation, photosOfEntries, type EntryPhoto } from '@/db/queries/media'
import { MAX_PHOTOS_PER_ENTRY } from '@/domain/media'
import { preparePhoto } from '@/media/prepare'
import { photoErrorText } from './photo-error-text'
import { PhotoViewer, uploadText } from './photo-viewer'
import { usePhotoImage } from './use-photo'
import { useRereadOnUploads } from './use-reread-on-uploads'

const muted = 'text-zinc-600 dark:text-zinc-400'

/**
 * The photos of one entry (a workout, a set, a bodyweight entry), read from the device, with a
 * way to add more; see {@link PhotoStrip}. `label` names the entry in words ("Leg day",
 * "Squat set 2").
 */
export function EntryPhotos({ entryId, label, adding = true }: { entryId: string; label: string; adding?: boolean }) {
  const photos = useLocalQuery(
    ['entry-photos', entryId],
    async (db, userId) => (await photosOfEntries(db, userId, [entryId])).get(entryId) ?? [],
  )
  // A refused upload shows without a reload.
  useRereadOnUploads(['entry-photos', entryId])
  if (photos.error)
    return (
      <p role="alert">
        The photos of {label} could not be read from this device: {photos.error.message}
      </p>
    )
  return <PhotoStrip entryId={entryId} label={label} photos={photos.data ?? []} adding={adding} />
}

/**
 * An entry's photos as a row of square thumbnails in their order, each saying whether it is
 * still uploading (or waiting for a connection) or was refused, and opening the viewer when
 * tapped; with `adding`, an "Add photo" tile offering the camera or the photo library. Works
 * offline: a photo is prepared and kept on the device, and uploads when it can (M6, M7).
 * Without `adding` and without photos it shows nothing.
 */
export function PhotoStrip({
  entryId,
  label,
  photos,
  adding = true,
}: {
  entryId: string
  label: string
  photos: readonly EntryPhoto[]
  adding?: boolean
}) {
  const { online } = useDeviceStatus()
  const [viewing, setViewing] = useState<string | null>(null)
  const removed = useRef<{ mediaId: string; index: number } | null>(null)
  const strip = useRef<HTMLElement>(null)
  // A photo removed in the viewer: once it has left the list, focus goes to the photo now in its
  // place (or the last, or the strip) rather than to the page, with its thumbnail.
  useEffect(() => {
    const gone = removed.current
    if (!gone || photos.some((p) => p.mediaId === gone.mediaId)) return
    removed.current = null
    const thumbnails = strip.current?.querySelectorAll<HTMLButtonElement>('li button')
    const next = thumbnails?.[Math.min(gone.index, thumbnails.length - 1)]
    ;(next ?? strip.current)?.focus()
  }, [photos])
  if (photos.length === 0 && !adding) return null
  const refused = photos.flatMap((p, i) => (p.failed ? [{ p, i }] : []))
  return (
    <section ref={strip} tabIndex={-1} aria-label={`Photos of ${label}`} className="flex flex-col gap-2 outline-none">
      {photos.length > 0 ? (
        <ul className="flex flex-wrap gap-2">
          {photos.map((photo, i) => (
            <li key={photo.mediaId}>
              <Thumbnail
                photo={photo}
                name={`Photo ${i + 1} of ${photos.length}, ${label}`}
                online={online}
                onOpen={() => setViewing(photo.mediaId)}
              />
            </li>
          ))}
        </ul>
      ) : null}
      {refused.map(({ p, i }) => (
        <p key={p.mediaId} className="text-sm text-red-700 dark:text-red-400">
          Photo {i + 1} was not uploaded: {p.failed}
        </p>
      ))}
      {adding ? <AddPhotos entryId={entryId} label={label} count={photos.length} /> : null}
      <PhotoViewer
        entryId={entryId}
        label={label}
        photos={photos}
        mediaId={viewing}
        onClose={() => setViewing(null)}
        onRemoved={(mediaId) => (removed.current = { mediaId, index: photos.findIndex((p) => p.mediaId === mediaId) })}
      />
    </section>
  )
}

const tile = 'relative flex size-20 items-center justify-center overflow-hidden rounded-lg border border-zinc-300 dark:border-zinc-700'

function Thumbnail({ photo, name, online, onOpen }: { photo: EntryPhoto; name: string; online: boolean; onOpen: () => void }) {
  const image = usePhotoImage(photo.thumbSha256 ?? photo.sha256, photo.uploaded)
  const state = uploadText(photo, online)
  const badge = photo.failed ? 'Not uploaded' : photo.uploading ? (online ? 'Uploading' : 'Waiting for connection') : null
  return (
    <button
      type="button"
      aria-label={`${name}. ${state}`.trim()}
      onClick={onOpen}
      className={`${tile} bg-zinc-100 hover:opacity-90 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-accent dark:bg-zinc-800`}
    >
      {image.state === 'shown' ? (
        // An object URL of the device's blob cache: next/image has nothing to optimise.
        // eslint-disable-next-line @next/next/no-img-element
        <img src={image.url} alt="" className="size-full object-cover" />
      ) : (
        <span className={`px-1 text-center text-[11px] leading-tight ${muted}`} aria-hidden="true">
          {image.state === 'loading' ? 'Loading…' : image.state === 'absent' ? 'Not on this device yet' : 'Could not be read'}
        </span>
      )}
      {badge ? (
        <span
          aria-hidden="true"
          className={`absolute inset-x-0 bottom-0 px-0.5 py-0.5 text-center text-[11px] leading-tight font-medium text-white ${
            photo.failed ? 'bg-red-700' : 'bg-zinc-900/80'
          }`}
        >
          {badge}
        </span>
      ) : null}
    </button>
  )
}

/**
 * "Add photo": the camera ("Take photo", one picture) or the photo library ("Choose photos",
 * several). Each file is prepared on the device (resized, compressed, location removed unless
 * the user keeps it) and attached; progress and every refusal are said in words.
 */
function AddPhotos({ entryId, label, count }: { entryId: string; label: string; count: number }) {
  const device = useDevice()
  const [choosing, setChoosing] = useState(false)
  const [progress, setProgress] = useState<string | null>(null)
  const [message, setMessage] = useState<NoticeMessage>()
  const camera = useRef<HTMLInputElement>(null)
  const library = useRef<HTMLInputElement>(null)
  const choicesId = useId()
  const full = count >= MAX_PHOTOS_PER_ENTRY

  async function add(input: HTMLInputElement) {
    const files = [...(input.files ?? [])]
    input.value = ''
    if (!device || files.length === 0) return
    setChoosing(false)
    setMessage(undefined)
    const problems: string[] = []
    let added = 0
    try {
      const keepLocation = await device.query(keepsPhotoLocation)
      for (const [i, file] of files.entries()) {
        const which = files.length > 1 ? ` ${i + 1} of ${files.length}` : ''
        try {
          setProgress(`Preparing photo${which}…`)
          const prepared = await preparePhoto(file, { keepLocation })
          setProgress(`Saving photo${which}…`)
          await device.photos.attach(entryId, prepared)
          added += 1
        } catch (error) {
          const text = photoErrorText(error, 'save the photo')
          problems.push(files.length > 1 ? `Photo${which} (${file.name}): ${text}` : text)
        }
      }
    } catch (error) {
      problems.push(photoErrorText(error, 'read your photo settings'))
    } finally {
      setProgress(null)
    }
    if (problems.length > 0) setMessage({ ok: false, text: problems.join(' ') })
    else setMessage({ ok: true, text: added === 1 ? `Photo added to ${label}.` : `${added} photos added to ${label}.` })
  }

  return (
    <div className="flex flex-col gap-2">
      <div>
        <Button
          type="button"
          variant="secondary"
          aria-expanded={choosing}
          aria-controls={choicesId}
          disabled={progress !== null || full || !device}
          onClick={() => setChoosing(!choosing)}
        >
          <span aria-hidden="true" className="mr-1 text-lg leading-none">
            +
          </span>
          Add photo<span className="sr-only"> to {label}</span>
        </Button>
      </div>
      <div id={choicesId} hidden={!choosing} className="flex flex-wrap gap-2">
        <Button type="button" variant="secondary" onClick={() => camera.current?.click()}>
          Take photo
        </Button>
        <Button type="button" variant="secondary" onClick={() => library.current?.click()}>
          Choose photos
        </Button>
      </div>
      <input
        ref={camera}
        type="file"
        accept="image/*"
        capture="environment"
        hidden
        aria-label={`Take a photo for ${label}`}
        onChange={(e) => void add(e.currentTarget)}
      />
      <input
        ref={library}
        type="file"
        accept="image/*"
        multiple
        hidden
        aria-label={`Choose photos for ${label}`}
        onChange={(e) => void add(e.currentTarget)}
      />
      {full ? (
        <p className={`text-sm ${muted}`}>
          {label} has the most photos an entry can hold ({MAX_PHOTOS_PER_ENTRY}).
        </p>
      ) : null}
      {progress ? (
        <p role="status" className={`text-sm ${muted}`}>
          {progress}
        </p>
      ) : null}
      <Notice message={message} />
    </div>
  )
}
