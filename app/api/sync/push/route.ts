import { getServer } from '@/server'
import { handlePush } from '@/sync/server/http'

export async function POST(request: Request) {
  return handlePush((await getServer()).sync, request)
}
