import type { Metadata } from 'next'
import { Suspense } from 'react'
import { ProgressView } from './_components/progress-view'

export const metadata: Metadata = { title: 'Progress' }

export default function ProgressPage() {
  return (
    <Suspense>
      <ProgressView />
    </Suspense>
  )
}
