/**
 * Accounts: better-auth with its Drizzle adapter, email and password, sessions in httpOnly
 * cookies. The tables are ours (db/schema/auth.ts); ids are UUIDv7 like every other row.
 */
import { betterAuth } from 'better-auth'
import { drizzleAdapter } from 'better-auth/adapters/drizzle'
import { nextCookies } from 'better-auth/next-js'
import { accounts, rateLimits, sessions, users, verifications } from '@/db/schema'
import { provisionUser } from '@/db/queries/libraries'
import type { Db } from '@/db/types'
import { newId } from '@/domain/ids'
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from '@/domain/account'

export type AuthOptions = {
  db: Db
  secret: string
  baseUrl: string
  rateLimit: boolean
}

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
