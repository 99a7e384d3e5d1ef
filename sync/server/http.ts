import 'server-only'
import type { z } from 'zod'
import type { Db } from '@/db/types'
import { describeIssues } from '@/domain/mutators/define'
import {
  MAX_BODY_BYTES,
  pullRequestSchema,
  pushRequestSchema,
  snapshotRequestSchema,
  type ErrorResponse,
  type PullResponse,
} from '../protocol'
import { DeviceOwnershipError, registerDevice } from './devices'
import type { ChangeNotifier } from './live'
import { PullBatcher, pull } from './pull'
import { push } from './push'
import { streamSnapshot } from './snapshot'

/** What the sync endpoints need: the database, this process's notifier, and who is asking. */
export type SyncService = {
  db: Db
  notifier: ChangeNotifier
  /** The signed-in user's id for a request, or null. */
  authenticate(request: Request): Promise<string | null>
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly issues?: string[],
  ) {
    super(message)
  }
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers },
  })
}

function horizonHeader(horizon: number) {
  return { 'cadence-horizon': String(horizon) }
}

/** Runs a handler, turning refusals into their status and anything unexpected into a bare 500. */
async function guarded(fn: () => Promise<Response>): Promise<Response> {
  try {
    return await fn()
  } catch (error) {
    if (error instanceof HttpError) {
      const body: ErrorResponse = { type: 'error', message: error.message, ...(error.issues ? { issues: error.issues } : {}) }
      return json(error.status, body)
    }
    if (error instanceof DeviceOwnershipError) return json(403, { type: 'error', message: error.message } satisfies ErrorResponse)
    console.error('sync: unexpected error', error)
    return json(500, { type: 'error', message: 'The server failed; nothing was lost. Retry later.' } satisfies ErrorResponse)
  }
}

async function requireUser(service: SyncService, request: Request): Promise<string> {
  const userId = await service.authenticate(request)
  if (!userId) throw new HttpError(401, 'Sign in to sync.')
  return userId
}

function parse<S extends z.ZodType>(schema: S, input: unknown, what: string): z.output<S> {
  const parsed = schema.safeParse(input)
  if (!parsed.success) {
    throw new HttpError(
      400,
      `Invalid ${what}: ${describeIssues(parsed.error)}`,
      parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`),
    )
  }
  return parsed.data
}

/** The request body as JSON, refusing bodies over the limit before reading them whole (SPEC A3). */
async function readJson(request: Request, maxBytes = MAX_BODY_BYTES): Promise<unknown> {
  const declared = Number(request.headers.get('content-length') ?? 0)
  if (declared > maxBytes) throw new HttpError(413, `The request body is over ${maxBytes} bytes; push fewer mutations at a time.`)
  const reader = request.body?.getReader()
  if (!reader) throw new HttpError(400, 'The request has no body.')
  const chunks: Uint8Array[] = []
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    size += value.byteLength
    if (size > maxBytes) {
      await reader.cancel()
      throw new HttpError(413, `The request body is over ${maxBytes} bytes; push fewer mutations at a time.`)
    }
    chunks.push(value)
  }
  const text = Buffer.concat(chunks).toString('utf8')
  try {
    return JSON.parse(text)
  } catch {
    throw new HttpError(400, 'The request body is not valid JSON.')
  }
}

function query(request: Request): Record<string, string> {
  return Object.fromEntries(new URL(request.url).searchParams)
}

/** POST /api/sync/push (SPEC P1-P6). */
export function handlePush(service: SyncService, request: Request): Promise<Response> {
  return guarded(async () => {
    const userId = await requireUser(service, request)
    const body = parse(pushRequestSchema, await readJson(request), 'push')
    await registerDevice(service.db, userId, body.deviceId, body.deviceName)
    const response = await push(service.db, userId, body)
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

/** GET /api/sync/pull?v=&deviceId=&offset=&limit=&waitMs= (SPEC R1-R4, C2, C3). */
export function handlePull(service: SyncService, request: Request): Promise<Response> {
  return guarded(async () => {
    const userId = await requireUser(service, request)
    const params = parse(pullRequestSchema, query(request), 'pull')
    await registerDevice(service.db, userId, params.deviceId)
    const deadline = Date.now() + params.waitMs
    const who = { userId, deviceId: params.deviceId }
    for (let woken = false; ; woken = true) {
      const seen = service.notifier.generation
      // Scopes are recomputed on every read, inside it: a revocation takes effect at once (R1).
      // A wake-up reads together with every other pull the same commit woke (R6).
      const result = woken ? await batcherOf(service.db).pull(who, params) : await pull(service.db, who, params)
      if (result.type === 'must-refetch') return json(409, result, horizonHeader(result.horizon))
      const remaining = deadline - Date.now()
      if (result.changes.length > 0 || remaining <= 0 || request.signal.aborted) {
        return json(200, result satisfies PullResponse, horizonHeader(result.horizon))
      }
      await service.notifier.wait(seen, remaining, request.signal)
    }
  })
}

/** GET /api/sync/snapshot?v=&deviceId=&since= : NDJSON (SPEC N1, N2). */
export function handleSnapshot(service: SyncService, request: Request): Promise<Response> {
  return guarded(async () => {
    const userId = await requireUser(service, request)
    const params = parse(snapshotRequestSchema, query(request), 'snapshot')
    const since = Number(new URL(request.url).searchParams.get('since') ?? 0)
    await registerDevice(service.db, userId, params.deviceId)
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
      { sinceMutationId: Number.isSafeInteger(since) && since > 0 ? since : 0 },
    ).then(
      () => writer.close(),
      (error: unknown) => writer.abort(error).catch(() => undefined),
    )
    return new Response(readable, {
      status: 200,
      headers: { 'content-type': 'application/x-ndjson', 'cache-control': 'no-store' },
    })
  })
}
