import { publishedCatalogue } from '@/db/queries/libraries'
import { getServer } from '@/server'
import { methodNotAllowed } from '@/server/method-not-allowed'
import { currentSession } from '@/server/session'
import type { ErrorResponse } from '@/sync/protocol'

/** The public catalogue for the signed-in user (published libraries of others). */
export async function GET() {
  const session = await currentSession()
  if (!session)
    return Response.json({ type: 'error', message: 'Sign in to browse the catalogue.' } satisfies ErrorResponse, { status: 401 })
  const { db } = await getServer()
  return Response.json({ libraries: await publishedCatalogue(db, session.user.id) }, { headers: { 'cache-control': 'no-store' } })
}

export const { POST, PUT, PATCH, DELETE } = methodNotAllowed('GET')
