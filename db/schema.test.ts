import { pgliteRunner } from './pglite'
import { testPglite } from './testing/pglite'
import { schemaContract } from './testing/schema-contract'

schemaContract('PGlite', async () => {
  const t = await testPglite('server')
  return { db: t.db, runner: pgliteRunner(t.pg), close: t.close }
})
