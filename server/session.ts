import 'server-only'
import { headers } from 'next/headers'
import { getServer } from '.'

/** The signed-in user's session for the current request, or null. */
export async function currentSession() {
  // Reading headers first marks the page dynamic, so `next build` never opens the database.
  const requestHeaders = await headers()
  const { auth } = await getServer()
  return auth.api.getSession({ headers: requestHeaders })
}
