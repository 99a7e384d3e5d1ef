/**
 * An activity's rest between sets through sync (sync/SPEC.md B14). Each device is a PGlite
 * replica with a real sync client talking to a real sync server (PGlite) through the wire
 * client, the network switched off and on per device. The invariants: `activities.rest_seconds`
 * travels like any column, a reset to the default travels as null, a rest edit claims only that
 * field (a rename on another device survives beside it), the later of two rests in server order
 * wins and the device whose rest was replaced is told in words; and a row image from before the
 * column existed (the change log and undo logs keep them) applies as the default.
 */
import { sql } from 'drizzle-orm'
import { afterEach, beforeEach, expect, test } from 'vitest'
import { replacedEditText } from '@/components/replaced-edit-text'
import { activityInfo } from '@/db/queries/local'
import { replacedEdits } from '@/db/queries/replaced-edits'
import { rows } from '@/db/rows'
import { claimsOf } from '@/domain/mutators/claims'
import { strengthActivity } from '@/domain/testing/world'
import { scopeName } from '../protocol'
import type { TestServer, TestUser } from '../server/testing/harness'
import { pgliteServer } from '../server/testing/pglite'
import { applyChanges } from './replica'
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

/** Ann's phone and laptop, both synced, with a Squat the phone created. */
async function twoDevicesWithSquat() {
  const phone = await testClient(server, ann)
  const laptop = await testClient(server, ann)
  closers.push(phone.close, laptop.close)
  const squat = strengthActivity(ann.libraryId, 'Squat')
  await phone.client.sync()
  await phone.client.mutate('createActivity', squat.args)
  await phone.client.sync()
  await laptop.client.sync()
  return { phone, laptop, squat }
}

/** What the activity editor reads of Squat on that device. */
async function shown(device: Device, activityId: string) {
  const info = await activityInfo(device.db, activityId)
  return { name: info?.name, restSeconds: info?.restSeconds }
}

/** The device's replaced-edit notices, in the words the page shows. */
async function notices(device: Device) {
  const { edits, attributes } = await replacedEdits(device.db)
  return edits.map((e) => replacedEditText(e, attributes, { massUnit: 'kg', distanceUnit: 'km' }))
}

test('[B14] a rest set on one device reaches the other; a reset to the default reaches it as null, and the first is told in words', async () => {
  const { phone, laptop, squat } = await twoDevicesWithSquat()
  expect(await shown(laptop, squat.ids.id)).toEqual({ name: 'Squat', restSeconds: null })
  await phone.client.mutate('setActivityRest', { activityId: squat.ids.id, restSeconds: 120 })
  // The phone shows it at once, offline or not: the mutation ran on its replica.
  expect(await shown(phone, squat.ids.id)).toEqual({ name: 'Squat', restSeconds: 120 })
  await phone.client.sync()
  await laptop.client.sync()
  expect(await shown(laptop, squat.ids.id)).toEqual({ name: 'Squat', restSeconds: 120 })

  await laptop.client.mutate('setActivityRest', { activityId: squat.ids.id, restSeconds: null })
  await laptop.client.sync()
  await phone.client.sync()
  expect(await shown(phone, squat.ids.id)).toEqual({ name: 'Squat', restSeconds: null })
  // The phone's 2:00 was its user's choice, and another device's later write replaced it.
  expect(await notices(phone)).toEqual(['Your rest for Squat (2:00) was set back to the default of 1:30 by another device.'])
  expect(await notices(laptop)).toEqual([])
})

test('[B14] a rest edit claims only the rest: a rename offline on another device survives beside it, and nobody is told', async () => {
  const { phone, laptop, squat } = await twoDevicesWithSquat()
  expect(claimsOf('setActivityRest', { activityId: squat.ids.id, restSeconds: 90 }, ann.id)).toEqual([
    {
      table: 'activities',
      key: { id: squat.ids.id },
      field: 'restSeconds',
      columns: ['rest_seconds'],
      about: { activityId: squat.ids.id },
    },
  ])
  phone.net.online = false
  laptop.net.online = false
  await phone.client.mutate('setActivityRest', { activityId: squat.ids.id, restSeconds: 150 })
  await laptop.client.mutate('renameActivity', { activityId: squat.ids.id, name: 'Back squat' })
  phone.net.online = true
  await phone.client.sync()
  laptop.net.online = true
  await laptop.client.sync()
  await phone.client.sync()
  for (const device of [phone, laptop]) {
    expect(await shown(device, squat.ids.id)).toEqual({ name: 'Back squat', restSeconds: 150 })
    expect(await notices(device)).toEqual([])
  }
})

test('[B14] two devices set the rest offline: the later in server order wins, and the device whose rest it replaced is told', async () => {
  const { phone, laptop, squat } = await twoDevicesWithSquat()
  phone.net.online = false
  laptop.net.online = false
  await phone.client.mutate('setActivityRest', { activityId: squat.ids.id, restSeconds: 120 })
  await laptop.client.mutate('setActivityRest', { activityId: squat.ids.id, restSeconds: 75 })
  phone.net.online = true
  await phone.client.sync()
  expect(await notices(phone)).toEqual([])
  laptop.net.online = true
  await laptop.client.sync()
  await phone.client.sync()

  for (const device of [phone, laptop]) expect((await shown(device, squat.ids.id)).restSeconds).toBe(75)
  expect(await notices(phone)).toEqual(['Your rest for Squat (2:00) was replaced by 1:15 from another device.'])
  expect(await notices(laptop)).toEqual([])
})

test('[D2] an activity row image from before rest_seconds existed applies as the default, not refused', async () => {
  const { phone, squat } = await twoDevicesWithSquat()
  await phone.client.mutate('setActivityRest', { activityId: squat.ids.id, restSeconds: 120 })
  await phone.client.sync()
  const [image] = await rows<{ row: Record<string, unknown> }>(
    phone.db,
    sql`select to_jsonb(a) - 'rest_seconds' as row from activities a where a.id = ${squat.ids.id}::uuid`,
  )
  expect(Object.keys(image!.row)).not.toContain('rest_seconds')
  await phone.db.transaction((tx) =>
    applyChanges(
      tx,
      [
        {
          seq: 1,
          op: 0,
          scope: scopeName('library', ann.libraryId),
          table: 'activities',
          kind: 'update',
          key: { id: squat.ids.id },
          row: image!.row,
        },
      ],
      'a-device',
    ),
  )
  expect(await shown(phone, squat.ids.id)).toEqual({ name: 'Squat', restSeconds: null })
})
