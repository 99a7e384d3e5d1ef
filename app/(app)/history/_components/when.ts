/**
 * An entry's date and time in a `datetime-local` field: the field's text is the device's local
 * time ("2026-12-03T07:05"), the entry stores an instant.
 */

/** An instant as a `datetime-local` field's text, in the device's time zone, to the minute. */
export function whenText(at: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}T${pad(at.getHours())}:${pad(at.getMinutes())}`
}

/** How far ahead of now a time may be: a day, for a device whose clock or zone is a little off. */
const AHEAD_MS = 24 * 60 * 60 * 1000
const EARLIEST = new Date(1900, 0, 1)

/**
 * A `datetime-local` field's text → the instant it means, or an Error saying in words what is
 * wrong: empty or unreadable, before 1900, or more than a day after `now`.
 */
export function parseWhen(text: string, now: Date): Date | Error {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(text.trim())
  if (!match) return new Error('Enter a date and a time, such as 3 December 2026, 07:30.')
  const [year, month, day, hour, minute, second] = match.slice(1).map((p) => Number(p ?? 0)) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ]
  const at = new Date(year, month - 1, day, hour, minute, second)
  if (at.getFullYear() !== year || at.getMonth() !== month - 1 || at.getDate() !== day || hour > 23 || minute > 59) {
    return new Error('That date does not exist: check the day and the month.')
  }
  if (at < EARLIEST) return new Error('Enter a date from 1900 on.')
  if (at.getTime() > now.getTime() + AHEAD_MS) return new Error('That is in the future: enter when it was done.')
  return at
}
