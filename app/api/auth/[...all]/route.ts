import { getServer } from '@/server'
import { withClientAddress } from '@/server/client-address'
import { methodNotAllowed } from '@/server/method-not-allowed'

async function handle(request: Request): Promise<Response> {
  const { auth, proxies } = await getServer()
  // better-auth throttles on the address resolved here, never on a header the client wrote (A10).
  return auth.handler(withClientAddress(request, proxies))
}

export const GET = handle
export const POST = handle
export const { PUT, PATCH, DELETE } = methodNotAllowed('GET', 'POST')
