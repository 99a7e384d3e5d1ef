import { placeErrors } from '@/components/sync/field-errors'
import { MutationError } from '@/domain/errors'
import { PhotoError } from '@/media/prepare'

/**
 * What went wrong with a photo, in words: a photo that could not be prepared says why (its
 * message is written for the user), a refused mutation gives its reason, anything else (the
 * device's storage, say) is named as this device's failure with the browser's own words.
 */
export function photoErrorText(error: unknown, doing: string): string {
  if (error instanceof PhotoError) return error.message
  if (error instanceof MutationError) return placeErrors(error, []).rest ?? error.message
  const detail = error instanceof Error && error.message ? ` (${error.message.replace(/\.$/, '')})` : ''
  return `This device could not ${doing}${detail}. Try again; if it keeps failing, free some storage space.`
}
