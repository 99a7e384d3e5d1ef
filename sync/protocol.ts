/**
 * The sync wire contract: every request and response body, as zod schemas with their types.
 * Both ends parse what they receive with these. Changing any schema changes the hash pinned in
 * `protocol.test.ts`, which forces a decision on {@link PROTOCOL_VERSION}. Rules: sync/SPEC.md.
 */
import { z } from 'zod'
import { mutationErrorCodes } from '@/domain/errors'

export const PROTOCOL_VERSION = 1

/** Most mutations one push may carry, and most bytes one request body may have. */
export const MAX_PUSH_MUTATIONS = 500
export const MAX_BODY_BYTES = 1_000_000
export const MAX_PULL_LIMIT = 10_000
export const MAX_WAIT_MS = 60_000

export const deviceIdSchema = z.uuid('must be a UUID')
/** A commit sequence number: every change of every transaction up to it (SPEC R3). */
export const offsetSchema = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER)

export const mutationSchema = z.object({
  id: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
  name: z.string().min(1).max(64),
  args: z.unknown(),
})
export type Mutation = z.infer<typeof mutationSchema>

export const pushRequestSchema = z.object({
  protocolVersion: z.literal(PROTOCOL_VERSION),
  deviceId: deviceIdSchema,
  deviceName: z.string().max(200).optional(),
  mutations: z.array(mutationSchema).min(1).max(MAX_PUSH_MUTATIONS),
})
export type PushRequest = z.infer<typeof pushRequestSchema>

export const mutationResultSchema = z.discriminatedUnion('status', [
  z.object({ id: z.number().int(), status: z.literal('applied'), seq: offsetSchema }),
  z.object({ id: z.number().int(), status: z.literal('rejected'), code: z.enum(mutationErrorCodes), message: z.string() }),
])
export type MutationResult = z.infer<typeof mutationResultSchema>

/** `pushed`: every mutation settled. `gap`: settled up to a gap; resend from `expected` (SPEC P2). */
export const pushResponseSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('pushed'), results: z.array(mutationResultSchema), horizon: offsetSchema }),
  z.object({ type: z.literal('gap'), results: z.array(mutationResultSchema), expected: z.number().int().min(1), horizon: offsetSchema }),
])
export type PushResponse = z.infer<typeof pushResponseSchema>

export const changeKinds = ['insert', 'update', 'delete', 'scope_added', 'scope_removed'] as const
export const changeSchema = z.object({
  seq: offsetSchema,
  op: z.number().int().min(0),
  scope: z.string(),
  table: z.string(),
  kind: z.enum(changeKinds),
  key: z.record(z.string(), z.unknown()),
  row: z.record(z.string(), z.unknown()).nullable(),
})
export type Change = z.infer<typeof changeSchema>

export const pullRequestSchema = z.object({
  v: z.coerce.number().pipe(z.literal(PROTOCOL_VERSION)),
  deviceId: deviceIdSchema,
  offset: z.coerce.number().pipe(offsetSchema),
  limit: z.coerce.number().pipe(z.number().int().min(1).max(MAX_PULL_LIMIT)).default(1000),
  waitMs: z.coerce.number().pipe(z.number().int().min(0).max(MAX_WAIT_MS)).default(0),
})
export type PullRequest = z.infer<typeof pullRequestSchema>

export const pullResponseSchema = z.object({
  type: z.literal('changes'),
  changes: z.array(changeSchema),
  /** Store this after applying `changes` (SPEC R3). */
  offset: offsetSchema,
  head: offsetSchema,
  upToDate: z.boolean(),
  horizon: offsetSchema,
})
export type PullResponse = z.infer<typeof pullResponseSchema>

/** HTTP 409: the offset is below the retention horizon (SPEC C2). */
export const mustRefetchSchema = z.object({
  type: z.literal('must-refetch'),
  offset: offsetSchema,
  horizon: offsetSchema,
  message: z.string(),
})
export type MustRefetch = z.infer<typeof mustRefetchSchema>

export const snapshotRequestSchema = z.object({
  v: z.coerce.number().pipe(z.literal(PROTOCOL_VERSION)),
  deviceId: deviceIdSchema,
})

/** One line of the NDJSON snapshot stream (SPEC N1, N2). */
export const snapshotLineSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('snapshot-begin'),
    protocolVersion: z.literal(PROTOCOL_VERSION),
    offset: offsetSchema,
    horizon: offsetSchema,
    scopes: z.array(z.string()),
    /** Rows the snapshot will hold, for a progress bar (optional: older servers omit it). */
    rows: z.number().int().min(0).optional(),
  }),
  z.object({ type: z.literal('rows'), table: z.string(), rows: z.array(z.record(z.string(), z.unknown())) }),
  z.object({ type: z.literal('snapshot-end'), offset: offsetSchema, rowCount: z.number().int().min(0) }),
])
export type SnapshotLine = z.infer<typeof snapshotLineSchema>

export const errorResponseSchema = z.object({
  type: z.literal('error'),
  message: z.string(),
  issues: z.array(z.string()).optional(),
})
export type ErrorResponse = z.infer<typeof errorResponseSchema>

/** Every schema of the contract, for the version pin. */
export const protocolSchemas = {
  pushRequestSchema,
  pushResponseSchema,
  pullRequestSchema,
  pullResponseSchema,
  mustRefetchSchema,
  snapshotRequestSchema,
  snapshotLineSchema,
  errorResponseSchema,
}
