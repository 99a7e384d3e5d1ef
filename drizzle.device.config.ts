import { defineConfig } from 'drizzle-kit'

/** Device migrations: the synced tables plus device-only bookkeeping, bundled for the browser. */
export default defineConfig({
  dialect: 'postgresql',
  schema: './db/schema/device.ts',
  out: './db/device/migrations',
  casing: 'snake_case',
})
