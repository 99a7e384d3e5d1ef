import { describe, expect, it } from 'vitest'
import { localDay, pointsInRange, progressMetrics, sessionPoints, type ProgressEntry } from './progress'
import type { RecordAttribute } from './records'
import type { SetType } from './set-types'

const lift: RecordAttribute[] = [
  { id: 'w', name: 'Weight', type: 'mass' },
  { id: 'r', name: 'Reps', type: 'integer' },
]
const run: RecordAttribute[] = [
  { id: 'd', name: 'Distance', type: 'distance' },
  { id: 't', name: 'Time', type: 'duration' },
]
const plank: RecordAttribute[] = [{ id: 't', name: 'Time', type: 'duration' }]

/** Local noon of a January day, plus `minutes`: far from midnight in any zone the tests run in. */
const at = (day: number, minutes = 0) => new Date(2026, 0, day, 12, minutes)
const set = (id: string, sessionId: string | null, when: Date, values: Record<string, number>, setType?: SetType): ProgressEntry => ({
  entryId: id,
  sessionId,
  performedAt: when,
  values: new Map(Object.entries(values)),
  ...(setType ? { setType } : {}),
})
const metric = (attributes: RecordAttribute[], id: string) => progressMetrics(attributes).find((m) => m.id === id)!
const points = (entries: ProgressEntry[], attributes: RecordAttribute[], id: string) =>
  sessionPoints(entries, metric(attributes, id)).map((p) => [p.session, Math.round(p.value * 100) / 100, p.sets])

describe('the metrics an activity offers', () => {
  it('a lift: top set, estimated one-rep max, volume, then most reps', () => {
    expect(progressMetrics(lift).map((m) => [m.id, m.label])).toEqual([
      ['max:w', 'Top set (weight)'],
      ['oneRepMax', 'Estimated 1RM'],
      ['volume', 'Volume (weight × reps)'],
      ['max:r', 'Most reps'],
    ])
  })

  it('a timed distance: the pace (lower is better) and the longest of each; a time alone: its shortest and its longest', () => {
    expect(progressMetrics(run).map((m) => [m.id, m.lowerIsBetter])).toEqual([
      ['pace', true],
      ['max:d', false],
      ['max:t', false],
    ])
    expect(progressMetrics(plank).map((m) => m.id)).toEqual(['min:t', 'max:t'])
    expect(progressMetrics([{ id: 'n', name: 'Notes', type: 'text' }])).toEqual([])
  })
})

describe('one point per session', () => {
  const entries = [
    // A workout: a warm-up and three working sets.
    set('w1', 'workout-1', at(5), { w: 140, r: 1 }, 'warmup'),
    set('s1', 'workout-1', at(5, 5), { w: 100, r: 5 }),
    set('s2', 'workout-1', at(5, 10), { w: 105, r: 3 }),
    set('s3', 'workout-1', at(5, 15), { w: 80, r: 10 }, 'drop'),
    // Two sets logged alone on one day, and one the next day.
    set('a1', null, at(7), { w: 110, r: 2 }),
    set('a2', null, at(7, 30), { w: 90, r: 8 }),
    set('a3', null, at(8), { w: 112.5, r: 1 }),
  ]

  it('top set: the heaviest working set of each workout or day; the warm-up’s 140 kg is left out', () => {
    expect(points(entries, lift, 'max:w')).toEqual([
      ['workout-1', 105, 3],
      [`day:${localDay(at(7))}`, 110, 2],
      [`day:${localDay(at(8))}`, 112.5, 1],
    ])
  })

  it('estimated one-rep max: the best of the session’s sets', () => {
    // Epley: 100 × 5 is 116.67, 105 × 3 115.5, 80 × 10 106.67; 110 × 2 is 117.33, 90 × 8 114.
    expect(points(entries, lift, 'oneRepMax')).toEqual([
      ['workout-1', 116.67, 3],
      [`day:${localDay(at(7))}`, 117.33, 2],
      [`day:${localDay(at(8))}`, 112.5, 1],
    ])
  })

  it('volume: weight × reps summed over the session’s working sets', () => {
    expect(points(entries, lift, 'volume')).toEqual([
      ['workout-1', 500 + 315 + 800, 3],
      [`day:${localDay(at(7))}`, 220 + 720, 2],
      [`day:${localDay(at(8))}`, 112.5, 1],
    ])
  })

  it('a session is dated at its earliest working set, and sessions come oldest first whatever the input order', () => {
    const found = sessionPoints([...entries].reverse(), metric(lift, 'max:w'))
    expect(found.map((p) => p.performedAt)).toEqual([at(5, 5), at(7), at(8)])
  })

  it('pace: the fastest of the session; a set missing a value gives none, and a session of only such sets no point', () => {
    const runs = [
      set('r1', 'w1', at(3), { d: 5000, t: 1500 }),
      set('r2', 'w1', at(3, 40), { d: 1000, t: 240 }),
      set('r3', 'w2', at(4), { d: 5000 }),
    ]
    expect(points(runs, run, 'pace')).toEqual([['w1', 0.24, 2]])
  })

  it('a timed effort without a distance: the shortest time is the best', () => {
    const climbs = [set('c1', null, at(3), { t: 300 }), set('c2', null, at(3, 20), { t: 280 })]
    expect(points(climbs, plank, 'min:t')).toEqual([[`day:${localDay(at(3))}`, 280, 2]])
  })
})

describe('ranges', () => {
  const now = new Date(2026, 6, 15, 12)
  const sessions = [new Date(2025, 0, 1), new Date(2026, 0, 20), new Date(2026, 4, 1), new Date(2026, 6, 1)].map((d, i) => ({
    session: String(i),
    performedAt: d,
    value: i,
    sets: 1,
  }))
  it('count back in calendar months from now; all time keeps everything', () => {
    expect(pointsInRange(sessions, '1M', now).map((p) => p.session)).toEqual(['3'])
    expect(pointsInRange(sessions, '3M', now).map((p) => p.session)).toEqual(['2', '3'])
    expect(pointsInRange(sessions, '1Y', now).map((p) => p.session)).toEqual(['1', '2', '3'])
    expect(pointsInRange(sessions, 'All', now).map((p) => p.session)).toEqual(['0', '1', '2', '3'])
  })
})
