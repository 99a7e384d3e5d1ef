/**
 * The mutation contract: every shared mutation, run on each backend it must work on (PGlite with
 * the server schema, PGlite with the device schema, PostgreSQL). Each test runs mutations as a
 * user and asserts on the rows a person would see.
 */
import { and, asc, eq } from 'drizzle-orm'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import * as s from '@/db/schema'
import { loadEntryTree } from '@/db/queries/entries'
import { newId } from '../ids'
import { createActivity, strengthActivity, strengthSequence, world, type Backend, type World } from './world'

export function mutationsContract(name: string, open: () => Promise<Backend>) {
  describe(`mutations on ${name}`, () => {
    let w: World
    let ann: { id: string; libraryId: string }
    let bob: { id: string; libraryId: string }
    beforeEach(async () => {
      w = world(await open())
      ann = await w.user('Ann')
      bob = await w.user('Bob')
    })
    afterEach(async () => {
      await w.close()
    })

    const at = '2026-11-20T07:30:00.000Z'

    test('libraries: create, rename, publish, unpublish, delete', async () => {
      const id = newId()
      await w.ok(ann.id, 'createLibrary', { id, name: 'Climbing', description: 'Board sessions' })
      await w.ok(ann.id, 'renameLibrary', { libraryId: id, name: 'Bouldering' })
      await w.ok(ann.id, 'publishLibrary', { libraryId: id })
      let [lib] = await w.db.select().from(s.libraries).where(eq(s.libraries.id, id))
      expect(lib).toMatchObject({ name: 'Bouldering', description: 'Board sessions', ownerId: ann.id, isDefault: false })
      expect(lib?.publishedAt).toBeInstanceOf(Date)
      await w.ok(ann.id, 'unpublishLibrary', { libraryId: id })
      ;[lib] = await w.db.select().from(s.libraries).where(eq(s.libraries.id, id))
      expect(lib?.publishedAt).toBeNull()
      const squat = strengthActivity(id, 'Squat')
      await w.ok(ann.id, 'createActivity', squat.args)
      await w.ok(ann.id, 'createActivity', {
        id: newId(),
        libraryId: id,
        name: 'Day',
        kind: 'sequence',
        items: [{ id: newId(), childId: squat.ids.id, repeat: 2 }],
      })
      await w.ok(ann.id, 'deleteLibrary', { libraryId: id })
      expect(await w.db.select().from(s.libraries).where(eq(s.libraries.id, id))).toEqual([])
      for (const table of [s.activities, s.attributes, s.attributeOptions, s.sequenceItems, s.templateVersions]) {
        expect(await w.db.select().from(table).where(eq(table.libraryId, id))).toEqual([])
      }
    })

    test('the default library, and a library with logged entries, cannot be deleted', async () => {
      expect(await w.run(ann.id, 'deleteLibrary', { libraryId: ann.libraryId })).toEqual({
        status: 'rejected',
        code: 'in_use',
        message: `"Ann's library" is your default library and cannot be deleted.`,
      })
      const lib = newId()
      await w.ok(ann.id, 'createLibrary', { id: lib, name: 'Running' })
      const { ids, args } = strengthActivity(lib)
      await w.ok(ann.id, 'createActivity', args)
      await w.ok(ann.id, 'logEntry', { entry: { id: newId(), activityId: ids.id, performedAt: at, values: { [ids.reps]: 5 } } })
      expect(await w.run(ann.id, 'deleteLibrary', { libraryId: lib })).toMatchObject({
        code: 'in_use',
        message: expect.stringContaining('1 logged entry uses its activities'),
      })
    })

    test('[S4] sharing: an invitation grants nothing until the invitee accepts it; then roles change and access is revoked', async () => {
      const inviteId = newId()
      await w.ok(ann.id, 'shareLibrary', {
        inviteId,
        libraryId: ann.libraryId,
        email: (await emailOf(w, bob.id)).toUpperCase(),
        role: 'viewer',
      })
      const invite = async (id: string) => (await w.db.select().from(s.libraryInvites).where(eq(s.libraryInvites.id, id)))[0]
      expect(await invite(inviteId)).toMatchObject({ role: 'viewer', invitedBy: ann.id, email: await emailOf(w, bob.id), acceptedAt: null })
      // An account with that address exists, and still nothing is granted without its yes.
      expect(await members(w, ann.libraryId)).toEqual([])

      // Only the invitee may answer; to anyone else the invitation does not exist.
      const cat = await w.user('Cat')
      for (const someone of [ann.id, cat.id]) {
        expect(await w.run(someone, 'acceptInvitation', { inviteId })).toMatchObject({ code: 'not_found' })
        expect(await w.run(someone, 'declineInvitation', { inviteId })).toMatchObject({ code: 'not_found' })
      }
      expect(await w.run(bob.id, 'acceptInvitation', { inviteId: newId() })).toMatchObject({ code: 'not_found' })
      expect(await w.run(bob.id, 'acceptInvitation', { inviteId: 'not-an-id' })).toMatchObject({ code: 'invalid_args' })

      await w.ok(bob.id, 'acceptInvitation', { inviteId })
      expect(await members(w, ann.libraryId)).toEqual([{ userId: bob.id, role: 'viewer' }])
      expect((await invite(inviteId))?.acceptedAt).toBeInstanceOf(Date)
      // Accepting again (a second device, a retry) changes nothing; declining it now is too late.
      await w.ok(bob.id, 'acceptInvitation', { inviteId })
      expect(await w.run(bob.id, 'declineInvitation', { inviteId })).toMatchObject({ code: 'not_found' })

      await w.ok(ann.id, 'changeMemberRole', { libraryId: ann.libraryId, userId: bob.id, role: 'editor' })
      expect(await members(w, ann.libraryId)).toEqual([{ userId: bob.id, role: 'editor' }])
      await w.ok(ann.id, 'revokeMember', { libraryId: ann.libraryId, userId: bob.id })
      expect(await members(w, ann.libraryId)).toEqual([])
      // A revoked member does not get back in with the old invitation.
      await w.ok(bob.id, 'acceptInvitation', { inviteId })
      expect(await members(w, ann.libraryId)).toEqual([])
      expect(await w.run(ann.id, 'revokeMember', { libraryId: ann.libraryId, userId: newId() })).toMatchObject({ code: 'not_found' })
    })

    test('[S4] the owner sees the same invitation whether the address has an account or not, one line per address', async () => {
      const withAccount = newId()
      const without = newId()
      await w.ok(ann.id, 'shareLibrary', {
        inviteId: withAccount,
        libraryId: ann.libraryId,
        email: await emailOf(w, bob.id),
        role: 'editor',
      })
      await w.ok(ann.id, 'shareLibrary', { inviteId: without, libraryId: ann.libraryId, email: 'nobody-yet@example.com', role: 'editor' })
      const invites = await w.db.select().from(s.libraryInvites).where(eq(s.libraryInvites.libraryId, ann.libraryId))
      const shape = (id: string) => {
        const { id: _id, email: _email, createdAt: _created, expiresAt: _expires, ...rest } = invites.find((i) => i.id === id)!
        return rest
      }
      expect(shape(withAccount)).toEqual(shape(without))
      expect(shape(without)).toMatchObject({ acceptedAt: null, revokedAt: null })
      expect(await members(w, ann.libraryId)).toEqual([])

      // Sharing again with the same address replaces the waiting invitation (the new role holds).
      const again = newId()
      await w.ok(ann.id, 'shareLibrary', { inviteId: again, libraryId: ann.libraryId, email: 'Nobody-Yet@example.com', role: 'viewer' })
      const waiting = await w.db.select().from(s.libraryInvites).where(eq(s.libraryInvites.libraryId, ann.libraryId))
      expect(waiting.map((i) => [i.email, i.role]).sort()).toEqual([
        [await emailOf(w, bob.id), 'editor'],
        ['nobody-yet@example.com', 'viewer'],
      ])

      // The person signs up later with that address and finds the invitation waiting.
      const newcomer = await w.user('Nobody-yet')
      await w.db.update(s.users).set({ email: 'nobody-yet@example.com' }).where(eq(s.users.id, newcomer.id))
      expect(await w.run(newcomer.id, 'acceptInvitation', { inviteId: without })).toMatchObject({ code: 'not_found' })
      await w.ok(newcomer.id, 'acceptInvitation', { inviteId: again })
      expect(await members(w, ann.libraryId)).toEqual([{ userId: newcomer.id, role: 'viewer' }])

      // The owner's own address is refused, beside the field.
      expect(
        await w.run(ann.id, 'shareLibrary', {
          inviteId: newId(),
          libraryId: ann.libraryId,
          email: await emailOf(w, ann.id),
          role: 'viewer',
        }),
      ).toMatchObject({ code: 'invalid_args', message: 'Email: You own this library already; share it with someone else.' })
    })

    test('[S4] declining removes the invitation, for the owner too; an expired one cannot be accepted', async () => {
      const declined = newId()
      await w.ok(ann.id, 'shareLibrary', { inviteId: declined, libraryId: ann.libraryId, email: await emailOf(w, bob.id), role: 'viewer' })
      await w.ok(bob.id, 'declineInvitation', { inviteId: declined })
      expect(await w.db.select().from(s.libraryInvites).where(eq(s.libraryInvites.libraryId, ann.libraryId))).toEqual([])
      expect(await members(w, ann.libraryId)).toEqual([])
      expect(await w.run(bob.id, 'acceptInvitation', { inviteId: declined })).toMatchObject({ code: 'not_found' })

      const expired = newId()
      await w.ok(ann.id, 'shareLibrary', { inviteId: expired, libraryId: ann.libraryId, email: await emailOf(w, bob.id), role: 'viewer' })
      await w.db
        .update(s.libraryInvites)
        .set({ expiresAt: new Date(Date.now() - 1000) })
        .where(eq(s.libraryInvites.id, expired))
      expect(await w.run(bob.id, 'acceptInvitation', { inviteId: expired })).toMatchObject({
        code: 'not_found',
        message: 'The invitation has expired: ask its owner to share the library again.',
      })
      expect(await members(w, ann.libraryId)).toEqual([])
    })

    test('activities: create with attributes and choices, rename, delete hides it but keeps its rows', async () => {
      const { ids, args } = strengthActivity(ann.libraryId)
      await w.ok(ann.id, 'createActivity', args)
      const attrs = await w.db.select().from(s.attributes).where(eq(s.attributes.activityId, ids.id)).orderBy(asc(s.attributes.ordinal))
      expect(attrs.map((a) => [a.name, a.type, a.unit, a.ordinal])).toEqual([
        ['Weight', 'mass', 'kg', 0],
        ['Reps', 'integer', null, 1],
        ['Grip', 'choice', null, 2],
      ])
      const options = await w.db
        .select()
        .from(s.attributeOptions)
        .where(eq(s.attributeOptions.attributeId, ids.grip))
        .orderBy(asc(s.attributeOptions.ordinal))
      expect(options.map((o) => o.label)).toEqual(['Wide', 'Narrow'])
      await w.ok(ann.id, 'renameActivity', { activityId: ids.id, name: 'High-bar squat' })
      await w.ok(ann.id, 'deleteActivity', { activityId: ids.id })
      const [act] = await w.db.select().from(s.activities).where(eq(s.activities.id, ids.id))
      expect(act).toMatchObject({ name: 'High-bar squat', originId: ids.id, copiedFromId: null })
      expect(act?.deletedAt).toBeInstanceOf(Date)
      expect(await w.run(ann.id, 'renameActivity', { activityId: ids.id, name: 'x' })).toMatchObject({ code: 'not_found' })
    })

    test('rest between sets: whole seconds from 0 to an hour, null back to the default, anything else refused in words', async () => {
      const { ids, args } = strengthActivity(ann.libraryId, 'Squat')
      await w.ok(ann.id, 'createActivity', args)
      const rest = async () => (await w.db.select().from(s.activities).where(eq(s.activities.id, ids.id)))[0]?.restSeconds
      // A new activity has no rest of its own: the app's default applies.
      expect(await rest()).toBeNull()
      for (const seconds of [120, 0, 3600]) {
        await w.ok(ann.id, 'setActivityRest', { activityId: ids.id, restSeconds: seconds })
        expect(await rest()).toBe(seconds)
      }
      await w.ok(ann.id, 'setActivityRest', { activityId: ids.id, restSeconds: 150 })
      const refuse = (restSeconds: unknown) => w.run(ann.id, 'setActivityRest', { activityId: ids.id, restSeconds: restSeconds as number })
      expect(await refuse(3601)).toEqual({
        status: 'rejected',
        code: 'invalid_args',
        message: 'Rest seconds must be at most 3600 (one hour)',
      })
      expect(await refuse(-1)).toEqual({ status: 'rejected', code: 'invalid_args', message: 'Rest seconds must not be negative' })
      expect(await refuse(90.5)).toEqual({ status: 'rejected', code: 'invalid_args', message: 'Rest seconds must be whole seconds' })
      expect(await refuse('1:30')).toEqual({
        status: 'rejected',
        code: 'invalid_args',
        message: 'Rest seconds must be a number of seconds, or null for the default',
      })
      // Leaving it out is not "the default": a reset says null.
      expect(await w.run(ann.id, 'setActivityRest', { activityId: ids.id } as never)).toMatchObject({ code: 'invalid_args' })
      expect(await rest()).toBe(150)
      await w.ok(ann.id, 'setActivityRest', { activityId: ids.id, restSeconds: null })
      expect(await rest()).toBeNull()
      // The schema holds the same bounds for a write that skips the mutation.
      await expect(w.db.update(s.activities).set({ restSeconds: 3601 }).where(eq(s.activities.id, ids.id))).rejects.toThrow()
      await expect(w.db.update(s.activities).set({ restSeconds: -1 }).where(eq(s.activities.id, ids.id))).rejects.toThrow()
      expect(await rest()).toBeNull()
      // A hidden activity has no rest to change.
      await w.ok(ann.id, 'deleteActivity', { activityId: ids.id })
      expect(await w.run(ann.id, 'setActivityRest', { activityId: ids.id, restSeconds: 60 })).toMatchObject({ code: 'not_found' })
    })

    test('rest between sets is changed by who may edit the library: a viewer is refused, a stranger told it does not exist', async () => {
      const { ids, args } = strengthActivity(ann.libraryId, 'Squat')
      await w.ok(ann.id, 'createActivity', args)
      const rest = async () => (await w.db.select().from(s.activities).where(eq(s.activities.id, ids.id)))[0]?.restSeconds
      const bobSets = (restSeconds: number | null) => w.run(bob.id, 'setActivityRest', { activityId: ids.id, restSeconds })
      expect(await bobSets(60)).toMatchObject({ code: 'not_found' })
      const inviteId = newId()
      await w.ok(ann.id, 'shareLibrary', { inviteId, libraryId: ann.libraryId, email: await emailOf(w, bob.id), role: 'viewer' })
      await w.ok(bob.id, 'acceptInvitation', { inviteId })
      expect(await bobSets(60)).toMatchObject({
        code: 'forbidden',
        message: `You cannot change activities in the library "Ann's library": you can only view it.`,
      })
      expect(await rest()).toBeNull()
      await w.ok(ann.id, 'changeMemberRole', { libraryId: ann.libraryId, userId: bob.id, role: 'editor' })
      expect(await bobSets(60)).toEqual({ status: 'applied' })
      expect(await rest()).toBe(60)
      expect(await bobSets(null)).toEqual({ status: 'applied' })
      expect(await rest()).toBeNull()
    })

    test('attributes: append, append a choice, rename and retire are allowed', async () => {
      const { ids, args } = strengthActivity(ann.libraryId)
      await w.ok(ann.id, 'createActivity', args)
      const rpe = newId()
      await w.ok(ann.id, 'appendAttribute', { activityId: ids.id, attribute: { id: rpe, name: 'RPE', type: 'number' } })
      await w.ok(ann.id, 'appendChoiceOption', { attributeId: ids.grip, option: { id: newId(), label: 'Close' } })
      await w.ok(ann.id, 'renameAttribute', { attributeId: ids.weight, name: 'Load' })
      await w.ok(ann.id, 'retireAttribute', { attributeId: ids.reps })
      const attrs = await w.db.select().from(s.attributes).where(eq(s.attributes.activityId, ids.id)).orderBy(asc(s.attributes.ordinal))
      expect(attrs.map((a) => [a.name, a.ordinal, a.retiredAt !== null])).toEqual([
        ['Load', 0, false],
        ['Reps', 1, true],
        ['Grip', 2, false],
        ['RPE', 3, false],
      ])
      const options = await w.db
        .select()
        .from(s.attributeOptions)
        .where(eq(s.attributeOptions.attributeId, ids.grip))
        .orderBy(asc(s.attributeOptions.ordinal))
      expect(options.map((o) => [o.label, o.ordinal])).toEqual([
        ['Wide', 0],
        ['Narrow', 1],
        ['Close', 2],
      ])
      expect(await w.run(ann.id, 'appendChoiceOption', { attributeId: ids.reps, option: { id: newId(), label: 'x' } })).toMatchObject({
        code: 'invalid_args',
        message: '"Reps" is a integer attribute; only choice attributes have options.',
      })
    })

    test('attributes: removing, re-ordering or re-typing is refused with the attribute named and retiring suggested', async () => {
      const { ids, args } = strengthActivity(ann.libraryId)
      await w.ok(ann.id, 'createActivity', args)
      const [weight, reps, grip] = args.attributes
      const set = (attributes: typeof args.attributes) => w.run(ann.id, 'setAttributes', { activityId: ids.id, attributes })
      expect(await set([weight!, grip!])).toEqual({
        status: 'rejected',
        code: 'append_only',
        message:
          'Attribute "Reps" cannot be removed: entries logged with it must keep their values. Retire it instead: it is then hidden for new entries and still shown for old ones.',
      })
      expect(await set([reps!, weight!, grip!])).toMatchObject({
        code: 'append_only',
        message: expect.stringMatching(/^Attribute "Weight" cannot move from position 1 to 2/),
      })
      expect(await set([{ ...weight!, type: 'number' }, reps!, grip!])).toMatchObject({
        code: 'append_only',
        message: expect.stringMatching(/^Attribute "Weight" cannot change type from mass to number: .* Retire it instead/),
      })
      expect(await set([weight!, reps!, { ...grip!, options: [grip!.options![1]!] }])).toMatchObject({
        code: 'append_only',
        message: expect.stringMatching(/^Choice "Wide" of "Grip" cannot be removed/),
      })
      // The same list with a rename, a retirement, a new choice and a new attribute is fine.
      const tempo = newId()
      await w.ok(ann.id, 'setAttributes', {
        activityId: ids.id,
        attributes: [
          { ...weight!, name: 'Load' },
          { ...reps!, retired: true },
          { ...grip!, options: [...grip!.options!, { id: newId(), label: 'Mixed' }] },
          { id: tempo, name: 'Tempo', type: 'text' },
        ],
      })
      const attrs = await w.db.select().from(s.attributes).where(eq(s.attributes.activityId, ids.id)).orderBy(asc(s.attributes.ordinal))
      expect(attrs.map((a) => [a.name, a.type, a.retiredAt !== null])).toEqual([
        ['Load', 'mass', false],
        ['Reps', 'integer', true],
        ['Grip', 'choice', false],
        ['Tempo', 'text', false],
      ])
    })

    test('templates: add, reorder and remove children; each edit bumps the version and records the structure', async () => {
      const squat = strengthActivity(ann.libraryId, 'Squat')
      const bench = strengthActivity(ann.libraryId, 'Bench')
      await w.ok(ann.id, 'createActivity', squat.args)
      await w.ok(ann.id, 'createActivity', bench.args)
      const [i1, i2] = [newId(), newId()]
      const day = await createActivity(w, ann, {
        name: 'Leg day',
        kind: 'sequence',
        attributes: [],
        items: [{ id: i1, childId: squat.ids.id, repeat: 5 }],
      })
      await w.ok(ann.id, 'addTemplateItem', { activityId: day, item: { id: i2, childId: bench.ids.id, repeat: 3 } })
      await w.ok(ann.id, 'moveTemplateItem', { activityId: day, itemId: i2, position: 0 })
      await w.ok(ann.id, 'removeTemplateItem', { activityId: day, itemId: i1 })
      const [activity] = await w.db.select().from(s.activities).where(eq(s.activities.id, day))
      expect(activity?.templateVersion).toBe(4)
      const versions = await w.db
        .select()
        .from(s.templateVersions)
        .where(eq(s.templateVersions.activityId, day))
        .orderBy(asc(s.templateVersions.version))
      expect(versions.map((v) => [v.version, v.structure])).toEqual([
        [1, [{ childId: squat.ids.id, repeat: 5 }]],
        [
          2,
          [
            { childId: squat.ids.id, repeat: 5 },
            { childId: bench.ids.id, repeat: 3 },
          ],
        ],
        [
          3,
          [
            { childId: bench.ids.id, repeat: 3 },
            { childId: squat.ids.id, repeat: 5 },
          ],
        ],
        [4, [{ childId: bench.ids.id, repeat: 3 }]],
      ])
      // Setting the same structure again changes nothing.
      await w.ok(ann.id, 'setTemplate', { activityId: day, items: [{ id: i2, childId: bench.ids.id, repeat: 3 }] })
      expect((await w.db.select().from(s.activities).where(eq(s.activities.id, day)))[0]?.templateVersion).toBe(4)
    })

    test('templates refuse cycles, children of other libraries and scalar parents', async () => {
      const a = newId()
      const b = newId()
      await w.ok(ann.id, 'createActivity', { id: a, libraryId: ann.libraryId, name: 'A', kind: 'sequence', attributes: [] })
      await w.ok(ann.id, 'createActivity', {
        id: b,
        libraryId: ann.libraryId,
        name: 'B',
        kind: 'sequence',
        attributes: [],
        items: [{ id: newId(), childId: a, repeat: 1 }],
      })
      expect(await w.run(ann.id, 'addTemplateItem', { activityId: a, item: { id: newId(), childId: b, repeat: 1 } })).toEqual({
        status: 'rejected',
        code: 'invalid_args',
        message: '"B" contains "A", so it cannot also be inside it.',
      })
      const other = strengthActivity(bob.libraryId)
      await w.ok(bob.id, 'createActivity', other.args)
      expect(
        await w.run(ann.id, 'addTemplateItem', { activityId: a, item: { id: newId(), childId: other.ids.id, repeat: 1 } }),
      ).toMatchObject({ code: 'invalid_args' })
      const scalar = strengthActivity(ann.libraryId)
      await w.ok(ann.id, 'createActivity', scalar.args)
      expect(await w.run(ann.id, 'setTemplate', { activityId: scalar.ids.id, items: [] })).toMatchObject({
        code: 'invalid_args',
        message: expect.stringContaining('only sequences have templates'),
      })
    })

    test('entries: log a scalar entry in canonical units, edit and delete it', async () => {
      const { ids, args } = strengthActivity(ann.libraryId)
      await w.ok(ann.id, 'createActivity', args)
      const entry = newId()
      await w.ok(ann.id, 'logEntry', {
        entry: { id: entry, activityId: ids.id, performedAt: at, values: { [ids.weight]: 102.5, [ids.reps]: 5, [ids.grip]: ids.wide } },
      })
      const values = await w.db.select().from(s.entryValues).where(eq(s.entryValues.entryId, entry))
      expect(values).toHaveLength(3)
      expect(values.find((v) => v.attributeId === ids.weight)).toMatchObject({ num: 102.5, userId: ann.id })
      expect(values.find((v) => v.attributeId === ids.grip)).toMatchObject({ optionId: ids.wide, num: null })
      await w.ok(ann.id, 'editEntry', { entryId: entry, notes: 'Felt strong', values: { [ids.weight]: 105, [ids.grip]: null } })
      const after = await w.db.select().from(s.entryValues).where(eq(s.entryValues.entryId, entry))
      expect(after.map((v) => [v.attributeId, v.num]).sort()).toEqual(
        [
          [ids.reps, 5],
          [ids.weight, 105],
        ].sort(),
      )
      expect((await w.db.select().from(s.entries).where(eq(s.entries.id, entry)))[0]).toMatchObject({
        notes: 'Felt strong',
        templateVersion: 1,
      })
      await w.ok(ann.id, 'deleteEntry', { entryId: entry })
      expect(await w.db.select().from(s.entries)).toEqual([])
      expect(await w.db.select().from(s.entryValues)).toEqual([])
    })

    test('entries: a value of the wrong type, a foreign attribute or a missing required value is refused and writes nothing', async () => {
      const { ids, args } = strengthActivity(ann.libraryId)
      await w.ok(ann.id, 'createActivity', args)
      const log = (values: Record<string, number | string | boolean>) =>
        w.run(ann.id, 'logEntry', { entry: { id: newId(), activityId: ids.id, performedAt: at, values } })
      expect(await log({ [ids.reps]: 5.5 })).toMatchObject({ code: 'invalid_args', message: '"Reps" takes a whole number; got 5.5.' })
      expect(await log({ [ids.reps]: 5, [ids.grip]: 'sideways' })).toMatchObject({
        code: 'invalid_args',
        message: '"Grip" takes the id of one of its choices; got "sideways".',
      })
      expect(await log({ [ids.weight]: 100 })).toMatchObject({ code: 'invalid_args', message: '"Back squat" needs a value for "Reps".' })
      expect(await log({ [ids.reps]: 5, [newId()]: 1 })).toMatchObject({
        code: 'invalid_args',
        message: expect.stringContaining('is not an attribute of "Back squat"'),
      })
      expect(await w.run(ann.id, 'logEntry', { entry: { id: 'nope', activityId: ids.id } } as never)).toMatchObject({
        code: 'invalid_args',
        message: 'Entry id must be a UUID',
      })
      expect(await w.db.select().from(s.entries)).toEqual([])
    })

    test('entries: a workout logs as one tree; deleting the root deletes the subtree', async () => {
      const { id: day, child: squat } = await strengthSequence(w, ann, 'Leg day', 2)
      const root = newId()
      const sets = [newId(), newId()]
      await w.ok(ann.id, 'logEntry', {
        entry: {
          id: root,
          activityId: day,
          performedAt: at,
          children: sets.map((id, i) => ({ id, activityId: squat.ids.id, values: { [squat.ids.reps]: 5 - i, [squat.ids.weight]: 100 } })),
        },
      })
      const tree = await loadEntryTree(w.db, root)
      expect(tree?.children.map((c) => c.id)).toEqual(sets)
      const children = await w.db.select().from(s.entries).where(eq(s.entries.parentId, root))
      expect(children.every((c) => c.performedAt.toISOString() === at)).toBe(true)
      await w.ok(ann.id, 'deleteEntry', { entryId: root })
      expect(await w.db.select().from(s.entries)).toEqual([])
    })

    test('set types: a workout logs warm-up, normal, drop and failure sets; a set without one is normal (null)', async () => {
      const { id: day, child: squat } = await strengthSequence(w, ann, 'Leg day', 4)
      const root = newId()
      const sets = [newId(), newId(), newId(), newId(), newId()]
      const types = ['warmup', 'normal', undefined, 'drop', 'failure'] as const
      await w.ok(ann.id, 'logEntry', {
        entry: {
          id: root,
          activityId: day,
          performedAt: at,
          children: sets.map((id, i) => ({
            id,
            activityId: squat.ids.id,
            values: { [squat.ids.reps]: 5 },
            ...(types[i] ? { setType: types[i] } : {}),
          })),
        },
      })
      const stored = await w.db.select().from(s.entries).where(eq(s.entries.parentId, root)).orderBy(asc(s.entries.ordinal))
      expect(stored.map((e) => e.setType)).toEqual(['warmup', null, null, 'drop', 'failure'])
      expect((await w.db.select().from(s.entries).where(eq(s.entries.id, root)))[0]?.setType).toBeNull()
    })

    test('set types: editEntry changes the set type alone, and back to normal; other fields stay', async () => {
      const { ids, args } = strengthActivity(ann.libraryId)
      await w.ok(ann.id, 'createActivity', args)
      const entry = newId()
      await w.ok(ann.id, 'logEntry', {
        entry: { id: entry, activityId: ids.id, performedAt: at, notes: 'Easy', values: { [ids.weight]: 60, [ids.reps]: 8 } },
      })
      const row = async () => (await w.db.select().from(s.entries).where(eq(s.entries.id, entry)))[0]!
      await w.ok(ann.id, 'editEntry', { entryId: entry, setType: 'warmup' })
      expect(await row()).toMatchObject({ setType: 'warmup', notes: 'Easy' })
      expect((await row()).performedAt.toISOString()).toBe(at)
      await w.ok(ann.id, 'editEntry', { entryId: entry, notes: 'Heavier than it looked' })
      expect(await row()).toMatchObject({ setType: 'warmup', notes: 'Heavier than it looked' })
      await w.ok(ann.id, 'editEntry', { entryId: entry, setType: 'normal' })
      expect((await row()).setType).toBeNull()
      expect(await w.db.select().from(s.entryValues).where(eq(s.entryValues.entryId, entry))).toHaveLength(2)
    })

    test('set types: an unknown type, or a type on a workout or a block, is refused beside its field and writes nothing', async () => {
      const { id: day, child: squat } = await strengthSequence(w, ann, 'Leg day', 1)
      const set = { id: newId(), activityId: squat.ids.id, values: { [squat.ids.reps]: 5 } }
      expect(
        await w.run(ann.id, 'logEntry', {
          entry: { id: newId(), activityId: day, performedAt: at, children: [{ ...set, setType: 'cooldown' }] },
        } as never),
      ).toMatchObject({ code: 'invalid_args', message: 'Entry children 1 set type must be one of normal, warmup, drop, failure' })
      expect(
        await w.run(ann.id, 'logEntry', { entry: { id: newId(), activityId: day, performedAt: at, setType: 'warmup', children: [set] } }),
      ).toMatchObject({ code: 'invalid_args', message: 'Entry set type: "Leg day" is a sequence, not a set: only a set has a set type.' })
      // A block (a sequence inside the workout) is no set either; "normal" says nothing and is accepted.
      const block = await createActivity(w, ann, {
        name: 'Superset',
        kind: 'sequence',
        items: [{ id: newId(), childId: squat.ids.id, repeat: 1 }],
      })
      const workout = await createActivity(w, ann, { name: 'Arms', kind: 'sequence', items: [{ id: newId(), childId: block, repeat: 1 }] })
      const refused = await w.run(ann.id, 'logEntry', {
        entry: {
          id: newId(),
          activityId: workout,
          performedAt: at,
          children: [{ id: newId(), activityId: block, setType: 'drop', children: [set] }],
        },
      })
      expect(refused).toMatchObject({
        code: 'invalid_args',
        message: 'Entry children 1 set type: "Superset" is a sequence, not a set: only a set has a set type.',
      })
      expect(await w.db.select().from(s.entries)).toEqual([])
      const root = newId()
      await w.ok(ann.id, 'logEntry', { entry: { id: root, activityId: day, performedAt: at, setType: 'normal', children: [set] } })
      expect(await w.run(ann.id, 'editEntry', { entryId: root, setType: 'failure' })).toMatchObject({ code: 'invalid_args' })
      expect(await w.run(ann.id, 'editEntry', { entryId: set.id, setType: 'cooldown' } as never)).toMatchObject({ code: 'invalid_args' })
    })

    test('supersets: a workout → block → sets tree logs in one mutation, in order, and deletes as one', async () => {
      const a = strengthActivity(ann.libraryId, 'Curl')
      const b = strengthActivity(ann.libraryId, 'Pushdown')
      await w.ok(ann.id, 'createActivity', a.args)
      await w.ok(ann.id, 'createActivity', b.args)
      const block = await createActivity(w, ann, {
        name: 'Arm superset',
        kind: 'sequence',
        items: [
          { id: newId(), childId: a.ids.id, repeat: 1 },
          { id: newId(), childId: b.ids.id, repeat: 1 },
        ],
      })
      const workout = await createActivity(w, ann, { name: 'Arms', kind: 'sequence', items: [{ id: newId(), childId: block, repeat: 3 }] })
      const root = newId()
      const rounds = [0, 1, 2].map((round) => ({
        id: newId(),
        activityId: block,
        children: [
          {
            id: newId(),
            activityId: a.ids.id,
            values: { [a.ids.reps]: 10 - round },
            ...(round === 2 ? { setType: 'failure' as const } : {}),
          },
          { id: newId(), activityId: b.ids.id, values: { [b.ids.reps]: 12 - round } },
        ],
      }))
      await w.ok(ann.id, 'logEntry', { entry: { id: root, activityId: workout, performedAt: at, children: rounds } })
      const tree = await loadEntryTree(w.db, root)
      expect(tree?.children.map((c) => [c.id, c.children.map((x) => x.activityId)])).toEqual(
        rounds.map((r) => [r.id, [a.ids.id, b.ids.id]]),
      )
      const last = await w.db.select().from(s.entries).where(eq(s.entries.id, rounds[2]!.children[0]!.id))
      expect(last[0]).toMatchObject({ setType: 'failure', parentId: rounds[2]!.id, ordinal: 0 })
      await w.ok(ann.id, 'deleteEntry', { entryId: root })
      expect(await w.db.select().from(s.entries)).toEqual([])
      expect(await w.db.select().from(s.entryValues)).toEqual([])
    })

    test('entries only point at activities in a library the user owns', async () => {
      const { ids, args } = strengthActivity(ann.libraryId)
      await w.ok(ann.id, 'createActivity', args)
      expect(
        await w.run(bob.id, 'logEntry', { entry: { id: newId(), activityId: ids.id, performedAt: at, values: { [ids.reps]: 1 } } }),
      ).toMatchObject({ code: 'not_found' })
    })

    test('duplicate-on-add copies the whole tree with provenance, into a library the caller owns', async () => {
      const { id: day, child: squat } = await strengthSequence(w, ann, 'Leg day', 3)
      await w.ok(ann.id, 'setActivityRest', { activityId: squat.ids.id, restSeconds: 150 })
      await w.ok(ann.id, 'publishLibrary', { libraryId: ann.libraryId })
      const copy = newId()
      await w.ok(bob.id, 'addActivityToLibrary', { id: copy, sourceActivityId: day, libraryId: bob.libraryId })
      const copies = await w.db.select().from(s.activities).where(eq(s.activities.libraryId, bob.libraryId))
      expect(copies).toHaveLength(2)
      const root = copies.find((c) => c.id === copy)!
      expect(root).toMatchObject({ name: 'Leg day', copiedFromId: day, originId: day, sourceOwnerId: ann.id, templateVersion: 1 })
      expect(root.copiedAt).toBeInstanceOf(Date)
      const child = copies.find((c) => c.id !== copy)!
      // The copy keeps the exercise's rest between sets.
      expect(child).toMatchObject({ name: 'Squat', copiedFromId: squat.ids.id, originId: squat.ids.id, restSeconds: 150 })
      const items = await w.db.select().from(s.sequenceItems).where(eq(s.sequenceItems.parentId, copy))
      expect(items.map((i) => [i.childId, i.repeat])).toEqual([[child.id, 3]])
      const attrs = await w.db.select().from(s.attributes).where(eq(s.attributes.activityId, child.id))
      expect(attrs.map((a) => a.name).sort()).toEqual(['Grip', 'Reps', 'Weight'])
      // A choice comes with its choices, in order, as rows of the copy's own attribute.
      const grip = attrs.find((a) => a.name === 'Grip')!
      const choices = async (attributeId: string) =>
        (await w.db.select().from(s.attributeOptions).where(eq(s.attributeOptions.attributeId, attributeId)))
          .sort((a, b) => a.ordinal - b.ordinal)
          .map((o) => [o.label, o.ordinal, o.libraryId])
      const [originalGrip] = await w.db
        .select()
        .from(s.attributes)
        .where(and(eq(s.attributes.activityId, squat.ids.id), eq(s.attributes.name, 'Grip')))
      const original = await choices(originalGrip!.id)
      expect(original.length).toBeGreaterThan(0)
      expect(await choices(grip.id)).toEqual(original.map(([label, ordinal]) => [label, ordinal, bob.libraryId]))
      // Bob logs against his copy, never against Ann's original.
      const reps = attrs.find((a) => a.name === 'Reps')!
      await w.ok(bob.id, 'logEntry', { entry: { id: newId(), activityId: child.id, performedAt: at, values: { [reps.id]: 5 } } })
      expect(await w.run(ann.id, 'addActivityToLibrary', { id: newId(), sourceActivityId: day, libraryId: bob.libraryId })).toMatchObject({
        code: 'not_found',
      })
    })

    test('tags: create, tag, untag, delete; names are unique per user', async () => {
      const { ids, args } = strengthActivity(ann.libraryId)
      await w.ok(ann.id, 'createActivity', args)
      const entry = newId()
      await w.ok(ann.id, 'logEntry', { entry: { id: entry, activityId: ids.id, performedAt: at, values: { [ids.reps]: 5 } } })
      const tag = newId()
      await w.ok(ann.id, 'createTag', { id: tag, name: 'PR', color: '#ff8800' })
      expect(await w.run(ann.id, 'createTag', { id: newId(), name: 'PR' })).toMatchObject({
        code: 'conflict',
        message: 'You have a tag called "PR" already.',
      })
      await w.ok(ann.id, 'tagEntry', { entryId: entry, tagId: tag })
      await w.ok(ann.id, 'tagEntry', { entryId: entry, tagId: tag })
      expect(await w.db.select().from(s.entryTags)).toHaveLength(1)
      await w.ok(ann.id, 'untagEntry', { entryId: entry, tagId: tag })
      expect(await w.db.select().from(s.entryTags)).toEqual([])
      await w.ok(ann.id, 'tagEntry', { entryId: entry, tagId: tag })
      await w.ok(ann.id, 'deleteTag', { tagId: tag })
      expect(await w.db.select().from(s.entryTags)).toEqual([])
      expect(await w.db.select().from(s.tags)).toEqual([])
    })

    test('settings: units update; an unknown unit is refused', async () => {
      await w.ok(ann.id, 'updateSettings', { massUnit: 'lb', distanceUnit: 'mi' })
      const [row] = await w.db.select().from(s.userSettings).where(eq(s.userSettings.userId, ann.id))
      expect(row).toMatchObject({ massUnit: 'lb', distanceUnit: 'mi' })
      expect(await w.run(ann.id, 'updateSettings', { massUnit: 'stone' } as never)).toMatchObject({
        code: 'invalid_args',
        message: 'Mass unit must be kg or lb',
      })
    })

    test('settings: equipment is stored, replaced whole, and reset to the defaults with null', async () => {
      const gym = {
        bars: [
          { name: 'Barbell', weight: 20, unit: 'kg' as const },
          { name: 'Trap bar', weight: 25, unit: 'kg' as const },
        ],
        plates: [
          { weight: 25, unit: 'kg' as const, pairs: 4 },
          { weight: 45, unit: 'lb' as const, pairs: 2 },
          { weight: 1.25, unit: 'kg' as const, pairs: 1 },
        ],
      }
      const stored = async () => (await w.db.select().from(s.userSettings).where(eq(s.userSettings.userId, ann.id)))[0]
      await w.ok(ann.id, 'updateSettings', { massUnit: 'kg' })
      expect((await stored())?.equipment).toBeNull()
      await w.ok(ann.id, 'updateSettings', { equipment: { ...gym, bars: [{ ...gym.bars[0]!, name: '  Barbell ' }, gym.bars[1]!] } })
      expect((await stored())?.equipment).toEqual(gym)
      // Another setting leaves the equipment as it is.
      await w.ok(ann.id, 'updateSettings', { distanceUnit: 'mi' })
      expect(await stored()).toMatchObject({ distanceUnit: 'mi', equipment: gym })
      await w.ok(ann.id, 'updateSettings', { equipment: null })
      expect((await stored())?.equipment).toBeNull()
    })

    test('settings: bad equipment is refused with each problem at its field', async () => {
      const bar = { name: 'Barbell', weight: 20, unit: 'kg' as const }
      const plate = { weight: 20, unit: 'kg' as const, pairs: 2 }
      const refuse = async (equipment: unknown) => {
        const outcome = await w.run(ann.id, 'updateSettings', { equipment } as never)
        expect(outcome).toMatchObject({ status: 'rejected', code: 'invalid_args' })
        return outcome.status === 'rejected' ? outcome.message : ''
      }
      expect(await refuse({ bars: [], plates: [] })).toBe('Equipment bars must hold at least one bar (a bar of 0 kg stands for none)')
      expect(await refuse({ bars: [bar], plates: [{ ...plate, weight: 0 }] })).toBe('Equipment plates 1 weight must be more than 0')
      expect(await refuse({ bars: [bar], plates: [{ ...plate, pairs: 1.5 }] })).toBe(
        'Equipment plates 1 pairs must be a whole number of pairs',
      )
      expect(await refuse({ bars: [bar], plates: [{ ...plate, pairs: 0 }] })).toBe(
        'Equipment plates 1 pairs must be at least 1 pair (remove the plate instead)',
      )
      expect(await refuse({ bars: [bar], plates: [{ ...plate, weight: 120, unit: 'lb' }] })).toBe(
        'Equipment plates 1 weight must be at most 50 kg (110 lb)',
      )
      expect(await refuse({ bars: [{ ...bar, weight: -1 }], plates: [] })).toBe('Equipment bars 1 weight must be 0 or more')
      expect(await refuse({ bars: [{ ...bar, weight: 500 }], plates: [] })).toBe('Equipment bars 1 weight must be at most 100 kg (220 lb)')
      expect(await refuse({ bars: [{ ...bar, name: ' ' }], plates: [] })).toBe('Equipment bars 1 name must not be blank')
      expect(await refuse({ bars: [bar, { ...bar, name: 'barbell' }], plates: [] })).toBe(
        'Equipment bars 2 name is the name of bar 1 already',
      )
      expect(await refuse({ bars: [bar], plates: [plate, { ...plate, pairs: 3 }] })).toBe(
        'Equipment plates 2 weight repeats plate 1 (20 kg): count its pairs there instead',
      )
      expect(await refuse({ bars: [bar], plates: [{ ...plate, unit: 'stone' }] })).toBe('Equipment plates 1 unit must be kg or lb')
      expect(await refuse({ bars: [bar], plates: [], hooks: 2 })).toMatch(/^Equipment: Unrecognized key/)
      expect(await refuse({ bars: [bar], plates: Array.from({ length: 21 }, (_, i) => ({ ...plate, weight: i + 1 })) })).toBe(
        'Equipment plates must hold at most 20 kinds of plate',
      )
      expect((await w.db.select().from(s.userSettings).where(eq(s.userSettings.userId, ann.id)))[0]?.equipment ?? null).toBeNull()
    })

    test('an unknown mutation is refused by name', async () => {
      expect(await w.run(ann.id, 'dropAllTables' as never, {} as never)).toEqual({
        status: 'rejected',
        code: 'unknown_mutation',
        message: 'There is no mutation called "dropAllTables".',
      })
    })
  })
}

async function emailOf(w: World, userId: string) {
  const [u] = await w.db.select({ email: s.users.email }).from(s.users).where(eq(s.users.id, userId))
  return u!.email
}

async function members(w: World, libraryId: string) {
  return w.db
    .select({ userId: s.libraryMembers.userId, role: s.libraryMembers.role })
    .from(s.libraryMembers)
    .where(and(eq(s.libraryMembers.libraryId, libraryId)))
}
