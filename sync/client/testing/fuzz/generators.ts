/** Random mutations: valid, stale, colliding or plain invalid, from what a device can see. */
import { attributeTypes, type AttributeType } from '@/db/schema'
import type { MutatorArgs } from '@/domain/mutators'
import type { AttributeInput } from '@/domain/mutators/attributes'
import type { Value } from '@/domain/values'
import type { Rng } from './rng'
import { attributesOf, type AttributeView, type View } from './views'
import type { AnyMutation, Device, User, World } from './world'

export const TAG_NAMES = ['PR', 'Heavy', 'Easy', 'Deload', 'Tired', 'Outdoor']
const ACTIVITY_NAMES = ['Back squat', 'Bench press', 'Deadlift', 'Row', 'Press', 'Run']
const ATTRIBUTE_NAMES: Record<AttributeType, string> = {
  number: 'RPE',
  integer: 'Reps',
  duration: 'Time',
  distance: 'Distance',
  mass: 'Weight',
  text: 'Note',
  choice: 'Grip',
  boolean: 'Belt',
}

function attributeInput(rng: Rng, type: AttributeType = rng.pick(attributeTypes), required = false): AttributeInput {
  return {
    id: rng.uuid(),
    name: ATTRIBUTE_NAMES[type],
    type,
    ...(required ? { required } : {}),
    ...(type === 'choice'
      ? {
          options: [
            { id: rng.uuid(), label: 'Wide' },
            { id: rng.uuid(), label: 'Narrow' },
          ],
        }
      : {}),
  }
}

export function activityArgs(rng: Rng, libraryId: string): MutatorArgs<'createActivity'> {
  const attributes = [attributeInput(rng, 'integer', rng.chance(0.6))]
  for (let i = rng.int(0, 2); i > 0; i--) attributes.push(attributeInput(rng))
  return { id: rng.uuid(), libraryId, name: rng.pick(ACTIVITY_NAMES), kind: 'scalar', attributes }
}

function validValue(rng: Rng, a: AttributeView): Value | undefined {
  switch (a.type) {
    case 'number':
    case 'mass':
      return rng.int(0, 80) * 2.5
    case 'integer':
      return rng.int(1, 12)
    case 'duration':
    case 'distance':
      return rng.int(0, 3600)
    case 'text':
      return rng.pick(['easy', 'hard', 'felt good'])
    case 'boolean':
      return rng.chance(0.5)
    case 'choice':
      return rng.maybe(a.options.map((o) => o.id))
  }
}

function invalidValue(rng: Rng, a: AttributeView): Value {
  switch (a.type) {
    case 'text':
      return 5
    case 'boolean':
      return 'yes'
    case 'choice':
      return rng.uuid()
    case 'integer':
      return 2.5
    case 'duration':
    case 'distance':
      return -1
    default:
      return 'heavy'
  }
}

function instant(rng: Rng): string {
  return new Date(Date.UTC(2026, rng.int(0, 11), rng.int(1, 28), rng.int(5, 21), rng.pick([0, 15, 30, 45]))).toISOString()
}

type Gen = (w: World, d: Device, view: View) => Promise<AnyMutation | undefined>

/** A valid entry of `activityId` (every attribute given a valid value, if it has one). */
export async function validEntry(w: World, d: Device, activityId: string): Promise<MutatorArgs<'logEntry'>> {
  const values: Record<string, Value> = {}
  for (const a of await attributesOf(d.db, activityId)) {
    const value = a.retired ? undefined : validValue(w.rng, a)
    if (value !== undefined) values[a.id] = value
  }
  return { entry: { id: w.rng.uuid(), activityId, performedAt: instant(w.rng), values } }
}

/** Mostly something the device can see; sometimes a stale or foreign id the simulation made. */
export function pickRef(
  rng: Rng,
  local: readonly { id: string }[],
  global: readonly { id: string }[],
  pLocal = 0.85,
): { id: string } | undefined {
  if (local.length > 0 ? rng.chance(pLocal) : rng.chance(0.7)) return rng.maybe(local)
  return rng.maybe(global)
}

function ownLibraries(d: Device, view: View) {
  return view.libraries.filter((l) => l.ownerId === d.user.id)
}

export const generators: (readonly [number, Gen])[] = [
  [
    12,
    async (w) => ({
      name: 'createTag',
      args: {
        id: w.rng.uuid(),
        name: w.rng.pick(TAG_NAMES),
        ...(w.rng.chance(0.2) ? { color: w.rng.pick(['#3366ff', '#aa0000', 'red']) } : {}),
      },
    }),
  ],
  [
    3,
    async (w, _d, view) => {
      const tag = pickRef(w.rng, view.tags, w.known.tags)
      return tag && { name: 'deleteTag', args: { tagId: tag.id } }
    },
  ],
  [
    16,
    async (w, d, view) => {
      const { rng } = w
      const own = new Set(ownLibraries(d, view).map((l) => l.id))
      const r = rng.next()
      const activity =
        r < 0.8
          ? rng.maybe(view.activities.filter((a) => own.has(a.libraryId)))
          : r < 0.9
            ? rng.maybe(view.activities.filter((a) => !own.has(a.libraryId)))
            : rng.maybe(w.known.activities)
      if (!activity) return undefined
      const values: Record<string, Value> = {}
      for (const a of await attributesOf(d.db, activity.id)) {
        const p = rng.next()
        const value = p < 0.75 ? validValue(rng, a) : p < 0.79 ? invalidValue(rng, a) : undefined
        if (value !== undefined) values[a.id] = value
      }
      return { name: 'logEntry', args: { entry: { id: rng.uuid(), activityId: activity.id, performedAt: instant(rng), values } } }
    },
  ],
  [
    8,
    async (w, d, view) => {
      const { rng } = w
      const entry = pickRef(rng, view.entries, w.known.entries)
      if (!entry) return undefined
      const local = view.entries.find((e) => e.id === entry.id)
      const attributes = local ? await attributesOf(d.db, local.activityId) : []
      const values: Record<string, Value | null> = {}
      for (let n = rng.int(0, 2); n > 0 && attributes.length > 0; n--) {
        const a = rng.pick(attributes)
        values[a.id] = rng.chance(0.2) ? null : (validValue(rng, a) ?? null)
      }
      return {
        name: 'editEntry',
        args: {
          entryId: entry.id,
          ...(rng.chance(0.4) ? { notes: rng.pick(['', 'tired', 'new PR']) } : {}),
          ...(rng.chance(0.3) ? { performedAt: instant(rng) } : {}),
          ...(Object.keys(values).length > 0 ? { values } : {}),
        },
      }
    },
  ],
  [
    4,
    async (w, _d, view) => {
      const entry = pickRef(w.rng, view.entries, w.known.entries)
      return entry && { name: 'deleteEntry', args: { entryId: entry.id } }
    },
  ],
  [
    6,
    async (w, _d, view) => {
      const entry = pickRef(w.rng, view.entries, w.known.entries)
      const tag = pickRef(w.rng, view.tags, w.known.tags)
      return entry && tag && { name: 'tagEntry', args: { entryId: entry.id, tagId: tag.id } }
    },
  ],
  [
    2,
    async (w, _d, view) => {
      const entry = pickRef(w.rng, view.entries, w.known.entries)
      const tag = pickRef(w.rng, view.tags, w.known.tags)
      return entry && tag && { name: 'untagEntry', args: { entryId: entry.id, tagId: tag.id } }
    },
  ],
  [
    6,
    async (w, _d, view) => {
      const activity = pickRef(w.rng, view.activities, w.known.activities)
      return (
        activity && { name: 'renameActivity', args: { activityId: activity.id, name: `${w.rng.pick(ACTIVITY_NAMES)} ${w.rng.int(1, 9)}` } }
      )
    },
  ],
  [
    5,
    async (w, d, view) => {
      const { rng } = w
      const r = rng.next()
      const library =
        r < 0.6
          ? rng.maybe(ownLibraries(d, view))
          : r < 0.95
            ? rng.maybe(view.libraries.filter((l) => l.ownerId !== d.user.id))
            : rng.maybe(w.known.libraries)
      return library && { name: 'createActivity', args: activityArgs(rng, library.id) }
    },
  ],
  [
    6,
    async (w, d, view) => {
      const { rng } = w
      const activity = pickRef(rng, view.activities, w.known.activities)
      if (!activity) return undefined
      const current = await attributesOf(d.db, activity.id)
      const proposal: AttributeInput[] = current.map((a) => ({
        id: a.id,
        name: a.name,
        type: a.type,
        required: a.required,
        retired: a.retired,
        ...(a.type === 'choice' ? { options: a.options.map((o) => ({ id: o.id, label: o.label, retired: o.retired })) } : {}),
      }))
      const r = rng.next()
      const choice = proposal.filter((a) => a.type === 'choice')
      if (r < 0.55 || proposal.length === 0) proposal.push(attributeInput(rng, undefined, rng.chance(0.15)))
      else if (r < 0.7) rng.pick(proposal).name = rng.pick(['Load', 'Sets', 'Tempo', 'Side'])
      else if (r < 0.8) {
        const a = rng.pick(proposal)
        a.retired = !a.retired
      } else if (r < 0.93 && choice.length > 0)
        rng.pick(choice).options!.push({ id: rng.uuid(), label: rng.pick(['Close', 'Mixed', 'Hook']) })
      else if (proposal.length >= 2) proposal.reverse()
      else proposal.push(attributeInput(rng))
      return { name: 'setAttributes', args: { activityId: activity.id, attributes: proposal } }
    },
  ],
  [
    4,
    async (w, d, view) => {
      const { rng } = w
      const own = ownLibraries(d, view)
      const source = rng.chance(0.7)
        ? rng.maybe(view.activities.filter((a) => !own.some((l) => l.id === a.libraryId)))
        : pickRef(rng, view.activities, w.known.activities)
      const target = rng.chance(0.9) ? rng.maybe(own) : rng.maybe(view.libraries)
      return (
        source && target && { name: 'addActivityToLibrary', args: { id: rng.uuid(), sourceActivityId: source.id, libraryId: target.id } }
      )
    },
  ],
  [
    2,
    async (w, _d, view) => {
      const activity = pickRef(w.rng, view.activities, w.known.activities)
      return activity && { name: 'deleteActivity', args: { activityId: activity.id } }
    },
  ],
  [
    3,
    async (w, d) => ({
      name: 'setDeviceWindow',
      args: {
        deviceId: w.rng.chance(0.9) ? d.client.deviceId : w.rng.pick(w.devices).client.deviceId,
        window: w.rng.weighted([
          [3, { kind: 'all' as const }],
          [5, { kind: 'months' as const, months: w.rng.int(1, 13) }],
          [2, { kind: 'rows' as const, rows: w.rng.int(100, 400) }],
        ]),
      },
    }),
  ],
  [
    3,
    async (w) => ({
      name: 'updateSettings',
      args: w.rng.chance(0.5) ? { massUnit: w.rng.pick(['kg', 'lb'] as const) } : { weekStartsOn: w.rng.int(0, 7) },
    }),
  ],
  [
    4,
    async (w, d, view) => {
      const { rng } = w
      const library = rng.maybe(ownLibraries(d, view))
      const other = rng.maybe(w.users.filter((u) => u.id !== d.user.id))
      if (!library || !other) return undefined
      const members = view.members.filter((m) => m.libraryId === library.id)
      const memberId = members.length > 0 && rng.chance(0.8) ? rng.pick(members).userId : other.id
      const r = rng.next()
      if (r < 0.4) {
        const email = rng.chance(0.93) ? other.email : d.user.email
        return {
          name: 'shareLibrary',
          args: { inviteId: rng.uuid(), libraryId: library.id, email, role: rng.pick(['editor', 'viewer'] as const) },
        }
      }
      if (r < 0.75) return { name: 'revokeMember', args: { libraryId: library.id, userId: memberId } }
      return { name: 'changeMemberRole', args: { libraryId: library.id, userId: memberId, role: rng.pick(['editor', 'viewer'] as const) } }
    },
  ],
  [
    // B5, B1: a large workout (sets with long notes): several fill a push, one may need a push
    // of its own, near the body limit, or be too large for any and refused when it is made.
    3,
    async (w, d, view) => {
      const { rng } = w
      const own = new Set(ownLibraries(d, view).map((l) => l.id))
      const activity = rng.maybe(view.activities.filter((a) => own.has(a.libraryId) && !a.deleted))
      if (!activity) return undefined
      const bytes = rng.weighted([
        [4, 250_000],
        [2, 450_000],
        [3, 960_000],
        [2, 1_050_000],
      ] as const)
      w.count('largeWrite')
      const note = (i: number) => `Set ${i}: ${'n'.repeat(10_000)}`.slice(0, 10_000)
      const children = Array.from({ length: Math.round(bytes / 10_100) }, (_, i) => ({
        id: rng.uuid(),
        activityId: activity.id,
        notes: note(i + 1),
      }))
      return { name: 'logEntry', args: { entry: { id: rng.uuid(), activityId: activity.id, performedAt: instant(rng), children } } }
    },
  ],
  [2, async (w) => ({ name: 'createLibrary', args: { id: w.rng.uuid(), name: `${w.rng.pick(['Gym', 'Home', 'Travel'])} library` } })],
  [
    1,
    async (w, d, view) => {
      const library = pickRef(w.rng, ownLibraries(d, view), w.known.libraries, 0.9)
      return library && { name: 'deleteLibrary', args: { libraryId: library.id } }
    },
  ],
]

/** Notes the ids a mutation makes, for later references (valid or stale). */
export function remember(w: World, user: User, m: AnyMutation) {
  const args = m.args as Record<string, unknown>
  switch (m.name) {
    case 'createTag':
      w.known.tags.push({ id: String(args.id), userId: user.id })
      break
    case 'logEntry':
      w.known.entries.push({ id: (m.args.entry as { id: string }).id, userId: user.id })
      break
    case 'createActivity':
      w.known.activities.push({ id: m.args.id, libraryId: m.args.libraryId })
      break
    case 'addActivityToLibrary':
      w.known.activities.push({ id: m.args.id, libraryId: m.args.libraryId })
      break
    case 'createLibrary':
      w.known.libraries.push({ id: m.args.id, ownerId: user.id })
      break
    case 'attachMedia':
      w.known.media.push({ id: m.args.photo.id, userId: user.id, entryId: m.args.entryId })
      break
  }
}
