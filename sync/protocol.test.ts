/**
 * Pins the wire contract. If the first test fails, something in `protocolContract` changed (a
 * schema, a path, a header, a status, a scope kind, a limit, the oldest version served): decide
 * whether devices of the pinned version can still talk to the new server. If not, bump
 * PROTOCOL_VERSION (and think about MIN_PROTOCOL_VERSION, SPEC V1); either way, update the pinned
 * hash below in the same commit. The other tests keep the pin honest: everything the module
 * declares is under it, and what it declares is what the routes, the tables and the wire use.
 */
import { createHash } from 'node:crypto'
import { readdirSync } from 'node:fs'
import { getTableConfig } from 'drizzle-orm/pg-core'
import { expect, test } from 'vitest'
import { z } from 'zod'
import { mutationResults } from '@/db/schema'
import { syncTables } from '@/db/schema/registry'
import * as protocol from './protocol'
import { PROTOCOL_VERSION, protocolContract } from './protocol'

// v1 + snapshot-begin.rows (optional, N3): old devices strip it, so the version stays.
// v1 + paths, query parameters (`since`), headers, statuses, scope names, the mutation_results
// row and the supported range (1..1) declared: they describe what v1 devices and servers already
// exchange, and the one new answer (426) is only given to versions outside 1..1. So no bump.
// v1 + mutation_results.args_digest (the row's new column, P2): old devices strip it. No bump.
// v1 + stricter checks of a push (A4: a mutation name is an identifier, a device name is
// stripped of NUL): v1 devices send nothing these refuse. No bump.
// v2: a push may be answered `reregister` (another mutation under a settled id, P2, B15), which
// v1 devices cannot read, so the server gives it only to v2 and answers v1 in v1 terms (the
// recorded result); a mutation may be sent `withheld` (B5), which only v2 devices send. The
// server still serves v1 (MIN_PROTOCOL_VERSION stays 1).
// v3: a push carries `outboxStart` (P2), where the server starts a device id it has settled
// nothing for. Older devices omit it and are served as before (MIN_PROTOCOL_VERSION stays 1).
// v4: photos: `PUT`/`GET /api/media/<sha256>` (M8, M9) and the mutations attachMedia,
// detachMedia, reorderMedia (M5), which a v3 server does not know; so a v4 device waits for
// such a server (426, V2) rather than have its photos refused. v1-v3 devices never ask for
// them, and are served as before (MIN_PROTOCOL_VERSION stays 1).
// v5: storage windows (W1-W6): pull answers and snapshot-begin carry `window` (the cut in force),
// and `GET /api/sync/history` serves workouts outside it (and the server's count of the window's rows). The server cuts only what it sends v5
// devices (WINDOW_PROTOCOL); older devices are sent everything, as before, and ignore the new
// field (MIN_PROTOCOL_VERSION stays 1).
const PINNED = { version: 5, hash: 'a7210ab8db9d7fd6' }

const isSchema = (value: unknown): value is z.ZodType => value instanceof z.ZodType

/** The hash of a contract: its constants as they are, its schemas as JSON Schema. */
function hashOf(contract: typeof protocolContract): string {
  const shape = {
    ...contract,
    schemas: Object.fromEntries(
      Object.entries(contract.schemas).map(([name, schema]) => [name, z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' })]),
    ),
  }
  return createHash('sha256').update(JSON.stringify(shape)).digest('hex').slice(0, 16)
}

test('the protocol contract matches the pinned hash for this protocol version', () => {
  expect({ version: PROTOCOL_VERSION, hash: hashOf(protocolContract) }).toEqual(PINNED)
})

/** Every schema inside `schema`, itself included: object shapes, arrays, unions, pipes, wrappers. */
function schemasIn(root: z.ZodType): Set<unknown> {
  const found = new Set<unknown>()
  const visit = (value: unknown): void => {
    if (isSchema(value)) {
      if (found.has(value)) return
      found.add(value)
      visit((value as unknown as { _zod: { def: unknown } })._zod.def)
    } else if (Array.isArray(value)) value.forEach(visit)
    else if (value && typeof value === 'object') Object.values(value).forEach(visit)
  }
  visit(root)
  return found
}

test('everything the protocol module declares is under the pin', () => {
  const pinned = new Set<unknown>()
  for (const schema of Object.values(protocolContract.schemas)) for (const s of schemasIn(schema)) pinned.add(s)
  const values = (object: object): unknown[] => Object.values(object).flatMap((v) => (v && typeof v === 'object' ? [v, ...values(v)] : [v]))
  const constants = new Set(values(protocolContract))
  const outside = Object.entries(protocol).filter(([name, value]) => {
    if (typeof value === 'function' && !isSchema(value)) return false // helpers, not wire
    if (name === 'PROTOCOL_VERSION' || name === 'protocolContract' || name === 'protocolSchemas') return false
    return isSchema(value) ? !pinned.has(value) : !constants.has(value)
  })
  expect(outside.map(([name]) => name)).toEqual([])
})

test('each declared path has its route, and every sync route is declared', () => {
  const routes = readdirSync(new URL('../app/api/sync', import.meta.url), { withFileTypes: true })
    .filter((d) => d.isDirectory() && readdirSync(new URL(`../app/api/sync/${d.name}`, import.meta.url)).includes('route.ts'))
    .map((d) => `/api/sync/${d.name}`)
  expect(routes.sort()).toEqual(Object.values(protocolContract.paths).sort())
})

test('the mutation_results row shape has the table’s columns, and the scope kinds are the synced tables’', () => {
  const snake = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)
  const columns = getTableConfig(mutationResults).columns.map((c) => snake(c.name))
  expect(Object.keys(protocol.mutationResultRowSchema.shape).sort()).toEqual(columns.sort())
  expect([...protocol.scopeKinds].sort()).toEqual([...new Set(syncTables.map((t) => t.scope))].sort())
})

test('a change to any declared path, parameter, header, status, scope kind, row column or the range moves the hash', () => {
  const pinned = hashOf(protocolContract)
  const { schemas } = protocolContract
  const variants: Record<string, typeof protocolContract> = {
    path: { ...protocolContract, paths: { ...protocolContract.paths, pull: '/api/sync/changes' } as never },
    'query parameter': {
      ...protocolContract,
      schemas: {
        ...schemas,
        snapshotRequestSchema: schemas.snapshotRequestSchema.omit({ since: true }).extend({ after: z.number() }) as never,
      },
    },
    header: { ...protocolContract, headers: { horizon: 'x-horizon' } as never },
    status: { ...protocolContract, statuses: { ...protocolContract.statuses, unsupportedVersion: 400 } as never },
    'scope kind': { ...protocolContract, scopeKinds: ['user', 'library'] as never },
    'row column': {
      ...protocolContract,
      schemas: { ...schemas, mutationResultRowSchema: schemas.mutationResultRowSchema.omit({ tx: true }) as never },
    },
    'oldest version': { ...protocolContract, minVersion: 0 as never },
  }
  const unmoved = Object.entries(variants).filter(([, contract]) => hashOf(contract) === pinned)
  expect(unmoved.map(([what]) => what)).toEqual([])
})

test('scope names and query strings are built from the declarations', () => {
  const id = '0190f5d2-0000-7000-8000-000000000001'
  expect(protocol.scopeSchema.parse(protocol.scopeName('device', id))).toBe(`device:${id}`)
  expect(protocol.scopeSchema.safeParse(`team:${id}`).success).toBe(false)
  const query = protocol.queryString({ v: 1, deviceId: id, since: 7 })
  expect(protocol.snapshotRequestSchema.parse(Object.fromEntries(new URLSearchParams(query)))).toEqual({ v: 1, deviceId: id, since: 7 })
  expect(protocol.endpointOf(`${protocol.syncPaths.pull}?${query}`)).toBe('pull')
  expect(protocol.endpointOf('/api/sync/elsewhere')).toBeUndefined()
})

test('[P2] a mutation’s digest reads its arguments, not their encoding: key order and a JSON round trip change nothing, and depth cannot overflow it', async () => {
  const args = { b: [1, 2.5, { y: null, x: 'é😀' }], a: { d: true, c: -0 }, '10': 'n', '2': 'm' }
  const reordered = { '2': 'm', a: { c: 0, d: true }, '10': 'n', b: [1, 2.5, { x: 'é😀', y: null }] }
  const digest = await protocol.mutationDigest('createTag', args)
  expect(digest).toMatch(/^[0-9a-f]{64}$/)
  expect(await protocol.mutationDigest('createTag', reordered)).toBe(digest)
  expect(await protocol.mutationDigest('createTag', JSON.parse(JSON.stringify(args)))).toBe(digest)
  expect(await protocol.mutationDigest('deleteTag', args)).not.toBe(digest)
  expect(await protocol.mutationDigest('createTag', { ...args, a: { c: 0, d: false } })).not.toBe(digest)
  expect(protocol.canonicalJson(reordered)).toBe('{"10":"n","2":"m","a":{"c":0,"d":true},"b":[1,2.5,{"x":"é😀","y":null}]}')
  let deep: unknown = 'leaf'
  for (let i = 0; i < 200_000; i++) deep = [deep]
  expect(protocol.canonicalJson(deep)).toHaveLength(400_006)
})
