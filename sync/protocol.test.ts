/**
 * Pins the wire contract. If this fails, a schema in sync/protocol.ts changed: decide whether
 * old devices can still talk to the new server. If not, bump PROTOCOL_VERSION; either way, update
 * the pinned hash below in the same commit.
 */
import { createHash } from 'node:crypto'
import { expect, test } from 'vitest'
import { z } from 'zod'
import { PROTOCOL_VERSION, protocolSchemas } from './protocol'

// v1 + snapshot-begin.rows (optional, N3): old devices strip it, so the version stays.
const PINNED = { version: 1, hash: '9c01772f113377b4' }

test('the protocol schemas match the pinned hash for this protocol version', () => {
  const shape = Object.fromEntries(
    Object.entries(protocolSchemas).map(([name, schema]) => [name, z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' })]),
  )
  const hash = createHash('sha256').update(JSON.stringify(shape)).digest('hex').slice(0, 16)
  expect({ version: PROTOCOL_VERSION, hash }).toEqual(PINNED)
})
