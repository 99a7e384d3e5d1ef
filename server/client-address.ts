/**
 * Whose request it is, as far as throttling is concerned (SPEC A10). Any client can send
 * `X-Forwarded-For`; only the TCP peer's address is its own to prove. `scripts/serve.mjs` stamps the
 * peer on every request; a forwarding header is believed only for the hops that configured
 * proxies (`CADENCE_TRUSTED_PROXIES`) appended.
 */
import { BlockList, isIP } from 'node:net'

/** The TCP peer's address, set by `scripts/serve.mjs` on every request over whatever a client sent. */
export const PEER_ADDRESS_HEADER = 'x-cadence-peer-address'
/** The resolved client address, the one header better-auth reads (`advanced.ipAddress`). */
export const CLIENT_ADDRESS_HEADER = 'x-cadence-client-address'

/** `::ffff:192.0.2.1` (an IPv4 client of a dual-stack socket) is `192.0.2.1`. */
function unmapped(address: string): string {
  const v4 = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1]
  return v4 ?? address
}

const family = (address: string) => (isIP(address) === 6 ? 'ipv6' : 'ipv4')

/**
 * The proxies whose `X-Forwarded-For` is believed: addresses (`10.0.0.2`) or ranges
 * (`10.0.0.0/8`, `fd00::/8`). Throws naming the first entry that is neither.
 */
export function trustedProxies(entries: readonly string[]): BlockList {
  const list = new BlockList()
  for (const entry of entries) {
    const match = /^([^/]+)(?:\/(\d{1,3}))?$/.exec(entry)
    const ip = unmapped(match?.[1] ?? '')
    const bits = match?.[2] === undefined ? undefined : Number(match[2])
    if (!isIP(ip) || (bits !== undefined && bits > (isIP(ip) === 6 ? 128 : 32))) {
      throw new Error(`"${entry}" is not an IP address or a CIDR range`)
    }
    if (bits === undefined) list.addAddress(ip, family(ip))
    else list.addSubnet(ip, bits, family(ip))
  }
  return list
}

/**
 * The address a request counts against: the TCP peer, or, when the peer is a trusted proxy, the
 * nearest address in `X-Forwarded-For` that no trusted proxy holds (walking back from the hop the
 * peer appended). Null when the request did not come through `scripts/serve.mjs` (no peer known).
 */
export function clientAddress(headers: Headers, proxies: BlockList | undefined): string | null {
  const peer = unmapped(headers.get(PEER_ADDRESS_HEADER)?.trim() ?? '')
  if (!isIP(peer)) return null
  const hops = (headers.get('x-forwarded-for') ?? '')
    .split(',')
    .map((hop) => unmapped(hop.trim()))
    .filter(Boolean)
  let client = peer
  while (proxies?.check(client, family(client))) {
    const previous = hops.pop()
    if (previous === undefined || !isIP(previous)) break
    client = previous
  }
  return client
}

/**
 * The request as better-auth must see it: {@link CLIENT_ADDRESS_HEADER} set to
 * {@link clientAddress}, or removed when none is known (a client may have sent one).
 */
export function withClientAddress(request: Request, proxies: BlockList | undefined): Request {
  const headers = new Headers(request.headers)
  const address = clientAddress(headers, proxies)
  if (address) headers.set(CLIENT_ADDRESS_HEADER, address)
  else headers.delete(CLIENT_ADDRESS_HEADER)
  return new Request(request, { headers })
}
