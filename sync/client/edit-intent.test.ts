/**
 * Two devices of one user edit one entry offline (sync/SPEC.md B14). Each device is a PGlite
 * replica with a real sync client, talking to a real sync server (PGlite) through the wire
 * client, with the network switched off and on per device. Edits are made as the history editor
 * makes them: its fields as it opened on the device's replica, the user's change typed over
 * them, and `entryChanges` deciding what the mutation carries. The invariant: an edit changes
 * only what the user changed, so edits of different fields both survive in server order; of
 * two edits of one field the later in server order wins, and the device whose value it
 * replaced is told, in words.
 */
import { sql } from 'drizzle-orm'
import { afterEach, beforeEach, expect, test } from 'vitest'
import { entryChanges, shownFields } from '@/components/entry-edit'
import { replacedEditText } from '@/components/replaced-edit-text'
import { activityInfo, displayUnits, valuesOf } from '@/db/queries/local'
import { replacedEdits } from '@/db/queries/replaced-edits'
import { rows } from '@/db/rows'
import { newId } from '@/domain/ids'
import { strengthActivity } from '@/domain/testing/world'
import type { TestServer, TestUser } from '../server/testing/harness'
import { pgliteServer } from '../server/testing/pglite'
import { testClient } from './testing/device'

let server: TestServer
let ann: TestUser
const closers: (() => Promise<void>)[] = []
beforeEach(async () => {
  server = await pgliteServer()
  ann = await server.user('Ann')
})
afterEach(async () => {
  for (const close of closers.splice(0)) await close()
  await server.close()
})

type Device = Awaited<ReturnType<typeof testClient>>
const at = '2026-11-12T07:30:00.000Z'

/** Ann's phone and laptop, both synced, with a Squat entry of 130 kg × 7 the phone logged. */
async function twoDevicesWithAnEntry() {
  const phone = await testClient(server, ann)
  const laptop = await testClient(server, ann)
  closers.push(phone.close, laptop.close)
  const squat = strengthActivity(ann.libraryId, 'Squat')
  const entry = newId()
  await phone.client.sync()
  await phone.client.mutate('createActivity', squat.args)
  await phone.client.mutate('logEntry', {
    entry: {
      id: entry,
      activityId: squat.ids.id,
      performedAt: at,
      notes: 'Felt good',
      values: { [squat.ids.weight]: 130, [squat.ids.reps]: 7 },
    },
  })
  await phone.client.sync()
  await laptop.client.sync()
  return { phone, laptop, squat, entry }
}

/** Opens the history editor on the device's copy of the entry, types `typed` (by attribute id) and saves. */
async function editInHistory(
  device: Device,
  entryId: string,
  activityId: string,
  typed: { texts?: Record<string, string>; notes?: string },
) {
  const activity = (await activityInfo(device.db, activityId))!
  const units = await displayUnits(device.db, ann.id)
  const [entry] = await rows<{ notes: string }>(device.db, sql`select notes from entries where id = ${entryId}::uuid`)
  const shown = shownFields(activity.attributes, (await valuesOf(device.db, [entryId])).get(entryId), entry!.notes, units)
  const edited = { texts: { ...shown.texts, ...typed.texts }, notes: typed.notes ?? shown.notes }
  const { changes, errors } = entryChanges(activity.attributes, units, shown, edited)
  expect(errors).toEqual({})
  await device.client.mutate('editEntry', { entryId, ...changes })
}

/** What the history page shows of the entry on that device. */
async function shows(device: Device, entryId: string, ids: { weight: string; reps: string }) {
  const values = (await valuesOf(device.db, [entryId])).get(entryId)
  const [entry] = await rows<{ notes: string }>(device.db, sql`select notes from entries where id = ${entryId}::uuid`)
  return { weight: values?.get(ids.weight)?.num, reps: values?.get(ids.reps)?.num, notes: entry?.notes }
}

/** The device's replaced-edit notices, in the words the page shows. */
async function notices(device: Device) {
  const { edits, attributes } = await replacedEdits(device.db)
  const units = await displayUnits(device.db, ann.id)
  return edits.map((e) => replacedEditText(e, attributes, units))
}

test('[B14] offline edits of different fields of one entry on two devices both survive, and nobody is told of a conflict', async () => {
  const { phone, laptop, squat, entry } = await twoDevicesWithAnEntry()
  phone.net.online = false
  laptop.net.online = false
  await editInHistory(phone, entry, squat.ids.id, { texts: { [squat.ids.reps]: '9' } })
  await editInHistory(laptop, entry, squat.ids.id, { texts: { [squat.ids.weight]: '140' } })

  phone.net.online = true
  await phone.client.sync()
  laptop.net.online = true
  await laptop.client.sync()
  await phone.client.sync()

  for (const device of [phone, laptop]) {
    expect(await shows(device, entry, squat.ids)).toEqual({ weight: 140, reps: 9, notes: 'Felt good' })
    expect(await notices(device)).toEqual([])
  }
})

test('[B14] two devices edit the same field offline: the later in server order wins, and the device whose value it replaced is told', async () => {
  const { phone, laptop, squat, entry } = await twoDevicesWithAnEntry()
  phone.net.online = false
  laptop.net.online = false
  await editInHistory(phone, entry, squat.ids.id, { texts: { [squat.ids.reps]: '9' } })
  await editInHistory(laptop, entry, squat.ids.id, { texts: { [squat.ids.reps]: '8', [squat.ids.weight]: '140' } })

  phone.net.online = true
  await phone.client.sync()
  expect(await notices(phone)).toEqual([])
  laptop.net.online = true
  await laptop.client.sync()
  await phone.client.sync()

  for (const device of [phone, laptop]) expect(await shows(device, entry, squat.ids)).toEqual({ weight: 140, reps: 8, notes: 'Felt good' })
  const day = new Date(at).toLocaleDateString(undefined, { day: 'numeric', month: 'short', year: 'numeric' })
  expect(await notices(phone)).toEqual([`Your Reps 9 on Squat (${day}) was replaced by 8 from another device.`])
  // The laptop's value is the one that stands: it replaced nothing it knew of, and is told nothing.
  expect(await notices(laptop)).toEqual([])
})

test('[B14] a device whose edit of a field is still to be pushed is not told when another device writes that field first: its own edit comes later and wins', async () => {
  const { phone, laptop, squat, entry } = await twoDevicesWithAnEntry()
  await editInHistory(phone, entry, squat.ids.id, { notes: 'Knee twinge' })
  await phone.client.sync()
  // The phone's notes are applied; it edits them again offline while the laptop writes them too.
  phone.net.online = false
  await editInHistory(phone, entry, squat.ids.id, { notes: 'Knee twinge, light next time' })
  await editInHistory(laptop, entry, squat.ids.id, { notes: 'Solid' })
  await laptop.client.sync()
  phone.net.online = true
  await phone.client.pull()
  expect(await notices(phone)).toEqual([])
  await phone.client.sync()
  await laptop.client.sync()
  for (const device of [phone, laptop]) expect((await shows(device, entry, squat.ids)).notes).toBe('Knee twinge, light next time')
  expect(await notices(phone)).toEqual([])
  expect(await notices(laptop)).toEqual([
    `Your notes on Squat (${new Date(at).toLocaleDateString(undefined, { day: 'numeric', month: 'short', year: 'numeric' })}) were replaced by another device’s: “Knee twinge, light next time”.`,
  ])
})

test('[B14] an edit lost with an entry another device deleted is reported, not lost in silence', async () => {
  const { phone, laptop, squat, entry } = await twoDevicesWithAnEntry()
  await editInHistory(phone, entry, squat.ids.id, { texts: { [squat.ids.reps]: '9' } })
  await phone.client.sync()
  await laptop.client.sync()
  await laptop.client.mutate('deleteEntry', { entryId: entry })
  await laptop.client.sync()
  await phone.client.sync()
  expect(await notices(phone)).toEqual([
    `Your Reps 9 on Squat (${new Date(at).toLocaleDateString(undefined, { day: 'numeric', month: 'short', year: 'numeric' })}) was lost: another device deleted the entry.`,
  ])
})

test('[B14] a later write that leaves a claimed field as this device set it replaces nothing: an older app queuing every field, after it saw the value', async () => {
  const { phone, laptop, squat, entry } = await twoDevicesWithAnEntry()
  await editInHistory(phone, entry, squat.ids.id, { texts: { [squat.ids.reps]: '9' } })
  await phone.client.sync()
  await laptop.client.sync()
  // The editor before B14 sent every field: Reps 9 as the laptop now shows it, and the new weight.
  await laptop.client.mutate('editEntry', { entryId: entry, notes: 'Felt good', values: { [squat.ids.weight]: 140, [squat.ids.reps]: 9 } })
  await laptop.client.sync()
  await phone.client.sync()
  expect(await shows(phone, entry, squat.ids)).toEqual({ weight: 140, reps: 9, notes: 'Felt good' })
  expect(await notices(phone)).toEqual([])
})
