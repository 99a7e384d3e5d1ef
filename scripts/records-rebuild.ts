/**
 * Computes every user's all-time records summary afresh (sync/SPEC.md W7). The server keeps it
 * with each push; run this once on a database written before the summary existed, so devices
 * with a storage window show records of history they do not hold.
 *
 *   npm run records:rebuild
 *
 * Uses the same configuration as the server (DATABASE_URL or the data directory). The embedded
 * database belongs to one process: stop the server first.
 */
import { openServerDatabase } from '@/server/database'
import { readEnv } from '@/server/env'
import { describeStartupError } from '@/server/startup-error'
import { rebuildRecords } from '@/sync/server/records'

async function main() {
  const database = await openServerDatabase(readEnv())
  try {
    const activities = await rebuildRecords(database.db)
    console.log(`Rebuilt the records summary: ${activities} activities checked.`)
  } finally {
    await database.close()
  }
}

main().catch((error: unknown) => {
  console.error(`Rebuilding the records summary failed: ${describeStartupError(error)}`)
  process.exit(1)
})
