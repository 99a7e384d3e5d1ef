import { getServer } from '@/server'

async function handle(request: Request): Promise<Response> {
  const { auth } = await getServer()
  return auth.handler(request)
}

export const GET = handle
export const POST = handle
