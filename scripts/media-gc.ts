/**
 * Collects photo bytes no photo names any more (sync/SPEC.md M12): marks the newly unreferenced,
 * clears the mark of those named again, and deletes those unreferenced for longer than
 * --grace-days (default 7, or CADENCE_MEDIA_GRACE_DAYS).
 *
 *   npm run media:gc -- --grace-days 7
 *
 * Uses the same configuration as the server (DATABASE_URL or the data directory). The embedded
 * database belongs to one process: stop the server first, or let it collect on its own hourly
 * schedule.
 */
import { parseArgs } from 'node:util'
import { formatBytes } from '@/domain/media'
import { openServerDatabase } from '@/server/database'
import { readEnv } from '@/server/env'
import { describeStartupError } from '@/server/startup-error'
import { collectMedia } from '@/sync/server/media-gc'

async function main() {
  const env = readEnv()
  const { values } = parseArgs({ options: { 'grace-days': { type: 'string', default: String(env.mediaGraceDays) } } })
  const graceDays = Number(values['grace-days'])
  if (!Number.isFinite(graceDays) || graceDays < 0) throw new Error('--grace-days must be a non-negative number')
  const database = await openServerDatabase(env)
  try {
    const r = await collectMedia(database.db, { graceMs: graceDays * 86_400_000 })
    console.log(
      `Collected photo bytes: ${r.deleted} deleted (${formatBytes(r.deletedBytes)}), ${r.marked} newly unreferenced, ${r.cleared} referenced again.` +
        (r.deferred > 0 ? ` ${r.deferred} pages waited for photos being attached and are left for the next run.` : ''),
    )
  } finally {
    await database.close()
  }
}

main().catch((error: unknown) => {
  console.error(`Collecting photo bytes failed: ${describeStartupError(error)}`)
  process.exit(1)
})
