/**
 * Schema of the server database: every table. Server-only tables (sessions, accounts with
 * password hashes, verifications, media blobs, sync bookkeeping) are exported here and never
 * from `synced.ts`, which is what devices get.
 */
export * from './synced'
export { sessions, accounts, verifications, rateLimits } from './auth'
export { mediaBlobs, mediaHolders } from './media'
export { changeLog, changeTransactions, mutationResults, syncState, changeOps, type ChangeOp } from './sync'
export { memberRoles, type MemberRole } from './libraries'
export { activityKinds, attributeTypes, canonicalUnits, type ActivityKind, type AttributeType, type TemplateStructure } from './activities'
export { massUnits, distanceUnits, type MassUnit, type DistanceUnit } from './settings'
export { importSources, type ImportSource } from './imports'
