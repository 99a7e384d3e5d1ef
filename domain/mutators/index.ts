/**
 * Every mutation, by name. Each is an argument schema plus one function over a transaction, run
 * unchanged by the device (optimistically) and by the server (authoritatively).
 */
import { MutationError } from '../errors'
import * as activities from './activities'
import * as attributes from './attributes'
import * as catalogue from './catalogue'
import * as copy from './copy'
import type { MutationContext, Mutator } from './define'
import * as devices from './devices'
import { parseArgs } from './define'
import * as entries from './entries'
import * as imports from './imports'
import * as libraries from './libraries'
import * as media from './media'
import * as move from './move'
import * as settings from './settings'
import * as templates from './templates'

const all = {
  createLibrary: libraries.createLibrary,
  renameLibrary: libraries.renameLibrary,
  deleteLibrary: libraries.deleteLibrary,
  shareLibrary: libraries.shareLibrary,
  acceptInvitation: libraries.acceptInvitation,
  declineInvitation: libraries.declineInvitation,
  changeMemberRole: libraries.changeMemberRole,
  revokeMember: libraries.revokeMember,
  publishLibrary: libraries.publishLibrary,
  unpublishLibrary: libraries.unpublishLibrary,
  createActivity: activities.createActivity,
  renameActivity: activities.renameActivity,
  setActivityRest: activities.setActivityRest,
  deleteActivity: activities.deleteActivity,
  setAttributes: attributes.setAttributes,
  appendAttribute: attributes.appendAttribute,
  appendChoiceOption: attributes.appendChoiceOption,
  renameAttribute: attributes.renameAttribute,
  retireAttribute: attributes.retireAttribute,
  setTemplate: templates.setTemplate,
  addTemplateItem: templates.addTemplateItem,
  removeTemplateItem: templates.removeTemplateItem,
  moveTemplateItem: templates.moveTemplateItem,
  addActivityToLibrary: copy.addActivityToLibrary,
  moveActivity: move.moveActivity,
  addCatalogueExercise: catalogue.addCatalogueExercise,
  logEntry: entries.logEntry,
  editEntry: entries.editEntry,
  deleteEntry: entries.deleteEntry,
  createTag: entries.createTag,
  deleteTag: entries.deleteTag,
  tagEntry: entries.tagEntry,
  untagEntry: entries.untagEntry,
  attachMedia: media.attachMedia,
  detachMedia: media.detachMedia,
  reorderMedia: media.reorderMedia,
  updateSettings: settings.updateSettings,
  setDeviceWindow: devices.setDeviceWindow,
  startImport: imports.startImport,
  importWorkouts: imports.importWorkouts,
  undoImport: imports.undoImport,
}

export const mutators = all
export type MutatorName = keyof typeof all
/** What a caller sends to the named mutation (before defaults are applied). */
export type MutatorArgs<N extends MutatorName> = (typeof all)[N] extends Mutator<unknown, infer I> ? I : never
export const mutatorNames = Object.keys(all) as MutatorName[]

export function isMutatorName(name: string): name is MutatorName {
  return Object.hasOwn(all, name)
}

/**
 * Runs the named mutation inside `ctx.tx`: parses its arguments, then applies it. Throws
 * {@link MutationError} for a refusal; the caller's transaction makes a refusal write nothing.
 */
export async function runMutator(ctx: MutationContext, name: string, rawArgs: unknown): Promise<void> {
  if (!isMutatorName(name)) throw new MutationError('unknown_mutation', `There is no mutation called "${name}".`)
  const mutator = all[name] as Mutator<unknown, unknown>
  await mutator.run(ctx, parseArgs(mutator, rawArgs))
}
