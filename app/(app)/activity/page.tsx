import type { Metadata } from 'next'
import { Suspense } from 'react'
import { ActivityEditor } from './_components/activity-editor'

export const metadata: Metadata = { title: 'Edit activity' }

export default function ActivityPage() {
  return (
    <Suspense>
      <ActivityEditor />
    </Suspense>
  )
}
