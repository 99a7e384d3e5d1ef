import type { Metadata } from 'next'
import { Suspense } from 'react'
import { LogView } from './_components/log-view'

export const metadata: Metadata = { title: 'Log' }

export default function LogPage() {
  return (
    <Suspense>
      <LogView />
    </Suspense>
  )
}
