import { AppShell } from '@/components/app-shell'

/**
 * Signed-in pages are static shells: they read the device database, not the server, so the
 * service worker can serve them with the network off. The shell sends a visitor with no account
 * on this device to sign-in.
 */
export default function AppLayout({ children }: { children: React.ReactNode }) {
  return <AppShell>{children}</AppShell>
}
