import { getServer } from '@/server'
import { handlePull } from '@/sync/server/http'

export async function GET(request: Request) {
  return handlePull((await getServer()).sync, request)
}
