import 'server-only'
import type { z } from 'zod'
import type { Db } from '@/db/types'
import { describeIssues } from '@/domain/mutators/define'
import {
  MAX_BODY_BYTES,
  MIN_PROTOCOL_VERSION,
  PROTOCOL_VERSION,
  contentTypes,
  historyRequestSchema,
  pullRequestSchema,
  pushRequestSchema,
  snapshotRequestSchema,
  syncHeaders,
  syncStatuses,
  type ErrorResponse,
  type PullResponse,
  type SnapshotLine,
  type UnsupportedVersion,
} from '../protocol'
import { DeviceOwnershipError, noteSynced, registerDevice } from './devices'
import { historyPage } from './history'
import type { ChangeNotifier } from './live'
import { PullBatcher, pull } from './pull'
import { push } from './push'
import { retryTransientConflicts, StillConflicting } from './retry'
import { DeadlineMissed, SnapshotGate, SYNC_LIMITS, withinDeadline, type SyncLimits } from './limits'
import { snapshotLines, snapshotStream } from './snapshot'

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
  /** Overrides of {@link SYNC_LIMITS} (SPEC A8, A9); tests shorten them. */
  limits?: Partial<SyncLimits>
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: ErrorResponse | UnsupportedVersion,
    readonly headers: Record<string, string> = {},
  ) {
    super(body.message)
  }
}

export const refusal = (status: number, message: string, issues?: string[]) =>
  new HttpError(status, { type: 'error', message, ...(issues ? { issues } : {}) })

export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': contentTypes.json, 'cache-control': 'no-store', ...headers },
  })
}

function horizonHeader(horizon: number) {
  return { [syncHeaders.horizon]: String(horizon) }
}

/** Runs a handler, turning refusals into their status and anything unexpected into a bare 500. */
export async function guarded(fn: () => Promise<Response>): Promise<Response> {
  try {
    return await fn()
  } catch (error) {
    if (error instanceof HttpError) return json(error.status, error.body, error.headers)
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
    const { done, value } = await reader.read().catch((error: unknown) => {
      // A client that hangs up mid-body fails it with `aborted` (ECONNRESET): nothing of the request
      // ran and nobody waits for the answer, so it is a refusal, not a failure to log (SPEC A12).
      const gone = request.signal.aborted || (error as NodeJS.ErrnoException).code === 'ECONNRESET'
      throw gone ? refusal(400, 'The request ended before its body had arrived.') : error
    })
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
  const device = await registerDevice(service.db, userId, params.deviceId)
  return { userId, params, device }
}

/** POST `syncPaths.push` (SPEC P1-P6). */
export function handlePush(service: SyncService, request: Request): Promise<Response> {
  return guarded(async () => {
    const userId = await requireUser(service, request)
    const raw = await readJson(request)
    requireVersion(service, (raw as { protocolVersion?: unknown } | null)?.protocolVersion)
    const body = parse(pushRequestSchema, raw, 'push')
    const device = await registerDevice(service.db, userId, body.deviceId, body.deviceName)
    // A push that collided with another (a deadlock across libraries) runs again whole (P7).
    const response = await retryTransientConflicts(() => push(service.db, userId, body))
    await noteSynced(service.db, device)
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

/** This service's limits: {@link SYNC_LIMITS} with its overrides. */
export const limitsOf = (service: SyncService): SyncLimits => ({ ...SYNC_LIMITS, ...service.limits })

const retryAfter = (limits: SyncLimits) => ({ 'retry-after': String(limits.retryAfterSeconds) })

/**
 * `work`, or 503 with `Retry-After` once `ms` have passed (SPEC A9): a request queued behind a
 * busy database is answered, and the device retries. `late` lets go of what the work holds
 * when it settles after that.
 */
async function inTime<T>(limits: SyncLimits, ms: number, work: Promise<T>, late?: () => void): Promise<T> {
  try {
    return await withinDeadline(ms, work, late)
  } catch (error) {
    if (error instanceof DeadlineMissed) throw new HttpError(503, { type: 'error', message: error.message }, retryAfter(limits))
    throw error
  }
}

/** GET `syncPaths.pull` with `pullRequestSchema`'s query (SPEC R1-R4, C2, C3, A9). */
export function handlePull(service: SyncService, request: Request): Promise<Response> {
  return guarded(async () => {
    const limits = limitsOf(service)
    const { userId, params, device } = await inTime(
      limits,
      limits.requestDeadlineMs,
      openQuery(service, request, pullRequestSchema, 'pull'),
    )
    const deadline = Date.now() + params.waitMs
    const who = { userId, deviceId: params.deviceId }
    const answer = async () => {
      for (let woken = false; ; woken = true) {
        const seen = service.notifier.generation
        // Scopes are recomputed on every read, inside it: a revocation takes effect at once (R1).
        // A wake-up reads together with every other pull the same commit woke (R6).
        const result = woken ? await batcherOf(service.db).pull(who, params) : await pull(service.db, who, params)
        if (result.type === 'must-refetch') return json(syncStatuses.mustRefetch, result, horizonHeader(result.horizon))
        // The device has everything up to now: it synced (P1), once per request at most.
        if (!woken) await noteSynced(service.db, device)
        const remaining = deadline - Date.now()
        if (result.changes.length > 0 || remaining <= 0 || request.signal.aborted) {
          return json(200, result satisfies PullResponse, horizonHeader(result.horizon))
        }
        await service.notifier.wait(seen, remaining, request.signal)
        // Nobody waits for the answer of a request its client ended: nothing more is read (A8).
        if (request.signal.aborted) return json(200, result satisfies PullResponse, horizonHeader(result.horizon))
      }
    }
    return inTime(limits, params.waitMs + limits.requestDeadlineMs, answer())
  })
}

/**
 * GET `syncPaths.history` with `historyRequestSchema`'s query (SPEC W5): whole workouts outside
 * the device's window, read-only, within the request deadline (A9).
 */
export function handleHistory(service: SyncService, request: Request): Promise<Response> {
  return guarded(async () => {
    const limits = limitsOf(service)
    const { userId, params } = await inTime(limits, limits.requestDeadlineMs, openQuery(service, request, historyRequestSchema, 'history'))
    const answer = await inTime(limits, limits.requestDeadlineMs, historyPage(service.db, { userId, deviceId: params.deviceId }, params))
    return json(200, answer)
  })
}

const snapshotGates = new WeakMap<SyncService, SnapshotGate>()
/** One count of running snapshots per service, as a server process has one (SPEC A8). */
function gateOf(service: SyncService): SnapshotGate {
  let gate = snapshotGates.get(service)
  if (!gate) snapshotGates.set(service, (gate = new SnapshotGate()))
  return gate
}

/** Snapshots `service` streams now, in all or for one user (SPEC A8). */
export function snapshotsRunning(service: SyncService, userId?: string): number {
  return gateOf(service).running(userId)
}

/**
 * GET (or HEAD) `syncPaths.snapshot` with `snapshotRequestSchema`'s query: NDJSON (SPEC N1, N2,
 * A8). The snapshot's start (its head, scopes and keys) is read before the answer, so a failure
 * there is a status; the rows follow a page at a time as the client reads, nothing held between.
 */
export function handleSnapshot(service: SyncService, request: Request): Promise<Response> {
  return guarded(async () => {
    const limits = limitsOf(service)
    const { userId, params } = await inTime(
      limits,
      limits.requestDeadlineMs,
      openQuery(service, request, snapshotRequestSchema, 'snapshot'),
    )
    const headers = { 'content-type': contentTypes.ndjson, 'cache-control': 'no-store' }
    // A HEAD is answered what a GET would be, without a body: nothing is read for it (A8).
    if (request.method === 'HEAD') return new Response(null, { status: 200, headers })
    const leave = gateOf(service).enter(userId, limits)
    if (!leave) {
      const message = `Too many snapshots are being sent at once (at most ${limits.snapshotsPerUser} for an account, ${limits.snapshotsInAll} in all); nothing was lost. Retry shortly.`
      throw new HttpError(429, { type: 'error', message }, retryAfter(limits))
    }
    const lines = snapshotLines(
      service.db,
      { userId, deviceId: params.deviceId },
      { sinceMutationId: params.since, protocolVersion: params.v, pageRows: limits.snapshotPageRows, signal: request.signal },
    )
    const stop = () => {
      void lines.return(undefined).catch(() => undefined)
      leave()
    }
    let first: IteratorResult<SnapshotLine, void>
    try {
      first = await inTime(limits, limits.requestDeadlineMs, lines.next(), stop)
    } catch (error) {
      // Past the deadline the start still runs: `stop` gives the place back once it has settled.
      if (!(error instanceof HttpError && error.status === 503)) leave()
      throw error
    }
    if (first.done) {
      leave()
      throw new Error('A snapshot ended before its first line')
    }
    const body = snapshotStream(lines, first.value, {
      signal: request.signal,
      stallMs: limits.snapshotStallMs,
      deadlineMs: limits.snapshotDeadlineMs,
      onEnd: leave,
    })
    return new Response(body, { status: 200, headers })
  })
}
