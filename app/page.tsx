import type { Metadata } from 'next'
import { redirect } from 'next/navigation'
import { SignOutButton } from '@/components/sign-out-button'
import { listActivities, listLibraries } from '@/db/queries/libraries'
import { getServer } from '@/server'
import { currentSession } from '@/server/session'

export const metadata: Metadata = { title: 'Library' }

const roleLabel = { owner: 'Yours', editor: 'Shared with you · can edit', viewer: 'Shared with you · view only' } as const

export default async function HomePage() {
  const session = await currentSession()
  if (!session) redirect('/sign-in')
  const { db } = await getServer()
  const libraries = await listLibraries(db, session.user.id)
  const main = libraries.find((l) => l.isDefault) ?? libraries[0]
  const activities = main ? await listActivities(db, main.id) : []

  return (
    <div className="mx-auto flex min-h-dvh w-full max-w-3xl flex-col">
      <header className="flex items-center justify-between gap-4 border-b border-zinc-200 px-4 py-3 dark:border-zinc-800">
        <p className="font-semibold">Cadence</p>
        <div className="flex items-center gap-3 text-sm">
          <span className="text-zinc-600 dark:text-zinc-400">{session.user.email}</span>
          <SignOutButton />
        </div>
      </header>
      <main className="flex flex-col gap-8 px-4 py-8">
        <section aria-labelledby="library-heading" className="flex flex-col gap-3">
          <h1 id="library-heading" className="text-2xl font-semibold">
            {main?.name ?? 'Your library'}
          </h1>
          {activities.length === 0 ? (
            <div className="rounded-xl border border-dashed border-zinc-300 px-6 py-10 text-center dark:border-zinc-700">
              <p className="font-medium">No activities yet</p>
              <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">
                Activities are what you log: a lift, a run, a whole workout.
              </p>
            </div>
          ) : (
            <ul className="divide-y divide-zinc-200 rounded-xl border border-zinc-200 dark:divide-zinc-800 dark:border-zinc-800">
              {activities.map((a) => (
                <li key={a.id} className="flex items-center justify-between px-4 py-3">
                  <span>{a.name}</span>
                  <span className="text-xs text-zinc-500">{a.kind === 'sequence' ? 'Workout' : 'Exercise'}</span>
                </li>
              ))}
            </ul>
          )}
        </section>
        {libraries.length > 1 ? (
          <section aria-labelledby="libraries-heading" className="flex flex-col gap-3">
            <h2 id="libraries-heading" className="text-lg font-semibold">
              All libraries
            </h2>
            <ul className="flex flex-col gap-2">
              {libraries.map((l) => (
                <li key={l.id} className="flex justify-between rounded-lg border border-zinc-200 px-4 py-3 dark:border-zinc-800">
                  <span>{l.name}</span>
                  <span className="text-sm text-zinc-600 dark:text-zinc-400">
                    {roleLabel[l.role]} · {l.activityCount} {l.activityCount === 1 ? 'activity' : 'activities'}
                  </span>
                </li>
              ))}
            </ul>
          </section>
        ) : null}
      </main>
    </div>
  )
}
