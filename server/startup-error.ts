import { MigrationEditedError, SchemaTooNewError } from '@/db/migrate'
import { ConfigError } from './env'

/** One line a person can act on, for errors we expect at start; the message otherwise. */
export function describeStartupError(error: unknown): string {
  if (error instanceof ConfigError || error instanceof SchemaTooNewError || error instanceof MigrationEditedError) {
    return error.message
  }
  if (error instanceof Error) return `${error.name}: ${error.message}`
  return String(error)
}
