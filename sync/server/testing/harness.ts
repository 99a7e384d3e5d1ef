/**
 * A sync server on a test database, with devices that speak the protocol through the device's
 * own wire client (`HttpTransport`) routed to the real HTTP handlers in process (`./fetch.ts`).
 * Users authenticate by a bearer token the harness issues; `http.test.ts` covers real sessions.
 * `Replica` is a minimal device-side state (rows keyed by table and primary key) for checking
 * what a device would end up holding.
 */
import { eq } from 'drizzle-orm'
import { provisionUser } from '@/db/queries/libraries'
import { users } from '@/db/schema'
import { syncTables } from '@/db/schema/registry'
import type { Db } from '@/db/types'
import { newId } from '@/domain/ids'
import type { MutatorArgs, MutatorName } from '@/domain/mutators'
import { PROTOCOL_VERSION, type Change, type MustRefetch, type PullResponse, type PushResponse, type SnapshotLine } from '../../protocol'
import { HttpTransport } from '../../client/transport'
import type { SyncService } from '../http'
import { ChangeNotifier, type Listen } from '../live'
import { handlerFetch } from './fetch'

export type TestServer = {
  db: Db
  service: SyncService
  user(name: string): Promise<TestUser>
  close(): Promise<void>
}

export type TestUser = { id: string; email: string; libraryId: string; token: string; device(): TestDevice }

export async function testServer(database: { db: Db; listen: Listen; close(): Promise<void> }): Promise<TestServer> {
  const tokens = new Map<string, string>()
  const notifier = await ChangeNotifier.start(database.listen)
  const service: SyncService = {
    db: database.db,
    notifier,
    authenticate: async (request) => tokens.get(request.headers.get('authorization')?.replace(/^Bearer /, '') ?? '') ?? null,
  }
  const server: TestServer = {
    db: database.db,
    service,
    async user(name) {
      const id = newId()
      const email = `${name.toLowerCase()}-${id}@example.com`
      await database.db.insert(users).values({ id, name, email })
      await provisionUser(database.db, id, name)
      const [library] = await database.db.query.libraries.findMany({ where: (l, { eq }) => eq(l.ownerId, id) })
      const token = newId()
      tokens.set(token, id)
      const user: TestUser = { id, email, libraryId: library!.id, token, device: () => new TestDevice(service, user) }
      return user
    },
    async close() {
      await notifier.close()
      await database.close()
    },
  }
  return server
}

/**
 * A device: numbers its mutations, pushes and pulls through the wire client and the HTTP
 * handlers, keeps a replica. A refused request throws the client's `TransportError`.
 */
export class TestDevice {
  readonly id = newId()
  readonly replica = new Replica()
  offset = 0
  private nextMutationId = 1
  private readonly transport: HttpTransport

  constructor(
    readonly service: SyncService,
    readonly user: TestUser,
  ) {
    this.transport = new HttpTransport({ fetch: handlerFetch(() => service, user.token) })
  }

  /** A mutation as the device would queue it, with the next id. */
  mutation<N extends MutatorName>(name: N, args: MutatorArgs<N>) {
    return { id: this.nextMutationId++, name, args }
  }

  /** `outboxStart`: where the device says its outbox starts (P2); by default, not said. */
  async push(
    mutations: { id: number; name: string; args: unknown }[],
    { outboxStart }: { outboxStart?: number } = {},
  ): Promise<PushResponse> {
    return this.transport.push({ protocolVersion: PROTOCOL_VERSION, deviceId: this.id, mutations, outboxStart })
  }

  /** Makes and pushes one mutation; returns its result. */
  async mutate<N extends MutatorName>(name: N, args: MutatorArgs<N>) {
    const response = await this.push([this.mutation(name, args)])
    return response.results[0]!
  }

  async pullOnce({ limit = 1000, waitMs = 0, signal }: { limit?: number; waitMs?: number; signal?: AbortSignal } = {}): Promise<
    PullResponse | MustRefetch
  > {
    const result = await this.transport.pull({ deviceId: this.id, offset: this.offset, limit, waitMs, signal })
    if (result.type === 'must-refetch') return result
    this.replica.apply(result.changes)
    this.offset = result.offset
    return result
  }

  /** Pulls until up to date; returns every change received. */
  async catchUp(limit = 1000): Promise<Change[]> {
    const all: Change[] = []
    for (;;) {
      const result = await this.pullOnce({ limit })
      if (result.type !== 'changes') throw new Error(`pull answered ${result.type}: ${result.message}`)
      all.push(...result.changes)
      if (result.upToDate) return all
    }
  }

  /** Replaces the replica with a snapshot and moves the offset to it. */
  async snapshot(): Promise<{ offset: number; rowCount: number; lines: number }> {
    const lines: SnapshotLine[] = []
    await this.transport.snapshot({ deviceId: this.id }, async (line) => {
      lines.push(line)
    })
    this.replica.clear()
    let end: { offset: number; rowCount: number } | undefined
    for (const line of lines) {
      if (line.type === 'rows') for (const row of line.rows) this.replica.put(line.table, row)
      if (line.type === 'snapshot-end') end = line
    }
    if (!end) throw new Error('snapshot ended early')
    this.offset = end.offset
    return { ...end, lines: lines.length }
  }
}

const keyOf = (table: string, row: Record<string, unknown>) => {
  const spec = syncTables.find((t) => t.table === table)
  if (!spec) throw new Error(`unknown table ${table}`)
  return `${table}|${spec.key.map((k) => String(row[k])).join('|')}`
}

/** Rows a device holds, by table and key, with their library for scope removal. */
export class Replica {
  readonly rows = new Map<string, { table: string; row: Record<string, unknown> }>()

  clear() {
    this.rows.clear()
  }

  put(table: string, row: Record<string, unknown>) {
    this.rows.set(keyOf(table, row), { table, row })
  }

  apply(changes: Change[]) {
    for (const c of changes) {
      if (c.kind === 'insert' || c.kind === 'update') this.put(c.table, c.row!)
      else if (c.kind === 'delete') this.rows.delete(keyOf(c.table, c.key))
      else if (c.kind === 'scope_removed') this.dropLibrary(String(c.key.id))
    }
  }

  dropLibrary(libraryId: string) {
    for (const [k, { table, row }] of this.rows) {
      const spec = syncTables.find((t) => t.table === table)!
      if (spec.scope === 'library' && row[spec.column] === libraryId) this.rows.delete(k)
    }
  }

  table(name: string) {
    return [...this.rows.values()].filter((r) => r.table === name).map((r) => r.row)
  }

  /** A comparable picture: sorted keys with their rows. */
  picture() {
    return [...this.rows.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, v.row] as const)
  }
}

export async function userEmail(db: Db, userId: string) {
  const [u] = await db.select({ email: users.email }).from(users).where(eq(users.id, userId))
  return u!.email
}
