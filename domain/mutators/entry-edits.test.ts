/**
 * The shape of an entry edit (sync/SPEC.md B14): `editEntry` changes only the fields its
 * arguments name, so its arguments are its intent, and `claimsOf` reads those fields off them.
 * A device with an older queued edit (every field, as the history editor used to send) still
 * pushes a mutation the server accepts. Runs on a server-schema PGlite.
 */
import { eq } from 'drizzle-orm'
import { afterEach, beforeEach, expect, test } from 'vitest'
import { testPglite } from '@/db/testing/pglite'
import * as s from '@/db/schema'
import { newId } from '../ids'
import { strengthActivity, world, type World } from '../testing/world'
import { claimsOf, valueColumns } from './claims'

let w: World
let ann: { id: string; libraryId: string }
let squat: ReturnType<typeof strengthActivity>
let entry: string
beforeEach(async () => {
  w = world({ ...(await testPglite('server')), runtime: 'server' })
  ann = await w.user('Ann')
  squat = strengthActivity(ann.libraryId, 'Squat')
  await w.ok(ann.id, 'createActivity', squat.args)
  entry = newId()
  await w.ok(ann.id, 'logEntry', {
    entry: {
      id: entry,
      activityId: squat.ids.id,
      performedAt: '2026-11-12T07:30:00.000Z',
      notes: 'Felt good',
      values: { [squat.ids.weight]: 130, [squat.ids.reps]: 7, [squat.ids.grip]: squat.ids.wide },
    },
  })
})
afterEach(() => w.close())

async function stored() {
  const values = await w.db.select().from(s.entryValues).where(eq(s.entryValues.entryId, entry))
  const [row] = await w.db.select().from(s.entries).where(eq(s.entries.id, entry))
  const by = (id: string) => values.find((v) => v.attributeId === id)
  return { weight: by(squat.ids.weight)?.num, reps: by(squat.ids.reps)?.num, grip: by(squat.ids.grip)?.optionId, notes: row?.notes }
}

test('[B14] an edit naming one value changes that value alone: the other values, the notes and the time stay as another device may have left them', async () => {
  const [before] = await w.db.select().from(s.entries).where(eq(s.entries.id, entry))
  await w.ok(ann.id, 'editEntry', { entryId: entry, values: { [squat.ids.reps]: 9 } })
  expect(await stored()).toEqual({ weight: 130, reps: 9, grip: squat.ids.wide, notes: 'Felt good' })
  const [after] = await w.db.select().from(s.entries).where(eq(s.entries.id, entry))
  expect(after!.performedAt).toEqual(before!.performedAt)
  // Null removes one value and nothing else.
  await w.ok(ann.id, 'editEntry', { entryId: entry, values: { [squat.ids.grip]: null } })
  expect(await stored()).toEqual({ weight: 130, reps: 9, grip: undefined, notes: 'Felt good' })
})

test('[B14] an older queued edit carrying every field (the editor before B14) is still accepted and applied whole', async () => {
  await w.ok(ann.id, 'editEntry', {
    entryId: entry,
    notes: 'Felt good',
    values: { [squat.ids.weight]: 130, [squat.ids.reps]: 8, [squat.ids.grip]: squat.ids.narrow },
  })
  expect(await stored()).toEqual({ weight: 130, reps: 8, grip: squat.ids.narrow, notes: 'Felt good' })
})

test('[B14] claimsOf names the fields an edit sets, and no others', () => {
  const entryRow = { table: 'entries', key: { id: entry }, about: { entryId: entry } }
  expect(claimsOf('editEntry', { entryId: entry, values: { [squat.ids.reps]: 9 } }, ann.id)).toEqual([
    {
      table: 'entry_values',
      key: { entry_id: entry, attribute_id: squat.ids.reps },
      field: 'value',
      columns: valueColumns,
      about: { entryId: entry, attributeId: squat.ids.reps },
    },
  ])
  expect(claimsOf('editEntry', { entryId: entry, notes: '', performedAt: '2026-11-12T08:00:00.000Z' }, ann.id)).toEqual([
    { ...entryRow, field: 'notes', columns: ['notes'] },
    { ...entryRow, field: 'performedAt', columns: ['performed_at'] },
  ])
  expect(claimsOf('updateSettings', { massUnit: 'lb' }, ann.id)).toEqual([
    { table: 'user_settings', key: { user_id: ann.id }, field: 'massUnit', columns: ['mass_unit'], about: {} },
  ])
  expect(claimsOf('renameActivity', { activityId: squat.ids.id, name: 'Front squat' }, ann.id)).toMatchObject([
    { table: 'activities', key: { id: squat.ids.id }, columns: ['name'] },
  ])
  // A new row is nobody else's value to replace; arguments the mutator refuses claim nothing.
  expect(claimsOf('createTag', { id: newId(), name: 'PR' }, ann.id)).toEqual([])
  expect(claimsOf('editEntry', { entryId: 'not a uuid', notes: 'x' }, ann.id)).toEqual([])
})
