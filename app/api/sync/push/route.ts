import { getServer } from '@/server'
import { methodNotAllowed } from '@/server/method-not-allowed'
import { handlePush } from '@/sync/server/http'

export async function POST(request: Request) {
  return handlePush((await getServer()).sync, request)
}

export const { GET, PUT, PATCH, DELETE } = methodNotAllowed('POST')
