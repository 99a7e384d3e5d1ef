/**
 * Importers' name matching, as tables of names the way other apps write them (Strong, Hevy,
 * FitNotes, StrongLifts) and the catalogue slug each must reach, with its confidence; then names
 * that must reach nothing, because a wrong exercise is worse than the file's own name.
 */
import { describe, expect, test } from 'vitest'
import { catalogueExercises, catalogueName } from './exercises'
import { matchExerciseName, normalizeName } from './match'

type Row = [name: string, slug: string, confidence: 'exact' | 'likely']

const match = (name: string, options?: Parameters<typeof matchExerciseName>[1]) => {
  const m = matchExerciseName(name, options)
  return m && [m.exercise.slug, m.confidence]
}

describe('names from other apps', () => {
  const strongAndHevy: Row[] = [
    ['Bench Press (Barbell)', 'bench-press-barbell', 'exact'],
    ['Bench Press (Dumbbell)', 'bench-press-dumbbell', 'exact'],
    ['Bench Press (Smith Machine)', 'bench-press-smith-machine', 'exact'],
    ['Incline Bench Press (Barbell)', 'incline-bench-press-barbell', 'exact'],
    ['Squat (Barbell)', 'squat-barbell', 'exact'],
    ['Front Squat (Barbell)', 'front-squat-barbell', 'exact'],
    ['Deadlift (Barbell)', 'deadlift-barbell', 'exact'],
    ['Deadlift (Trap Bar)', 'deadlift-trap-bar', 'exact'],
    ['Romanian Deadlift (Dumbbell)', 'romanian-deadlift-dumbbell', 'exact'],
    ['Overhead Press (Barbell)', 'overhead-press-barbell', 'exact'],
    ['Shoulder Press (Dumbbell)', 'overhead-press-dumbbell', 'exact'],
    ['Bent Over Row (Barbell)', 'bent-over-row-barbell', 'exact'],
    ['Lat Pulldown (Cable)', 'lat-pulldown-cable', 'exact'],
    ['Lat Pulldown (Machine)', 'lat-pulldown-machine', 'exact'],
    ['Seated Row (Cable)', 'seated-row-cable', 'exact'],
    ['Pull Up', 'pull-up', 'exact'],
    ['Chin Up', 'chin-up', 'exact'],
    ['Pull Up (Weighted)', 'weighted-pull-up', 'exact'],
    ['Pull Up (Band)', 'assisted-pull-up-band', 'exact'],
    ['Bicep Curl (Barbell)', 'biceps-curl-barbell', 'exact'],
    ['Bicep Curl (Dumbbell)', 'biceps-curl-dumbbell', 'exact'],
    ['Hammer Curl (Dumbbell)', 'hammer-curl-dumbbell', 'exact'],
    ['Lateral Raise (Dumbbell)', 'lateral-raise-dumbbell', 'exact'],
    ['Lateral Raise (Cable)', 'lateral-raise-cable', 'exact'],
    ['Face Pull (Cable)', 'face-pull-cable', 'exact'],
    ['Skullcrusher (Barbell)', 'lying-triceps-extension-barbell', 'exact'],
    ['Hip Thrust (Barbell)', 'hip-thrust-barbell', 'exact'],
    ['Leg Press', 'leg-press-machine', 'exact'],
    ['Leg Extension (Machine)', 'leg-extension-machine', 'exact'],
    ['Seated Leg Curl (Machine)', 'seated-leg-curl-machine', 'exact'],
    ['Calf Raise (Machine)', 'standing-calf-raise-machine', 'exact'],
    ['Chest Fly (Dumbbell)', 'chest-fly-dumbbell', 'exact'],
    ['Goblet Squat (Kettlebell)', 'goblet-squat-kettlebell', 'exact'],
    ['Kettlebell Swing', 'kettlebell-swing', 'exact'],
    ['Plank', 'plank', 'exact'],
    ['Crunch', 'crunch', 'exact'],
    ['Hanging Leg Raise', 'hanging-leg-raise', 'exact'],
    ['Push Up', 'push-up', 'exact'],
    ['Running', 'running', 'exact'],
    ['Cycling', 'cycling', 'exact'],
    ['Rowing (Machine)', 'rowing-machine', 'exact'],
    ['Elliptical Trainer', 'elliptical', 'exact'],
    ['Stair Climber', 'stair-climber', 'exact'],
    ['Jump Rope', 'jump-rope', 'exact'],
    // A grip or attachment detail does not change the exercise, but the match is then a guess.
    ['Triceps Pushdown (Cable - Straight Bar)', 'triceps-pushdown-cable', 'likely'],
    ['Seated Cable Row - V Grip (Cable)', 'seated-row-cable', 'likely'],
    ['Lat Pulldown (Neutral Grip) (Cable)', 'lat-pulldown-cable', 'likely'],
    ['Lat Pulldown (Wide Grip)', 'lat-pulldown-cable', 'exact'],
    ['Triceps Pushdown (Rope)', 'triceps-pushdown-cable', 'likely'],
    ['Rope Pushdown (Cable)', 'triceps-pushdown-cable', 'exact'],
    // A detail that makes another catalogue name is that exercise.
    ['Bench Press (Close Grip)', 'close-grip-bench-press-barbell', 'exact'],
    ['Running (Treadmill)', 'treadmill-running', 'exact'],
    ['Cycling (Indoor)', 'stationary-bike', 'exact'],
    // Assisted pull-ups are done on a machine or with a band: the default is a choice.
    ['Pull Up (Assisted)', 'assisted-pull-up-machine', 'likely'],
  ]
  test.each(strongAndHevy)('Strong / Hevy %s → %s (%s)', (name, slug, confidence) => {
    expect(match(name)).toEqual([slug, confidence])
  })

  const fitNotes: Row[] = [
    ['Flat Barbell Bench Press', 'bench-press-barbell', 'exact'],
    ['Flat Dumbbell Bench Press', 'bench-press-dumbbell', 'exact'],
    ['Incline Dumbbell Bench Press', 'incline-bench-press-dumbbell', 'exact'],
    ['Barbell Squat', 'squat-barbell', 'exact'],
    ['Seated Cable Row', 'seated-row-cable', 'exact'],
    ['Dumbbell Curl', 'biceps-curl-dumbbell', 'exact'],
    ['EZ-Bar Curl', 'biceps-curl-ez-bar', 'exact'],
    ['Cable Crossover', 'chest-fly-cable', 'exact'],
    ['Leg Extension Machine', 'leg-extension-machine', 'exact'],
    ['Seated Calf Raise Machine', 'seated-calf-raise-machine', 'exact'],
    ['Smith Machine Squat', 'squat-smith-machine', 'exact'],
    ['Hex Bar Deadlift', 'deadlift-trap-bar', 'exact'],
    ['Dumbbell Row', 'one-arm-row-dumbbell', 'exact'],
    ['Rowing Machine', 'rowing-machine', 'exact'],
  ]
  test.each(fitNotes)('FitNotes %s → %s (%s)', (name, slug, confidence) => {
    expect(match(name)).toEqual([slug, confidence])
  })

  // StrongLifts names no equipment: the name's default (the barbell) is picked, as a guess,
  // unless the importer says the file is all barbell work.
  const strongLifts: Row[] = [
    ['Squat', 'squat-barbell', 'likely'],
    ['Bench Press', 'bench-press-barbell', 'likely'],
    ['Barbell Row', 'bent-over-row-barbell', 'exact'],
    ['Overhead Press', 'overhead-press-barbell', 'likely'],
    ['Deadlift', 'deadlift-barbell', 'likely'],
  ]
  test.each(strongLifts)('StrongLifts %s → %s (%s)', (name, slug, confidence) => {
    expect(match(name)).toEqual([slug, confidence])
  })

  test('StrongLifts with the barbell implied: the big lifts are exact, a bodyweight one still matches', () => {
    const barbell = { impliedEquipment: 'barbell' } as const
    expect(match('Squat', barbell)).toEqual(['squat-barbell', 'exact'])
    expect(match('Bench Press', barbell)).toEqual(['bench-press-barbell', 'exact'])
    expect(match('Overhead Press', barbell)).toEqual(['overhead-press-barbell', 'exact'])
    expect(match('Deadlift', barbell)).toEqual(['deadlift-barbell', 'exact'])
    expect(match('Pull-ups', barbell)).toEqual(['pull-up', 'exact'])
    // Implied equipment never overrides the file's own.
    expect(match('Bench Press (Dumbbell)', barbell)).toEqual(['bench-press-dumbbell', 'exact'])
    // And it picks among a name's equipments: dumbbell implied, the dumbbell bench.
    expect(match('Bench Press', { impliedEquipment: 'dumbbell' })).toEqual(['bench-press-dumbbell', 'exact'])
  })
})

describe('spelling does not count', () => {
  const pullUps = ['Pull-up', 'Pull Up', 'pullup', 'PULL-UPS', 'Pull ups', ' pull   up ', 'Pull Up (Bodyweight)', 'Púll-úp']
  test.each(pullUps)('%s is the pull-up', (name) => {
    expect(match(name)).toEqual(['pull-up', 'exact'])
  })

  const rows: Row[] = [
    ['bench press (barbell)', 'bench-press-barbell', 'exact'],
    ['BENCH PRESS [BARBELL]', 'bench-press-barbell', 'exact'],
    ['Bench Press - Barbell', 'bench-press-barbell', 'exact'],
    ['BB Bench Press', 'bench-press-barbell', 'exact'],
    ['DB Bench Press', 'bench-press-dumbbell', 'exact'],
    ['Dumbbells Bench Presses', 'bench-press-dumbbell', 'exact'],
    ['Walking Lunges (Dumbbells)', 'walking-lunge-dumbbell', 'exact'],
    ['Crunches', 'crunch', 'exact'],
    ['Cable Flyes', 'chest-fly-cable', 'exact'],
    ["Farmer's Walk (Trap Bar)", 'farmers-carry-trap-bar', 'exact'],
    ['Farmers Walk (Trap-Bar)', 'farmers-carry-trap-bar', 'exact'],
    ['RDL (Barbell)', 'romanian-deadlift-barbell', 'exact'],
    ['OHP', 'overhead-press-barbell', 'likely'],
    ['KB Swing', 'kettlebell-swing', 'exact'],
    ['Clean & Jerk', 'clean-and-jerk-barbell', 'exact'],
    ['Chin-Ups', 'chin-up', 'exact'],
    ['Sit Ups', 'sit-up', 'exact'],
    ['T Bar Row', 't-bar-row', 'exact'],
  ]
  test.each(rows)('%s → %s (%s)', (name, slug, confidence) => {
    expect(match(name)).toEqual([slug, confidence])
  })
})

describe('names that must not match', () => {
  const none = [
    'Bench Press Machine Thing Custom',
    'Zottman Curl',
    'Curl (Zottman)',
    'My Custom Lift',
    'Bench Press 2',
    'Press Bench',
    'Press',
    '',
    '   ',
    '(Barbell)',
    'Barbell',
    // Equipment the exercise is not done with, or two equipments at once.
    'Bench Press (Kettlebell)',
    'Pull Up (Barbell)',
    'Dumbbell Bench Press (Barbell)',
    'Cable Crunch (Machine)',
    // A detail that is neither a name nor a grip.
    'Bench Press (Paused)',
    'Running (Uphill Intervals)',
  ]
  test.each(none)('%j → null', (name) => {
    expect(matchExerciseName(name)).toBeNull()
  })
})

describe('choices the module documents', () => {
  test('a name that says its equipment is not chosen for a file that names none ("Crunch" is not "Cable crunch")', () => {
    expect(match('Crunch')).toEqual(['crunch', 'exact'])
    expect(match('Crunch (Cable)')).toEqual(['cable-crunch', 'exact'])
  })

  test('a name only ever written with its equipment is a guess without it ("Swing")', () => {
    expect(match('Swing')).toEqual(['kettlebell-swing', 'likely'])
    expect(match('Swing (Kettlebell)')).toEqual(['kettlebell-swing', 'exact'])
  })

  test('a catalogue name beats an alias, and an alias that fits with other equipment reaches the same name with it', () => {
    // "Row" is an alias of three rows; with no equipment the first, as a guess.
    expect(match('Row')).toEqual(['bent-over-row-barbell', 'likely'])
    expect(match('Row (Cable)')).toEqual(['seated-row-cable', 'exact'])
    // "Military press" is an alias of the barbell press only; with a smith machine it reaches its namesake.
    expect(match('Military Press (Smith Machine)')).toEqual(['overhead-press-smith-machine', 'likely'])
    expect(match('Pec Deck')).toEqual(['chest-fly-machine', 'exact'])
  })

  test('every catalogue exercise matches its own shown name exactly', () => {
    const misses = catalogueExercises
      .map((e) => ({ shown: catalogueName(e), slug: e.slug, got: match(catalogueName(e)) }))
      .filter((r) => r.got?.[0] !== r.slug || r.got[1] !== 'exact')
    expect(misses).toEqual([])
  })
})

describe('normalizeName', () => {
  const same: [string, string][] = [
    ['Bench Press (Barbell)', 'bench press (barbell)'],
    ['Bench Press (Barbell)', 'Barbell Bench Press'],
    ['Bench Press (Barbell)', 'BB bench-presses'],
    ['Pull-up', 'pullup'],
    ['Pull Ups', 'Pull-Up'],
    ['Lat Pull-Down', 'Lat Pulldown'],
    ["Farmer's Walk", 'Farmers walk'],
    ['Développé couché', 'developpe couche'],
    ['Squat (Smith Machine)', 'Smith Squat'],
  ]
  test.each(same)('%s is %s', (a, b) => {
    expect(normalizeName(a)).toBe(normalizeName(b))
  })

  const different: [string, string][] = [
    ['Bench Press (Barbell)', 'Bench Press (Dumbbell)'],
    ['Bench Press', 'Bench Press (Barbell)'],
    ['Incline Bench Press', 'Bench Press'],
    ['Running (Treadmill)', 'Running'],
    ['Squat', 'Front Squat'],
  ]
  test.each(different)('%s is not %s', (a, b) => {
    expect(normalizeName(a)).not.toBe(normalizeName(b))
  })

  test('reads as folded words, then the equipment', () => {
    expect(normalizeName('Bench Press (Barbell)')).toBe('benchpress (barbell)')
    expect(normalizeName('Dumbbell Bench Press (Barbell)')).toBe('benchpress (barbell, dumbbell)')
    expect(normalizeName('Custom Thing')).toBe('customthing')
  })
})
