import { getServer } from '@/server'
import { methodNotAllowed } from '@/server/method-not-allowed'
import { handleSnapshot } from '@/sync/server/http'

export async function GET(request: Request) {
  return handleSnapshot((await getServer()).sync, request)
}

export const { POST, PUT, PATCH, DELETE } = methodNotAllowed('GET')
