/**
 * Sign-in throttling through better-auth's own HTTP handler on PGlite, with requests made as the
 * auth route hands them over (the client address resolved into its header, SPEC A10). The
 * process-level test with real sockets and proxies is `e2e/sign-in-throttle.spec.ts`.
 */
import { afterEach, beforeEach, expect, test } from 'vitest'
import { testPglite, type TestPglite } from '@/db/testing/pglite'
import { ACCOUNT_SIGN_IN_LIMIT, createAuth, type Auth } from './auth'
import { CLIENT_ADDRESS_HEADER } from './client-address'

let t: TestPglite
let auth: Auth
beforeEach(async () => {
  t = await testPglite()
  auth = createAuth({ db: t.db, secret: 's'.repeat(32), baseUrl: 'http://localhost:3000', rateLimit: true })
})
afterEach(async () => {
  await t.close()
})

function post(path: string, body: unknown, headers: Record<string, string>) {
  return auth.handler(
    new Request(`http://localhost:3000/api/auth/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'http://localhost:3000', ...headers },
      body: JSON.stringify(body),
    }),
  )
}
const signUp = (email: string, address: string) =>
  post('sign-up/email', { email, password: 'correct horse', name: 'Ann' }, { [CLIENT_ADDRESS_HEADER]: address })
const signIn = async (email: string, password: string, headers: Record<string, string>) =>
  (await post('sign-in/email', { email, password }, headers)).status

test('[A10] the address limit keys on the resolved client address, not on X-Forwarded-For', async () => {
  await signUp('ann@example.com', '192.0.2.1')
  const statuses = []
  for (let i = 1; i <= 8; i++) {
    statuses.push(
      await signIn('ann@example.com', `wrong ${i}`, { [CLIENT_ADDRESS_HEADER]: '192.0.2.1', 'x-forwarded-for': `198.51.100.${i}` }),
    )
  }
  expect(statuses).toEqual([401, 401, 401, 429, 429, 429, 429, 429])
})

test('[A10] one account takes at most its limit of attempts from any number of addresses; another account is not held back', async () => {
  await signUp('ann@example.com', '192.0.2.1')
  await signUp('bob@example.com', '192.0.2.2')
  const statuses = []
  for (let i = 1; i <= ACCOUNT_SIGN_IN_LIMIT.max + 2; i++) {
    statuses.push(await signIn('Ann@Example.com', `wrong ${i}`, { [CLIENT_ADDRESS_HEADER]: `198.51.100.${i}` }))
  }
  expect(statuses).toEqual([...Array<number>(ACCOUNT_SIGN_IN_LIMIT.max).fill(401), 429, 429])
  const locked = await post(
    'sign-in/email',
    { email: 'ann@example.com', password: 'correct horse' },
    { [CLIENT_ADDRESS_HEADER]: '203.0.113.1' },
  )
  expect(locked.status).toBe(429)
  expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(ACCOUNT_SIGN_IN_LIMIT.windowMs / 1000 - 60)
  expect(await signIn('bob@example.com', 'correct horse', { [CLIENT_ADDRESS_HEADER]: '203.0.113.2' })).toBe(200)
})

test('[A10] the account window closes: the count starts again after it', async () => {
  await signUp('ann@example.com', '192.0.2.1')
  const now = Date.now()
  for (let i = 1; i <= ACCOUNT_SIGN_IN_LIMIT.max; i++)
    await signIn('ann@example.com', `wrong ${i}`, { [CLIENT_ADDRESS_HEADER]: `198.51.100.${i}` })
  expect(await signIn('ann@example.com', 'correct horse', { [CLIENT_ADDRESS_HEADER]: '203.0.113.1' })).toBe(429)
  // Move the window's close into the past, as the clock would.
  await t.pg.query(`update rate_limits set last_request = $1 where key like 'sign-in-account:%'`, [now - 1])
  expect(await signIn('ann@example.com', 'correct horse', { [CLIENT_ADDRESS_HEADER]: '203.0.113.1' })).toBe(200)
})
