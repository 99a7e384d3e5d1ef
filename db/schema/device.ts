/** Schema of the browser's PGlite: the synced tables plus device-only bookkeeping. */
export * from './synced'
export * from './local'
