import { defineConfig } from 'drizzle-kit'

/** Server migrations: every table in db/schema. */
export default defineConfig({
  dialect: 'postgresql',
  schema: './db/schema/index.ts',
  out: './db/migrations',
  casing: 'snake_case',
})
