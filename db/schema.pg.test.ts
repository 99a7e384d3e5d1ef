import { postgresRunner } from './postgres'
import { testPostgres } from './testing/postgres'
import { schemaContract } from './testing/schema-contract'

schemaContract('PostgreSQL', async () => {
  const t = await testPostgres()
  return { db: t.db, runner: postgresRunner(t.client), close: t.close }
})
