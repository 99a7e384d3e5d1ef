import { MutationError, describeIssue } from '@/domain/errors'

/** A refusal laid out on a form: a message beside each field it names, the rest for a notice. */
export type PlacedErrors = { fields: Record<string, string>; rest: string | undefined }

/**
 * Places a mutation's refusal on a form whose fields are named by argument path (`name`,
 * `attribute.name`): each issue at one of `fieldNames` goes beside that field, in words
 * ("Name must not be blank"); what no field shows (another path, or a refusal without issues,
 * such as "not shared with you") is left for the form's notice.
 */
export function placeErrors(error: unknown, fieldNames: readonly string[]): PlacedErrors {
  if (!(error instanceof MutationError)) return { fields: {}, rest: 'Could not save on this device.' }
  if (error.issues.length === 0) return { fields: {}, rest: error.message }
  const fields: Record<string, string> = {}
  const rest: string[] = []
  for (const issue of error.issues) {
    const name = issue.path.join('.')
    if (fieldNames.includes(name)) fields[name] ??= describeIssue(issue)
    else rest.push(describeIssue(issue))
  }
  return { fields, rest: rest.length > 0 ? rest.join('. ') : undefined }
}
