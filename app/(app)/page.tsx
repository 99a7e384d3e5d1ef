import type { Metadata } from 'next'
import { Suspense } from 'react'
import { LibraryView } from './_components/library-view'

export const metadata: Metadata = { title: 'Library' }

/** The library page: the default library, or `/?library=<id>` (one the user owns or edits). */
export default function LibraryPage() {
  return (
    <Suspense>
      <LibraryView />
    </Suspense>
  )
}
