/**
 * The server's configuration, read and validated once at start. Every setting has a default
 * that makes a fresh checkout run with no configuration (embedded PGlite under `.data/`).
 */
import { z } from 'zod'
import { trustedProxies } from './client-address'

export class ConfigError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'ConfigError'
  }
}

const envSchema = z.object({
  DATABASE_URL: z
    .string()
    .trim()
    .optional()
    .transform((v) => (v ? v : undefined))
    .refine((v) => v === undefined || /^postgres(ql)?:\/\//.test(v), {
      message: 'must be a postgres:// or postgresql:// URL',
    }),
  CADENCE_DATA_DIR: z.string().trim().min(1).default('.data'),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  BETTER_AUTH_SECRET: z
    .string()
    .optional()
    .refine((v) => v === undefined || v.length >= 32, { message: 'must be at least 32 characters' }),
  CADENCE_URL: z.url().optional(),
  CADENCE_AUTH_RATE_LIMIT: z.enum(['on', 'off']).optional(),
  CADENCE_COMPACT_KEEP_DAYS: z.coerce.number().min(0).optional(),
  // Empty is unset: coerced, it would be 0, deleting unreferenced photo bytes at once.
  CADENCE_MEDIA_GRACE_DAYS: z.preprocess(
    (v) => (typeof v === 'string' && v.trim() === '' ? undefined : v),
    z.coerce.number().min(0).default(7),
  ),
  CADENCE_TRUSTED_PROXIES: z
    .string()
    .optional()
    .transform((v) =>
      (v ?? '')
        .split(',')
        .map((entry) => entry.trim())
        .filter(Boolean),
    )
    .superRefine((entries, ctx) => {
      try {
        trustedProxies(entries)
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: `lists ${(error as Error).message}` })
      }
    }),
  CADENCE_SHUTDOWN_GRACE_SECONDS: z.coerce.number().min(0).max(600).default(10),
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
})

export type Env = {
  databaseUrl: string | undefined
  dataDir: string
  port: number
  authSecret: string | undefined
  /** The origin users reach the app at; better-auth checks request origins against it. */
  baseUrl: string
  production: boolean
  /** Throttle repeated sign-in and sign-up attempts per client address (on by default in production). */
  authRateLimit: boolean
  /** When set, the server compacts the sync log hourly, keeping this many days (SPEC C1). */
  compactKeepDays: number | undefined
  /** How long photo bytes no photo names are kept before the hourly collection deletes them (SPEC M12). */
  mediaGraceDays: number
  /** Reverse proxies whose `X-Forwarded-For` is believed (SPEC A10); empty: none, the default. */
  trustedProxies: string[]
  /** How long a stopping server lets open requests finish before it cuts them (SPEC A11). */
  shutdownGraceMs: number
}

/** Parses the environment; throws {@link ConfigError} naming the variable at fault. */
export function readEnv(source: Record<string, string | undefined> = process.env): Env {
  const parsed = envSchema.safeParse(source)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    const name = String(issue?.path[0] ?? 'environment')
    throw new ConfigError(`${name} ${issue?.message ?? 'is invalid'}`)
  }
  const e = parsed.data
  const production = e.NODE_ENV === 'production'
  if (production && e.DATABASE_URL && !e.BETTER_AUTH_SECRET) {
    throw new ConfigError('BETTER_AUTH_SECRET must be set (32+ characters) when running in production on DATABASE_URL')
  }
  return {
    databaseUrl: e.DATABASE_URL,
    dataDir: e.CADENCE_DATA_DIR,
    port: e.PORT,
    authSecret: e.BETTER_AUTH_SECRET,
    baseUrl: e.CADENCE_URL ?? `http://localhost:${e.PORT}`,
    production,
    authRateLimit: e.CADENCE_AUTH_RATE_LIMIT ? e.CADENCE_AUTH_RATE_LIMIT === 'on' : production,
    compactKeepDays: e.CADENCE_COMPACT_KEEP_DAYS,
    mediaGraceDays: e.CADENCE_MEDIA_GRACE_DAYS,
    trustedProxies: e.CADENCE_TRUSTED_PROXIES,
    shutdownGraceMs: e.CADENCE_SHUTDOWN_GRACE_SECONDS * 1000,
  }
}
