#!/usr/bin/env -S npx tsx
// Writes the sync triggers rendered from the registry (db/sync-triggers.ts, sync/SPEC.md L6) as
// migrations, one set for the server and one for the device, when they differ from the last
// ones written.
//   tsx scripts/sync-triggers.ts          write a new migration where the rendering changed
//   tsx scripts/sync-triggers.ts --check  exit 1 if a committed set is stale (CI and db:check)
import { execFileSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { localTables, registry, replicaTables } from '../db/schema/registry'
import { migrationText, renderDeviceSyncTriggers, renderServerSyncTriggers } from '../db/sync-triggers'

const TAG = 'sync_triggers'

const sets = [
  { folder: 'db/migrations', config: 'drizzle.config.ts', text: migrationText(renderServerSyncTriggers(registry)) },
  {
    folder: 'db/device/migrations',
    config: 'drizzle.device.config.ts',
    text: migrationText(renderDeviceSyncTriggers(replicaTables, localTables)),
  },
]

type Journal = { entries: { tag: string }[] }
const journalOf = (folder: string): Journal => JSON.parse(readFileSync(join(folder, 'meta/_journal.json'), 'utf8'))

const check = process.argv.includes('--check')
let stale = false
for (const set of sets) {
  const last = journalOf(set.folder).entries.findLast((e) => e.tag.endsWith(`_${TAG}`))
  const current = last ? readFileSync(join(set.folder, `${last.tag}.sql`), 'utf8') : ''
  if (current === set.text) continue
  if (check) {
    console.error(`${set.folder}: the sync triggers do not match the registry: run npm run db:generate`)
    stale = true
    continue
  }
  // drizzle-kit numbers the migration and keeps its snapshots and journal consistent.
  execFileSync('npx', ['drizzle-kit', 'generate', '--custom', '--name', TAG, '--config', set.config], { stdio: 'ignore' })
  const added = journalOf(set.folder).entries.at(-1)!
  if (!added.tag.endsWith(`_${TAG}`)) throw new Error(`drizzle-kit did not add a ${TAG} migration to ${set.folder}`)
  writeFileSync(join(set.folder, `${added.tag}.sql`), set.text)
  console.log(`wrote ${set.folder}/${added.tag}.sql`)
}
process.exit(stale ? 1 : 0)
