/**
 * Compacts the sync change log (sync/SPEC.md C1): drops changes older than --keep-days (default
 * 30) while keeping at least --keep-transactions (default 1000), and raises the retention
 * horizon. Devices behind it refetch a snapshot and keep their pending writes (C2).
 *
 *   npm run sync:compact -- --keep-days 30 --keep-transactions 1000
 *
 * Uses the same configuration as the server (DATABASE_URL or the data directory). The embedded
 * database belongs to one process: stop the server first, or let it compact on its own schedule
 * (CADENCE_COMPACT_KEEP_DAYS).
 */
import { parseArgs } from 'node:util'
import { openServerDatabase } from '@/server/database'
import { readEnv } from '@/server/env'
import { describeStartupError } from '@/server/startup-error'
import { compact } from '@/sync/server/compact'

async function main() {
  const { values } = parseArgs({
    options: { 'keep-days': { type: 'string', default: '30' }, 'keep-transactions': { type: 'string', default: '1000' } },
  })
  const keepDays = Number(values['keep-days'])
  const keepTransactions = Number(values['keep-transactions'])
  if (!Number.isFinite(keepDays) || keepDays < 0 || !Number.isInteger(keepTransactions) || keepTransactions < 0) {
    throw new Error('--keep-days and --keep-transactions must be non-negative numbers')
  }
  const database = await openServerDatabase(readEnv())
  try {
    const result = await compact(database.db, { keepDays, keepTransactions })
    console.log(
      `Compacted: horizon is now ${result.horizon}; removed ${result.removedChanges} changes in ${result.removedTransactions} transactions.`,
    )
  } finally {
    await database.close()
  }
}

main().catch((error: unknown) => {
  console.error(`Compaction failed: ${describeStartupError(error)}`)
  process.exit(1)
})
