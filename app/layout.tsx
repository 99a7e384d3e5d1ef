import type { Metadata, Viewport } from 'next'
import { GeistSans } from 'geist/font/sans'
import { GeistMono } from 'geist/font/mono'
import { Providers } from '@/components/providers'
import { ServiceWorker } from '@/components/service-worker'
import './globals.css'

export const metadata: Metadata = {
  title: { default: 'Cadence', template: '%s · Cadence' },
  description: 'An offline-first training log that syncs across your devices.',
  applicationName: 'Cadence',
  manifest: '/manifest.webmanifest',
  icons: { icon: '/icons/icon-192.png', apple: '/icons/icon-192.png' },
}

export const viewport: Viewport = {
  themeColor: '#18181b',
  width: 'device-width',
  initialScale: 1,
}

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en" className={`${GeistSans.variable} ${GeistMono.variable}`}>
      <body className="min-h-dvh font-sans">
        <Providers>{children}</Providers>
        <ServiceWorker />
      </body>
    </html>
  )
}
