/**
 * Accounts: better-auth with its Drizzle adapter, email and password, sessions in httpOnly
 * cookies. The tables are ours (db/schema/auth.ts); ids are UUIDv7 like every other row.
 */
import { createHash } from 'node:crypto'
import { betterAuth } from 'better-auth'
import { drizzleAdapter } from 'better-auth/adapters/drizzle'
import { APIError, createAuthMiddleware } from 'better-auth/api'
import { nextCookies } from 'better-auth/next-js'
import { accounts, rateLimits, sessions, users, verifications } from '@/db/schema'
import { provisionUser } from '@/db/queries/libraries'
import { countAttempt } from '@/db/queries/rate-limits'
import type { Db } from '@/db/types'
import { newId } from '@/domain/ids'
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from '@/domain/account'
import { CLIENT_ADDRESS_HEADER } from './client-address'

export type AuthOptions = {
  db: Db
  secret: string
  baseUrl: string
  /**
   * Throttle sign-in and sign-up (SPEC A10): per client address (better-auth's limiter, keyed on
   * {@link CLIENT_ADDRESS_HEADER}, which the auth route sets) and sign-in per account.
   */
  rateLimit: boolean
}

/**
 * Sign-in attempts one account takes in a window, from every address together (SPEC A10): the
 * address limit alone is no limit to someone with many addresses. Ten leave room for a person's
 * own typos on a few devices; past them the account's sign-in waits out the window, right
 * password or not (otherwise the answer would still tell a guess that is right).
 */
export const ACCOUNT_SIGN_IN_LIMIT = { max: 10, windowMs: 15 * 60_000 }

/** The account's key in the rate-limit table: hashed, so the table holds no typed addresses. */
const accountKey = (email: string) => `sign-in-account:${createHash('sha256').update(email.trim().toLowerCase()).digest('hex')}`

export function createAuth({ db, secret, baseUrl, rateLimit }: AuthOptions) {
  const origin = new URL(baseUrl)
  return betterAuth({
    appName: 'Cadence',
    secret,
    baseURL: baseUrl,
    // The same server is reached as localhost and 127.0.0.1 in development and tests.
    trustedOrigins: origin.hostname === 'localhost' ? [`${origin.protocol}//127.0.0.1:${origin.port}`] : [],
    database: drizzleAdapter(db, {
      provider: 'pg',
      usePlural: true,
      schema: { users, sessions, accounts, verifications, rateLimits },
    }),
    emailAndPassword: {
      enabled: true,
      minPasswordLength: MIN_PASSWORD_LENGTH,
      maxPasswordLength: MAX_PASSWORD_LENGTH,
      autoSignIn: true,
    },
    session: { expiresIn: 60 * 60 * 24 * 30, updateAge: 60 * 60 * 24 },
    rateLimit: { enabled: rateLimit, storage: 'database' },
    advanced: {
      database: { generateId: () => newId() },
      useSecureCookies: origin.protocol === 'https:',
      // Never a header a client can write: the address the auth route resolved (SPEC A10).
      ipAddress: { ipAddressHeaders: [CLIENT_ADDRESS_HEADER] },
    },
    hooks: {
      before: createAuthMiddleware(async (ctx) => {
        if (!rateLimit || ctx.path !== '/sign-in/email' || typeof ctx.body?.email !== 'string') return
        const attempt = await countAttempt(db, accountKey(ctx.body.email), ACCOUNT_SIGN_IN_LIMIT.max, ACCOUNT_SIGN_IN_LIMIT.windowMs)
        if (attempt.allowed) return
        throw new APIError(
          'TOO_MANY_REQUESTS',
          { code: 'TOO_MANY_REQUESTS', message: 'Too many sign-in attempts for this account. Try again later.' },
          { 'retry-after': String(attempt.retryAfterSeconds) },
        )
      }),
    },
    telemetry: { enabled: false },
    databaseHooks: {
      user: {
        create: {
          after: async (user) => {
            await provisionUser(db, user.id, user.name)
          },
        },
      },
    },
    plugins: [nextCookies()],
  })
}

export type Auth = ReturnType<typeof createAuth>
