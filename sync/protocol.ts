/**
 * The sync wire contract: every path, query parameter, header, status, scope name and body the
 * wire carries, as constants and zod schemas with their types. Both ends build and parse what
 * they send and receive with these. Changing any of it changes the hash of
 * {@link protocolContract} pinned in `protocol.test.ts`, which forces a decision on
 * {@link PROTOCOL_VERSION}. Rules: sync/SPEC.md.
 */
import { z } from 'zod'
import { changeOps, mutationStatuses } from '@/db/schema/sync'
import { syncScopeKinds } from '@/db/schema/sync-scope'
import { mutationErrorCodes } from '@/domain/errors'
import { MAX_MEDIA_BYTES } from '@/domain/media'

/**
 * The protocol this code speaks, as a device and as a server. 2: a push may be answered
 * `reregister` (SPEC B15), and a mutation may be sent `withheld` (B5). 3: a push carries
 * `outboxStart` (P2). 4: photos (the media endpoints, M8, M9, and their mutations, M5). 5: storage
 * windows (W1-W6): pull answers and snapshots carry the window in force, and the history endpoint.
 */
export const PROTOCOL_VERSION = 5
/** The first version whose devices the server sends a storage window to (SPEC W2). */
export const WINDOW_PROTOCOL = 5
/**
 * The oldest device protocol a server still answers (SPEC V1): a server serves every version
 * from this one to {@link PROTOCOL_VERSION}, and answers any other with 426 and
 * {@link unsupportedVersionSchema}.
 */
export const MIN_PROTOCOL_VERSION = 1
export const protocolVersionSchema = z.number().int().min(MIN_PROTOCOL_VERSION).max(PROTOCOL_VERSION)

/** Most mutations one push may carry, and most bytes one request body may have. */
export const MAX_PUSH_MUTATIONS = 500
export const MAX_BODY_BYTES = 1_000_000
export const MAX_PULL_LIMIT = 10_000
export const MAX_WAIT_MS = 60_000

/** Where each endpoint is served; `app/api/sync/<endpoint>/route.ts` serves each. */
export const syncPaths = {
  push: '/api/sync/push',
  pull: '/api/sync/pull',
  snapshot: '/api/sync/snapshot',
  history: '/api/sync/history',
} as const
export type SyncEndpoint = keyof typeof syncPaths

/** The endpoint a URL (absolute, or relative to the app's origin) names, if any. */
export function endpointOf(url: string): SyncEndpoint | undefined {
  const path = new URL(url, 'http://origin.invalid').pathname
  return (Object.keys(syncPaths) as SyncEndpoint[]).find((endpoint) => syncPaths[endpoint] === path)
}

/**
 * A photo blob's address (SPEC M8, M9): `PUT` stores its bytes, `GET` (and `HEAD`) reads them.
 * The hash is the whole name, so an address never changes what it holds.
 */
export const mediaPathPrefix = '/api/media/'
export const mediaPath = (sha256: string) => `${mediaPathPrefix}${sha256}`

/**
 * What a `PUT` of a blob answers, besides an error: `stored` (201), the bytes sent were checked
 * and are held for the caller (whether another account had sent them before is not said);
 * `held` (200), the caller had uploaded them before, and the body was not read. Either way every
 * photo of the caller's that names the hash is marked uploaded once both of its blobs are held.
 */
export const mediaPutResponseSchema = z.object({
  type: z.literal('media-put'),
  sha256: z.string(),
  result: z.enum(['stored', 'held']),
})
export type MediaPutResponse = z.infer<typeof mediaPutResponseSchema>

/** Headers of the protocol's own. `horizon`: the retention horizon, on pull and push answers (C3). */
export const syncHeaders = { horizon: 'cadence-horizon' } as const
export const contentTypes = { json: 'application/json', ndjson: 'application/x-ndjson' } as const
/** Statuses with a meaning of their own beyond 2xx / 4xx / 5xx (C2, V1). */
export const syncStatuses = { mustRefetch: 409, unsupportedVersion: 426 } as const

export const deviceIdSchema = z.uuid('must be a UUID')
/** A commit sequence number: every change of every transaction up to it (SPEC R3). */
export const offsetSchema = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER)
const mutationIdSchema = z.number().int().min(1).max(Number.MAX_SAFE_INTEGER)
/** A SHA-256 digest in hex: of a mutation, by {@link mutationDigest}. */
export const digestSchema = z.string().regex(/^[0-9a-f]{64}$/, 'must be a SHA-256 digest in hex')

/**
 * A permission scope as the change log names it: `user:<id>`, `library:<id>`, `device:<id>`
 * (SPEC Vocabulary). The kinds are those of the synced tables (`db/schema`; a test keeps them so).
 */
export const scopeKinds = syncScopeKinds
export type ScopeKind = (typeof scopeKinds)[number]
export const scopeSchema = z.templateLiteral([z.enum(scopeKinds), ':', z.guid()])
export type Scope = z.infer<typeof scopeSchema>

/** The name of a scope, as the change log writes it. */
export function scopeName(kind: ScopeKind, id: string): Scope {
  return `${kind}:${id}`
}

/**
 * A mutation's name is an identifier (`createTag`): anything else is malformed, never stored
 * (sync/SPEC.md A4; a NUL in it used to fail the insert of its result, a 500 for ever).
 */
export const mutationNameSchema = z
  .string()
  .max(64)
  .regex(/^[A-Za-z][A-Za-z0-9_]*$/, 'must be a mutation name (letters and digits)')

/** Text the database stores unchanged: NUL characters and lone surrogates are dropped. */
const storable = (text: string) => text.replace(/\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '')

export const mutationSchema = z.object({
  id: mutationIdSchema,
  name: mutationNameSchema,
  args: z.unknown(),
  /**
   * Sent instead of the arguments when a push of this mutation alone would be over the body
   * limit (SPEC B5): its size and {@link mutationDigest}. The server records it rejected.
   */
  withheld: z.object({ bytes: z.number().int().min(0), digest: digestSchema }).optional(),
})
export type Mutation = z.infer<typeof mutationSchema>

export const pushRequestSchema = z.object({
  protocolVersion: protocolVersionSchema,
  deviceId: deviceIdSchema,
  // A device's name is only shown to its user: stripped of what the database cannot store.
  deviceName: z.string().max(200).transform(storable).optional(),
  mutations: z.array(mutationSchema).min(1).max(MAX_PUSH_MUTATIONS),
  /**
   * The oldest id still in the device's outbox, answered or not (SPEC P2): where the server
   * starts a device id it has settled nothing for, so that entries it answered and then forgot
   * (a restore from a backup) are asked for again instead of skipped. Protocol 3; older devices
   * omit it and are started at their push's first id.
   */
  outboxStart: z.number().int().min(1).optional(),
})
export type PushRequest = z.infer<typeof pushRequestSchema>

export const mutationResultSchema = z.discriminatedUnion('status', [
  z.object({ id: z.number().int(), status: z.literal('applied'), seq: offsetSchema }),
  z.object({ id: z.number().int(), status: z.literal('rejected'), code: z.enum(mutationErrorCodes), message: z.string() }),
])
export type MutationResult = z.infer<typeof mutationResultSchema>

/**
 * `pushed`: every mutation settled. `gap`: settled up to a gap; resend from `expected` (SPEC P2).
 * `reregister` (v2 only): the server recorded another mutation under `mutationId`; the ones before
 * it are settled (`results`), and the device goes on under a new device id (SPEC B15).
 */
export const pushResponseSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('pushed'), results: z.array(mutationResultSchema), horizon: offsetSchema }),
  z.object({ type: z.literal('gap'), results: z.array(mutationResultSchema), expected: z.number().int().min(1), horizon: offsetSchema }),
  z.object({
    type: z.literal('reregister'),
    results: z.array(mutationResultSchema),
    mutationId: mutationIdSchema,
    message: z.string(),
    horizon: offsetSchema,
  }),
])
export type PushResponse = z.infer<typeof pushResponseSchema>

export const changeSchema = z.object({
  seq: offsetSchema,
  op: z.number().int().min(0),
  scope: scopeSchema,
  table: z.string(),
  kind: z.enum(changeOps),
  key: z.record(z.string(), z.unknown()),
  row: z.record(z.string(), z.unknown()).nullable(),
})
export type Change = z.infer<typeof changeSchema>

/**
 * A `mutation_results` row, in a change of the device's scope (P5) or a snapshot's rows: the
 * server's verdict on one of the device's mutations, which the device settles (B3) and never
 * stores as a row. The columns are the table's (a test keeps them equal).
 */
export const mutationResultRowSchema = z.object({
  device_id: z.guid(),
  mutation_id: mutationIdSchema,
  name: z.string(),
  status: z.enum(mutationStatuses),
  tx: z.string(),
  error_code: z.enum(mutationErrorCodes).nullable(),
  error_message: z.string().nullable(),
  /** Which mutation the result is for (`mutationDigest`); null on rows older than digests. */
  args_digest: digestSchema.nullable(),
  created_at: z.string(),
})
export type MutationResultRow = z.infer<typeof mutationResultRowSchema>

/** GET {@link syncPaths.pull} with these as query parameters. */
export const pullRequestSchema = z.object({
  v: z.coerce.number().pipe(protocolVersionSchema),
  deviceId: deviceIdSchema,
  offset: z.coerce.number().pipe(offsetSchema),
  limit: z.coerce.number().pipe(z.number().int().min(1).max(MAX_PULL_LIMIT)).default(1000),
  waitMs: z.coerce.number().pipe(z.number().int().min(0).max(MAX_WAIT_MS)).default(0),
})
export type PullRequest = z.output<typeof pullRequestSchema>

const instantSchema = z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date and time' })

/**
 * The storage window in force for a device (SPEC W1, W2), on every pull answer and snapshot of a
 * device that speaks {@link WINDOW_PROTOCOL}: `all`, or a setting with `from`, the time from which
 * the device holds every workout (a root entry's time, UTC); null when a row budget holds
 * everything. Older than `from` it holds only the last workout of each activity.
 */
export const windowInForceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('all') }),
  z.object({ kind: z.literal('months'), months: z.number().int().min(1), from: instantSchema }),
  z.object({ kind: z.literal('rows'), rows: z.number().int().min(1), from: instantSchema.nullable() }),
])
export type WindowInForce = z.infer<typeof windowInForceSchema>

export const pullResponseSchema = z.object({
  type: z.literal('changes'),
  changes: z.array(changeSchema),
  /** Store this after applying `changes` (SPEC R3). */
  offset: offsetSchema,
  head: offsetSchema,
  upToDate: z.boolean(),
  horizon: offsetSchema,
  /** The storage window the changes were cut to (SPEC W2); absent before protocol 5. */
  window: windowInForceSchema.optional(),
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

/**
 * GET {@link syncPaths.snapshot} with these as query parameters. `since`: the device's lowest
 * pending mutation id; results of its mutations below it are left out (SPEC B6).
 */
export const snapshotRequestSchema = z.object({
  v: z.coerce.number().pipe(protocolVersionSchema),
  deviceId: deviceIdSchema,
  since: z.coerce.number().pipe(z.number().int().min(0).max(Number.MAX_SAFE_INTEGER)).default(0),
})
export type SnapshotRequest = z.output<typeof snapshotRequestSchema>

/** Most workouts one history request may name, or answer (SPEC W5). */
export const MAX_HISTORY_ROOTS = 100

const uuidList = z
  .string()
  .transform((text) => text.split(',').filter((id) => id !== ''))
  .pipe(z.array(z.uuid('must be a list of UUIDs')).max(MAX_HISTORY_ROOTS, `must name at most ${MAX_HISTORY_ROOTS} workouts`))

/**
 * GET {@link syncPaths.history} with these as query parameters (SPEC W5): whole workouts from the
 * server, read-only, outside what the device's window sends it. One of: `roots`, those workouts
 * (by their root entry's id); `kept`, the ids of the workouts kept for the last entry of each
 * activity older than the window; `count`, how many history rows the device's window holds on
 * the server (W6); or a page of the workouts performed before `before` (and from `from`, if
 * given), newest first, `limit` at most, `cursor` the `next` of the page before.
 */
export const historyRequestSchema = z
  .object({
    v: z.coerce.number().pipe(protocolVersionSchema),
    deviceId: deviceIdSchema,
    roots: uuidList.optional(),
    kept: z.enum(['1']).optional(),
    count: z.enum(['1']).optional(),
    before: instantSchema.optional(),
    from: instantSchema.optional(),
    cursor: z
      .string()
      .regex(/^[^|]+\|[0-9a-fA-F-]{36}$/, 'must be the next cursor of a page')
      .refine((c) => !Number.isNaN(Date.parse(c.split('|')[0]!)), 'must be the next cursor of a page')
      .optional(),
    limit: z.coerce.number().pipe(z.number().int().min(1).max(MAX_HISTORY_ROOTS)).default(50),
  })
  .refine(
    (r) => [r.roots !== undefined, r.kept !== undefined, r.count !== undefined, r.before !== undefined].filter(Boolean).length === 1,
    {
      message: 'name exactly one of roots, kept, count or before',
    },
  )
export type HistoryRequest = z.output<typeof historyRequestSchema>

/**
 * A history answer (SPEC W5): `head`, the seq it was read at; `roots`, the workouts it holds,
 * newest first, each with its time; `tables`, their rows by table, parents first; `next`, the
 * cursor of the next page, or null. For `kept`, `roots` alone.
 */
export const historyResponseSchema = z.object({
  type: z.literal('history'),
  head: offsetSchema,
  window: windowInForceSchema,
  roots: z.array(z.object({ id: z.guid(), performedAt: z.string() })),
  tables: z.record(z.string(), z.array(z.record(z.string(), z.unknown()))),
  next: z.string().nullable(),
  /** For `count`: the history rows (entries, values, tags, photos) the window holds on the server. */
  rows: z.number().int().min(0).optional(),
})
export type HistoryResponse = z.infer<typeof historyResponseSchema>

/** A history request as the device builds it: lists as arrays. */
export type HistoryQuery = {
  v: number
  deviceId: string
  roots?: string[]
  kept?: '1'
  count?: '1'
  before?: string
  from?: string
  cursor?: string
  limit?: number
}

/** A request's query string, from exactly the parameters its schema declares (lists comma-joined). */
export function queryString(request: PullRequest | SnapshotRequest | HistoryQuery): string {
  return new URLSearchParams(
    Object.entries(request)
      .filter(([, value]) => value !== undefined)
      .map(([name, value]) => [name, Array.isArray(value) ? value.join(',') : String(value)]),
  ).toString()
}

/** One line of the NDJSON snapshot stream (SPEC N1, N2). */
export const snapshotLineSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('snapshot-begin'),
    protocolVersion: protocolVersionSchema,
    offset: offsetSchema,
    horizon: offsetSchema,
    scopes: z.array(scopeSchema),
    /** Rows the snapshot will hold, for a progress bar (optional: older servers omit it). */
    rows: z.number().int().min(0).optional(),
    /** The storage window the snapshot was cut to (SPEC W2); absent before protocol 5. */
    window: windowInForceSchema.optional(),
  }),
  z.object({ type: z.literal('rows'), table: z.string(), rows: z.array(z.record(z.string(), z.unknown())) }),
  z.object({ type: z.literal('snapshot-end'), offset: offsetSchema, rowCount: z.number().int().min(0) }),
])
export type SnapshotLine = z.infer<typeof snapshotLineSchema>

/**
 * HTTP 426: the server speaks no version the device asked in (SPEC V1, V2). The one answer whose
 * shape no version may change, so that a device of any version can read it.
 */
export const unsupportedVersionSchema = z.object({
  type: z.literal('unsupported-version'),
  /** The version the request was made in. */
  version: z.number().int(),
  /** The versions the server speaks. */
  minVersion: z.number().int(),
  maxVersion: z.number().int(),
  message: z.string(),
})
export type UnsupportedVersion = z.infer<typeof unsupportedVersionSchema>

export const errorResponseSchema = z.object({
  type: z.literal('error'),
  message: z.string(),
  issues: z.array(z.string()).optional(),
})
export type ErrorResponse = z.infer<typeof errorResponseSchema>

/** Every schema of the contract. */
export const protocolSchemas = {
  pushRequestSchema,
  pushResponseSchema,
  pullRequestSchema,
  pullResponseSchema,
  mustRefetchSchema,
  snapshotRequestSchema,
  snapshotLineSchema,
  mutationResultRowSchema,
  unsupportedVersionSchema,
  errorResponseSchema,
  mediaPutResponseSchema,
  windowInForceSchema,
  historyRequestSchema,
  historyResponseSchema,
}

/** Everything the version pin covers besides {@link PROTOCOL_VERSION} itself. */
export const protocolContract = {
  minVersion: MIN_PROTOCOL_VERSION,
  windowVersion: WINDOW_PROTOCOL,
  paths: syncPaths,
  headers: syncHeaders,
  contentTypes,
  statuses: syncStatuses,
  scopeKinds,
  limits: { MAX_PUSH_MUTATIONS, MAX_BODY_BYTES, MAX_PULL_LIMIT, MAX_WAIT_MS, MAX_MEDIA_BYTES, MAX_HISTORY_ROOTS },
  media: { pathPrefix: mediaPathPrefix },
  schemas: protocolSchemas,
}

/** Bytes of a value as the wire carries it: its JSON in UTF-8. */
export function encodedBytes(value: unknown): number {
  return new TextEncoder().encode(JSON.stringify(value)).byteLength
}

const kilobytes = (bytes: number) => `${Math.ceil(bytes / 1000).toLocaleString('en')} KB`

/** Why a mutation whose push alone would be `bytes` long cannot be synced (SPEC B1, B5). */
export function tooLargeMessage(bytes: number, limit = MAX_BODY_BYTES): string {
  return `This change is too large to sync: ${kilobytes(bytes)}, and the server takes at most ${kilobytes(limit)} at a time.`
}

/** A piece of JSON text, told apart from a string value on the stack of {@link canonicalJson}. */
class Token {
  constructor(readonly text: string) {}
}

/**
 * A JSON value as text with every object's keys sorted, so two encodings of one value read the
 * same. Iterative: arguments nested deeper than the stack allows are refused by their mutator,
 * and must not fail here first.
 */
export function canonicalJson(root: unknown): string {
  const out: string[] = []
  const stack: unknown[] = [root]
  while (stack.length > 0) {
    const item = stack.pop()
    if (item instanceof Token) out.push(item.text)
    else if (Array.isArray(item)) {
      stack.push(new Token(']'))
      for (let i = item.length - 1; i >= 0; i--) stack.push(item[i] === undefined ? null : item[i], ...(i > 0 ? [new Token(',')] : []))
      stack.push(new Token('['))
    } else if (item !== null && typeof item === 'object') {
      const entries = Object.entries(item).filter(([, value]) => value !== undefined)
      entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      stack.push(new Token('}'))
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, value] = entries[i]!
        stack.push(value, new Token(`${i > 0 ? ',' : ''}${JSON.stringify(key)}:`))
      }
      stack.push(new Token('{'))
    } else out.push(JSON.stringify(item) ?? 'null')
  }
  return out.join('')
}

/**
 * Which mutation a result is for (SPEC P2): SHA-256, in hex, of its name, a newline and the
 * canonical JSON of its arguments. The server computes it from what a push carries; a device,
 * for a mutation it sends {@link mutationSchema withheld}.
 */
export async function mutationDigest(name: string, args: unknown): Promise<string> {
  const data = new TextEncoder().encode(`${name}\n${canonicalJson(args ?? null)}`)
  const digest = new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', data))
  return Array.from(digest, (byte) => byte.toString(16).padStart(2, '0')).join('')
}
