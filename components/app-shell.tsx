'use client'

import Link from 'next/link'
import { usePathname } from 'next/navigation'
import { SignOutButton } from './sign-out-button'
import { SyncProvider } from './sync/sync-provider'
import { SyncStatusBar } from './sync/sync-status'

const nav = [
  { href: '/', label: 'Library' },
  { href: '/libraries', label: 'Libraries' },
  { href: '/history', label: 'History' },
  { href: '/progress', label: 'Progress' },
  { href: '/settings', label: 'Settings' },
] as const

/**
 * The frame of every signed-in page: navigation, the always-visible sync status, and the device
 * database every page reads. It renders the same with the network off.
 */
export function AppShell({ children }: { children: React.ReactNode }) {
  const pathname = usePathname()
  return (
    <SyncProvider>
      <div className="mx-auto flex min-h-dvh w-full max-w-3xl flex-col">
        <header className="flex flex-col gap-2 border-b border-zinc-200 px-4 py-3 dark:border-zinc-800">
          <div className="flex items-center justify-between gap-4">
            <Link href="/" className="font-semibold">
              Cadence
            </Link>
            <SignOutButton />
          </div>
          <nav aria-label="Main">
            <ul className="flex gap-1 overflow-x-auto text-sm">
              {nav.map((item) => {
                const current = item.href === '/' ? pathname === '/' : pathname.startsWith(item.href)
                return (
                  <li key={item.href}>
                    <Link
                      href={item.href}
                      aria-current={current ? 'page' : undefined}
                      className="inline-flex min-h-11 items-center rounded-lg px-3 text-zinc-700 hover:bg-zinc-200 aria-[current=page]:bg-zinc-900 aria-[current=page]:text-white dark:text-zinc-300 dark:hover:bg-zinc-800 dark:aria-[current=page]:bg-zinc-100 dark:aria-[current=page]:text-zinc-900"
                    >
                      {item.label}
                    </Link>
                  </li>
                )
              })}
            </ul>
          </nav>
          <SyncStatusBar />
        </header>
        <main className="flex flex-col gap-8 px-4 py-6">{children}</main>
      </div>
    </SyncProvider>
  )
}
