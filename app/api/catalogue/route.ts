import { publishedCatalogue } from '@/db/queries/libraries'
import { getServer } from '@/server'
import { currentSession } from '@/server/session'

/** The public catalogue for the signed-in user (published libraries of others). */
export async function GET() {
  const session = await currentSession()
  if (!session) return Response.json({ error: 'Sign in to browse the catalogue.' }, { status: 401 })
  const { db } = await getServer()
  return Response.json({ libraries: await publishedCatalogue(db, session.user.id) }, { headers: { 'cache-control': 'no-store' } })
}
