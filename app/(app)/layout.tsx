import { AppShell } from '@/components/app-shell'
import { ReplacedEdits } from '@/components/replaced-edits'

/**
 * Signed-in pages are static shells: they read the device database, not the server, so the
 * service worker can serve them with the network off. The shell sends a visitor with no account
 * on this device to sign-in. Above every page: edits of this device another device replaced
 * (sync/SPEC.md B14).
 */
export default function AppLayout({ children }: { children: React.ReactNode }) {
  return (
    <AppShell>
      <ReplacedEdits />
      {children}
    </AppShell>
  )
}
