import { describe, expect, test } from 'vitest'
import { ConfigError, readEnv } from './env'

describe('readEnv', () => {
  test('runs with no configuration: embedded database under .data on port 3000', () => {
    expect(readEnv({})).toMatchObject({
      databaseUrl: undefined,
      dataDir: '.data',
      port: 3000,
      baseUrl: 'http://localhost:3000',
      production: false,
    })
  })

  test('an empty DATABASE_URL means the embedded database', () => {
    expect(readEnv({ DATABASE_URL: '  ' }).databaseUrl).toBeUndefined()
  })

  test.each([
    [{ DATABASE_URL: 'mysql://x' }, /^DATABASE_URL must be a postgres/],
    [{ PORT: 'eighty' }, /^PORT /],
    [{ PORT: '70000' }, /^PORT /],
    [{ BETTER_AUTH_SECRET: 'short' }, /^BETTER_AUTH_SECRET must be at least 32 characters/],
    [{ CADENCE_URL: 'not a url' }, /^CADENCE_URL /],
  ])('names the variable at fault: %o', (source, message) => {
    expect(() => readEnv(source)).toThrow(ConfigError)
    expect(() => readEnv(source)).toThrow(message)
  })

  test('production on PostgreSQL needs a secret; the embedded default makes its own', () => {
    expect(() => readEnv({ NODE_ENV: 'production', DATABASE_URL: 'postgres://db/cadence' })).toThrow(/^BETTER_AUTH_SECRET must be set/)
    expect(readEnv({ NODE_ENV: 'production' }).authSecret).toBeUndefined()
  })

  test('auth rate limiting is on in production unless turned off, and off in development', () => {
    expect(readEnv({ NODE_ENV: 'production' }).authRateLimit).toBe(true)
    expect(readEnv({ NODE_ENV: 'production', CADENCE_AUTH_RATE_LIMIT: 'off' }).authRateLimit).toBe(false)
    expect(readEnv({}).authRateLimit).toBe(false)
    expect(() => readEnv({ CADENCE_AUTH_RATE_LIMIT: 'maybe' })).toThrow(/^CADENCE_AUTH_RATE_LIMIT /)
  })

  test('[A10] no proxy is trusted unless listed; a bad entry names the variable', () => {
    expect(readEnv({}).trustedProxies).toEqual([])
    expect(readEnv({ CADENCE_TRUSTED_PROXIES: ' 10.0.0.0/8, 192.0.2.5 ' }).trustedProxies).toEqual(['10.0.0.0/8', '192.0.2.5'])
    expect(() => readEnv({ CADENCE_TRUSTED_PROXIES: '10.0.0.0/8,proxy' })).toThrow(
      'CADENCE_TRUSTED_PROXIES lists "proxy" is not an IP address or a CIDR range',
    )
  })

  test('[M12] photo bytes no photo names are kept 7 days unless told otherwise', () => {
    expect(readEnv({}).mediaGraceDays).toBe(7)
    expect(readEnv({ CADENCE_MEDIA_GRACE_DAYS: '0.5' }).mediaGraceDays).toBe(0.5)
    expect(readEnv({ CADENCE_MEDIA_GRACE_DAYS: ' ' }).mediaGraceDays).toBe(7)
    expect(() => readEnv({ CADENCE_MEDIA_GRACE_DAYS: '-1' })).toThrow(/^CADENCE_MEDIA_GRACE_DAYS /)
    expect(() => readEnv({ CADENCE_MEDIA_GRACE_DAYS: 'a week' })).toThrow(/^CADENCE_MEDIA_GRACE_DAYS /)
  })

  test('[A11] a stopping server gives open requests 10 s unless told otherwise', () => {
    expect(readEnv({}).shutdownGraceMs).toBe(10_000)
    expect(readEnv({ CADENCE_SHUTDOWN_GRACE_SECONDS: '25' }).shutdownGraceMs).toBe(25_000)
    expect(() => readEnv({ CADENCE_SHUTDOWN_GRACE_SECONDS: 'soon' })).toThrow(/^CADENCE_SHUTDOWN_GRACE_SECONDS /)
  })
})
