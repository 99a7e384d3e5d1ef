/**
 * Why a mutation was refused. The same codes come from the device (optimistic run) and the
 * server (authoritative run), and travel in the server's reject records.
 */
export const mutationErrorCodes = [
  'invalid_args',
  'unknown_mutation',
  'not_found',
  'forbidden',
  'append_only',
  'in_use',
  'conflict',
] as const
export type MutationErrorCode = (typeof mutationErrorCodes)[number]

/** One problem with a mutation's arguments: where (a path into the arguments) and what. */
export type MutationIssue = { path: readonly (string | number)[]; message: string }

/** `attributes.2.name` → "Attributes 3 name": the path in words, with positions counted from 1. */
function pathWords(path: readonly (string | number)[]): string {
  const words = path
    .map((segment) => (typeof segment === 'number' ? String(segment + 1) : segment.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase()))
    .join(' ')
  return words.charAt(0).toUpperCase() + words.slice(1)
}

/**
 * An issue as a sentence for the person who made it: "Name must not be blank". A message of its
 * own (one that does not start lower-case, as zod's defaults) follows a colon instead.
 */
export function describeIssue(issue: MutationIssue): string {
  if (issue.path.length === 0) return issue.message.charAt(0).toUpperCase() + issue.message.slice(1)
  const label = pathWords(issue.path)
  return /^[a-z]/.test(issue.message) ? `${label} ${issue.message}` : `${label}: ${issue.message}`
}

/**
 * A refusal with a message a person can act on. Throwing it aborts the mutation's transaction.
 * A refusal of the arguments also carries each problem with its path, so a form shows it next to
 * its field; the message is then built from them.
 */
export class MutationError extends Error {
  constructor(
    readonly code: MutationErrorCode,
    message: string,
    readonly issues: readonly MutationIssue[] = [],
  ) {
    super(message)
    this.name = 'MutationError'
  }
}

/** How many issues a refusal names, and how long each may be (sync/SPEC.md A4). */
export const MAX_REFUSAL_ISSUES = 10
const MAX_ISSUE_CHARS = 300

const clip = (text: string, max: number) => (text.length <= max ? text : `${text.slice(0, max - 1)}…`)

/**
 * An `invalid_args` refusal for these issues, its message built from them. It names the first
 * {@link MAX_REFUSAL_ISSUES}, each clipped, and counts the rest: a refusal stays small whatever
 * the arguments (it is stored, and sent to every device of the user).
 */
export function invalidArgs(issues: readonly MutationIssue[]): MutationError {
  const named = issues
    .slice(0, MAX_REFUSAL_ISSUES)
    .map((issue) => ({ path: issue.path.slice(0, 16), message: clip(issue.message, MAX_ISSUE_CHARS) }))
  const sentences = named.map((issue) => clip(describeIssue(issue), MAX_ISSUE_CHARS))
  const rest = issues.length - named.length
  if (rest > 0) sentences.push(`And ${rest} more ${rest === 1 ? 'problem' : 'problems'}`)
  return new MutationError('invalid_args', sentences.join('. '), named)
}

export const notFound = (what: string) => new MutationError('not_found', `${what} was not found, or is not shared with you.`)
