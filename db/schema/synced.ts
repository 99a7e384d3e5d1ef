/**
 * The tables that exist on both the server and every device, and the scope each row syncs in.
 * This list is the device schema: `drizzle.device.config.ts` generates the browser's migrations
 * from it (plus `local.ts`), so nothing server-only can reach a device by accident.
 */
export { users } from './auth'
export { devices } from './devices'
export { libraries, libraryMembers, libraryInvites } from './libraries'
export { activities, attributes, attributeOptions, sequenceItems, templateVersions } from './activities'
export { entries, entryValues, tags, entryTags } from './entries'
export { media, entryMedia } from './media'
export { userSettings, goals } from './settings'

/** How a table's rows are scoped: to one user, or to one library. */
export type SyncScopeKind = 'user' | 'library'

/** Scope of every synced table, keyed by SQL table name. */
export const syncScopes = {
  users: 'user',
  devices: 'user',
  libraries: 'library',
  library_members: 'library',
  library_invites: 'library',
  activities: 'library',
  attributes: 'library',
  attribute_options: 'library',
  sequence_items: 'library',
  template_versions: 'library',
  entries: 'user',
  entry_values: 'user',
  tags: 'user',
  entry_tags: 'user',
  media: 'user',
  entry_media: 'user',
  user_settings: 'user',
  goals: 'user',
} as const satisfies Record<string, SyncScopeKind>

/**
 * How each synced table's rows are found for a scope: the scope kind, the column holding the
 * scope's id, and the primary key. The capture triggers (db/migrations/0002_change_capture.sql)
 * take the same arguments; a test checks that they agree.
 */
export type SyncTable = { table: string; scope: SyncScopeKind | 'device'; column: string; key: string[] }

export const syncTables: SyncTable[] = [
  { table: 'users', scope: 'user', column: 'id', key: ['id'] },
  { table: 'devices', scope: 'user', column: 'user_id', key: ['id'] },
  { table: 'libraries', scope: 'library', column: 'id', key: ['id'] },
  { table: 'library_members', scope: 'library', column: 'library_id', key: ['library_id', 'user_id'] },
  { table: 'library_invites', scope: 'library', column: 'library_id', key: ['id'] },
  { table: 'activities', scope: 'library', column: 'library_id', key: ['id'] },
  { table: 'attributes', scope: 'library', column: 'library_id', key: ['id'] },
  { table: 'attribute_options', scope: 'library', column: 'library_id', key: ['id'] },
  { table: 'sequence_items', scope: 'library', column: 'library_id', key: ['id'] },
  { table: 'template_versions', scope: 'library', column: 'library_id', key: ['id'] },
  { table: 'entries', scope: 'user', column: 'user_id', key: ['id'] },
  { table: 'entry_values', scope: 'user', column: 'user_id', key: ['entry_id', 'attribute_id'] },
  { table: 'tags', scope: 'user', column: 'user_id', key: ['id'] },
  { table: 'entry_tags', scope: 'user', column: 'user_id', key: ['entry_id', 'tag_id'] },
  { table: 'media', scope: 'user', column: 'user_id', key: ['id'] },
  { table: 'entry_media', scope: 'user', column: 'user_id', key: ['entry_id', 'media_id'] },
  { table: 'user_settings', scope: 'user', column: 'user_id', key: ['user_id'] },
  { table: 'goals', scope: 'user', column: 'user_id', key: ['id'] },
  // Not a device table: a device turns these rows into acks and rejections (SPEC P5).
  { table: 'mutation_results', scope: 'device', column: 'device_id', key: ['device_id', 'mutation_id'] },
]
