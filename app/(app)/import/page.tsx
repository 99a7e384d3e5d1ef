import type { Metadata } from 'next'
import { ImportFlow } from './_components/import-flow'

export const metadata: Metadata = { title: 'Import history' }

export default function ImportPage() {
  return <ImportFlow />
}
