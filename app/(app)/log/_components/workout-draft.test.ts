/**
 * The workout draft's rules, without a browser: the order sets are done in (a superset round by
 * round), when a rest starts, where focus goes next, "previous" by position, and the entry tree
 * that finishing logs (a superset's sets inside its block, empty sets left out, set types kept).
 */
import { expect, test } from 'vitest'
import type { ActivityInfo } from '@/db/queries/local'
import type { PreviousSet } from '@/db/queries/previous'
import { newId } from '@/domain/ids'
import {
  addExercise,
  addSet,
  doingOrder,
  draftFromPlan,
  entryOf,
  moveBlock,
  nextSet,
  prependSets,
  previousBySet,
  readSet,
  EMPTY_SET,
  removeExercise,
  tickSet,
  updateSet,
  type Draft,
} from './workout-draft'

const activity = (name: string, restSeconds: number | null = null): ActivityInfo => ({
  id: newId(),
  name,
  kind: 'scalar',
  restSeconds,
  originId: newId(),
  libraryId: newId(),
  templateVersion: 1,
  attributes: [
    { id: newId(), name: 'Weight', type: 'mass', ordinal: 0, retired: false, options: [] },
    { id: newId(), name: 'Reps', type: 'integer', ordinal: 1, retired: false, options: [] },
  ],
})
const squat = activity('Squat')
const bench = activity('Bench')
const row = activity('Row', 150)
const superset = newId()
const infos = new Map([squat, bench, row].map((a) => [a.id, a]))

/** Squat 2 sets on its own, then a superset of bench and row, 2 rounds. */
function plan(): Draft {
  return draftFromPlan(
    newId(),
    [
      { kind: 'exercise', activityId: squat.id, sets: 2 },
      {
        kind: 'block',
        activityId: superset,
        rounds: 2,
        exercises: [
          { activityId: bench.id, sets: 1 },
          { activityId: row.id, sets: 1 },
        ],
      },
    ],
    infos,
    new Date('2026-12-01T07:00:00Z'),
  )
}
const where = (d: Draft, b: number, e = 0) => ({ block: d.blocks[b]!.key, exercise: d.blocks[b]!.exercises[e]!.key })
const setKey = (d: Draft, b: number, e: number, s: number) => d.blocks[b]!.exercises[e]!.sets[s]!.key

test('a superset is done round by round: bench, row, bench, row', () => {
  const d = plan()
  expect(d.blocks[1]!.exercises.map((e) => e.sets.length)).toEqual([2, 2])
  const order = doingOrder(d).map(
    (o) => infos.get(d.blocks.flatMap((b) => b.exercises).find((e) => e.key === o.exercise)!.activityId)!.name,
  )
  expect(order).toEqual(['Squat', 'Squat', 'Bench', 'Row', 'Bench', 'Row'])
})

test('ticking rests after each set on its own, and in a superset only after the round’s last exercise; focus moves to the next undone set', () => {
  let d = plan()
  const now = 1_000_000
  d = tickSet(d, where(d, 0), setKey(d, 0, 0, 0), now)
  expect(d.rest).toEqual({ endsAt: now + 90_000, totalS: 90 })
  expect(nextSet(d, setKey(d, 0, 0, 0))?.set).toBe(setKey(d, 0, 0, 1))
  d = { ...d, rest: null }
  d = tickSet(d, where(d, 1, 0), setKey(d, 1, 0, 0), now)
  expect(d.rest).toBeNull()
  expect(nextSet(d, setKey(d, 1, 0, 0))?.set).toBe(setKey(d, 1, 1, 0))
  // The row's own default rest (2:30), not the app's.
  d = tickSet(d, where(d, 1, 1), setKey(d, 1, 1, 0), now)
  expect(d.rest?.totalS).toBe(150)
  // Unticking starts nothing.
  const rest = d.rest
  d = tickSet(d, where(d, 1, 1), setKey(d, 1, 1, 0), now + 5)
  expect(d.rest).toBe(rest)
  expect(d.blocks[1]!.exercises[1]!.sets[0]!.done).toBe(false)
})

test('finishing logs the sets done or filled in, a superset’s inside its block entry, set types and notes kept', () => {
  let d = plan()
  d = updateSet(d, where(d, 0), setKey(d, 0, 0, 0), { texts: { [squat.attributes[0]!.id]: '100' }, done: true })
  d = prependSets(d, where(d, 0), [{ setType: 'warmup', texts: { [squat.attributes[0]!.id]: '60' } }])
  d = updateSet(d, where(d, 1, 0), setKey(d, 1, 0, 0), { done: true, setType: 'failure' })
  d = updateSet(d, where(d, 1, 1), setKey(d, 1, 1, 0), { done: true })
  d = updateSet(d, where(d, 1, 0), setKey(d, 1, 0, 1), { done: true })
  d = { ...d, notes: 'Good day' }
  const { entry, sets } = entryOf(d, (e, s) => ({ ...(s.texts[infos.get(e.activityId)!.attributes[0]!.id] ? { w: 1 } : {}) }))
  expect(entry.notes).toBe('Good day')
  expect(entry.performedAt).toBe('2026-12-01T07:00:00.000Z')
  const children = entry.children!
  // Warm-up, then the one squat set done; the squat's second set was left empty.
  expect(children.slice(0, 2).map((c) => [c.activityId, c.setType ?? 'normal'])).toEqual([
    [squat.id, 'warmup'],
    [squat.id, 'normal'],
  ])
  const block = children[2]!
  expect(block.activityId).toBe(superset)
  expect(block.children!.map((c) => [infos.get(c.activityId)!.name, c.setType ?? 'normal'])).toEqual([
    ['Bench', 'failure'],
    ['Row', 'normal'],
    ['Bench', 'normal'],
  ])
  expect(sets).toHaveLength(5)
})

test('each set ticked is logged at the time it was ticked, so the workout has a duration; unticking forgets the time', () => {
  let d = plan()
  const start = Date.parse(d.startedAt)
  d = tickSet(d, where(d, 0), setKey(d, 0, 0, 0), start + 60_000)
  d = tickSet(d, where(d, 0), setKey(d, 0, 0, 1), start + 300_000)
  d = tickSet(d, where(d, 0), setKey(d, 0, 0, 1), start + 310_000)
  expect(d.blocks[0]!.exercises[0]!.sets[1]!.doneAt).toBeUndefined()
  d = tickSet(d, where(d, 0), setKey(d, 0, 0, 1), start + 1_800_000)
  // A set filled in but never ticked has no time of its own: it takes the workout's.
  d = updateSet(d, where(d, 1, 0), setKey(d, 1, 0, 0), { texts: { x: '5' } })
  const { entry } = entryOf(d, () => ({ w: 1 }))
  const [first, second, block] = entry.children!
  expect(first!.performedAt).toBe(new Date(start + 60_000).toISOString())
  expect(second!.performedAt).toBe(new Date(start + 1_800_000).toISOString())
  expect(block!.children![0]!.performedAt).toBeUndefined()
})

test('exercises are added after the block in use, moved and removed; a block left empty goes', () => {
  let d = plan()
  d = addExercise(d, row, d.blocks[0]!.key)
  expect(d.blocks.map((b) => b.exercises.map((e) => e.activityId))).toEqual([[squat.id], [row.id], [bench.id, row.id]])
  expect(d.blocks[1]!.exercises[0]!.sets).toHaveLength(3)
  d = moveBlock(d, d.blocks[1]!.key, -1)
  expect(d.blocks[0]!.exercises[0]!.activityId).toBe(row.id)
  expect(moveBlock(d, d.blocks[0]!.key, -1)).toBe(d)
  d = removeExercise(d, where(d, 0))
  expect(d.blocks).toHaveLength(2)
  d = addSet(d, where(d, 0))
  expect(d.blocks[0]!.exercises[0]!.sets).toHaveLength(3)
})

test('"previous" by position: warm-ups with warm-ups, work sets with work sets, nothing where last time had no set', () => {
  let d = plan()
  const set = (setType: PreviousSet['setType'], kg: number): PreviousSet => ({
    entryId: newId(),
    setType,
    values: new Map([[0, { num: kg, text: null, bool: null, optionId: null, ordinal: 0, optionOrdinal: null }]]),
  })
  d = prependSets(d, where(d, 0), [{ setType: 'warmup', texts: {} }])
  const previous = new Map([
    [
      squat.id,
      { activityId: squat.id, inLastWorkout: true, source: 'lastWorkout' as const, performedAt: new Date(), sets: [set('normal', 100)] },
    ],
  ])
  const bySet = previousBySet(d, previous)
  const squatSets = d.blocks[0]!.exercises[0]!.sets
  expect(bySet.get(squatSets[0]!.key)).toBeUndefined()
  expect(bySet.get(squatSets[1]!.key)?.values.get(0)?.num).toBe(100)
  expect(bySet.get(squatSets[2]!.key)).toBeUndefined()
})

test('finishing reads a set through the bounds, in the user’s units, and refuses a ticked set left empty', () => {
  const [weight, reps] = squat.attributes
  const set = (texts: Record<string, string>, done = true) => ({ key: 's1', texts, setType: 'normal' as const, done })
  const kg = { massUnit: 'kg', distanceUnit: 'km' } as const
  expect(readSet(squat, set({ [weight!.id]: '100', [reps!.id]: '5' }), kg)).toEqual({
    values: { [weight!.id]: 100, [reps!.id]: 5 },
    problems: {},
  })
  expect(readSet(squat, set({ [weight!.id]: '1000000000000', [reps!.id]: '1000000000' }), kg).problems).toEqual({
    [`s1.${weight!.id}`]: 'Weight must be at most 1,000 kg',
    [`s1.${reps!.id}`]: 'Reps must be at most 1,000',
  })
  expect(readSet(squat, set({ [weight!.id]: '3000' }), { massUnit: 'lb', distanceUnit: 'km' }).problems).toEqual({
    [`s1.${weight!.id}`]: 'Weight must be at most 2,204.6 lb',
  })
  for (const text of ['0x50', '1e12', 'Infinity', 'abc']) {
    expect(readSet(squat, set({ [weight!.id]: text }), kg).problems).toEqual({
      [`s1.${weight!.id}`]: 'Weight must be a number, such as 82.5',
    })
  }
  expect(readSet(squat, set({}), kg).problems).toEqual({ [`s1.${weight!.id}`]: EMPTY_SET })
})
