/**
 * Accounts through better-auth's server API on a real (PGlite) database: what sign-up gives a
 * new user, and what a person is told when sign-up or sign-in goes wrong.
 */
import { eq } from 'drizzle-orm'
import { afterEach, beforeEach, expect, test } from 'vitest'
import { listLibraries } from '@/db/queries/libraries'
import { accounts, userSettings, users } from '@/db/schema'
import { testPglite, type TestPglite } from '@/db/testing/pglite'
import { authErrorMessage } from '@/domain/account'
import { createAuth, type Auth } from './auth'

let t: TestPglite
let auth: Auth
beforeEach(async () => {
  t = await testPglite()
  auth = createAuth({ db: t.db, secret: 's'.repeat(32), baseUrl: 'http://localhost:3000', rateLimit: false })
})
afterEach(async () => {
  await t.close()
})

const signUp = (email: string, password = 'correct horse', name = 'Ann') => auth.api.signUpEmail({ body: { email, password, name } })

/** The error code better-auth answers with, or 'ok'. */
async function codeOf(promise: Promise<unknown>): Promise<string> {
  return (await answerOf(promise)).code
}
async function answerOf(promise: Promise<unknown>): Promise<{ code: string; message?: string }> {
  return promise.then(
    () => ({ code: 'ok' }),
    (e: { body?: { code?: string; message?: string } }) => ({ code: e.body?.code ?? String(e), message: e.body?.message }),
  )
}

test('sign-up makes the account, a default library and settings', async () => {
  const { user } = await signUp('ann@example.com')
  expect(user.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7/)
  expect(await listLibraries(t.db, user.id)).toEqual([
    { id: expect.any(String), name: "Ann's library", isDefault: true, role: 'owner', activityCount: 0 },
  ])
  expect(await t.db.select().from(userSettings).where(eq(userSettings.userId, user.id))).toMatchObject([
    { massUnit: 'kg', distanceUnit: 'km' },
  ])
})

test('the password is stored hashed, in the server-only accounts table', async () => {
  const { user } = await signUp('ann@example.com', 'correct horse')
  const [account] = await t.db.select().from(accounts).where(eq(accounts.userId, user.id))
  expect(account?.password).toBeTruthy()
  expect(account?.password).not.toContain('correct horse')
  expect(Object.keys((await t.db.select().from(users))[0]!)).not.toContain('password')
})

test('a taken email, an invalid email and a short password each get their own message', async () => {
  await signUp('ann@example.com')
  const taken = await codeOf(signUp('ann@example.com'))
  expect(authErrorMessage(taken, undefined).email).toMatch(/already exists/)
  const invalid = await answerOf(signUp('not-an-email'))
  expect(authErrorMessage(invalid.code, invalid.message).email).toMatch(/valid email/)
  const short = await codeOf(signUp('bob@example.com', 'short'))
  expect(authErrorMessage(short, undefined).password).toMatch(/at least 8 characters/)
  expect(await t.db.select().from(users)).toHaveLength(1)
})

test('a wrong password and an unknown email read the same', async () => {
  await signUp('ann@example.com')
  const wrongPassword = await codeOf(auth.api.signInEmail({ body: { email: 'ann@example.com', password: 'wrong password' } }))
  const unknownEmail = await codeOf(auth.api.signInEmail({ body: { email: 'nobody@example.com', password: 'wrong password' } }))
  expect(wrongPassword).toBe(unknownEmail)
  expect(authErrorMessage(wrongPassword, undefined)).toEqual({ form: 'That email and password do not match an account.' })
  expect(await codeOf(auth.api.signInEmail({ body: { email: 'ann@example.com', password: 'correct horse' } }))).toBe('ok')
})
