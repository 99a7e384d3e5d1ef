import { getServer } from '@/server'
import { methodNotAllowed } from '@/server/method-not-allowed'
import { handlePull } from '@/sync/server/http'

export async function GET(request: Request) {
  const { sync } = await getServer()
  // A stopping server ends a parked long-poll at once, as if its client had left (SPEC A11).
  const signal = AbortSignal.any([request.signal, sync.notifier.stopping])
  return handlePull(sync, new Request(request, { signal }))
}

export const { POST, PUT, PATCH, DELETE } = methodNotAllowed('GET')
