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

/** A refusal with a message a person can act on. Throwing it aborts the mutation's transaction. */
export class MutationError extends Error {
  constructor(
    readonly code: MutationErrorCode,
    message: string,
  ) {
    super(message)
    this.name = 'MutationError'
  }
}

export const notFound = (what: string) => new MutationError('not_found', `${what} was not found, or is not shared with you.`)
