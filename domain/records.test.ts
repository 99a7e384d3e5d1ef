import { describe, expect, it } from 'vitest'
import { estimatedOneRepMax, personalRecords, type RecordAttribute, type RecordEntry } from './records'

const day = (d: number) => new Date(Date.UTC(2026, 0, d))
const entry = (id: string, d: number, values: Record<string, number>): RecordEntry => ({
  entryId: id,
  performedAt: day(d),
  values: new Map(Object.entries(values)),
})
const summary = (records: ReturnType<typeof personalRecords>) => records.map((r) => [r.label, Math.round(r.value * 1000) / 1000, r.entryId])

describe('personal records', () => {
  const lift: RecordAttribute[] = [
    { id: 'w', name: 'Weight', type: 'mass' },
    { id: 'r', name: 'Reps', type: 'integer' },
  ]

  it('a lift: heaviest weight, most reps, estimated one-rep max and heaviest set, each from its own entry', () => {
    const records = personalRecords(lift, [
      entry('a', 1, { w: 100, r: 1 }),
      entry('b', 2, { w: 80, r: 10 }),
      entry('c', 3, { w: 60, r: 20 }),
    ])
    expect(summary(records)).toEqual([
      ['Heaviest Weight', 100, 'a'],
      ['Most Reps', 20, 'c'],
      ['Estimated one-rep max', 106.667, 'b'],
      ['Heaviest set (weight × reps)', 1200, 'c'],
    ])
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
