import type { Metadata } from 'next'
import { redirect } from 'next/navigation'
import { SignOutButton } from '@/components/sign-out-button'
import { SyncProvider } from '@/components/sync/sync-provider'
import { SyncStatusBar } from '@/components/sync/sync-status'
import { currentSession } from '@/server/session'
import { LibraryView } from './_components/library-view'

export const metadata: Metadata = { title: 'Library' }

export default async function HomePage() {
  const session = await currentSession()
  if (!session) redirect('/sign-in')
  return (
    <SyncProvider userId={session.user.id}>
      <div className="mx-auto flex min-h-dvh w-full max-w-3xl flex-col">
        <header className="flex flex-col gap-2 border-b border-zinc-200 px-4 py-3 dark:border-zinc-800">
          <div className="flex items-center justify-between gap-4">
            <p className="font-semibold">Cadence</p>
            <div className="flex items-center gap-3 text-sm">
              <span className="text-zinc-600 dark:text-zinc-400">{session.user.email}</span>
              <SignOutButton />
            </div>
          </div>
          <SyncStatusBar />
        </header>
        <main className="flex flex-col gap-8 px-4 py-8">
          <LibraryView userId={session.user.id} />
        </main>
      </div>
    </SyncProvider>
  )
}
