import { describe, expect, it } from 'vitest'
import {
  estimatedOneRepMax,
  formatRecord,
  personalRecords,
  setRecords,
  setVolume,
  workoutSummary,
  type RecordAttribute,
  type RecordEntry,
  type SummarySet,
  withServerRecords,
} from './records'
import type { SetType } from './set-types'

const day = (d: number) => new Date(Date.UTC(2026, 0, d))
const entry = (id: string, d: number, values: Record<string, number>, setType?: SetType): RecordEntry => ({
  entryId: id,
  performedAt: day(d),
  values: new Map(Object.entries(values)),
  ...(setType ? { setType } : {}),
})
const summary = (records: ReturnType<typeof personalRecords>) => records.map((r) => [r.label, Math.round(r.value * 1000) / 1000, r.entryId])

describe('personal records', () => {
  const lift: RecordAttribute[] = [
    { id: 'w', name: 'Weight', type: 'mass' },
    { id: 'r', name: 'Reps', type: 'integer' },
  ]

  it('a lift: heaviest weight, most reps, estimated one-rep max and best set volume, each from its own entry', () => {
    const records = personalRecords(lift, [
      entry('a', 1, { w: 100, r: 1 }),
      entry('b', 2, { w: 80, r: 10 }),
      entry('c', 3, { w: 60, r: 20 }),
    ])
    expect(summary(records)).toEqual([
      ['Heaviest Weight', 100, 'a'],
      ['Most Reps', 20, 'c'],
      ['Estimated one-rep max', 106.667, 'b'],
      ['Best set volume (weight × reps)', 1200, 'c'],
    ])
  })

  it('an RPE is how hard a set felt, not a record; another number attribute is', () => {
    const withRpe: RecordAttribute[] = [...lift, { id: 'e', name: 'RPE', type: 'number' }, { id: 'h', name: 'Height', type: 'number' }]
    const records = personalRecords(withRpe, [entry('a', 1, { w: 100, r: 5, e: 9.5, h: 40 })])
    expect(records.map((r) => r.label)).not.toContain('Highest RPE')
    expect(records.map((r) => r.label)).toContain('Highest Height')
  })

  it('a tie goes to the entry that set it first, whatever order the entries come in', () => {
    const records = personalRecords(lift, [entry('later', 5, { w: 100, r: 5 }), entry('first', 1, { w: 100, r: 5 })])
    expect(records.every((r) => r.entryId === 'first')).toBe(true)
  })

  it('a run: the longest distance and time, and the fastest pace; the shortest time of runs of different lengths is not a record', () => {
    const run: RecordAttribute[] = [
      { id: 'd', name: 'Distance', type: 'distance' },
      { id: 't', name: 'Time', type: 'duration' },
    ]
    const records = personalRecords(run, [
      entry('easy', 1, { d: 10_000, t: 3600 }),
      entry('fast', 2, { d: 5000, t: 1350 }),
      entry('short', 3, { d: 1000, t: 330 }),
    ])
    expect(summary(records)).toEqual([
      ['Longest Distance', 10_000, 'easy'],
      ['Longest Time', 3600, 'easy'],
      ['Fastest pace', 0.27, 'fast'],
    ])
  })

  it('a time on its own: both the longest and the shortest are records (a plank, a timed 5 km)', () => {
    const plank: RecordAttribute[] = [{ id: 't', name: 'Time', type: 'duration' }]
    expect(summary(personalRecords(plank, [entry('a', 1, { t: 90 }), entry('b', 2, { t: 120 }), entry('c', 3, { t: 60 })]))).toEqual([
      ['Longest Time', 120, 'b'],
      ['Shortest Time', 60, 'c'],
    ])
  })

  it('missing, zero and non-numeric attributes make no record; nothing logged makes none at all', () => {
    const attrs: RecordAttribute[] = [...lift, { id: 'n', name: 'Notes', type: 'text' }, { id: 'x', name: 'Felt good', type: 'boolean' }]
    expect(personalRecords(attrs, [])).toEqual([])
    expect(summary(personalRecords(attrs, [entry('a', 1, { w: 0, r: 5 }), entry('b', 2, { r: 3 })]))).toEqual([['Most Reps', 5, 'a']])
  })

  it('the one-rep max of a single is the weight itself, and nothing for no reps', () => {
    expect(estimatedOneRepMax(140, 1)).toBe(140)
    expect(estimatedOneRepMax(100, 0)).toBe(0)
    expect(estimatedOneRepMax(100, 5)).toBeCloseTo(116.667, 3)
  })
})

describe('warm-ups', () => {
  const lift: RecordAttribute[] = [
    { id: 'w', name: 'Weight', type: 'mass' },
    { id: 'r', name: 'Reps', type: 'integer' },
  ]

  it('a warm-up is no record, however many reps; drop and failure sets are', () => {
    const records = personalRecords(lift, [
      entry('warm', 1, { w: 20, r: 30 }, 'warmup'),
      entry('work', 1, { w: 100, r: 5 }),
      entry('drop', 1, { w: 70, r: 12 }, 'drop'),
      entry('fail', 1, { w: 100, r: 6 }, 'failure'),
    ])
    expect(summary(records)).toEqual([
      ['Heaviest Weight', 100, 'work'],
      ['Most Reps', 12, 'drop'],
      ['Estimated one-rep max', 120, 'fail'],
      ['Best set volume (weight × reps)', 840, 'drop'],
    ])
    expect(personalRecords(lift, [entry('warm', 1, { w: 200, r: 1 }, 'warmup')])).toEqual([])
  })

  it('a set’s volume is weight × reps, and nothing for a warm-up or a set missing either', () => {
    expect(setVolume(lift, entry('a', 1, { w: 100, r: 5 }))).toBe(500)
    expect(setVolume(lift, entry('a', 1, { w: 100, r: 5 }, 'drop'))).toBe(500)
    expect(setVolume(lift, entry('a', 1, { w: 100, r: 5 }, 'warmup'))).toBe(0)
    expect(setVolume(lift, entry('a', 1, { r: 5 }))).toBe(0)
    expect(setVolume([{ id: 't', name: 'Time', type: 'duration' }], entry('a', 1, { t: 60 }))).toBe(0)
  })
})

describe('the finish summary', () => {
  const squat: RecordAttribute[] = [
    { id: 'sw', name: 'Weight', type: 'mass' },
    { id: 'sr', name: 'Reps', type: 'integer' },
  ]
  const plank: RecordAttribute[] = [{ id: 'pt', name: 'Time', type: 'duration' }]
  const set = (id: string, activityId: string, values: Record<string, number>, setType?: SetType): SummarySet => ({
    ...entry(id, 10, values, setType),
    activityId,
  })
  const sets = [
    set('w1', 'squat', { sw: 20, sr: 10 }, 'warmup'),
    set('w2', 'squat', { sw: 60, sr: 5 }, 'warmup'),
    set('s1', 'squat', { sw: 100, sr: 5 }),
    set('s2', 'squat', { sw: 105, sr: 3 }),
    set('s3', 'squat', { sw: 105, sr: 3 }),
    set('p1', 'plank', { pt: 75 }),
  ]
  const history = [
    entry('old1', 1, { sw: 100, sr: 5 }),
    entry('old2', 3, { sw: 102.5, sr: 3 }),
    entry('oldWarm', 3, { sw: 200, sr: 1 }, 'warmup'),
  ]

  it('duration, volume without warm-ups, sets, and each record broken with the set that broke it and the record it beat', () => {
    const result = workoutSummary({
      startedAt: new Date('2026-01-10T08:00:00Z'),
      finishedAt: new Date('2026-01-10T09:02:30Z'),
      sets,
      exercises: [
        { activityId: 'squat', attributes: squat, history },
        { activityId: 'plank', attributes: plank, history: [entry('oldPlank', 2, { pt: 60 })] },
      ],
    })
    expect(result).toMatchObject({ durationS: 3750, volumeKg: 500 + 315 + 315, sets: 6, workingSets: 4 })
    expect(result.exercises).toEqual([
      { activityId: 'squat', sets: 5, workingSets: 3, volumeKg: 1130 },
      { activityId: 'plank', sets: 1, workingSets: 1, volumeKg: 0 },
    ])
    // Heaviest weight: 105 beats 102.5, and s2 holds it (s3 only equals it); the warm-up's 200 kg
    // in history is nothing to beat. Reps (5) and the best set volume (500) only equal the old
    // bests; the one-rep max of 105 × 3 (115.5) stays below that of 100 × 5 (116.7).
    expect(result.records.map((r) => [r.activityId, r.label, r.value, r.entryId, r.previous, r.previousEntryId])).toEqual([
      ['squat', 'Heaviest Weight', 105, 's2', 102.5, 'old2'],
      ['plank', 'Longest Time', 75, 'p1', 60, 'oldPlank'],
    ])
  })

  it('a first workout breaks no records; history that holds this workout’s own sets is ignored', () => {
    const first = workoutSummary({
      startedAt: day(10),
      finishedAt: day(10),
      sets,
      exercises: [{ activityId: 'squat', attributes: squat, history: [] }],
    })
    expect(first.records).toEqual([])
    expect(first.durationS).toBe(0)
    const readAfterSaving = workoutSummary({
      startedAt: day(10),
      finishedAt: day(10),
      sets,
      exercises: [{ activityId: 'squat', attributes: squat, history: [...history, ...sets] }],
    })
    expect(readAfterSaving.records.map((r) => r.entryId)).toEqual(['s2'])
  })

  it('a shorter time is a record only where the shortest is one; a slower pace is none', () => {
    const run: RecordAttribute[] = [
      { id: 'd', name: 'Distance', type: 'distance' },
      { id: 't', name: 'Time', type: 'duration' },
    ]
    const result = workoutSummary({
      startedAt: day(10),
      finishedAt: day(10),
      sets: [set('r', 'run', { d: 5000, t: 1300 })],
      exercises: [{ activityId: 'run', attributes: run, history: [entry('old', 1, { d: 5000, t: 1350 })] }],
    })
    expect(result.records.map((r) => [r.label, r.value])).toEqual([['Fastest pace', 0.26]])
  })
})

describe('a set as it is ticked', () => {
  const lift: RecordAttribute[] = [
    { id: 'w', name: 'Weight', type: 'mass' },
    { id: 'r', name: 'Reps', type: 'integer' },
  ]
  const before = [entry('old', 1, { w: 100, r: 5 }), entry('oldWarm', 2, { w: 150, r: 1 }, 'warmup')]
  const records = (set: RecordEntry, history = before) =>
    setRecords(lift, history, set).map((r) => [r.label, Math.round(r.value * 10) / 10, Math.round(r.previous * 10) / 10])

  it('breaks each record it beats strictly, with the value it beat; the warm-up in history is nothing to beat', () => {
    // 110 × 3: heavier, and a higher one-rep max (121 against 116.7), but fewer reps and less volume.
    expect(records(entry('s', 10, { w: 110, r: 3 }))).toEqual([
      ['Heaviest Weight', 110, 100],
      ['Estimated one-rep max', 121, 116.7],
    ])
    expect(records(entry('s', 10, { w: 105, r: 6 }))).toEqual([
      ['Heaviest Weight', 105, 100],
      ['Most Reps', 6, 5],
      ['Estimated one-rep max', 126, 116.7],
      ['Best set volume (weight × reps)', 630, 500],
    ])
    expect(records(entry('s', 10, { w: 100, r: 5 }))).toEqual([])
  })

  it('a warm-up breaks nothing, and a first set of its kind beats nothing', () => {
    expect(records(entry('s', 10, { w: 200, r: 5 }, 'warmup'))).toEqual([])
    expect(records(entry('s', 10, { w: 200, r: 5 }), [])).toEqual([])
  })
})

describe('a record for people', () => {
  it('in the user’s units, volume in kg or lb, pace per km or mile', () => {
    const kg = { massUnit: 'kg', distanceUnit: 'km' } as const
    const lb = { massUnit: 'lb', distanceUnit: 'mi' } as const
    expect(formatRecord({ type: 'volume', value: 500 }, kg)).toBe('500 kg')
    expect(formatRecord({ type: 'volume', value: 453.59237 }, lb)).toBe('1000 lb')
    expect(formatRecord({ type: 'mass', value: 116.666 }, kg)).toBe('116.67 kg')
    expect(formatRecord({ type: 'pace', value: 0.26 }, kg)).toBe('4:20 /km')
  })
})

describe('[W7] records of a device that holds only recent history', () => {
  const lift: RecordAttribute[] = [
    { id: 'w', name: 'Weight', type: 'mass' },
    { id: 'r', name: 'Reps', type: 'integer' },
  ]
  const whole = [entry('old', 1, { w: 140, r: 3 }), entry('mid', 10, { w: 100, r: 12 }), entry('new', 20, { w: 110, r: 5 })]
  const server = { records: personalRecords(lift, whole), heldFrom: day(15) }
  const held = whole.filter((e) => e.performedAt >= server.heldFrom)

  it('shows the whole history’s records: the server’s before its history begins, its own after', () => {
    expect(summary(withServerRecords(personalRecords(lift, held), server))).toEqual(summary(personalRecords(lift, whole)))
    // Without the server's, the device would call its own best the record.
    expect(summary(personalRecords(lift, held))[0]).toEqual(['Heaviest Weight', 110, 'new'])
  })

  it('ignores the server’s records set inside the device’s history (it computes those itself, pending writes included)', () => {
    const stale = { records: personalRecords(lift, [...whole, entry('gone', 18, { w: 200, r: 1 })]), heldFrom: day(15) }
    // The server's heaviest is a set the device has since deleted, inside its history: not shown.
    expect(summary(withServerRecords(personalRecords(lift, held), stale))[0]).toEqual(['Heaviest Weight', 110, 'new'])
  })

  it('a tie goes to the earlier record; a lower-is-better record takes the lower', () => {
    const tied = personalRecords(lift, [entry('late', 16, { w: 140, r: 3 })])
    expect(summary(withServerRecords(tied, server))[0]).toEqual(['Heaviest Weight', 140, 'old'])
    const run: RecordAttribute[] = [
      { id: 'd', name: 'Distance', type: 'distance' },
      { id: 't', name: 'Time', type: 'duration' },
    ]
    const fast = { records: personalRecords(run, [entry('pb', 1, { d: 5000, t: 1200 })]), heldFrom: day(15) }
    const mine = personalRecords(run, [entry('slow', 16, { d: 5000, t: 1500 })])
    expect(withServerRecords(mine, fast).find((r) => r.kind === 'pace')?.entryId).toBe('pb')
  })

  it('a set that beats only the device’s history is no record', () => {
    expect(setRecords(lift, held, entry('set', 21, { w: 120, r: 3 }))).not.toEqual([])
    expect(setRecords(lift, held, entry('set', 21, { w: 120, r: 3 }), server).map((r) => r.key)).not.toContain('most:w')
    expect(setRecords(lift, held, entry('set', 21, { w: 150, r: 3 }), server).map((r) => r.key)).toContain('most:w')
  })
})
