/**
 * Rest between sets: the seconds the workout screen's timer starts after a set. Each activity
 * may store its own (`activities.rest_seconds`); null there is {@link DEFAULT_REST_SECONDS}.
 * The bounds are the schema's check (`activities_rest_seconds_range`) and the mutation's.
 */
import { clockProblem } from './bounds'
import { formatDuration, parseDuration } from './units'

/** The rest an activity without one of its own gets. */
export const DEFAULT_REST_SECONDS = 90
/** The longest rest an activity may store: an hour. */
export const MAX_REST_SECONDS = 3600

/** The rest after a set of this activity: its own, else the default. */
export function restSecondsOf(activity: { restSeconds: number | null } | undefined): number {
  return activity?.restSeconds ?? DEFAULT_REST_SECONDS
}

/** A stored rest as a field shows it: "2:00", or empty for the default. */
export function restText(restSeconds: number | null): string {
  return restSeconds === null ? '' : formatDuration(restSeconds)
}

/**
 * What a rest field holds, as the mutation takes it: empty is null (the default), "1:30" or "90"
 * are seconds. Not a time at all, or one with 60 or more minutes or seconds after its first
 * part ("99:99"), is an Error in words; a time out of bounds or with a fraction of a second is
 * left to the mutation, so the bounds are stated once.
 */
export function parseRestText(text: string): number | null | Error {
  const trimmed = text.trim()
  if (trimmed === '') return null
  const seconds = parseDuration(trimmed)
  if (seconds === null) {
    return new Error(`Rest must be a time such as 2:00 (m:ss), or empty for the default of ${formatDuration(DEFAULT_REST_SECONDS)}`)
  }
  const clock = clockProblem('Rest', trimmed)
  return clock ? new Error(clock) : seconds
}
