/**
 * The authorization matrix: every mutation × owner, editor, viewer and stranger of a shared
 * library, with the outcome each must get. One database holds the fixture; each cell runs in a
 * transaction that is rolled back, so cells cannot affect each other.
 *
 * Strangers are told "not found" rather than "forbidden" wherever a refusal would otherwise
 * confirm that a private library, activity or entry exists.
 */
import { TransactionRollbackError } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { testPglite, type TestPglite } from '@/db/testing/pglite'
import type { Db } from '@/db/types'
import { asRefusal, type MutationOutcome } from './apply'
import { newId } from './ids'
import { mutatorNames, runMutator, type MutatorArgs, type MutatorName } from './mutators'
import { strengthActivity, world, type World } from './testing/world'

type Role = 'owner' | 'editor' | 'viewer' | 'stranger'
const roles: Role[] = ['owner', 'editor', 'viewer', 'stranger']
type Expected = 'applied' | 'forbidden' | 'not_found' | 'in_use'

let t: TestPglite
let w: World
const users = {} as Record<Role, { id: string; libraryId: string }>
const f = {} as {
  shared: string
  scalar: ReturnType<typeof strengthActivity>['ids']
  sequence: string
  item: string
  ownEntry: string
  ownTag: string
  ownPhoto: string
  /** An import of the owner's, and her own activity it writes to. */
  ownImport: string
  mine: ReturnType<typeof strengthActivity>['ids']
  /** An invitation to the stranger's address, waiting for their answer. */
  strangerInvite: string
  /** One of the owner's devices. */
  ownDevice: string
}

beforeAll(async () => {
  t = await testPglite('server')
  w = world({ ...t, runtime: 'server' })
  for (const role of roles) users[role] = await w.user(role)
  const owner = users.owner.id
  f.shared = newId()
  await w.ok(owner, 'createLibrary', { id: f.shared, name: 'Team programme' })
  const emailOf = async (role: Role) =>
    (await t.pg.query<{ email: string }>('select email from users where id = $1', [users[role].id])).rows[0]!.email
  for (const role of ['editor', 'viewer'] as const) {
    const inviteId = newId()
    await w.ok(owner, 'shareLibrary', { inviteId, libraryId: f.shared, email: await emailOf(role), role })
    await w.ok(users[role].id, 'acceptInvitation', { inviteId })
  }
  f.strangerInvite = newId()
  await w.ok(owner, 'shareLibrary', { inviteId: f.strangerInvite, libraryId: f.shared, email: await emailOf('stranger'), role: 'viewer' })
  const scalar = strengthActivity(f.shared)
  f.scalar = scalar.ids
  await w.ok(owner, 'createActivity', scalar.args)
  f.sequence = newId()
  f.item = newId()
  await w.ok(owner, 'createActivity', {
    id: f.sequence,
    libraryId: f.shared,
    name: 'Day',
    kind: 'sequence',
    items: [{ id: f.item, childId: f.scalar.id, repeat: 3 }],
  })
  // The owner's log lives against an activity in her default library.
  const mine = strengthActivity(users.owner.libraryId)
  await w.ok(owner, 'createActivity', mine.args)
  f.ownEntry = newId()
  await w.ok(owner, 'logEntry', {
    entry: { id: f.ownEntry, activityId: mine.ids.id, performedAt: '2026-11-01T08:00:00Z', values: { [mine.ids.reps]: 5 } },
  })
  f.ownTag = newId()
  await w.ok(owner, 'createTag', { id: f.ownTag, name: 'Heavy' })
  f.ownPhoto = newId()
  await w.ok(owner, 'attachMedia', { entryId: f.ownEntry, photo: photoArgs(f.ownPhoto) })
  f.mine = mine.ids
  f.ownImport = newId()
  await w.ok(owner, 'startImport', { id: f.ownImport, source: 'strong', fileName: 'strong.csv', fileRows: 1 })
  f.ownDevice = newId()
  await t.pg.query(`insert into devices (id, user_id, name) values ($1, $2, 'Phone')`, [f.ownDevice, owner])
})

afterAll(async () => {
  await t.close()
})

async function probe(db: Db, userId: string, name: string, args: unknown): Promise<MutationOutcome> {
  let outcome: MutationOutcome | undefined
  try {
    await db.transaction(async (tx) => {
      try {
        await runMutator({ tx, userId, now: new Date(), runtime: 'server' }, name, args)
        outcome = { status: 'applied' }
      } catch (error) {
        const refusal = asRefusal(error)
        if (!refusal) throw error
        outcome = { status: 'rejected', ...refusal }
      }
      tx.rollback()
    })
  } catch (error) {
    if (!(error instanceof TransactionRollbackError)) throw error
  }
  return outcome!
}

/** A photo's metadata as a device attaches it. */
const photoArgs = (id: string) => ({ id, sha256: 'a'.repeat(64), mimeType: 'image/jpeg' as const, byteSize: 1000 })

type Row = { [N in MutatorName]: [N, (role: Role) => MutatorArgs<N>, Record<Role, Expected>] }[MutatorName]

const ownerOnly = { owner: 'applied', editor: 'forbidden', viewer: 'forbidden', stranger: 'not_found' } as const
const editors = { owner: 'applied', editor: 'applied', viewer: 'forbidden', stranger: 'not_found' } as const
const readers = { owner: 'applied', editor: 'applied', viewer: 'applied', stranger: 'not_found' } as const
const everyone = { owner: 'applied', editor: 'applied', viewer: 'applied', stranger: 'applied' } as const
const selfOnly = { owner: 'applied', editor: 'not_found', viewer: 'not_found', stranger: 'not_found' } as const
// Only the address an invitation was sent to may answer it; to anyone else it does not exist (S4).
const inviteeOnly = { owner: 'not_found', editor: 'not_found', viewer: 'not_found', stranger: 'applied' } as const
// Entries point only at activities of a library the logging user owns; members are told why.
const logging = { owner: 'applied', editor: 'forbidden', viewer: 'forbidden', stranger: 'not_found' } as const

const matrix: Row[] = [
  ['createLibrary', () => ({ id: newId(), name: 'Mine' }), everyone],
  ['renameLibrary', () => ({ libraryId: f.shared, name: 'Renamed' }), ownerOnly],
  ['deleteLibrary', () => ({ libraryId: f.shared }), ownerOnly],
  ['shareLibrary', () => ({ inviteId: newId(), libraryId: f.shared, email: 'someone@example.com', role: 'viewer' as const }), ownerOnly],
  ['acceptInvitation', () => ({ inviteId: f.strangerInvite }), inviteeOnly],
  ['declineInvitation', () => ({ inviteId: f.strangerInvite }), inviteeOnly],
  ['changeMemberRole', () => ({ libraryId: f.shared, userId: users.viewer.id, role: 'editor' as const }), ownerOnly],
  ['revokeMember', () => ({ libraryId: f.shared, userId: users.viewer.id }), ownerOnly],
  ['publishLibrary', () => ({ libraryId: f.shared }), ownerOnly],
  ['unpublishLibrary', () => ({ libraryId: f.shared }), ownerOnly],
  ['createActivity', () => ({ id: newId(), libraryId: f.shared, name: 'Lunge', kind: 'scalar' as const }), editors],
  ['renameActivity', () => ({ activityId: f.scalar.id, name: 'Front squat' }), editors],
  ['setActivityRest', () => ({ activityId: f.scalar.id, restSeconds: 120 }), editors],
  ['deleteActivity', () => ({ activityId: f.sequence }), editors],
  [
    'setAttributes',
    () => ({
      activityId: f.scalar.id,
      attributes: [
        { id: f.scalar.weight, name: 'Load', type: 'mass' as const },
        { id: f.scalar.reps, name: 'Reps', type: 'integer' as const },
        { id: f.scalar.grip, name: 'Grip', type: 'choice' as const },
      ],
    }),
    editors,
  ],
  ['appendAttribute', () => ({ activityId: f.scalar.id, attribute: { id: newId(), name: 'RPE', type: 'number' as const } }), editors],
  ['appendChoiceOption', () => ({ attributeId: f.scalar.grip, option: { id: newId(), label: 'Mixed' } }), editors],
  ['renameAttribute', () => ({ attributeId: f.scalar.weight, name: 'Load' }), editors],
  ['retireAttribute', () => ({ attributeId: f.scalar.weight }), editors],
  ['setTemplate', () => ({ activityId: f.sequence, items: [] }), editors],
  ['addTemplateItem', () => ({ activityId: f.sequence, item: { id: newId(), childId: f.scalar.id, repeat: 1 } }), editors],
  ['removeTemplateItem', () => ({ activityId: f.sequence, itemId: f.item }), editors],
  ['moveTemplateItem', () => ({ activityId: f.sequence, itemId: f.item, position: 0 }), editors],
  ['addActivityToLibrary', (role) => ({ id: newId(), sourceActivityId: f.sequence, libraryId: users[role].libraryId }), readers],
  ['moveActivity', (role) => ({ id: newId(), activityId: f.sequence, libraryId: users[role].libraryId }), editors],
  ['addCatalogueExercise', () => ({ id: newId(), libraryId: f.shared, slug: 'bench-press-barbell' }), editors],
  [
    'logEntry',
    () => ({ entry: { id: newId(), activityId: f.scalar.id, performedAt: '2026-11-02T08:00:00Z', values: { [f.scalar.reps]: 3 } } }),
    logging,
  ],
  ['editEntry', () => ({ entryId: f.ownEntry, notes: 'edited' }), selfOnly],
  ['deleteEntry', () => ({ entryId: f.ownEntry }), selfOnly],
  ['createTag', () => ({ id: newId(), name: 'Deload' }), everyone],
  ['deleteTag', () => ({ tagId: f.ownTag }), selfOnly],
  ['tagEntry', () => ({ entryId: f.ownEntry, tagId: f.ownTag }), selfOnly],
  ['untagEntry', () => ({ entryId: f.ownEntry, tagId: f.ownTag }), selfOnly],
  // Photos are the user's own, like entries: nobody else, a library's member included, sees them (M5).
  ['attachMedia', () => ({ entryId: f.ownEntry, photo: photoArgs(newId()) }), selfOnly],
  ['detachMedia', () => ({ entryId: f.ownEntry, mediaId: f.ownPhoto }), selfOnly],
  ['reorderMedia', () => ({ entryId: f.ownEntry, mediaIds: [f.ownPhoto] }), selfOnly],
  ['updateSettings', () => ({ massUnit: 'lb' as const }), everyone],
  // A device's window is its user's to set; another user's device does not exist for them (W1).
  ['setDeviceWindow', () => ({ deviceId: f.ownDevice, window: { kind: 'months' as const, months: 3 } }), selfOnly],
  ['startImport', () => ({ id: newId(), source: 'hevy' as const, fileName: 'hevy.csv', fileRows: 3 }), everyone],
  [
    'importWorkouts',
    () => ({
      importId: f.ownImport,
      workouts: [
        {
          key: `strong|${newId()}`,
          entry: { id: newId(), activityId: f.mine.id, performedAt: '2026-10-01T08:00:00Z', values: { [f.mine.reps]: 5 } },
          rows: [2],
        },
      ],
    }),
    selfOnly,
  ],
  ['undoImport', () => ({ importId: f.ownImport }), selfOnly],
]

test('the matrix covers every mutation', () => {
  expect(matrix.map(([name]) => name).sort()).toEqual([...mutatorNames].sort())
})

describe.each(matrix)('%s', (name, args, expected) => {
  test.each(roles)('as %s', async (role) => {
    const outcome = await probe(w.db, users[role].id, name, args(role))
    const got = outcome.status === 'applied' ? 'applied' : outcome.code
    expect(got, outcome.status === 'rejected' ? outcome.message : '').toBe(expected[role])
  })
})

test('a published library is readable by anyone: a stranger may copy from it, but not edit it', async () => {
  await w.ok(users.owner.id, 'publishLibrary', { libraryId: f.shared })
  try {
    expect(
      await probe(w.db, users.stranger.id, 'addActivityToLibrary', {
        id: newId(),
        sourceActivityId: f.sequence,
        libraryId: users.stranger.libraryId,
      }),
    ).toEqual({ status: 'applied' })
    expect(await probe(w.db, users.stranger.id, 'renameActivity', { activityId: f.scalar.id, name: 'Mine now' })).toMatchObject({
      code: 'forbidden',
      message: 'You cannot change activities in the library "Team programme": you can only view it.',
    })
    expect(
      await probe(w.db, users.stranger.id, 'addActivityToLibrary', { id: newId(), sourceActivityId: f.sequence, libraryId: f.shared }),
    ).toMatchObject({ code: 'forbidden' })
  } finally {
    await w.ok(users.owner.id, 'unpublishLibrary', { libraryId: f.shared })
  }
})
