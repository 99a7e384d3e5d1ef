import { z } from 'zod'
import type { Tx } from '@/db/types'
import { invalidArgs } from '../errors'

/**
 * What a mutation runs with. The same function runs on the device (optimistically, device clock)
 * and on the server (authoritatively, server time); `runtime` is for the rare server-only step,
 * such as resolving an email address to a user the device cannot see.
 */
export type MutationContext = {
  tx: Tx
  userId: string
  now: Date
  runtime: 'device' | 'server'
}

/** A mutation: its name, its argument schema (`Input` is what callers send) and its effect. */
export type Mutator<Args = unknown, Input = Args> = {
  name: string
  args: z.ZodType<Args, Input>
  run(ctx: MutationContext, args: Args): Promise<void>
}

export function defineMutator<S extends z.ZodType>(
  name: string,
  args: S,
  run: (ctx: MutationContext, args: z.output<S>) => Promise<void>,
): Mutator<z.output<S>, z.input<S>> {
  return { name, args: args as z.ZodType<z.output<S>, z.input<S>>, run }
}

/**
 * Text PostgreSQL can store and give back unchanged: no NUL characters (refused by the database)
 * and no lone surrogates (silently replaced on the way in).
 */
export function isStorableText(value: string): boolean {
  return !value.includes('\u0000') && value.isWellFormed()
}
export const storableTextMessage = 'must not contain NUL characters or broken Unicode'

/** A string schema that refuses text the database would refuse or alter. */
export const textSchema = () => z.string().refine(isStorableText, storableTextMessage)

// Shared argument pieces.
export const idSchema = z.uuid('must be a UUID')
export const nameSchema = textSchema().trim().min(1, 'must not be blank').max(200, 'must be at most 200 characters')
export const descriptionSchema = textSchema().max(5000, 'must be at most 5000 characters')
export const instantSchema = z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date and time' })

/** "name: must not be blank; attributes.2.type: …" — every problem, each with its path. */
export function describeIssues(error: z.ZodError): string {
  return error.issues.map((i) => (i.path.length > 0 ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; ')
}

/**
 * Parses a mutation's arguments; problems become an `invalid_args` refusal that carries each with
 * its path ("Name must not be blank").
 */
export function parseArgs<A>(mutator: Mutator<A, unknown>, raw: unknown): A {
  const parsed = mutator.args.safeParse(raw)
  if (!parsed.success) {
    // zod paths may hold symbols (never for JSON arguments); a form field is named by strings.
    throw invalidArgs(
      parsed.error.issues.map((i) => ({ path: i.path.map((p) => (typeof p === 'symbol' ? String(p) : p)), message: i.message })),
    )
  }
  return parsed.data
}
