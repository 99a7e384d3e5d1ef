/**
 * A seeded five-year training account, made of the real domain mutations: `createActivity` for a
 * strength library (a "Set" with weight, reps and RPE; a dozen exercises whose template is sets;
 * a workout whose template is exercises; a bodyweight measure) and one `logEntry` per workout
 * with its tree workout → exercises → sets. Scale 1: 2,000 workouts, ~10,000 exercise entries,
 * ~60,000 sets, ~160,000 values (~230,000 synced rows).
 */
import { count, eq } from 'drizzle-orm'
import type { PostgresClient } from '@/db/postgres'
import { localOutbox, localSyncState } from '@/db/schema/local'
import { newId } from '@/domain/ids'
import type { MutatorArgs } from '@/domain/mutators'
import type { EntryInput } from '@/domain/mutators/entries'
import { SyncClient, initDevice } from '@/sync/client/client'
import { HttpTransport, type Transport } from '@/sync/client/transport'
import type { PullResponse, PushResponse } from '@/sync/protocol'
import { handlerFetch } from '@/sync/server/testing/fetch'
import { testServer, type TestDevice, type TestServer, type TestUser } from '@/sync/server/testing/harness'
import { postgresListen } from '@/sync/server/testing/postgres'
import { freshPglite, freshPostgres, rng, type Rng } from './lib'

export { rawInsert } from './raw-insert'

const EXERCISES = [
  'Back squat',
  'Front squat',
  'Deadlift',
  'Romanian deadlift',
  'Bench press',
  'Incline press',
  'Overhead press',
  'Barbell row',
  'Pull-up',
  'Dip',
  'Hip thrust',
  'Lunge',
] as const
const START = Date.UTC(2021, 0, 4, 7)
const FIVE_YEARS = 5 * 365 * 24 * 3600 * 1000

/** `logEntry`'s arguments (its schema is recursive, so the inferred input type is `unknown`). */
export type LogEntryArgs = { entry: EntryInput }

export type Account = {
  activities: MutatorArgs<'createActivity'>[]
  workouts: LogEntryArgs[]
  /** For small pending writes (M4): a scalar bodyweight entry. */
  bodyweight: { activityId: string; massId: string }
  /** Attribute ids by name, for turning a workout into rows. */
  attrs: { duration: string; weight: string; reps: string; rpe: string }
}

/** The account for `seed`; ids are UUIDv7 from the seed, so two seeds never collide. */
export function generateAccount({ seed, scale = 1, libraryId }: { seed: number; scale?: number; libraryId: string }): Account {
  const r = rng(seed)
  const t0 = START - 86_400_000
  const id = () => r.uuid7(t0)
  const attrs = { duration: id(), weight: id(), reps: id(), rpe: id() }
  const set = {
    id: id(),
    libraryId,
    name: 'Set',
    kind: 'scalar' as const,
    attributes: [
      { id: attrs.weight, name: 'Weight', type: 'mass' as const },
      { id: attrs.reps, name: 'Reps', type: 'integer' as const, required: true },
      { id: attrs.rpe, name: 'RPE', type: 'number' as const },
    ],
  }
  const exercises = EXERCISES.map((name) => ({
    id: id(),
    libraryId,
    name,
    kind: 'sequence' as const,
    attributes: [],
    items: [{ id: id(), childId: set.id, repeat: 5 }],
  }))
  const workout = {
    id: id(),
    libraryId,
    name: 'Strength workout',
    kind: 'sequence' as const,
    attributes: [{ id: attrs.duration, name: 'Duration', type: 'duration' as const }],
    items: exercises.slice(0, 5).map((e) => ({ id: id(), childId: e.id, repeat: 1 })),
  }
  const bodyweight = { activityId: id(), massId: id() }
  const bw = {
    id: bodyweight.activityId,
    libraryId,
    name: 'Bodyweight',
    kind: 'scalar' as const,
    attributes: [{ id: bodyweight.massId, name: 'Mass', type: 'mass' as const, required: true }],
  }

  const count = Math.max(1, Math.round(2000 * scale))
  const base = new Map(exercises.map((e) => [e.id, r.int(40, 140)]))
  const workouts = Array.from({ length: count }, (_, i) => {
    const at = START + Math.floor((i / count) * FIVE_YEARS) + r.int(0, 12) * 3600_000
    return {
      entry: workoutEntry(
        r,
        at,
        i / count,
        workout.id,
        exercises.map((e) => e.id),
        set.id,
        attrs,
        base,
      ),
    }
  })
  return { activities: [set, ...exercises, workout, bw], workouts, bodyweight, attrs }
}

function workoutEntry(
  r: Rng,
  at: number,
  progress: number,
  workoutId: string,
  exerciseIds: string[],
  setId: string,
  attrs: Account['attrs'],
  base: Map<string, number>,
): EntryInput {
  const chosen = [...exerciseIds].sort(() => r.next() - 0.5).slice(0, r.int(4, 6))
  return {
    id: r.uuid7(at),
    activityId: workoutId,
    performedAt: new Date(at).toISOString(),
    notes: r.next() < 0.2 ? r.pick(['Felt strong', 'Short on sleep', 'Deload week', 'New gym', 'Knee a bit sore']) : undefined,
    values: { [attrs.duration]: r.int(2700, 5400) },
    children: chosen.map((exerciseId) => ({
      id: r.uuid7(at),
      activityId: exerciseId,
      children: Array.from({ length: r.int(3, 9) }, () => {
        const weight = Math.round(base.get(exerciseId)! * (1 + 0.4 * progress) * (0.8 + 0.2 * r.next()) * 2) / 2
        const values: Record<string, number> = { [attrs.weight]: weight, [attrs.reps]: r.int(3, 12) }
        if (r.next() < 0.5) values[attrs.rpe] = r.int(12, 20) / 2
        return { id: r.uuid7(at), activityId: setId, values }
      }),
    })),
  }
}

/** The rows a `logEntry` of this workout writes (what the raw baselines insert). */
export function workoutRows(args: LogEntryArgs, userId: string, at: Date) {
  const entries: Record<string, unknown>[] = []
  const values: Record<string, unknown>[] = []
  const walk = (node: EntryInput, parentId: string | null, ordinal: number, rootTime: string) => {
    entries.push({
      id: node.id,
      user_id: userId,
      activity_id: node.activityId,
      parent_id: parentId,
      ordinal,
      template_version: 1,
      performed_at: node.performedAt ?? rootTime,
      notes: node.notes ?? '',
      created_at: at.toISOString(),
      updated_at: at.toISOString(),
    })
    for (const [attributeId, v] of Object.entries(node.values ?? {})) {
      values.push({ entry_id: node.id, attribute_id: attributeId, user_id: userId, num: v, text: null, bool: null, option_id: null })
    }
    node.children?.forEach((c, i) => walk(c, node.id, i, rootTime))
  }
  walk(args.entry, null, 0, args.entry.performedAt!)
  return { entries, values }
}

export function countRows(workouts: LogEntryArgs[]) {
  let entries = 0
  let sets = 0
  let values = 0
  const walk = (n: EntryInput, depth: number) => {
    entries++
    if (depth === 3) sets++
    values += Object.keys(n.values ?? {}).length
    n.children?.forEach((c) => walk(c, depth + 1))
  }
  for (const w of workouts) walk(w.entry, 1)
  return { workouts: workouts.length, entries, sets, values }
}

/** Pushes mutations through the real push path, `batch` per request; fails on any rejection. */
export async function pushAll(
  device: TestDevice,
  mutations: { name: string; args: unknown }[],
  batch: number,
  onPush?: (ms: number, n: number) => void,
) {
  for (let i = 0; i < mutations.length; i += batch) {
    const chunk = mutations.slice(i, i + batch).map((m) => device.mutation(m.name as 'logEntry', m.args as MutatorArgs<'logEntry'>))
    const start = performance.now()
    const response = await device.push(chunk)
    onPush?.(performance.now() - start, chunk.length)
    const bad = response.results.find((x) => x.status !== 'applied')
    if (bad || response.type !== 'pushed') throw new Error(`push refused: ${JSON.stringify(bad ?? response)}`)
  }
}

/** A user on `server` with the account's activities created through a device. */
export async function accountUser(
  server: TestServer,
  name: string,
  seed: number,
  scale: number,
): Promise<{ user: TestUser; device: TestDevice; account: Account }> {
  const user = await server.user(name)
  return { user, ...(await accountActivities(user, seed, scale)) }
}

/** The account for an existing user, with its activities created through one of its devices. */
export async function accountActivities(user: TestUser, seed: number, scale: number): Promise<{ device: TestDevice; account: Account }> {
  const account = generateAccount({ seed, scale, libraryId: user.libraryId })
  const device = user.device()
  await pushAll(
    device,
    account.activities.map((args) => ({ name: 'createActivity', args })),
    50,
  )
  return { device, account }
}

/**
 * Writes the account's workouts on the server as the rows `logEntry` produces, one transaction
 * per workout, with the change-capture triggers on: the change log and its stream are the same
 * as pushing them, at a fraction of the time (pushing 2,000 workouts takes minutes; M2 measures
 * that path).
 */
export async function insertWorkouts(client: PostgresClient, workouts: LogEntryArgs[], userId: string) {
  for (const w of workouts) {
    const rows = workoutRows(w, userId, new Date(new Date(w.entry.performedAt!).getTime() + 3_600_000))
    await client.begin(async (sql) => {
      await sql`insert into entries ${sql(rows.entries as Record<string, string>[])}`
      await sql`insert into entry_values ${sql(rows.values as Record<string, string>[])}`
    })
  }
}

/** A user's whole stream from offset 0 as a new device receives it: every pull response. */
export async function recordStream(server: TestServer, user: TestUser, limit = 1000): Promise<PullResponse[]> {
  const transport = new HttpTransport({ fetch: handlerFetch(() => server.service, user.token) })
  const deviceId = newId()
  const responses: PullResponse[] = []
  let offset = 0
  for (;;) {
    const r = await transport.pull({ deviceId, offset, limit })
    if (r.type !== 'changes') throw new Error(r.message)
    responses.push(r)
    offset = r.offset
    if (r.upToDate) return responses
  }
}

/** Hands a device recorded pull responses, in order (the last one again once they run out). */
export class ReplayTransport implements Transport {
  private next = 0
  constructor(public responses: PullResponse[]) {}
  async pull(): Promise<PullResponse> {
    const r = this.responses[Math.min(this.next, this.responses.length - 1)]!
    this.next += 1
    return r
  }
  async push(): Promise<PushResponse> {
    throw new Error('the replay transport does not push')
  }
  async snapshot(): Promise<void> {
    throw new Error('the replay transport has no snapshot')
  }
}

/** A device (its own PGlite, device schema) for `user`, set to catch up from offset `syncedSeq`. */
export async function benchDevice(user: { id: string }, transport: Transport, syncedSeq = 0) {
  const local = await freshPglite('device')
  const deviceId = newId()
  await initDevice(local.db, { deviceId, userId: user.id })
  await local.db.update(localSyncState).set({ syncedSeq }).where(eq(localSyncState.id, 1))
  const client = new SyncClient({ db: local.db, transport, deviceId, userId: user.id })
  return { ...local, client, deviceId }
}

/**
 * Syncs a bench device until its outbox is empty (every write pushed, applied and settled);
 * returns the sync rounds it took. Fails after `maxRounds`.
 */
export async function syncUntilSettled(device: Awaited<ReturnType<typeof benchDevice>>, maxRounds = 10_000): Promise<number> {
  for (let rounds = 1; rounds <= maxRounds; rounds++) {
    await device.client.sync()
    const [left] = await device.db.select({ n: count() }).from(localOutbox)
    if (left!.n === 0) return rounds
  }
  throw new Error('the outbox does not drain')
}

/** Rows of a stream, deduplicated to their last image, by table (what a raw load inserts). */
export function streamRows(responses: PullResponse[]) {
  const byTable = new Map<string, Map<string, Record<string, unknown>>>()
  for (const r of responses) {
    for (const c of r.changes) {
      if (c.kind !== 'insert' && c.kind !== 'update') continue
      let rows = byTable.get(c.table)
      if (!rows) byTable.set(c.table, (rows = new Map()))
      rows.set(JSON.stringify(c.key), c.row!)
    }
  }
  return new Map([...byTable].map(([t, rows]) => [t, [...rows.values()]]))
}

export type Seeded = Awaited<ReturnType<typeof seededServer>>

/**
 * A PostgreSQL sync server holding one five-year account, and that account's stream as a new
 * device pulls it (1,000 changes a pull). M1 and M4 share it.
 */
export async function seededServer(scale: number) {
  const database = await freshPostgres()
  const server = await testServer({ db: database.db, listen: postgresListen(database.client), close: database.close })
  const { user, account } = await accountUser(server, 'Athlete', 1, scale)
  await insertWorkouts(database.client, account.workouts, user.id)
  const stream = await recordStream(server, user)
  return { server, user, account, stream, close: () => server.close() }
}
