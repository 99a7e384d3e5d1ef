import { AuthForm } from './auth-form'
import { OfflineNotice } from './offline-notice'

/**
 * `email`: the account to sign in again as, when a device lost its session with changes waiting
 * (SPEC A7); the page says why it is asked.
 */
export function AuthPage({ mode, email }: { mode: 'sign-in' | 'sign-up'; email?: string }) {
  return (
    <main className="mx-auto flex min-h-dvh w-full max-w-sm flex-col justify-center gap-8 px-6 py-12">
      <div className="flex flex-col gap-2">
        <p className="text-sm font-semibold tracking-wide text-accent-strong uppercase dark:text-accent">Cadence</p>
        <h1 className="text-3xl font-semibold">{mode === 'sign-up' ? 'Create your account' : 'Welcome back'}</h1>
        <p className="text-zinc-600 dark:text-zinc-400">
          {mode === 'sign-up'
            ? 'Log every set, offline or on, on all your devices.'
            : email
              ? `Your session ended. Sign in as ${email} to sync the changes waiting on this device.`
              : 'Sign in to your training log.'}
        </p>
      </div>
      <OfflineNotice />
      <AuthForm mode={mode} email={email} />
    </main>
  )
}
