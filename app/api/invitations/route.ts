import { invitationsFor } from '@/db/queries/invitations'
import { getServer } from '@/server'
import { currentSession } from '@/server/session'

/**
 * The invitations waiting for the signed-in account's address (sync/SPEC.md S4). They are in
 * libraries the invitee cannot read yet, so no device holds them; the answer is a mutation
 * (`acceptInvitation`, `declineInvitation`) pushed like any other.
 */
export async function GET() {
  const session = await currentSession()
  if (!session) return Response.json({ error: 'Sign in to see your invitations.' }, { status: 401 })
  const { db } = await getServer()
  return Response.json({ invitations: await invitationsFor(db, session.user.id) }, { headers: { 'cache-control': 'no-store' } })
}
