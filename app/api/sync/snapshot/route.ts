import { getServer } from '@/server'
import { handleSnapshot } from '@/sync/server/http'

export async function GET(request: Request) {
  return handleSnapshot((await getServer()).sync, request)
}
