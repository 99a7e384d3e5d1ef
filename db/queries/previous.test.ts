/**
 * "Previous" per exercise and per set (db/queries/previous.ts), the history records are measured
 * against (recordHistories), and warm-ups left out of progress series, on the device's schema
 * (where the workout page reads them) and the server's. Each test logs workouts through the
 * mutations, as a person would, and asserts on what the page would show.
 */
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { loadEntryTree, previousStructurallyEqualEntry, recordHistories, templateTree } from '@/db/queries/entries'
import { attributeSeries, history } from '@/db/queries/local'
import { testPglite } from '@/db/testing/pglite'
import { structurallyEqual } from '@/domain/equality'
import { newId } from '@/domain/ids'
import type { EntryInput } from '@/domain/mutators/entries'
import { personalRecords, workoutSummary } from '@/domain/records'
import type { SetType } from '@/domain/set-types'
import { createActivity, strengthActivity, world, type World } from '@/domain/testing/world'
import { matchPrevious, previousForWorkout, type WorkoutPrevious } from './previous'

type Lift = ReturnType<typeof strengthActivity>
type User = { id: string; libraryId: string }

describe.each(['device', 'server'] as const)('previous on the %s schema', (kind) => {
  let w: World
  let ann: User
  let squat: Lift
  let bench: Lift
  beforeEach(async () => {
    w = world({ ...(await testPglite(kind)), runtime: kind })
    ann = await w.user('Ann')
    squat = strengthActivity(ann.libraryId, 'Squat')
    bench = strengthActivity(ann.libraryId, 'Bench')
    await w.ok(ann.id, 'createActivity', squat.args)
    await w.ok(ann.id, 'createActivity', bench.args)
  })
  afterEach(() => w.close())

  const set = (lift: Lift, weight: number, reps: number, setType?: SetType): EntryInput => ({
    id: newId(),
    activityId: lift.ids.id,
    values: { [lift.ids.weight]: weight, [lift.ids.reps]: reps },
    ...(setType ? { setType } : {}),
  })
  const log = async (activityId: string, performedAt: string, children: EntryInput[]) => {
    const id = newId()
    await w.ok(ann.id, 'logEntry', { entry: { id, activityId, performedAt, children } })
    return id
  }
  /** What the "previous" column shows for an exercise: weight × reps (and the type letter) per set. */
  const shown = (previous: WorkoutPrevious, lift: Lift) =>
    previous.exercises.get(lift.ids.id)!.sets.map((s) => {
      const text = `${s.values.get(0)?.num}×${s.values.get(1)?.num}`
      return s.setType === 'normal' ? text : `${s.setType} ${text}`
    })
  const now = new Date('2026-12-01T00:00:00Z')

  test('a set skipped and one added last time: every set still has its previous, by position, and nothing says the template changed', async () => {
    const day = await createActivity(w, ann, {
      name: 'Day',
      kind: 'sequence',
      items: [
        { id: newId(), childId: squat.ids.id, repeat: 3 },
        { id: newId(), childId: bench.ids.id, repeat: 3 },
      ],
    })
    const first = await log(day, '2026-11-01T08:00:00Z', [
      set(squat, 90, 5),
      set(squat, 90, 5),
      set(squat, 90, 5),
      set(bench, 60, 8),
      set(bench, 60, 8),
      set(bench, 60, 8),
    ])
    // Last time: the third squat set skipped, a fourth bench set added (a drop set).
    const last = await log(day, '2026-11-08T08:00:00Z', [
      set(squat, 100, 5),
      set(squat, 100, 4),
      set(bench, 65, 8),
      set(bench, 65, 7),
      set(bench, 65, 6),
      set(bench, 50, 10, 'drop'),
    ])
    // The lookup the page used until now skips the last workout (its shape differs) for an
    // older one of the template's shape.
    expect(await previousStructurallyEqualEntry(w.db, ann.id, (await templateTree(w.db, day))!, now)).toMatchObject({ id: first })

    const previous = await previousForWorkout(w.db, ann.id, day, now)
    expect(previous.lastWorkout).toEqual({ entryId: last, performedAt: new Date('2026-11-08T08:00:00Z') })
    expect([...previous.exercises.keys()]).toEqual([squat.ids.id, bench.ids.id])
    expect(shown(previous, squat)).toEqual(['100×5', '100×4'])
    expect(shown(previous, bench)).toEqual(['65×8', '65×7', '65×6', 'drop 50×10'])
    expect(previous.exercises.get(squat.ids.id)).toMatchObject({
      inLastWorkout: true,
      source: 'lastWorkout',
      performedAt: new Date('2026-11-08T08:00:00Z'),
    })
  })

  test('an exercise not in the last workout says so, and falls back to the last time it was done at all (or to nothing)', async () => {
    const deadlift = strengthActivity(ann.libraryId, 'Deadlift')
    const row = strengthActivity(ann.libraryId, 'Row')
    await w.ok(ann.id, 'createActivity', deadlift.args)
    await w.ok(ann.id, 'createActivity', row.args)
    const day = await createActivity(w, ann, { name: 'Day', kind: 'sequence', items: [{ id: newId(), childId: squat.ids.id, repeat: 2 }] })
    const pulls = await createActivity(w, ann, {
      name: 'Pull day',
      kind: 'sequence',
      items: [{ id: newId(), childId: deadlift.ids.id, repeat: 2 }],
    })
    await log(pulls, '2026-10-20T08:00:00Z', [set(deadlift, 140, 5), set(deadlift, 150, 3)])
    await log(day, '2026-11-08T08:00:00Z', [set(squat, 100, 5), set(squat, 100, 5)])
    await w.ok(ann.id, 'addTemplateItem', { activityId: day, item: { id: newId(), childId: deadlift.ids.id, repeat: 2 } })
    await w.ok(ann.id, 'addTemplateItem', { activityId: day, item: { id: newId(), childId: row.ids.id, repeat: 3 } })

    const previous = await previousForWorkout(w.db, ann.id, day, now)
    expect(shown(previous, squat)).toEqual(['100×5', '100×5'])
    expect(previous.exercises.get(deadlift.ids.id)).toMatchObject({
      inLastWorkout: false,
      source: 'lastTime',
      performedAt: new Date('2026-10-20T08:00:00Z'),
    })
    expect(shown(previous, deadlift)).toEqual(['140×5', '150×3'])
    expect(previous.exercises.get(row.ids.id)).toEqual({
      activityId: row.ids.id,
      inLastWorkout: false,
      source: 'none',
      performedAt: null,
      sets: [],
    })
    const strict = await previousForWorkout(w.db, ann.id, day, now, { fallback: false })
    expect(strict.exercises.get(deadlift.ids.id)).toMatchObject({ inLastWorkout: false, source: 'none', sets: [] })
    // Logged on its own, an exercise's last time is that one entry.
    await w.ok(ann.id, 'logEntry', { entry: { ...set(row, 70, 10), performedAt: '2026-11-10T08:00:00Z' } })
    expect(shown(await previousForWorkout(w.db, ann.id, day, now), row)).toEqual(['70×10'])
  })

  test('never done: no last workout, and every exercise is none', async () => {
    const day = await createActivity(w, ann, { name: 'Day', kind: 'sequence', items: [{ id: newId(), childId: squat.ids.id, repeat: 2 }] })
    const previous = await previousForWorkout(w.db, ann.id, day, now)
    expect(previous.lastWorkout).toBeNull()
    expect(previous.exercises.get(squat.ids.id)).toMatchObject({ inLastWorkout: false, source: 'none', sets: [] })
    // Entries after `before` are not "previous".
    await log(day, '2026-12-05T08:00:00Z', [set(squat, 100, 5)])
    expect((await previousForWorkout(w.db, ann.id, day, now)).lastWorkout).toBeNull()
  })

  test('a copy of the workout and its exercises finds what was logged against the originals; values by ordinal, choices by option ordinal', async () => {
    const day = await createActivity(w, ann, { name: 'Day', kind: 'sequence', items: [{ id: newId(), childId: squat.ids.id, repeat: 1 }] })
    await log(day, '2026-11-08T08:00:00Z', [
      { ...set(squat, 100, 5), values: { [squat.ids.weight]: 100, [squat.ids.reps]: 5, [squat.ids.grip]: squat.ids.narrow } },
    ])
    const copy = newId()
    await w.ok(ann.id, 'addActivityToLibrary', { id: copy, sourceActivityId: day, libraryId: ann.libraryId })
    const copied = (await templateTree(w.db, copy))!.children[0]!
    expect(copied.activityId).not.toBe(squat.ids.id)
    const previous = await previousForWorkout(w.db, ann.id, copy, now)
    const sets = previous.exercises.get(copied.activityId)!.sets
    expect(sets).toHaveLength(1)
    expect(sets[0]!.values.get(0)).toMatchObject({ num: 100, ordinal: 0 })
    expect(sets[0]!.values.get(2)).toMatchObject({ optionId: squat.ids.narrow, optionOrdinal: 1 })
  })

  test('warm-ups are matched to warm-ups and work sets to work sets, by position', async () => {
    const day = await createActivity(w, ann, { name: 'Day', kind: 'sequence', items: [{ id: newId(), childId: squat.ids.id, repeat: 3 }] })
    await log(day, '2026-11-08T08:00:00Z', [
      set(squat, 20, 10, 'warmup'),
      set(squat, 60, 5, 'warmup'),
      set(squat, 100, 5),
      set(squat, 100, 5),
      set(squat, 100, 3, 'failure'),
    ])
    const sets = (await previousForWorkout(w.db, ann.id, day, now)).exercises.get(squat.ids.id)!.sets
    // This time: one warm-up, three work sets and an extra one.
    const matched = matchPrevious(sets, ['warmup', 'normal', 'normal', 'normal', 'normal'])
    expect(matched.map((s) => (s ? `${s.values.get(0)?.num}×${s.values.get(1)?.num}` : null))).toEqual([
      '20×10',
      '100×5',
      '100×5',
      '100×3',
      null,
    ])
  })

  test('[supersets] a block is a node like any other: workout → block → sets logs, equals its template, shows in history, and previous finds each exercise inside it', async () => {
    const block = await createActivity(w, ann, {
      name: 'Superset',
      kind: 'sequence',
      items: [
        { id: newId(), childId: squat.ids.id, repeat: 1 },
        { id: newId(), childId: bench.ids.id, repeat: 1 },
      ],
    })
    const day = await createActivity(w, ann, { name: 'Circuit day', kind: 'sequence', items: [{ id: newId(), childId: block, repeat: 3 }] })
    const round = (i: number, setType?: SetType): EntryInput => ({
      id: newId(),
      activityId: block,
      children: [set(squat, 100 + i, 5, setType), set(bench, 60 + i, 8)],
    })
    const rounds = [round(0, 'warmup'), round(1), round(2)]
    const root = await log(day, '2026-11-08T08:00:00Z', rounds)

    const template = (await templateTree(w.db, day))!
    const tree = (await loadEntryTree(w.db, root))!
    expect(structurallyEqual(tree, template)).toBe(true)
    expect(await previousStructurallyEqualEntry(w.db, ann.id, template, now)).toMatchObject({ id: root })
    // One round fewer is a different structure, as one set fewer would be.
    const short = await log(day, '2026-11-09T08:00:00Z', [round(0), round(1)])
    expect(structurallyEqual((await loadEntryTree(w.db, short))!, template)).toBe(false)
    expect(await previousStructurallyEqualEntry(w.db, ann.id, template, now)).toMatchObject({ id: root })

    // Previous of the short workout: each exercise's sets from inside the blocks, in order.
    const previous = await previousForWorkout(w.db, ann.id, day, now)
    expect(previous.lastWorkout?.entryId).toBe(short)
    expect([...previous.exercises.keys()]).toEqual([squat.ids.id, bench.ids.id])
    expect(shown(previous, squat)).toEqual(['100×5', '101×5'])
    expect(shown(previous, bench)).toEqual(['60×8', '61×8'])
    const before = await previousForWorkout(w.db, ann.id, day, new Date('2026-11-09T00:00:00Z'))
    expect(shown(before, squat)).toEqual(['warmup 100×5', '101×5', '102×5'])

    // History holds the blocks with their sets.
    const { roots, children } = await history(w.db, ann.id)
    const full = roots.find((r) => r.id === root)!
    const blocks = children.get(full.id)!
    expect(blocks.map((b) => b.activityName)).toEqual(['Superset', 'Superset', 'Superset'])
    expect(blocks.map((b) => children.get(b.id)!.map((c) => c.activityName))).toEqual([
      ['Squat', 'Bench'],
      ['Squat', 'Bench'],
      ['Squat', 'Bench'],
    ])
    // Records are measured over the sets inside the blocks: the heaviest squat is round 3's.
    const squatHistory = (await recordHistories(w.db, ann.id, [squat.ids.id])).get(squat.ids.id)!
    expect(squatHistory.map((e) => [e.values.get(squat.ids.weight), e.setType])).toEqual([
      [100, 'warmup'],
      [101, 'normal'],
      [102, 'normal'],
      [100, 'normal'],
      [101, 'normal'],
    ])
    const heaviest = personalRecords(squat.args.attributes, squatHistory).find((r) => r.label === 'Heaviest Weight')
    expect(heaviest).toMatchObject({ value: 102, entryId: rounds[2]!.children![0]!.id })
  })

  test('recordHistories: qualitatively equal entries keyed by this activity’s attributes, set types kept, before a time; progress series leave warm-ups out', async () => {
    const copy = newId()
    await w.ok(ann.id, 'addActivityToLibrary', { id: copy, sourceActivityId: squat.ids.id, libraryId: ann.libraryId })
    const day = await createActivity(w, ann, { name: 'Day', kind: 'sequence', items: [{ id: newId(), childId: squat.ids.id, repeat: 2 }] })
    await log(day, '2026-11-01T08:00:00Z', [set(squat, 60, 5, 'warmup'), set(squat, 100, 5)])
    await w.ok(ann.id, 'logEntry', { entry: { ...set(squat, 110, 2), performedAt: '2026-11-20T08:00:00Z' } })
    const copyInfo = (await templateTree(w.db, copy))!
    expect(copyInfo.originId).toBe(squat.ids.id)

    const histories = await recordHistories(w.db, ann.id, [copy, squat.ids.id], { before: new Date('2026-11-10T00:00:00Z') })
    const ofCopy = histories.get(copy)!
    expect(ofCopy.map((e) => e.setType)).toEqual(['warmup', 'normal'])
    // Keyed by the copy's own attribute ids.
    const copyWeight = (await w.db.query.attributes.findFirst({
      where: (a, { and, eq }) => and(eq(a.activityId, copy), eq(a.ordinal, 0)),
    }))!
    expect(ofCopy.map((e) => e.values.get(copyWeight.id))).toEqual([60, 100])
    expect(histories.get(squat.ids.id)!.map((e) => e.values.get(squat.ids.weight))).toEqual([60, 100])
    expect((await recordHistories(w.db, ann.id, [squat.ids.id])).get(squat.ids.id)).toHaveLength(3)
    expect(await recordHistories(w.db, ann.id, [])).toEqual(new Map())

    // The progress page's series: the warm-up is not a point (nor, so, a record).
    expect((await attributeSeries(w.db, ann.id, squat.ids.id, 0)).map((p) => p.value)).toEqual([100, 110])

    // The finish summary over what the queries give: 110 × 2 beats the heaviest weight (100) and
    // the estimated one-rep max of 100 × 5 (116.7); the 60 kg warm-up is nothing to beat.
    const summary = workoutSummary({
      startedAt: new Date('2026-11-20T07:30:00Z'),
      finishedAt: new Date('2026-11-20T08:00:00Z'),
      sets: [
        {
          entryId: 'now',
          activityId: squat.ids.id,
          performedAt: new Date('2026-11-20T08:00:00Z'),
          values: new Map([
            [squat.ids.weight, 110],
            [squat.ids.reps, 2],
          ]),
        },
      ],
      exercises: [{ activityId: squat.ids.id, attributes: squat.args.attributes, history: histories.get(squat.ids.id)! }],
    })
    expect(summary).toMatchObject({ durationS: 1800, volumeKg: 220, sets: 1 })
    expect(summary.records.map((r) => [r.label, Math.round(r.value * 10) / 10, Math.round(r.previous * 10) / 10])).toEqual([
      ['Heaviest Weight', 110, 100],
      ['Estimated one-rep max', 117.3, 116.7],
    ])
  })
})
