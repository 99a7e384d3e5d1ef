import { z } from 'zod'
import type { Tx } from '@/db/types'
import { invalidArgs, MAX_REFUSAL_ISSUES, MutationError } from '../errors'

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

/**
 * "name: must not be blank; attributes.2.type: …" — the first problems, each with its path, and
 * how many more (a request's answer stays small whatever it sent: sync/SPEC.md A4).
 */
export function describeIssues(error: z.ZodError): string {
  const named = error.issues
    .slice(0, MAX_REFUSAL_ISSUES)
    .map((i) => (i.path.length > 0 ? `${i.path.slice(0, 16).join('.')}: ${i.message}` : i.message).slice(0, 300))
  const rest = error.issues.length - named.length
  return [...named, ...(rest > 0 ? [`and ${rest} more`] : [])].join('; ')
}

/** How deep and how large a mutation's arguments may be, checked before any schema (A4). */
export const MAX_ARGS_DEPTH = 40
export const MAX_ARGS_NODES = 50_000

/**
 * Refuses arguments nested deeper than {@link MAX_ARGS_DEPTH}, larger than
 * {@link MAX_ARGS_NODES} values, or holding text the database cannot store (in a value or a
 * key), walking them without recursion: the schemas recurse, and a tree 1,000 levels deep would
 * overflow the stack, or make a refusal whose every issue repeats a path as long as the tree.
 */
export function checkArgsShape(raw: unknown): void {
  const stack: { value: unknown; depth: number; path: (string | number)[] }[] = [{ value: raw, depth: 1, path: [] }]
  let nodes = 0
  while (stack.length > 0) {
    const { value, depth, path } = stack.pop()!
    if (++nodes > MAX_ARGS_NODES) {
      throw new MutationError('invalid_args', `The arguments hold more than ${MAX_ARGS_NODES} values.`)
    }
    if (typeof value === 'string') {
      if (!isStorableText(value)) throw invalidArgs([{ path, message: storableTextMessage }])
      continue
    }
    if (typeof value !== 'object' || value === null) continue
    if (depth > MAX_ARGS_DEPTH) throw new MutationError('invalid_args', `The arguments are nested more than ${MAX_ARGS_DEPTH} levels deep.`)
    const children = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value)
    for (const [key, child] of children) {
      if (typeof key === 'string' && !isStorableText(key)) throw invalidArgs([{ path, message: `has a key that ${storableTextMessage}` }])
      // The path is kept short: it only names where a refused string is.
      stack.push({ value: child, depth: depth + 1, path: path.length < 16 ? [...path, key] : path })
    }
  }
}

/**
 * Parses a mutation's arguments; problems become an `invalid_args` refusal that carries each with
 * its path ("Name must not be blank").
 */
export function parseArgs<A>(mutator: Mutator<A, unknown>, raw: unknown): A {
  checkArgsShape(raw)
  const parsed = mutator.args.safeParse(raw)
  if (!parsed.success) {
    // zod paths may hold symbols (never for JSON arguments); a form field is named by strings.
    throw invalidArgs(
      parsed.error.issues.map((i) => ({ path: i.path.map((p) => (typeof p === 'symbol' ? String(p) : p)), message: i.message })),
    )
  }
  return parsed.data
}
