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
