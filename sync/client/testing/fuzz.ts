/**
 * A seeded, randomized convergence simulation of the sync engine (sync/SPEC.md): several devices
 * of several users make random mutations (valid, stale, colliding or plain invalid), go offline
 * and online, push and pull through a network that drops and duplicates requests and answers,
 * reorders concurrent requests, cuts snapshots short and crashes the server in the middle of a
 * push; meanwhile the server compacts its log, restarts, and owners revoke and re-share their
 * libraries. At the end every device syncs until quiet, and the run checks:
 *
 * 1. every device holds exactly the server's rows of its scopes (R1), table by table;
 * 2. the server has a result for every mutation each device queued, and nothing else (P2, B1);
 *    every applied creation is on the server (once: by its id) unless an applied mutation
 *    deleted it, and no rejected one left anything behind (P3, P4);
 * 3. every rejection is reported on its device with the server's code, and only those (B3, B4);
 * 4. nothing is left pending: no outbox, no undo log, every device at the server's head.
 *
 * Everything random comes from one seed (ids included), so a failing seed replays the same run.
 * The databases are made once per test file ({@link fuzzEnv}) and reset between seeds.
 */
import { isDeepStrictEqual } from 'node:util'
import { sql } from 'drizzle-orm'
import { rows } from '@/db/rows'
import { attributeTypes, type AttributeType } from '@/db/schema'
import { syncTables } from '@/db/schema/synced'
import { testPglite, type TestPglite } from '@/db/testing/pglite'
import type { Db } from '@/db/types'
import { applyMutation } from '@/domain/apply'
import { MutationError } from '@/domain/errors'
import type { MutatorArgs, MutatorName } from '@/domain/mutators'
import type { AttributeInput } from '@/domain/mutators/attributes'
import type { Value } from '@/domain/values'
import type { PullResponse, MustRefetch, PushRequest, PushResponse, SnapshotLine } from '../../protocol'
import { compact } from '../../server/compact'
import type { SyncService } from '../../server/http'
import { ChangeNotifier, type Listen } from '../../server/live'
import { SyncClient, initDevice } from '../client'
import { readState } from '../replica'
import { TransportError, type PullParams, type SnapshotParams } from '../transport'
import { DirectTransport, ScriptedTransport } from './transports'
import { mulberry32 } from '@/test/random'

// Randomness ---------------------------------------------------------------------------------------

export { mulberry32 }

export class Rng {
  private readonly next01: () => number
  constructor(seed: number) {
    // Spread neighbouring seeds apart before the first draw.
    this.next01 = mulberry32(Math.imul(seed ^ 0x5bd1e995, 0x9e3779b1))
  }
  next(): number {
    return this.next01()
  }
  /** An integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1))
  }
  chance(p: number): boolean {
    return this.next() < p
  }
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from nothing')
    return items[Math.floor(this.next() * items.length)]!
  }
  maybe<T>(items: readonly T[]): T | undefined {
    return items.length === 0 ? undefined : this.pick(items)
  }
  weighted<T>(choices: readonly (readonly [number, T])[]): T {
    const total = choices.reduce((s, [w]) => s + w, 0)
    let r = this.next() * total
    for (const [w, value] of choices) {
      r -= w
      if (r < 0) return value
    }
    return choices[choices.length - 1]![1]
  }
  shuffle<T>(items: readonly T[]): T[] {
    const out = [...items]
    for (let i = out.length - 1; i > 0; i--) {
      const j = this.int(0, i)
      ;[out[i], out[j]] = [out[j]!, out[i]!]
    }
    return out
  }
  /** A version-4 UUID made from this generator, so a seed's ids are the same on every run. */
  uuid(): string {
    let hex = ''
    for (let i = 0; i < 8; i++) hex += this.int(0, 0xffff).toString(16).padStart(4, '0')
    const variant = ((parseInt(hex[16]!, 16) & 3) | 8).toString(16)
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`
  }
}

// The server -------------------------------------------------------------------------------------

/**
 * The sync service over one database. Sessions live in the database, so a restart (a new
 * service with a new notifier) loses nothing a real restart would keep.
 */
export class SimServer {
  service: SyncService
  private constructor(
    readonly db: Db,
    private readonly listen: Listen,
    service: SyncService,
  ) {
    this.service = service
  }

  static async start(db: Db, listen: Listen): Promise<SimServer> {
    return new SimServer(db, listen, await SimServer.service(db, listen))
  }

  private static async service(db: Db, listen: Listen): Promise<SyncService> {
    const notifier = await ChangeNotifier.start(listen)
    return {
      db,
      notifier,
      async authenticate(request) {
        const token = request.headers.get('authorization')?.replace(/^Bearer /, '') ?? ''
        const [session] = await rows<{ user_id: string }>(
          db,
          sql`select user_id::text from sessions where token = ${token} and expires_at > now()`,
        )
        return session?.user_id ?? null
      },
    }
  }

  /** Stops this server process and starts another on the same database. */
  async restart(): Promise<void> {
    const old = this.service
    this.service = await SimServer.service(this.db, this.listen)
    await old.notifier.close()
  }

  async close(): Promise<void> {
    await this.service.notifier.close()
  }
}

// The network --------------------------------------------------------------------------------------

/**
 * The real HTTP handlers with two one-shot faults the scripted transport cannot express: a
 * server that crashes after applying part of a push, and a snapshot stream cut after some
 * lines. Any failure that is not a network fault (a 5xx or 4xx the simulation did not cause)
 * is noted as a surprise: the server must not fail on anything a device sends.
 */
class FaultyDirect extends DirectTransport {
  crashAfter: number | undefined
  cutAfter: number | undefined
  readonly surprises: string[] = []
  readonly seen = { mustRefetch: 0, scopeRemoved: 0, scopeAdded: 0, gaps: 0, bigBatch: 0 }

  override async push(request: PushRequest): Promise<PushResponse> {
    const crashAfter = this.crashAfter
    this.crashAfter = undefined
    if (crashAfter !== undefined && this.online) {
      if (crashAfter > 0) await this.watch('push', super.push({ ...request, mutations: request.mutations.slice(0, crashAfter) }))
      throw new TransportError('server', 'The server crashed in the middle of the push.')
    }
    const response = await this.watch('push', super.push(request))
    if (response.type === 'gap') this.seen.gaps++
    return response
  }

  override async pull(params: PullParams): Promise<PullResponse | MustRefetch> {
    const response = await this.watch('pull', super.pull(params))
    if (response.type === 'must-refetch') this.seen.mustRefetch++
    else {
      for (const c of response.changes) {
        if (c.kind === 'scope_removed') this.seen.scopeRemoved++
        if (c.kind === 'scope_added') this.seen.scopeAdded++
      }
      if (params.limit !== undefined && response.changes.length > params.limit) this.seen.bigBatch++
    }
    return response
  }

  override async snapshot(params: SnapshotParams, onLine: (line: SnapshotLine) => Promise<void>): Promise<void> {
    const cutAfter = this.cutAfter
    this.cutAfter = undefined
    let lines = 0
    await this.watch(
      'snapshot',
      super.snapshot(params, async (line) => {
        if (cutAfter !== undefined && ++lines > cutAfter) throw new TransportError('offline', 'The snapshot was cut off.')
        await onLine(line)
      }),
    )
  }

  private async watch<T>(what: string, request: Promise<T>): Promise<T> {
    try {
      return await request
    } catch (error) {
      const injected = error instanceof TransportError && (error.kind === 'offline' || error.message.includes('crashed'))
      if (!injected) this.surprises.push(`${what}: ${describeError(error)}`)
      throw error
    }
  }
}

type Fate = 'deliver' | 'dropRequest' | 'dropResponse' | 'duplicate' | 'crash' | 'cut'

const fates: Record<'push' | 'pull' | 'snapshot', readonly (readonly [number, Fate])[]> = {
  push: [
    [55, 'deliver'],
    [12, 'dropRequest'],
    [13, 'dropResponse'],
    [13, 'duplicate'],
    [7, 'crash'],
  ],
  pull: [
    [64, 'deliver'],
    [12, 'dropRequest'],
    [12, 'dropResponse'],
    [12, 'duplicate'],
  ],
  // A duplicated snapshot stream is not a fault a network makes; a cut one is.
  snapshot: [
    [65, 'deliver'],
    [10, 'dropRequest'],
    [12, 'dropResponse'],
    [13, 'cut'],
  ],
}

// The pool of databases ----------------------------------------------------------------------------

export type FuzzEnv = {
  serverDb: TestPglite
  server: SimServer
  deviceDbs: TestPglite[]
  /** Set when a seed hung: its operations may still hold the databases; make a new pool. */
  poisoned: boolean
  close(): Promise<void>
}

/** One server database and `devices` device databases, reused by every seed. */
export async function fuzzEnv({ devices = 4 } = {}): Promise<FuzzEnv> {
  const serverDb = await testPglite('server')
  const deviceDbs: TestPglite[] = []
  for (let i = 0; i < devices; i++) deviceDbs.push(await testPglite('device'))
  const server = await SimServer.start(serverDb.db, (channel, cb) => serverDb.pg.listen(channel, cb))
  return {
    serverDb,
    server,
    deviceDbs,
    poisoned: false,
    async close() {
      await server.close()
      for (const d of deviceDbs) await d.close()
      await serverDb.close()
    },
  }
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`
const replicaTables = syncTables.filter((t) => t.scope !== 'device')
const serverOnlyTables = ['change_log', 'change_transactions', 'sessions', 'accounts', 'verifications', 'media_blobs', 'rate_limits']

/** Empties the server: deletes rather than truncates (much faster on PGlite), with triggers off. */
async function resetServer(pg: TestPglite['pg']) {
  const tables = [...syncTables.map((t) => t.table), ...serverOnlyTables]
  await pg.exec(
    `set session_replication_role = replica; ${tables.map((t) => `delete from ${quote(t)};`).join(' ')}
     set session_replication_role = origin; update sync_state set seq = 0, horizon_seq = 0, compacted_at = null where id = 1;`,
  )
}

/** Empties a device (it has no foreign keys, and its undo triggers record only when asked). */
async function resetDevice(pg: TestPglite['pg']) {
  const tables = [...replicaTables.map((t) => t.table), 'local_outbox', 'local_rejections', 'local_sync_state', 'local_undo']
  await pg.exec(tables.map((t) => `delete from ${quote(t)};`).join(' '))
}

// The world of one seed ----------------------------------------------------------------------------

type User = { id: string; name: string; email: string; token: string; libraryId: string }

type Queued = { name: MutatorName; args: Record<string, unknown>; step: number }

type Device = {
  name: string
  user: User
  id: string
  db: Db
  direct: FaultyDirect
  wire: ScriptedTransport
  client: SyncClient
  /** What this device queued, by mutation id. */
  queued: Map<number, Queued>
}

type AnyMutation = { [N in MutatorName]: { name: N; args: MutatorArgs<N> } }[MutatorName]

export class SimError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'SimError'
  }
}

/** What a seed did, for coverage over many seeds. */
export type SeedReport = {
  seed: number
  steps: number
  counts: Record<string, number>
  /** Milliseconds spent setting up, in the random steps, syncing until quiet, and checking. */
  timings: Record<string, number>
  /** What happened, step by step (what a failure prints). */
  trace: string[]
}

export type RunOptions = {
  /** Random steps per seed, [min, max]. */
  steps?: [number, number]
  /** A seed taking longer than this fails (and the pool should be rebuilt). */
  timeoutMs?: number
}

class World {
  readonly rng: Rng
  readonly trace: string[] = []
  readonly counts: Record<string, number> = {}
  users: User[] = []
  devices: Device[] = []
  step = 0
  /** Ids the simulation has made, valid or not any more, for stale and foreign references. */
  readonly known = {
    tags: [] as { id: string; userId: string }[],
    entries: [] as { id: string; userId: string }[],
    activities: [] as { id: string; libraryId: string }[],
    libraries: [] as { id: string; ownerId: string }[],
  }

  constructor(
    readonly seed: number,
    readonly server: SimServer,
  ) {
    this.rng = new Rng(seed)
  }

  count(what: string, n = 1) {
    this.counts[what] = (this.counts[what] ?? 0) + n
  }

  log(line: string) {
    this.trace.push(`${String(this.step).padStart(2, ' ')} ${shortIds(line)}`)
  }

  fail(problem: string): never {
    throw new SimError(`seed ${this.seed}: ${problem}\n--- trace (step, device, what) ---\n${this.trace.join('\n')}`)
  }
}

const shortIds = (text: string) => text.replace(/([0-9a-f]{6})[0-9a-f]{2}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '$1')

function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}${error.cause ? ` (cause: ${describeError(error.cause)})` : ''}`
  return String(error)
}

function describeMutation(m: { name: string; args: unknown }): string {
  const text = JSON.stringify(m.args)
  return `${m.name} ${text.length > 150 ? `${text.slice(0, 150)}…` : text}`
}

async function setup(seed: number, env: FuzzEnv): Promise<World> {
  const w = new World(seed, env.server)
  const { rng } = w
  await resetServer(env.serverDb.pg)
  for (const d of env.deviceDbs) await resetDevice(d.pg)

  const names = rng.chance(0.5) ? ['Ann', 'Bob', 'Cat'] : ['Ann', 'Bob']
  // Each user as sign-up makes them (provisionUser): the user, a default library, settings.
  const signUps: string[] = []
  for (const name of names) {
    const user: User = { id: rng.uuid(), name, email: `${name.toLowerCase()}@example.com`, token: rng.uuid(), libraryId: rng.uuid() }
    signUps.push(
      `insert into users (id, name, email) values ('${user.id}', '${name}', '${user.email}');
       insert into libraries (id, owner_id, name, is_default) values ('${user.libraryId}', '${user.id}', '${name}''s library', true);
       insert into user_settings (user_id) values ('${user.id}');
       insert into sessions (id, user_id, token, expires_at) values ('${rng.uuid()}', '${user.id}', '${user.token}', now() + interval '1 day');`,
    )
    w.users.push(user)
    w.known.libraries.push({ id: user.libraryId, ownerId: user.id })
  }
  await env.serverDb.pg.exec(signUps.join('\n'))
  const [ann, bob, cat] = w.users as [User, User, User | undefined]
  // Some activities to log against, and the sharing: Ann's library with Bob as an editor, and
  // with three users one more share.
  const seedActivities: [User, number][] = [
    [ann, rng.int(1, 2)],
    [bob, rng.int(0, 1)],
    ...(cat ? [[cat, rng.int(0, 1)] as [User, number]] : []),
  ]
  for (const [user, n] of seedActivities) {
    for (let i = 0; i < n; i++) await serverMutation(w, user, { name: 'createActivity', args: activityArgs(rng, user.libraryId) }, true)
  }
  await serverMutation(
    w,
    ann,
    { name: 'shareLibrary', args: { inviteId: rng.uuid(), libraryId: ann.libraryId, email: bob.email, role: 'editor' } },
    true,
  )
  if (cat) {
    if (rng.chance(0.5))
      await serverMutation(
        w,
        ann,
        { name: 'shareLibrary', args: { inviteId: rng.uuid(), libraryId: ann.libraryId, email: cat.email, role: 'viewer' } },
        true,
      )
    else
      await serverMutation(
        w,
        bob,
        { name: 'shareLibrary', args: { inviteId: rng.uuid(), libraryId: bob.libraryId, email: cat.email, role: 'editor' } },
        true,
      )
  }

  const owners = [ann, bob, ann, cat && rng.chance(0.7) ? cat : rng.pick(w.users)]
  for (const [i, local] of env.deviceDbs.entries()) {
    const user = owners[i % owners.length]!
    const id = rng.uuid()
    await initDevice(local.db, { deviceId: id, userId: user.id })
    const direct = new FaultyDirect(() => env.server.service, user.token)
    direct.online = rng.chance(0.85)
    const wire = new ScriptedTransport(direct)
    const client = new SyncClient({
      db: local.db,
      transport: wire,
      deviceId: id,
      userId: user.id,
      deviceName: `d${i}`,
      pushBatch: rng.weighted([
        [1, 1],
        [1, 2],
        [3, 100],
      ]),
      pullLimit: rng.weighted([
        [1, 2],
        [2, 5],
        [7, 1000],
      ]),
    })
    w.devices.push({ name: `d${i}(${user.name})`, user, id, db: local.db, direct, wire, client, queued: new Map() })
  }
  w.log(
    `users ${w.users.map((u) => `${u.name}=${u.id}`).join(' ')}; devices ${w.devices.map((d) => `${d.name}${d.direct.online ? '' : ' offline'}`).join(', ')}`,
  )
  // Most devices start synced; the others make their first snapshot under fire.
  for (const d of w.devices) {
    if (!d.direct.online || rng.chance(0.3)) continue
    await attempt(w, d, 'first sync', () => d.client.sync(), false)
  }
  return w
}

/** Runs a mutation straight on the server, as another tab of `user` would (not a simulated device). */
async function serverMutation(w: World, user: User, m: AnyMutation, mustApply = false) {
  const outcome = await applyMutation(w.server.db, { userId: user.id, name: m.name, args: m.args, runtime: 'server' })
  if (mustApply && outcome.status !== 'applied') throw new Error(`setup: ${m.name} was rejected: ${outcome.message}`)
  remember(w, user, m)
  w.log(`server as ${user.name}: ${describeMutation(m)} → ${outcome.status === 'applied' ? 'applied' : `rejected ${outcome.code}`}`)
}

// Driving requests ---------------------------------------------------------------------------------

/**
 * Answers `d`'s held requests (each with a random fate, or delivered when `faults` is off) until
 * every one of `ops` has settled. With several requests held, a random one goes first.
 */
async function serve(w: World, d: Device, ops: Promise<unknown>[], faults: boolean) {
  let done = false
  const settled = Promise.allSettled(ops).then(() => {
    done = true
  })
  for (;;) {
    if (d.wire.held.length > 0) {
      await answer(w, d, w.rng.int(0, d.wire.held.length - 1), faults)
      continue
    }
    if (done) return
    await Promise.race([settled, d.wire.waitFor(1)])
  }
}

async function answer(w: World, d: Device, i: number, faults: boolean) {
  const held = d.wire.held[i]!
  const fate: Fate = faults ? w.rng.weighted(fates[held.kind]) : 'deliver'
  w.count(`${held.kind}:${fate}`)
  if (i > 0) w.count('reordered')
  if (fate !== 'deliver' || i > 0)
    w.log(`  ${d.name} ${held.kind}${i > 0 ? ` (held #${i} first)` : ''} → ${fate}${d.direct.online ? '' : ' (offline)'}`)
  switch (fate) {
    case 'deliver':
      return d.wire.deliver(i)
    case 'dropRequest':
      return d.wire.dropRequest(i)
    case 'dropResponse':
      return d.wire.dropResponse(i)
    case 'duplicate':
      return d.wire.duplicate(i)
    case 'crash':
      d.direct.crashAfter = w.rng.int(0, 2)
      return d.wire.deliver(i)
    case 'cut':
      d.direct.cutAfter = w.rng.int(0, 4)
      return d.wire.deliver(i)
  }
}

type Outcome<T> = { ok: true; value: T } | { ok: false; error: unknown }

function outcome<T>(p: Promise<T>): Promise<Outcome<T>> {
  return p.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  )
}

/** Checks an operation's end: a network fault is fine, anything else is a bug. */
function judge<T>(w: World, d: Device, label: string, result: Outcome<T>, { mustSucceed = false } = {}): T | undefined {
  if (result.ok) return result.value
  if (result.error instanceof TransportError && !mustSucceed) {
    w.log(`  ${d.name} ${label} failed: ${result.error.message}`)
    return undefined
  }
  w.fail(`${d.name} ${label} threw ${describeError(result.error)}`)
}

async function attempt<T>(w: World, d: Device, label: string, op: () => Promise<T>, faults = true): Promise<T | undefined> {
  const p = op()
  const result = outcome(p)
  await serve(w, d, [p], faults)
  return judge(w, d, label, await result, { mustSucceed: !faults && d.direct.online })
}

// Local views --------------------------------------------------------------------------------------

type View = {
  libraries: { id: string; ownerId: string; isDefault: boolean }[]
  activities: { id: string; libraryId: string; deleted: boolean }[]
  entries: { id: string; activityId: string }[]
  tags: { id: string; name: string }[]
  members: { libraryId: string; userId: string; role: string }[]
}

async function viewOf(db: Db): Promise<View> {
  const [row] = await rows<{ v: View }>(
    db,
    sql`select jsonb_build_object(
      'libraries', (select coalesce(jsonb_agg(jsonb_build_object('id', id, 'ownerId', owner_id, 'isDefault', is_default) order by id), '[]') from libraries),
      'activities', (select coalesce(jsonb_agg(jsonb_build_object('id', id, 'libraryId', library_id, 'deleted', deleted_at is not null) order by id), '[]') from activities),
      'entries', (select coalesce(jsonb_agg(jsonb_build_object('id', id, 'activityId', activity_id) order by id), '[]') from entries),
      'tags', (select coalesce(jsonb_agg(jsonb_build_object('id', id, 'name', name) order by id), '[]') from tags),
      'members', (select coalesce(jsonb_agg(jsonb_build_object('libraryId', library_id, 'userId', user_id, 'role', role) order by library_id, user_id), '[]') from library_members)
    ) as v`,
  )
  return row!.v
}

type AttributeView = {
  id: string
  name: string
  type: AttributeType
  required: boolean
  retired: boolean
  options: { id: string; label: string; retired: boolean }[]
}

async function attributesOf(db: Db, activityId: string): Promise<AttributeView[]> {
  return rows<AttributeView>(
    db,
    sql`select a.id::text as id, a.name, a.type, a.required, a.retired_at is not null as retired,
               coalesce((select jsonb_agg(jsonb_build_object('id', o.id, 'label', o.label, 'retired', o.retired_at is not null) order by o.ordinal)
                           from attribute_options o where o.attribute_id = a.id), '[]'::jsonb) as options
          from attributes a where a.activity_id = ${activityId}::uuid order by a.ordinal`,
  )
}

// Random mutations ---------------------------------------------------------------------------------

const TAG_NAMES = ['PR', 'Heavy', 'Easy', 'Deload', 'Tired', 'Outdoor']
const ACTIVITY_NAMES = ['Back squat', 'Bench press', 'Deadlift', 'Row', 'Press', 'Run']
const ATTRIBUTE_NAMES: Record<AttributeType, string> = {
  number: 'RPE',
  integer: 'Reps',
  duration: 'Time',
  distance: 'Distance',
  mass: 'Weight',
  text: 'Note',
  choice: 'Grip',
  boolean: 'Belt',
}

function attributeInput(rng: Rng, type: AttributeType = rng.pick(attributeTypes), required = false): AttributeInput {
  return {
    id: rng.uuid(),
    name: ATTRIBUTE_NAMES[type],
    type,
    ...(required ? { required } : {}),
    ...(type === 'choice'
      ? {
          options: [
            { id: rng.uuid(), label: 'Wide' },
            { id: rng.uuid(), label: 'Narrow' },
          ],
        }
      : {}),
  }
}

function activityArgs(rng: Rng, libraryId: string): MutatorArgs<'createActivity'> {
  const attributes = [attributeInput(rng, 'integer', rng.chance(0.6))]
  for (let i = rng.int(0, 2); i > 0; i--) attributes.push(attributeInput(rng))
  return { id: rng.uuid(), libraryId, name: rng.pick(ACTIVITY_NAMES), kind: 'scalar', attributes }
}

function validValue(rng: Rng, a: AttributeView): Value | undefined {
  switch (a.type) {
    case 'number':
    case 'mass':
      return rng.int(0, 80) * 2.5
    case 'integer':
      return rng.int(1, 12)
    case 'duration':
    case 'distance':
      return rng.int(0, 3600)
    case 'text':
      return rng.pick(['easy', 'hard', 'felt good'])
    case 'boolean':
      return rng.chance(0.5)
    case 'choice':
      return rng.maybe(a.options.map((o) => o.id))
  }
}

function invalidValue(rng: Rng, a: AttributeView): Value {
  switch (a.type) {
    case 'text':
      return 5
    case 'boolean':
      return 'yes'
    case 'choice':
      return rng.uuid()
    case 'integer':
      return 2.5
    case 'duration':
    case 'distance':
      return -1
    default:
      return 'heavy'
  }
}

function instant(rng: Rng): string {
  return new Date(Date.UTC(2026, rng.int(0, 11), rng.int(1, 28), rng.int(5, 21), rng.pick([0, 15, 30, 45]))).toISOString()
}

type Gen = (w: World, d: Device, view: View) => Promise<AnyMutation | undefined>

/** Mostly something the device can see; sometimes a stale or foreign id the simulation made. */
function pickRef(rng: Rng, local: readonly { id: string }[], global: readonly { id: string }[], pLocal = 0.85): { id: string } | undefined {
  if (local.length > 0 ? rng.chance(pLocal) : rng.chance(0.7)) return rng.maybe(local)
  return rng.maybe(global)
}

function ownLibraries(d: Device, view: View) {
  return view.libraries.filter((l) => l.ownerId === d.user.id)
}

const generators: (readonly [number, Gen])[] = [
  [
    12,
    async (w) => ({
      name: 'createTag',
      args: {
        id: w.rng.uuid(),
        name: w.rng.pick(TAG_NAMES),
        ...(w.rng.chance(0.2) ? { color: w.rng.pick(['#3366ff', '#aa0000', 'red']) } : {}),
      },
    }),
  ],
  [
    3,
    async (w, _d, view) => {
      const tag = pickRef(w.rng, view.tags, w.known.tags)
      return tag && { name: 'deleteTag', args: { tagId: tag.id } }
    },
  ],
  [
    16,
    async (w, d, view) => {
      const { rng } = w
      const own = new Set(ownLibraries(d, view).map((l) => l.id))
      const r = rng.next()
      const activity =
        r < 0.8
          ? rng.maybe(view.activities.filter((a) => own.has(a.libraryId)))
          : r < 0.9
            ? rng.maybe(view.activities.filter((a) => !own.has(a.libraryId)))
            : rng.maybe(w.known.activities)
      if (!activity) return undefined
      const values: Record<string, Value> = {}
      for (const a of await attributesOf(d.db, activity.id)) {
        const p = rng.next()
        const value = p < 0.75 ? validValue(rng, a) : p < 0.79 ? invalidValue(rng, a) : undefined
        if (value !== undefined) values[a.id] = value
      }
      return { name: 'logEntry', args: { entry: { id: rng.uuid(), activityId: activity.id, performedAt: instant(rng), values } } }
    },
  ],
  [
    8,
    async (w, d, view) => {
      const { rng } = w
      const entry = pickRef(rng, view.entries, w.known.entries)
      if (!entry) return undefined
      const local = view.entries.find((e) => e.id === entry.id)
      const attributes = local ? await attributesOf(d.db, local.activityId) : []
      const values: Record<string, Value | null> = {}
      for (let n = rng.int(0, 2); n > 0 && attributes.length > 0; n--) {
        const a = rng.pick(attributes)
        values[a.id] = rng.chance(0.2) ? null : (validValue(rng, a) ?? null)
      }
      return {
        name: 'editEntry',
        args: {
          entryId: entry.id,
          ...(rng.chance(0.4) ? { notes: rng.pick(['', 'tired', 'new PR']) } : {}),
          ...(rng.chance(0.3) ? { performedAt: instant(rng) } : {}),
          ...(Object.keys(values).length > 0 ? { values } : {}),
        },
      }
    },
  ],
  [
    4,
    async (w, _d, view) => {
      const entry = pickRef(w.rng, view.entries, w.known.entries)
      return entry && { name: 'deleteEntry', args: { entryId: entry.id } }
    },
  ],
  [
    6,
    async (w, _d, view) => {
      const entry = pickRef(w.rng, view.entries, w.known.entries)
      const tag = pickRef(w.rng, view.tags, w.known.tags)
      return entry && tag && { name: 'tagEntry', args: { entryId: entry.id, tagId: tag.id } }
    },
  ],
  [
    2,
    async (w, _d, view) => {
      const entry = pickRef(w.rng, view.entries, w.known.entries)
      const tag = pickRef(w.rng, view.tags, w.known.tags)
      return entry && tag && { name: 'untagEntry', args: { entryId: entry.id, tagId: tag.id } }
    },
  ],
  [
    6,
    async (w, _d, view) => {
      const activity = pickRef(w.rng, view.activities, w.known.activities)
      return (
        activity && { name: 'renameActivity', args: { activityId: activity.id, name: `${w.rng.pick(ACTIVITY_NAMES)} ${w.rng.int(1, 9)}` } }
      )
    },
  ],
  [
    5,
    async (w, d, view) => {
      const { rng } = w
      const r = rng.next()
      const library =
        r < 0.6
          ? rng.maybe(ownLibraries(d, view))
          : r < 0.95
            ? rng.maybe(view.libraries.filter((l) => l.ownerId !== d.user.id))
            : rng.maybe(w.known.libraries)
      return library && { name: 'createActivity', args: activityArgs(rng, library.id) }
    },
  ],
  [
    6,
    async (w, d, view) => {
      const { rng } = w
      const activity = pickRef(rng, view.activities, w.known.activities)
      if (!activity) return undefined
      const current = await attributesOf(d.db, activity.id)
      const proposal: AttributeInput[] = current.map((a) => ({
        id: a.id,
        name: a.name,
        type: a.type,
        required: a.required,
        retired: a.retired,
        ...(a.type === 'choice' ? { options: a.options.map((o) => ({ id: o.id, label: o.label, retired: o.retired })) } : {}),
      }))
      const r = rng.next()
      const choice = proposal.filter((a) => a.type === 'choice')
      if (r < 0.55 || proposal.length === 0) proposal.push(attributeInput(rng, undefined, rng.chance(0.15)))
      else if (r < 0.7) rng.pick(proposal).name = rng.pick(['Load', 'Sets', 'Tempo', 'Side'])
      else if (r < 0.8) {
        const a = rng.pick(proposal)
        a.retired = !a.retired
      } else if (r < 0.93 && choice.length > 0)
        rng.pick(choice).options!.push({ id: rng.uuid(), label: rng.pick(['Close', 'Mixed', 'Hook']) })
      else if (proposal.length >= 2) proposal.reverse()
      else proposal.push(attributeInput(rng))
      return { name: 'setAttributes', args: { activityId: activity.id, attributes: proposal } }
    },
  ],
  [
    4,
    async (w, d, view) => {
      const { rng } = w
      const own = ownLibraries(d, view)
      const source = rng.chance(0.7)
        ? rng.maybe(view.activities.filter((a) => !own.some((l) => l.id === a.libraryId)))
        : pickRef(rng, view.activities, w.known.activities)
      const target = rng.chance(0.9) ? rng.maybe(own) : rng.maybe(view.libraries)
      return (
        source && target && { name: 'addActivityToLibrary', args: { id: rng.uuid(), sourceActivityId: source.id, libraryId: target.id } }
      )
    },
  ],
  [
    2,
    async (w, _d, view) => {
      const activity = pickRef(w.rng, view.activities, w.known.activities)
      return activity && { name: 'deleteActivity', args: { activityId: activity.id } }
    },
  ],
  [
    3,
    async (w) => ({
      name: 'updateSettings',
      args: w.rng.chance(0.5) ? { massUnit: w.rng.pick(['kg', 'lb'] as const) } : { weekStartsOn: w.rng.int(0, 7) },
    }),
  ],
  [
    4,
    async (w, d, view) => {
      const { rng } = w
      const library = rng.maybe(ownLibraries(d, view))
      const other = rng.maybe(w.users.filter((u) => u.id !== d.user.id))
      if (!library || !other) return undefined
      const members = view.members.filter((m) => m.libraryId === library.id)
      const memberId = members.length > 0 && rng.chance(0.8) ? rng.pick(members).userId : other.id
      const r = rng.next()
      if (r < 0.4) {
        const email = rng.chance(0.93) ? other.email : d.user.email
        return {
          name: 'shareLibrary',
          args: { inviteId: rng.uuid(), libraryId: library.id, email, role: rng.pick(['editor', 'viewer'] as const) },
        }
      }
      if (r < 0.75) return { name: 'revokeMember', args: { libraryId: library.id, userId: memberId } }
      return { name: 'changeMemberRole', args: { libraryId: library.id, userId: memberId, role: rng.pick(['editor', 'viewer'] as const) } }
    },
  ],
  [2, async (w) => ({ name: 'createLibrary', args: { id: w.rng.uuid(), name: `${w.rng.pick(['Gym', 'Home', 'Travel'])} library` } })],
  [
    1,
    async (w, d, view) => {
      const library = pickRef(w.rng, ownLibraries(d, view), w.known.libraries, 0.9)
      return library && { name: 'deleteLibrary', args: { libraryId: library.id } }
    },
  ],
]

/** Notes the ids a mutation makes, for later references (valid or stale). */
function remember(w: World, user: User, m: AnyMutation) {
  const args = m.args as Record<string, unknown>
  switch (m.name) {
    case 'createTag':
      w.known.tags.push({ id: String(args.id), userId: user.id })
      break
    case 'logEntry':
      w.known.entries.push({ id: (m.args.entry as { id: string }).id, userId: user.id })
      break
    case 'createActivity':
      w.known.activities.push({ id: m.args.id, libraryId: m.args.libraryId })
      break
    case 'addActivityToLibrary':
      w.known.activities.push({ id: m.args.id, libraryId: m.args.libraryId })
      break
    case 'createLibrary':
      w.known.libraries.push({ id: m.args.id, ownerId: user.id })
      break
  }
}

// Steps --------------------------------------------------------------------------------------------

async function generate(w: World, d: Device): Promise<AnyMutation> {
  const view = await viewOf(d.db)
  return (await w.rng.weighted(generators)(w, d, view)) ?? (await generators[0]![1](w, d, view))!
}

/** Queues `m` on the device; a local refusal is fine (B1), anything else is a bug. */
async function queue(w: World, d: Device, m: AnyMutation) {
  remember(w, d.user, m)
  try {
    const id = await d.client.mutate(m.name, m.args as never)
    d.queued.set(id, { name: m.name, args: m.args as Record<string, unknown>, step: w.step })
    w.count('queued')
    w.log(`${d.name} #${id} ${describeMutation(m)}`)
  } catch (error) {
    if (!(error instanceof MutationError)) w.fail(`${d.name} mutate ${m.name} threw ${describeError(error)}`)
    w.count('refusedLocally')
    w.log(`${d.name} refused ${describeMutation(m)}: ${error.code}`)
  }
}

async function mutate(w: World, d: Device) {
  await queue(w, d, await generate(w, d))
}

type Op = 'push' | 'pull' | 'sync' | 'refetch'

function startOp(d: Device, op: Op): Promise<unknown> {
  switch (op) {
    case 'push':
      return d.client.push()
    case 'pull':
      return d.client.pull()
    case 'sync':
      return d.client.sync()
    case 'refetch':
      return d.client.refetch()
  }
}

async function runOp(w: World, d: Device, op: Op) {
  w.log(`${d.name} ${op}${d.direct.online ? '' : ' (offline)'}`)
  await attempt(w, d, op, () => startOp(d, op))
}

/** Something else happens while the device's request is in flight. */
async function interleave(w: World, d: Device) {
  const { rng } = w
  const op = rng.pick(['push', 'pull', 'sync'] as const)
  const what = rng.weighted([
    [5, 'mutate'],
    [2, 'other device'],
    [1, 'compact'],
    [1, 'restart'],
    [1, 'membership'],
  ] as const)
  w.log(`${d.name} ${op}, and while its request is held: ${what}`)
  const p = startOp(d, op)
  const result = outcome(p)
  await Promise.race([result, d.wire.waitFor(1)])
  let side: Promise<void> = Promise.resolve()
  if (d.wire.held.length > 0) {
    const inTransaction = d.wire.held[0]!.kind === 'snapshot'
    // A snapshot is read inside the device's transaction: a local write waits for it (so does
    // reading the device to choose one; a tag needs no reading).
    if (what === 'mutate')
      side = inTransaction ? queue(w, d, { name: 'createTag', args: { id: rng.uuid(), name: rng.pick(TAG_NAMES) } }) : mutate(w, d)
    else if (what === 'other device') {
      const other = rng.pick(w.devices.filter((o) => o !== d))
      await mutate(w, other)
      await runOp(w, other, 'push')
    } else if (what === 'compact') await compaction(w)
    else if (what === 'restart') await restart(w)
    else await membershipOnServer(w)
    if (!inTransaction) await side
  }
  await serve(w, d, [p, side], true)
  await side
  judge(w, d, op, await result)
}

/** Two requests of one device in flight at once, answered in a random order. */
async function concurrent(w: World, d: Device) {
  const { rng } = w
  const [a, b] = rng.pick([
    ['push', 'pull'],
    ['pull', 'push'],
    ['pull', 'pull'],
    ['push', 'push'],
    ['sync', 'pull'],
    ['pull', 'refetch'],
  ] as const)
  w.log(`${d.name} ${a} and ${b} at once${d.direct.online ? '' : ' (offline)'}`)
  const first = startOp(d, a)
  const firstResult = outcome(first)
  await Promise.race([firstResult, d.wire.waitFor(1)])
  if (d.wire.held[0]?.kind === 'snapshot') {
    // The first holds the device's database until its snapshot is in: no overlap possible.
    await serve(w, d, [first], true)
  }
  const second = startOp(d, b)
  const secondResult = outcome(second)
  await Promise.race([secondResult, d.wire.waitFor(d.wire.held.length + 1)])
  await serve(w, d, [first, second], true)
  judge(w, d, a, await firstResult)
  judge(w, d, b, await secondResult)
}

async function compaction(w: World) {
  const keep = w.rng.int(0, 4)
  const { horizon, removedTransactions } = await compact(w.server.db, {
    keepDays: 0,
    keepTransactions: keep,
    now: new Date(Date.now() + 60_000),
  })
  w.count('compactions')
  w.log(`server compacts keeping ${keep}: horizon ${horizon}, ${removedTransactions} transactions removed`)
}

async function restart(w: World) {
  await w.server.restart()
  w.count('restarts')
  w.log('server restarts')
}

/** The owner changes a membership from a tab the simulation does not model. */
async function membershipOnServer(w: World) {
  const { rng } = w
  const owner = rng.pick(w.users)
  const other = rng.pick(w.users.filter((u) => u.id !== owner.id))
  const [member] = await rows<{ role: string }>(
    w.server.db,
    sql`select role from library_members where library_id = ${owner.libraryId} and user_id = ${other.id}`,
  )
  if (member && rng.chance(0.7)) {
    w.count('revocations')
    return serverMutation(w, owner, { name: 'revokeMember', args: { libraryId: owner.libraryId, userId: other.id } })
  }
  w.count('shares')
  const role = rng.pick(['editor', 'viewer'] as const)
  return serverMutation(w, owner, {
    name: 'shareLibrary',
    args: { inviteId: rng.uuid(), libraryId: owner.libraryId, email: other.email, role },
  })
}

/** A long-poll that another device's write (or nothing, until it times out) answers. */
async function longPoll(w: World, d: Device) {
  const other = w.rng.pick(w.devices.filter((o) => o !== d))
  w.log(`${d.name} long-polls while ${other.name} writes`)
  const p = d.client.pull({ waitMs: 100 })
  const result = outcome(p)
  await Promise.race([result, d.wire.waitFor(1)])
  if (d.wire.held[0]?.kind === 'pull') {
    const polling = d.wire.deliver(0)
    await mutate(w, other)
    await runOp(w, other, 'push')
    await polling
  }
  await serve(w, d, [p], true)
  judge(w, d, 'long-poll', await result)
}

/**
 * Rush hour: several devices' requests reach the server at once, maybe while an owner changes a
 * membership, the log is compacted or the server restarts. The server's work interleaves
 * statement by statement.
 */
async function rush(w: World) {
  const { rng } = w
  const group = rng.shuffle(w.devices).slice(0, rng.int(2, w.devices.length))
  const extra = rng.weighted([
    [3, 'nothing else'],
    [3, 'membership'],
    [1, 'compact'],
    [1, 'restart'],
  ] as const)
  w.log(`rush: ${group.map((d) => d.name).join(', ')} at once, and ${extra}`)
  w.count('rushes')
  const tasks = group.map(async (d) => {
    const op = rng.pick(['push', 'pull', 'sync', 'mutate and sync', 'refetch'] as const)
    if (op !== 'mutate and sync') return runOp(w, d, op)
    await mutate(w, d)
    await runOp(w, d, 'sync')
  })
  if (extra === 'membership') tasks.push(membershipOnServer(w))
  if (extra === 'compact') tasks.push(compaction(w))
  if (extra === 'restart') tasks.push(restart(w))
  const failed = (await Promise.allSettled(tasks)).find((r) => r.status === 'rejected')
  if (failed) throw failed.reason
}

async function toggle(w: World, d: Device) {
  d.direct.online = !d.direct.online
  w.count(d.direct.online ? 'online' : 'offline')
  w.log(`${d.name} goes ${d.direct.online ? 'online' : 'offline'}`)
}

type Step = (w: World, d: Device) => Promise<void>

const steps: (readonly [number, Step])[] = [
  [42, mutate],
  [8, toggle],
  [10, (w, d) => runOp(w, d, 'push')],
  [10, (w, d) => runOp(w, d, 'pull')],
  [8, (w, d) => runOp(w, d, 'sync')],
  [2, (w, d) => runOp(w, d, 'refetch')],
  [6, interleave],
  [4, concurrent],
  [3, (w) => compaction(w)],
  [4, (w) => membershipOnServer(w)],
  [2, (w) => restart(w)],
  [2, longPoll],
  [6, (w) => rush(w)],
]

// The end ------------------------------------------------------------------------------------------

async function head(db: Db): Promise<number> {
  const [row] = await rows<{ seq: string }>(db, sql`select seq::text as seq from sync_state where id = 1`)
  return Number(row!.seq)
}

async function settledEverywhere(w: World): Promise<boolean> {
  const seq = await head(w.server.db)
  for (const d of w.devices) {
    const state = await readState(d.db)
    const [pending] = await rows<{ n: number }>(d.db, sql`select count(*)::int as n from local_outbox`)
    if (state.syncedSeq !== seq || pending!.n > 0) return false
  }
  return true
}

/** Every device online on a perfect network, syncing in turns until nothing changes. */
async function quiesce(w: World) {
  w.step++
  w.log('--- every device online; sync until quiet')
  for (const d of w.devices) d.direct.online = true
  for (let round = 1; ; round++) {
    for (const d of w.rng.shuffle(w.devices)) await attempt(w, d, `sync (round ${round})`, () => d.client.sync(), false)
    if (await settledEverywhere(w)) return
    if (round >= 4) w.fail(`the devices did not settle after ${round} rounds of syncing on a perfect network`)
  }
}

type Picture = Record<string, Record<string, unknown>[]>

/** Rows of every replica table, in primary key order; on the server only those of `scope`. */
async function picture(db: Db, scope?: { userId: string; libraryIds: string[] }): Promise<Picture> {
  const parts = replicaTables.map((t) => {
    const order = sql.join(
      t.key.map((k) => sql`t.${sql.identifier(k)}`),
      sql`, `,
    )
    let where = sql`true`
    if (scope) {
      const ids = t.scope === 'user' ? [scope.userId] : scope.libraryIds
      where =
        ids.length > 0
          ? sql`t.${sql.identifier(t.column)}::text in (${sql.join(
              ids.map((id) => sql`${id}`),
              sql`, `,
            )})`
          : sql`false`
    }
    return sql`${t.table}::text, (select coalesce(jsonb_agg(to_jsonb(t) order by ${order}), '[]'::jsonb) from ${sql.identifier(t.table)} t where ${where})`
  })
  const [row] = await rows<{ p: Picture }>(db, sql`select jsonb_build_object(${sql.join(parts, sql`, `)}) as p`)
  return row!.p
}

function keyOf(table: string, row: Record<string, unknown>) {
  return replicaTables
    .find((t) => t.table === table)!
    .key.map((k) => String(row[k]))
    .join('|')
}

function pictureDiff(device: Picture, server: Picture): string[] {
  const problems: string[] = []
  for (const t of replicaTables) {
    const mine = device[t.table] ?? []
    const truth = server[t.table] ?? []
    if (isDeepStrictEqual(mine, truth)) continue
    const byKey = new Map(truth.map((r) => [keyOf(t.table, r), r]))
    const seen = new Set<string>()
    const lines: string[] = []
    for (const row of mine) {
      const key = keyOf(t.table, row)
      seen.add(key)
      const other = byKey.get(key)
      if (!other) lines.push(`only on the device: ${JSON.stringify(row)}`)
      else if (!isDeepStrictEqual(row, other)) lines.push(`differs: device ${JSON.stringify(row)}\n        server ${JSON.stringify(other)}`)
    }
    for (const [key, row] of byKey) if (!seen.has(key)) lines.push(`missing on the device: ${JSON.stringify(row)}`)
    if (lines.length === 0) lines.push('same rows in another order')
    problems.push(
      `${t.table}:\n      ${lines.slice(0, 4).map(shortIds).join('\n      ')}${lines.length > 4 ? `\n      …and ${lines.length - 4} more` : ''}`,
    )
  }
  return problems
}

type ResultRow = { mutation_id: number; name: string; status: 'applied' | 'rejected'; error_code: string | null }

async function check(w: World) {
  const db = w.server.db
  const problems: string[] = []
  const seq = await head(db)
  const applied: { d: Device; id: number; q: Queued }[] = []
  const rejected: { d: Device; id: number; q: Queued }[] = []

  for (const d of w.devices) {
    const p = (what: string) => problems.push(`${d.name}: ${what}`)
    // 4. Nothing pending.
    const state = await readState(d.db)
    if (state.syncedSeq !== seq) p(`synced to ${state.syncedSeq}, the server is at ${seq}`)
    const [local] = await rows<{ outbox: number; undo: number }>(
      d.db,
      sql`select (select count(*)::int from local_outbox) as outbox, (select count(*)::int from local_undo) as undo`,
    )
    if (local!.outbox > 0) p(`${local!.outbox} mutations still in the outbox`)
    if (local!.undo > 0) p(`${local!.undo} rows still in the undo log with nothing pending`)

    // 1. The device holds exactly the server's rows of its scopes.
    const libraryIds = (
      await rows<{ id: string }>(
        db,
        sql`select id::text as id from libraries where owner_id = ${d.user.id} union select library_id::text from library_members where user_id = ${d.user.id}`,
      )
    ).map((r) => r.id)
    for (const diff of pictureDiff(await picture(d.db), await picture(db, { userId: d.user.id, libraryIds })))
      p(`replica differs from the server in ${diff}`)

    // 2. One result per queued mutation, no more.
    const results = await rows<ResultRow>(
      db,
      sql`select mutation_id::int as mutation_id, name, status, error_code from mutation_results where device_id = ${d.id} order by mutation_id`,
    )
    const expected = [...d.queued.keys()].sort((a, b) => a - b)
    const got = results.map((r) => r.mutation_id)
    if (!isDeepStrictEqual(got, expected)) p(`the server has results for mutations [${got}], the device queued [${expected}]`)
    if (state.nextMutationId !== expected.length + 1) p(`next mutation id is ${state.nextMutationId} after queueing ${expected.length}`)

    // 3. Every rejection reported, with the server's code, and nothing else.
    const reported = new Map(
      (
        await rows<{ mutation_id: number; name: string; error_code: string }>(
          d.db,
          sql`select mutation_id::int as mutation_id, name, error_code from local_rejections`,
        )
      ).map((r) => [r.mutation_id, r]),
    )
    for (const r of results) {
      const q = d.queued.get(r.mutation_id)
      if (!q) continue
      if (q.name !== r.name) p(`mutation #${r.mutation_id} is ${q.name} on the device, ${r.name} on the server`)
      const report = reported.get(r.mutation_id)
      if (r.status === 'applied') {
        applied.push({ d, id: r.mutation_id, q })
        if (report) p(`applied mutation #${r.mutation_id} ${r.name} is reported as rejected (${report.error_code})`)
      } else {
        rejected.push({ d, id: r.mutation_id, q })
        if (!report) p(`rejected mutation #${r.mutation_id} ${r.name} (${r.error_code}) is not reported`)
        else if (report.error_code !== r.error_code)
          p(`mutation #${r.mutation_id} was rejected with ${r.error_code}, the device reports ${report.error_code}`)
      }
      reported.delete(r.mutation_id)
    }
    for (const [id, r] of reported) p(`reports mutation #${id} ${r.name} as rejected (${r.error_code}), the server has no such rejection`)
    const status = await d.client.refreshStatus()
    if (status.pending !== 0) p(`status says ${status.pending} pending`)
    if (status.rejected.length !== results.filter((r) => r.status === 'rejected').length)
      p(`status lists ${status.rejected.length} rejections`)
  }

  // 2. Applied creations are on the server unless deleted since; rejected ones left nothing.
  const deleted = new Set<string>()
  for (const { q } of applied) {
    if (q.name === 'deleteTag') deleted.add(`tags:${String(q.args.tagId)}`)
    if (q.name === 'deleteEntry') deleted.add(`entries:${String(q.args.entryId)}`)
    if (q.name === 'deleteLibrary') deleted.add(`libraries:${String(q.args.libraryId)}`)
  }
  type Made = { table: 'tags' | 'entries' | 'activities' | 'libraries'; id: string; libraryId?: string }
  const created = (q: Queued): Made | undefined => {
    const a = q.args
    if (q.name === 'createTag') return { table: 'tags', id: String(a.id) }
    if (q.name === 'logEntry') return { table: 'entries', id: String((a.entry as { id: string }).id) }
    if (q.name === 'createActivity' || q.name === 'addActivityToLibrary')
      return { table: 'activities', id: String(a.id), libraryId: String(a.libraryId) }
    if (q.name === 'createLibrary') return { table: 'libraries', id: String(a.id) }
    return undefined
  }
  const [present] = await rows<{ ids: string[] }>(
    db,
    sql`select array(select id::text from tags union all select id::text from entries union all select id::text from activities union all select id::text from libraries) as ids`,
  )
  const times = new Map<string, number>()
  for (const id of present!.ids) times.set(id, (times.get(id) ?? 0) + 1)
  for (const { d, id, q } of applied) {
    const c = created(q)
    if (!c || deleted.has(`${c.table}:${c.id}`) || (c.libraryId && deleted.has(`libraries:${c.libraryId}`))) continue
    const n = times.get(c.id) ?? 0
    if (n !== 1) problems.push(`${d.name}: applied #${id} ${q.name} made ${c.table} ${shortIds(c.id)}, which the server has ${n} times`)
  }
  for (const { d, id, q } of rejected) {
    const c = created(q)
    if (c && times.has(c.id)) problems.push(`${d.name}: rejected #${id} ${q.name} left ${c.table} ${shortIds(c.id)} on the server`)
  }
  for (const d of w.devices) {
    if (d.direct.surprises.length > 0) problems.push(`${d.name}: the server failed unexpectedly: ${d.direct.surprises.join('; ')}`)
  }
  if (problems.length > 0) w.fail(`after syncing until quiet:\n  ${problems.join('\n  ')}`)
  w.count('applied', applied.length)
  w.count('rejected', rejected.length)
}

// A seed -------------------------------------------------------------------------------------------

async function simulate(seed: number, env: FuzzEnv, options: RunOptions): Promise<SeedReport> {
  const started = performance.now()
  const timings: Record<string, number> = {}
  const lap = (what: string) =>
    (timings[what] = Math.round(performance.now() - started - Object.values(timings).reduce((a, b) => a + b, 0)))
  const w = await setup(seed, env)
  lap('setup')
  const [min, max] = options.steps ?? [15, 30]
  const n = w.rng.int(min, max)
  const errors: unknown[] = []
  const consoleError = console.error
  // The server logs what it did not expect before answering 500; that names the seed here too.
  console.error = (...args: unknown[]) => {
    errors.push(args.map((a) => (a instanceof Error ? describeError(a) : String(a))).join(' '))
    consoleError(...args)
  }
  try {
    for (w.step = 1; w.step <= n; w.step++) {
      const d = w.rng.pick(w.devices)
      await w.rng.weighted(steps)(w, d)
      if (errors.length > 0) w.fail(`console.error: ${errors.join('; ')}`)
      const surprises = w.devices.flatMap((o) => o.direct.surprises.map((s) => `${o.name} ${s}`))
      if (surprises.length > 0) w.fail(`the server failed unexpectedly: ${surprises.join('; ')}`)
    }
    lap('steps')
    await quiesce(w)
    lap('quiesce')
    await check(w)
    lap('check')
    if (errors.length > 0) w.fail(`console.error: ${errors.join('; ')}`)
  } finally {
    console.error = consoleError
  }
  for (const d of w.devices) for (const [k, v] of Object.entries(d.direct.seen)) w.count(k, v)
  return { seed, steps: n, counts: w.counts, timings, trace: w.trace }
}

/**
 * Runs one seed on the pool: resets the databases, simulates, checks. Throws a {@link SimError}
 * naming the seed, with the trace of what happened, when an invariant breaks.
 */
export async function runSeed(seed: number, env: FuzzEnv, options: RunOptions = {}): Promise<SeedReport> {
  const timeoutMs = options.timeoutMs ?? 60_000
  let timer: ReturnType<typeof setTimeout> | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      env.poisoned = true
      reject(new SimError(`seed ${seed}: did not finish within ${timeoutMs} ms (a hang?)`))
    }, timeoutMs)
  })
  try {
    return await Promise.race([simulate(seed, env, options), timeout])
  } finally {
    clearTimeout(timer)
  }
}
