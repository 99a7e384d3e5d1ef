/**
 * Sign-in throttling over HTTP against the production server process (`cadence-process.ts`,
 * throttling on as in production). Requests leave from chosen loopback addresses (127.0.0.x), so
 * a test has several real client addresses; `X-Forwarded-For` is whatever the test writes, as an
 * attacker's would be.
 */
import { expect, test } from '@playwright/test'
import { PASSWORD, json, newEmail, send, signUp, startCadence, type Cadence } from './cadence-process'

async function signIn(cadence: Cadence, email: string, password: string, from: { localAddress?: string; forwardedFor?: string } = {}) {
  const answer = await send(cadence, '/api/auth/sign-in/email', {
    method: 'POST',
    localAddress: from.localAddress,
    ...json({ email, password }, from.forwardedFor ? { 'x-forwarded-for': from.forwardedFor } : {}),
  })
  return { status: answer.status, retryAfter: answer.headers['retry-after'] ?? answer.headers['x-retry-after'] }
}

/** Eight wrong passwords for one account, each under a new forwarded address, from one client. */
async function guess(cadence: Cadence, email: string, localAddress: string, count = 8): Promise<number[]> {
  const statuses: number[] = []
  for (let i = 1; i <= count; i++) {
    statuses.push((await signIn(cadence, email, `wrong password ${i}`, { localAddress, forwardedFor: `198.51.100.${i}` })).status)
  }
  return statuses
}

test('[A10] a forwarding header the client writes is not believed: guesses from one address are throttled however it rotates', async () => {
  const cadence = await startCadence({ CADENCE_AUTH_RATE_LIMIT: 'on' })
  try {
    const ann = newEmail('ann')
    const bob = newEmail('bob')
    await signUp(cadence, ann, { localAddress: '127.0.0.2' })
    await signUp(cadence, bob, { localAddress: '127.0.0.3' })

    // better-auth's per-address rule for sign-in: 3 attempts in 10 s.
    expect(await guess(cadence, ann, '127.0.0.2')).toEqual([401, 401, 401, 429, 429, 429, 429, 429])
    // Another client, on another account, is not held back by them.
    expect((await signIn(cadence, bob, PASSWORD, { localAddress: '127.0.0.3' })).status).toBe(200)
  } finally {
    await cadence.dispose()
  }
})

test('[A10] behind a trusted proxy each client address counts on its own, and one account takes at most 10 attempts from all of them', async () => {
  const cadence = await startCadence({ CADENCE_AUTH_RATE_LIMIT: 'on', CADENCE_TRUSTED_PROXIES: '127.0.0.1, 127.0.0.2' })
  try {
    const ann = newEmail('ann')
    const bob = newEmail('bob')
    await signUp(cadence, ann, { localAddress: '127.0.0.2', headers: { 'x-forwarded-for': '192.0.2.10' } })
    await signUp(cadence, bob, { localAddress: '127.0.0.2', headers: { 'x-forwarded-for': '192.0.2.11' } })

    const statuses = await guess(cadence, ann, '127.0.0.2', 12)
    expect(statuses).toEqual([...Array<number>(10).fill(401), 429, 429])
    // The account waits out its window, right password or not, from any address.
    const locked = await signIn(cadence, ann, PASSWORD, { localAddress: '127.0.0.2', forwardedFor: '192.0.2.99' })
    expect(locked.status).toBe(429)
    expect(Number(locked.retryAfter)).toBeGreaterThan(60)
    // Another account is not.
    expect((await signIn(cadence, bob, PASSWORD, { localAddress: '127.0.0.2', forwardedFor: '192.0.2.98' })).status).toBe(200)

    // A client that is not one of the proxies has its forwarding header ignored.
    const carol = newEmail('carol')
    expect(await guess(cadence, carol, '127.0.0.4', 5)).toEqual([401, 401, 401, 429, 429])
  } finally {
    await cadence.dispose()
  }
})
