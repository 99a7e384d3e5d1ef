import type { Metadata } from 'next'
import { redirect } from 'next/navigation'
import { currentSession } from '@/server/session'
import { AuthPage } from '../_components/auth-page'

export const metadata: Metadata = { title: 'Sign in' }

export default async function SignInPage() {
  if (await currentSession()) redirect('/')
  return <AuthPage mode="sign-in" />
}
