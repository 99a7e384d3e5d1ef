/**
 * Run once after restoring the server's database from a backup, before serving again (sync/SPEC.md
 * C4): every device then loads a snapshot of the restored data and sends its unsynced changes
 * again, instead of keeping rows the restored server lost or skipping what it writes next.
 *
 *   npm run sync:restored
 *
 * Uses the same configuration as the server (DATABASE_URL or the data directory).
 */
import { openServerDatabase } from '@/server/database'
import { readEnv } from '@/server/env'
import { describeStartupError } from '@/server/startup-error'
import { markRestored } from '@/sync/server/restore'

async function main() {
  const database = await openServerDatabase(readEnv())
  try {
    const { horizon } = await markRestored(database.db)
    console.log(
      `Marked restored: the sync log now starts at ${horizon}; every device will load a snapshot and resend its unsynced changes.`,
    )
  } finally {
    await database.close()
  }
}

main().catch((error: unknown) => {
  console.error(`Marking the restore failed: ${describeStartupError(error)}`)
  process.exit(1)
})
