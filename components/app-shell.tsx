'use client'

import Link from 'next/link'
import { usePathname } from 'next/navigation'
import type { ReactNode } from 'react'
import { SignOutButton } from './sign-out-button'
import { SyncProvider } from './sync/sync-provider'
import { SyncStatusBar } from './sync/sync-status'

/** A 24 × 24 line icon in the text's colour; the label beside it names the link. */
function Icon({ children }: { children: ReactNode }) {
  return (
    <svg
      aria-hidden="true"
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth={1.8}
      strokeLinecap="round"
      strokeLinejoin="round"
      className="size-6 shrink-0"
    >
      {children}
    </svg>
  )
}

const nav = [
  {
    href: '/',
    label: 'Library',
    icon: (
      <Icon>
        <rect x="5" y="6" width="3" height="12" rx="1" />
        <rect x="16" y="6" width="3" height="12" rx="1" />
        <path d="M8 12h8M2.5 9.5v5M21.5 9.5v5" />
      </Icon>
    ),
  },
  {
    href: '/libraries',
    label: 'Libraries',
    icon: (
      <Icon>
        <rect x="3.5" y="4" width="4" height="16" rx="1" />
        <rect x="9.5" y="4" width="4" height="16" rx="1" />
        <path d="m15.6 5.4 3.8-1 3.2 14.6-3.8.9z" />
      </Icon>
    ),
  },
  {
    href: '/history',
    label: 'History',
    icon: (
      <Icon>
        <circle cx="12" cy="12" r="8.5" />
        <path d="M12 7.5V12l3 2" />
      </Icon>
    ),
  },
  {
    href: '/progress',
    label: 'Progress',
    icon: (
      <Icon>
        <path d="M3.5 3.5v17h17" />
        <path d="m7.5 15 4-4.5 3 3 5-6" />
      </Icon>
    ),
  },
  {
    href: '/settings',
    label: 'Settings',
    icon: (
      <Icon>
        <path d="M4 6h9M17 6h3M4 12h3M11 12h9M4 18h11M19 18h1" />
        <circle cx="15" cy="6" r="2" />
        <circle cx="9" cy="12" r="2" />
        <circle cx="17" cy="18" r="2" />
      </Icon>
    ),
  },
] as const

/**
 * The frame of every signed-in page: navigation, the always-visible sync status, and the device
 * database every page reads. It renders the same with the network off.
 *
 * One navigation serves both widths. On a phone it is a tab bar fixed to the bottom (above the
 * home indicator: the safe-area inset), and the page leaves `--tab-bar-height` free below its
 * content so the bar covers nothing; anything else fixed to the bottom (the workout's keypad
 * tools, the update prompt) sits on top of that height. From `md` up it is a sidebar and the
 * height is 0.
 */
export function AppShell({ children }: { children: React.ReactNode }) {
  const pathname = usePathname()
  return (
    <SyncProvider>
      <div className="min-h-dvh md:grid md:grid-cols-[13rem_minmax(0,1fr)] md:grid-rows-[auto_1fr]">
        <header className="border-b border-zinc-200 py-3 md:col-start-2 md:row-start-1 md:border-b-0 md:pt-4 dark:border-zinc-800">
          <div className="mx-auto flex w-full max-w-3xl flex-wrap items-center gap-x-4 gap-y-2 px-4">
            <Link href="/" className="font-semibold md:hidden">
              Cadence
            </Link>
            <div className="order-last w-full md:order-none md:w-auto md:flex-1">
              <SyncStatusBar />
            </div>
            <div className="ml-auto">
              <SignOutButton />
            </div>
          </div>
        </header>
        <nav
          aria-label="Main"
          data-tab-bar
          className="fixed inset-x-0 bottom-0 z-30 border-t border-zinc-200 bg-white/95 pb-[env(safe-area-inset-bottom)] backdrop-blur md:sticky md:top-0 md:col-start-1 md:row-span-2 md:row-start-1 md:h-dvh md:border-t-0 md:border-r md:bg-white md:pb-0 md:backdrop-blur-none dark:border-zinc-800 dark:bg-zinc-950/95 md:dark:bg-zinc-950"
        >
          <Link href="/" className="hidden px-6 pt-5 pb-4 text-lg font-semibold md:block">
            Cadence
          </Link>
          <ul className="grid grid-cols-5 md:flex md:flex-col md:gap-1 md:px-3">
            {nav.map((item) => {
              const current = item.href === '/' ? pathname === '/' : pathname.startsWith(item.href)
              return (
                <li key={item.href} className="min-w-0">
                  <Link
                    href={item.href}
                    aria-current={current ? 'page' : undefined}
                    className="flex min-h-14 flex-col items-center justify-center gap-0.5 px-1 text-xs font-medium text-zinc-600 max-md:hover:text-zinc-900 focus-visible:outline-2 focus-visible:-outline-offset-2 focus-visible:outline-accent max-md:aria-[current=page]:text-accent-strong md:min-h-11 md:flex-row md:justify-start md:gap-3 md:rounded-lg md:px-3 md:text-sm md:[&:not([aria-current=page]):hover]:bg-zinc-100 md:aria-[current=page]:bg-zinc-900 md:aria-[current=page]:text-white dark:text-zinc-400 max-md:dark:hover:text-zinc-100 max-md:dark:aria-[current=page]:text-sky-300 md:dark:[&:not([aria-current=page]):hover]:bg-zinc-800 md:dark:aria-[current=page]:bg-zinc-100 md:dark:aria-[current=page]:text-zinc-900"
                  >
                    {item.icon}
                    <span>{item.label}</span>
                  </Link>
                </li>
              )
            })}
          </ul>
        </nav>
        <main className="mx-auto flex w-full max-w-3xl flex-col gap-8 px-4 pt-6 pb-[calc(var(--tab-bar-height,0px)+1.5rem)] md:col-start-2 md:row-start-2">
          {children}
        </main>
      </div>
    </SyncProvider>
  )
}
