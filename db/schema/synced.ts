/**
 * The tables that exist on both the server and every device; each declares the scope its rows
 * sync in beside it (`syncScope`, read by the registry in `registry.ts`, SPEC L6).
 * This list is the device schema: `drizzle.device.config.ts` generates the browser's migrations
 * from it (plus `local.ts`), so nothing server-only can reach a device by accident.
 */
export { users } from './auth'
export { devices } from './devices'
export { libraries, libraryMembers, libraryInvites } from './libraries'
export { activities, attributes, attributeOptions, sequenceItems, templateVersions } from './activities'
export { imports } from './imports'
export { entries, entryValues, tags, entryTags } from './entries'
export { media, entryMedia } from './media'
export { userSettings, goals } from './settings'
export { activityRecords } from './records'
