import type { Metadata } from 'next'
import { ExportData } from './_components/export-data'
import { SettingsView } from './_components/settings-view'

export const metadata: Metadata = { title: 'Settings' }

export default function SettingsPage() {
  return (
    <>
      <SettingsView />
      <ExportData />
    </>
  )
}
