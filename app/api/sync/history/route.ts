import { getServer } from '@/server'
import { methodNotAllowed } from '@/server/method-not-allowed'
import { handleHistory } from '@/sync/server/http'

export async function GET(request: Request) {
  const { sync } = await getServer()
  return handleHistory(sync, request)
}

export const { POST, PUT, PATCH, DELETE } = methodNotAllowed('GET')
