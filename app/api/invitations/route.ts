import { invitationsFor } from '@/db/queries/invitations'
import { getServer } from '@/server'
import { methodNotAllowed } from '@/server/method-not-allowed'
import { currentSession } from '@/server/session'
import type { ErrorResponse } from '@/sync/protocol'

/**
 * The invitations waiting for the signed-in account's address (sync/SPEC.md S4). They are in
 * libraries the invitee cannot read yet, so no device holds them; the answer is a mutation
 * (`acceptInvitation`, `declineInvitation`) pushed like any other.
 */
export async function GET() {
  const session = await currentSession()
  if (!session)
    return Response.json({ type: 'error', message: 'Sign in to see your invitations.' } satisfies ErrorResponse, { status: 401 })
  const { db } = await getServer()
  return Response.json({ invitations: await invitationsFor(db, session.user.id) }, { headers: { 'cache-control': 'no-store' } })
}

export const { POST, PUT, PATCH, DELETE } = methodNotAllowed('GET')
