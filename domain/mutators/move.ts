/** Moving an activity to another library. */
import { z } from 'zod'
import { invalidArgs } from '../errors'
import { deleteActivity } from './activities'
import { requireActivity } from './activity-common'
import { addActivityToLibrary } from './copy'
import { defineMutator, idSchema } from './define'

/**
 * Moves an activity into another library of the caller's: a copy there (duplicate-on-add, with
 * the new id `id`) and the original hidden, in one transaction, so either both happen or neither.
 * Rows are never re-parented: the device's rows are scoped by library (SPEC S1), and entries
 * logged against the original keep pointing at it (it stays, hidden, as after deleteActivity).
 * The copy keeps the original's origin, so history, "last time" and progress carry on across
 * the move (domain/equality.ts). Needs what both halves need: edit on the activity's library
 * (to hide it there), ownership of the target (to copy into it); an activity inside a live
 * template is refused as deleteActivity refuses it.
 */
export const moveActivity = defineMutator(
  'moveActivity',
  z.object({ id: idSchema, activityId: idSchema, libraryId: idSchema }),
  async (ctx, args) => {
    const { activity } = await requireActivity(ctx, args.activityId, 'edit')
    if (activity.libraryId === args.libraryId) {
      throw invalidArgs([{ path: ['libraryId'], message: `"${activity.name}" is in that library already.` }])
    }
    await addActivityToLibrary.run(ctx, { id: args.id, sourceActivityId: activity.id, libraryId: args.libraryId })
    await deleteActivity.run(ctx, { activityId: activity.id })
  },
)
