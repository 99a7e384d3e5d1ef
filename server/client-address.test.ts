/** Which address a request counts against for throttling (SPEC A10), from its headers alone. */
import { expect, test } from 'vitest'
import { CLIENT_ADDRESS_HEADER, PEER_ADDRESS_HEADER, clientAddress, trustedProxies, withClientAddress } from './client-address'

const from = (peer: string | undefined, forwardedFor?: string) =>
  new Headers({ ...(peer ? { [PEER_ADDRESS_HEADER]: peer } : {}), ...(forwardedFor ? { 'x-forwarded-for': forwardedFor } : {}) })

test('[A10] with no trusted proxy the TCP peer is the client, whatever X-Forwarded-For says', () => {
  expect(clientAddress(from('203.0.113.7', '198.51.100.1'), undefined)).toBe('203.0.113.7')
  expect(clientAddress(from('::ffff:203.0.113.7'), undefined)).toBe('203.0.113.7')
  expect(clientAddress(from('2001:db8::1'), undefined)).toBe('2001:db8::1')
})

test('[A10] behind trusted proxies the client is the nearest forwarded hop that is not one of them', () => {
  const proxies = trustedProxies(['10.0.0.0/8', '192.0.2.5'])
  expect(clientAddress(from('10.1.2.3', '198.51.100.1'), proxies)).toBe('198.51.100.1')
  // A client's own forged entries come first in the chain and are never reached.
  expect(clientAddress(from('10.1.2.3', '1.1.1.1, 198.51.100.1, 192.0.2.5'), proxies)).toBe('198.51.100.1')
  // Nothing forwarded, or garbage: the last trusted hop counts.
  expect(clientAddress(from('10.1.2.3'), proxies)).toBe('10.1.2.3')
  expect(clientAddress(from('10.1.2.3', 'not-an-ip'), proxies)).toBe('10.1.2.3')
  // A peer that is not a trusted proxy speaks for itself only.
  expect(clientAddress(from('203.0.113.7', '198.51.100.1'), proxies)).toBe('203.0.113.7')
})

test('[A10] a request that did not come through the server entry has no known address, and a forged one is dropped', () => {
  expect(clientAddress(from(undefined, '198.51.100.1'), undefined)).toBeNull()
  const forged = new Request('http://localhost/api/auth/sign-in/email', { headers: { [CLIENT_ADDRESS_HEADER]: '198.51.100.1' } })
  expect(withClientAddress(forged, undefined).headers.get(CLIENT_ADDRESS_HEADER)).toBeNull()
  const stamped = new Request('http://localhost/', {
    headers: { [PEER_ADDRESS_HEADER]: '203.0.113.7', [CLIENT_ADDRESS_HEADER]: '1.1.1.1' },
  })
  expect(withClientAddress(stamped, undefined).headers.get(CLIENT_ADDRESS_HEADER)).toBe('203.0.113.7')
})

test.each(['10.0.0.0/33', 'proxy.internal', '10.0.0.1/', '::1/129'])(
  'a trusted proxy entry that is no address or range is refused: %s',
  (entry) => {
    expect(() => trustedProxies([entry])).toThrow(`"${entry}" is not an IP address or a CIDR range`)
  },
)
