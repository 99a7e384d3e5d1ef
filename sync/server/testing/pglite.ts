import { testPglite } from '@/db/testing/pglite'
import { testServer } from './harness'

/** A sync server on a fresh PGlite with the server schema. */
export async function pgliteServer() {
  const t = await testPglite('server')
  return testServer({ db: t.db, listen: (channel, cb) => t.pg.listen(channel, cb), close: t.close })
}
