import type { Server } from '.'

/** Where `scripts/serve.mjs`, which Next.js does not bundle, waits for the app's start (SPEC A11). */
const startedKey = Symbol.for('cadence.started')

/** What the HTTP server around the app (`scripts/serve.mjs`) needs of it. */
export type Lifecycle = {
  /** The validated `PORT`. */
  port: number
  /** How long open requests may take once the server stops (`CADENCE_SHUTDOWN_GRACE_SECONDS`). */
  shutdownGraceMs: number
  /** Stopping: parked long-polls answer now, and new ones do not wait. */
  drain(): void
  /** Every connection is closed: stop listening for commits and close the database. */
  close(): Promise<void>
}

/** Hands this process's lifecycle to `scripts/serve.mjs`, when that is what runs the app. */
export function announceStarted(server: Server): void {
  const lifecycle: Lifecycle = {
    port: server.env.port,
    shutdownGraceMs: server.env.shutdownGraceMs,
    drain: () => server.sync.notifier.drain(),
    close: async () => {
      await server.sync.notifier.close()
      await server.database.close()
    },
  }
  ;(globalThis as { [startedKey]?: (lifecycle: Lifecycle) => void })[startedKey]?.(lifecycle)
}
