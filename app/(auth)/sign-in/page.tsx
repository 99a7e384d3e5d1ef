import type { Metadata } from 'next'
import { redirect } from 'next/navigation'
import { currentSession } from '@/server/session'
import { AuthPage } from '../_components/auth-page'

export const metadata: Metadata = { title: 'Sign in' }

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  if (await currentSession()) redirect('/')
  const { email } = await searchParams
  // Only a plausible address is shown back: the query is anyone's to write.
  const shown = typeof email === 'string' && email.length <= 320 && /^[^\s@]+@[^\s@]+$/.test(email) ? email : undefined
  return <AuthPage mode="sign-in" email={shown} />
}
