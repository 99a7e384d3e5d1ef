import { getServer } from '.'
import { announceStarted } from './lifecycle'
import { describeStartupError } from './startup-error'

/**
 * Opens the database and applies migrations before the first request. A failure prints one line
 * naming its cause and exits non-zero, rather than serving pages that would all fail.
 */
export async function boot(): Promise<void> {
  try {
    const server = await getServer()
    announceStarted(server)
    const where = server.database.kind === 'postgres' ? 'PostgreSQL (DATABASE_URL)' : `embedded PGlite in ${server.env.dataDir}`
    console.log(`Cadence: database ready on ${where}`)
  } catch (error) {
    console.error(`Cadence could not start: ${describeStartupError(error)}`)
    process.exit(1)
  }
}
