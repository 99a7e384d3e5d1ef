/**
 * A client that hangs up while its push body is read (SPEC A12): Node fails the body stream with
 * `aborted` (ECONNRESET) and aborts the request's signal. Here the body is a stream that does the
 * same after its first bytes. A `console.error` fails a test (test/setup.ts), so "not logged" is
 * checked by the run itself.
 */
import { afterAll, beforeAll, expect, test } from 'vitest'
import { testPglite, type TestPglite } from '@/db/testing/pglite'
import { newId } from '@/domain/ids'
import { handlePush, type SyncService } from './http'
import { ChangeNotifier } from './live'

let t: TestPglite
let service: SyncService
beforeAll(async () => {
  t = await testPglite('server')
  service = { db: t.db, notifier: await ChangeNotifier.start(async () => async () => {}), authenticate: async () => newId() }
})
afterAll(async () => {
  await service.notifier.close()
  await t.close()
})

function hangingUpPush() {
  const client = new AbortController()
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(new TextEncoder().encode('{"protocolVersion":1,'))
    },
    pull(controller) {
      client.abort()
      controller.error(Object.assign(new Error('aborted'), { code: 'ECONNRESET' }))
    },
  })
  return new Request('http://localhost:3000/api/sync/push', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
    duplex: 'half',
    signal: client.signal,
  } as RequestInit)
}

test('[A12] a push whose client hangs up mid-body ends as a refusal, not a logged 500', async () => {
  const response = await handlePush(service, hangingUpPush())
  expect(response.status).toBe(400)
  expect(await response.json()).toEqual({ type: 'error', message: 'The request ended before its body had arrived.' })
})
