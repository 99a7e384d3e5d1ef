import 'server-only'
import type { z } from 'zod'
import type { Db } from '@/db/types'
import { describeIssues } from '@/domain/mutators/define'
import {
  MAX_BODY_BYTES,
  MIN_PROTOCOL_VERSION,
  PROTOCOL_VERSION,
  contentTypes,
  pullRequestSchema,
  pushRequestSchema,
  snapshotRequestSchema,
  syncHeaders,
  syncStatuses,
  type ErrorResponse,
  type PullResponse,
  type UnsupportedVersion,
} from '../protocol'
import { DeviceOwnershipError, registerDevice } from './devices'
import type { ChangeNotifier } from './live'
import { PullBatcher, pull } from './pull'
import { push } from './push'
import { retryTransientConflicts, StillConflicting } from './retry'
import { streamSnapshot } from './snapshot'

/** What the sync endpoints need: the database, this process's notifier, and who is asking. */
export type SyncService = {
  db: Db
  notifier: ChangeNotifier
  /** The signed-in user's id for a request, or null. */
  authenticate(request: Request): Promise<string | null>
  /**
   * The protocol versions this server answers (SPEC V1); by default
   * `MIN_PROTOCOL_VERSION..PROTOCOL_VERSION`. Tests set it to play an older or newer server.
   */
  versions?: { min: number; max: number }
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: ErrorResponse | UnsupportedVersion,
  ) {
    super(body.message)
  }
}

const refusal = (status: number, message: string, issues?: string[]) =>
  new HttpError(status, { type: 'error', message, ...(issues ? { issues } : {}) })

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': contentTypes.json, 'cache-control': 'no-store', ...headers },
  })
}

function horizonHeader(horizon: number) {
  return { [syncHeaders.horizon]: String(horizon) }
}

/** Runs a handler, turning refusals into their status and anything unexpected into a bare 500. */
async function guarded(fn: () => Promise<Response>): Promise<Response> {
  try {
    return await fn()
  } catch (error) {
    if (error instanceof HttpError) return json(error.status, error.body)
    if (error instanceof DeviceOwnershipError) return json(403, { type: 'error', message: error.message } satisfies ErrorResponse)
    if (error instanceof StillConflicting)
      return json(429, { type: 'error', message: error.message } satisfies ErrorResponse, { 'retry-after': '1' })
    console.error('sync: unexpected error', error)
    return json(500, { type: 'error', message: 'The server failed; nothing was lost. Retry later.' } satisfies ErrorResponse)
  }
}

async function requireUser(service: SyncService, request: Request): Promise<string> {
  const userId = await service.authenticate(request)
  if (!userId) throw refusal(401, 'Sign in to sync.')
  return userId
}

function parse<S extends z.ZodType>(schema: S, input: unknown, what: string): z.output<S> {
  const parsed = schema.safeParse(input)
  if (!parsed.success) {
    throw refusal(
      400,
      `Invalid ${what}: ${describeIssues(parsed.error)}`,
      parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`),
    )
  }
  return parsed.data
}

/**
 * Refuses a request made in a protocol version this server does not answer (SPEC V1), before
 * the rest of it is parsed: another version's body may not parse here, and the device must learn
 * which side is behind rather than read validation messages. A missing or non-numeric version
 * is left to the parse (400).
 */
function requireVersion(service: SyncService, version: unknown) {
  if (typeof version !== 'number' || !Number.isInteger(version)) return
  const { min, max } = service.versions ?? { min: MIN_PROTOCOL_VERSION, max: PROTOCOL_VERSION }
  if (version >= min && version <= max) return
  const range = min === max ? `version ${min}` : `versions ${min} to ${max}`
  const message =
    version < min
      ? `This app is out of date for the server (sync protocol ${version}; the server speaks ${range}). Reload the app to update it; nothing on this device is lost.`
      : `The server runs an older Cadence than this app (sync protocol ${version}; the server speaks ${range}). Sync resumes once the server is updated; nothing on this device is lost.`
  throw new HttpError(syncStatuses.unsupportedVersion, { type: 'unsupported-version', version, minVersion: min, maxVersion: max, message })
}

/** The request body as JSON, refusing bodies over the limit before reading them whole (SPEC A3). */
async function readJson(request: Request, maxBytes = MAX_BODY_BYTES): Promise<unknown> {
  const declared = Number(request.headers.get('content-length') ?? 0)
  if (declared > maxBytes) throw refusal(413, `The request body is over ${maxBytes} bytes; push fewer mutations at a time.`)
  const reader = request.body?.getReader()
  if (!reader) throw refusal(400, 'The request has no body.')
  const chunks: Uint8Array[] = []
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    size += value.byteLength
    if (size > maxBytes) {
      await reader.cancel()
      throw refusal(413, `The request body is over ${maxBytes} bytes; push fewer mutations at a time.`)
    }
    chunks.push(value)
  }
  const text = Buffer.concat(chunks).toString('utf8')
  try {
    return JSON.parse(text)
  } catch {
    throw refusal(400, 'The request body is not valid JSON.')
  }
}

function query(request: Request): Record<string, string> {
  return Object.fromEntries(new URL(request.url).searchParams)
}

/** A query parameter as the number it spells, if it spells one. */
const numeric = (value: string | undefined) => (value === undefined || value.trim() === '' ? undefined : Number(value))

/**
 * What a GET of the sync API starts with: the session's user (A1), the protocol version (V1),
 * the query parsed by its schema, and the device registered to that user (P1).
 */
async function openQuery<S extends z.ZodType<{ deviceId: string }>>(service: SyncService, request: Request, schema: S, name: string) {
  const userId = await requireUser(service, request)
  const input = query(request)
  requireVersion(service, numeric(input.v))
  const params = parse(schema, input, name)
  await registerDevice(service.db, userId, params.deviceId)
  return { userId, params }
}

/** POST `syncPaths.push` (SPEC P1-P6). */
export function handlePush(service: SyncService, request: Request): Promise<Response> {
  return guarded(async () => {
    const userId = await requireUser(service, request)
    const raw = await readJson(request)
    requireVersion(service, (raw as { protocolVersion?: unknown } | null)?.protocolVersion)
    const body = parse(pushRequestSchema, raw, 'push')
    await registerDevice(service.db, userId, body.deviceId, body.deviceName)
    // A push that collided with another (a deadlock across libraries) runs again whole (P7).
    const response = await retryTransientConflicts(() => push(service.db, userId, body))
    return json(200, response, horizonHeader(response.horizon))
  })
}

const batchers = new WeakMap<Db, PullBatcher>()
/** One batcher per database handle, so the pulls one commit wakes share one read (SPEC R6). */
function batcherOf(db: Db): PullBatcher {
  let batcher = batchers.get(db)
  if (!batcher) batchers.set(db, (batcher = new PullBatcher(db)))
  return batcher
}

/** GET `syncPaths.pull` with `pullRequestSchema`'s query (SPEC R1-R4, C2, C3). */
export function handlePull(service: SyncService, request: Request): Promise<Response> {
  return guarded(async () => {
    const { userId, params } = await openQuery(service, request, pullRequestSchema, 'pull')
    const deadline = Date.now() + params.waitMs
    const who = { userId, deviceId: params.deviceId }
    for (let woken = false; ; woken = true) {
      const seen = service.notifier.generation
      // Scopes are recomputed on every read, inside it: a revocation takes effect at once (R1).
      // A wake-up reads together with every other pull the same commit woke (R6).
      const result = woken ? await batcherOf(service.db).pull(who, params) : await pull(service.db, who, params)
      if (result.type === 'must-refetch') return json(syncStatuses.mustRefetch, result, horizonHeader(result.horizon))
      const remaining = deadline - Date.now()
      if (result.changes.length > 0 || remaining <= 0 || request.signal.aborted) {
        return json(200, result satisfies PullResponse, horizonHeader(result.horizon))
      }
      await service.notifier.wait(seen, remaining, request.signal)
    }
  })
}

/** GET `syncPaths.snapshot` with `snapshotRequestSchema`'s query: NDJSON (SPEC N1, N2). */
export function handleSnapshot(service: SyncService, request: Request): Promise<Response> {
  return guarded(async () => {
    const { userId, params } = await openQuery(service, request, snapshotRequestSchema, 'snapshot')
    const encoder = new TextEncoder()
    const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>(undefined, { highWaterMark: 4 })
    const writer = writable.getWriter()
    void streamSnapshot(
      service.db,
      { userId, deviceId: params.deviceId },
      async (line) => {
        await writer.ready
        await writer.write(encoder.encode(`${JSON.stringify(line)}\n`))
      },
      { sinceMutationId: params.since, protocolVersion: params.v },
    ).then(
      () => writer.close(),
      (error: unknown) => writer.abort(error).catch(() => undefined),
    )
    return new Response(readable, {
      status: 200,
      headers: { 'content-type': contentTypes.ndjson, 'cache-control': 'no-store' },
    })
  })
}
