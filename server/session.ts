import 'server-only'
import { headers } from 'next/headers'
import { getServer } from '.'

/** The signed-in user's session for the current request, or null. */
export async function currentSession() {
  const { auth } = await getServer()
  return auth.api.getSession({ headers: await headers() })
}
