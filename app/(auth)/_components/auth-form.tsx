'use client'

import Link from 'next/link'
import { useState, useSyncExternalStore, type FormEvent } from 'react'
import { authClient } from '@/components/auth-client'
import { Button } from '@/components/ui/button'
import { TextField } from '@/components/ui/text-field'
import { authErrorMessage, fieldErrors, signInSchema, signUpSchema, type FieldErrors, type SignUpInput } from '@/domain/account'

type Mode = 'sign-in' | 'sign-up'

/** Whether invitations wait for the account just signed in; false when that cannot be told. */
async function invitationsWaiting(): Promise<boolean> {
  const response = await fetch('/api/invitations', { cache: 'no-store' }).catch(() => null)
  if (!response?.ok) return false
  const body = (await response.json().catch(() => null)) as { invitations?: unknown[] } | null
  return (body?.invitations?.length ?? 0) > 0
}

/** `email` fills the address in: the account whose changes wait on this device (SPEC A7). */
export function AuthForm({ mode, email }: { mode: Mode; email?: string }) {
  const [errors, setErrors] = useState<FieldErrors<SignUpInput>>({})
  const [pending, setPending] = useState(false)
  // Until React has hydrated, a click would submit the form natively, password in the URL.
  const hydrated = useSyncExternalStore(
    () => () => {},
    () => true,
    () => false,
  )

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault()
    const form = Object.fromEntries(new FormData(event.currentTarget)) as Record<string, string>
    const parsed = mode === 'sign-up' ? signUpSchema.safeParse(form) : signInSchema.safeParse(form)
    if (!parsed.success) {
      setErrors(fieldErrors(parsed.error) as FieldErrors<SignUpInput>)
      return
    }
    if (!navigator.onLine) {
      setErrors({ form: 'You are offline: signing in needs the network. Connect, then try again.' })
      return
    }
    setErrors({})
    setPending(true)
    try {
      const result =
        mode === 'sign-up' ? await authClient.signUp.email(parsed.data as SignUpInput) : await authClient.signIn.email(parsed.data)
      if (result.error) {
        setErrors(authErrorMessage(result.error.status === 429 ? 'TOO_MANY_REQUESTS' : result.error.code, result.error.message))
        setPending(false)
        return
      }
      // Invitations wait for the address (SPEC S4): the person sees them first, to accept or decline.
      // A page load, not a client-side move: a device this tab had open before (a lost session,
      // another account, SPEC A7) left its database worker leading in this page, and a device
      // opened beside it could wait on it for ever; the load ends it, as a sign-out's does.
      window.location.replace((await invitationsWaiting()) ? '/libraries' : '/')
      // The form stays busy until the page goes.
    } catch {
      setErrors(authErrorMessage(undefined, undefined))
      setPending(false)
    }
  }

  const signUp = mode === 'sign-up'
  return (
    <form onSubmit={onSubmit} noValidate className="flex flex-col gap-4" aria-busy={pending}>
      {signUp ? <TextField label="Name" name="name" autoComplete="name" error={errors.name} /> : null}
      <TextField label="Email" name="email" type="email" autoComplete="email" inputMode="email" defaultValue={email} error={errors.email} />
      <TextField
        label="Password"
        name="password"
        type="password"
        autoComplete={signUp ? 'new-password' : 'current-password'}
        error={errors.password}
      />
      {errors.form ? (
        <p role="alert" className="rounded-lg bg-red-50 px-3 py-2 text-sm text-red-800 dark:bg-red-950 dark:text-red-200">
          {errors.form}
        </p>
      ) : null}
      <Button type="submit" disabled={pending || !hydrated}>
        {pending ? 'Please wait…' : signUp ? 'Create account' : 'Sign in'}
      </Button>
      <p className="text-center text-sm text-zinc-600 dark:text-zinc-400">
        {signUp ? 'Already have an account? ' : 'New to Cadence? '}
        <Link className="font-medium text-accent-strong underline dark:text-accent" href={signUp ? '/sign-in' : '/sign-up'}>
          {signUp ? 'Sign in' : 'Create an account'}
        </Link>
      </p>
    </form>
  )
}
