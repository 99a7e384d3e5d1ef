/** Adding a built-in catalogue exercise to a library: duplicate-on-add, as from any library. */
import { z } from 'zod'
import { catalogueDescription, catalogueExercise, catalogueName, measureAttributes } from '@/domain/catalogue/exercises'
import { MutationError } from '../errors'
import { deriveId } from './activity-common'
import { createActivity } from './activities'
import { defineMutator, idSchema, nameSchema } from './define'

/**
 * The id of an attribute of the activity `activityId` made from the catalogue, from what the
 * attribute is (its type and name), not its place in the list: should a later catalogue change
 * what an exercise records, a device and a server of different versions give different fields
 * different ids (a set logged against a field the other side lacks is refused), never one id to
 * two different fields.
 */
export function catalogueAttributeId(activityId: string, attribute: { name: string; type: string }): string {
  return deriveId(activityId, `catalogue-attribute:${attribute.type}:${attribute.name}`)
}

/**
 * Makes the user's own copy of the catalogue exercise `slug` in a library they may edit: its
 * name (with its equipment when the catalogue has the name with other equipment, or `name` when
 * the caller chose another, as when the library already holds that name), "equipment · muscle"
 * as its description and the attributes its measure records. The arguments carry the intent
 * (which exercise), and the rows are built here from the one catalogue both runtimes ship, so the
 * device and the server write the same rows; attribute ids are derived from `id`.
 */
export const addCatalogueExercise = defineMutator(
  'addCatalogueExercise',
  z.object({
    id: idSchema,
    libraryId: idSchema,
    slug: z.string().max(200, 'must be at most 200 characters'),
    name: nameSchema.optional(),
  }),
  async (ctx, args) => {
    const exercise = catalogueExercise(args.slug)
    if (!exercise) throw new MutationError('not_found', `There is no exercise "${args.slug}" in the catalogue.`)
    await createActivity.run(ctx, {
      id: args.id,
      libraryId: args.libraryId,
      name: args.name ?? catalogueName(exercise),
      kind: 'scalar',
      description: catalogueDescription(exercise),
      attributes: measureAttributes[exercise.measure].map((a) => ({
        id: catalogueAttributeId(args.id, a),
        name: a.name,
        type: a.type,
        required: a.required,
      })),
    })
  },
)
