/**
 * Catalogue search as a picker uses it: what the first results are for what people type, the
 * ranking (exact name, prefix, words, alias, muscle), the limit and the empty query.
 */
import { describe, expect, test } from 'vitest'
import { catalogueExercise, catalogueExercises, catalogueName } from './exercises'
import { nameMatches, popularSlugs, searchCatalogue } from './search'

const slugs = (query: string, limit?: number) => searchCatalogue(query, { limit }).map((e) => e.slug)
const first = (query: string) => searchCatalogue(query, { limit: 1 })[0]?.slug

describe('what people type', () => {
  const rows: [query: string, slug: string][] = [
    ['bench press', 'bench-press-barbell'],
    ['Bench', 'bench-dip'],
    ['db bench', 'bench-press-dumbbell'],
    ['bench db', 'bench-press-dumbbell'],
    ['dumbbell bench press', 'bench-press-dumbbell'],
    ['bench press (smith', 'bench-press-smith-machine'],
    ['inc db', 'incline-bench-press-dumbbell'],
    ['bb row', 'bent-over-row-barbell'],
    ['kb swing', 'kettlebell-swing'],
    ['ohp', 'overhead-press-barbell'],
    ['rdl', 'romanian-deadlift-barbell'],
    ['rdl db', 'romanian-deadlift-dumbbell'],
    ['pullup', 'pull-up'],
    ['pull-ups', 'pull-up'],
    ['PULL UP', 'pull-up'],
    ['chin', 'chin-up'],
    ['squat', 'squat-barbell'],
    ['squats', 'squat-barbell'],
    ['front sq', 'front-squat-barbell'],
    ['curls', 'biceps-curl-barbell'],
    ['hammer', 'hammer-curl-dumbbell'],
    ['skull', 'lying-triceps-extension-ez-bar'],
    ['military', 'overhead-press-barbell'],
    ['pec deck', 'chest-fly-machine'],
    ['farmers', 'farmers-carry-dumbbell'],
    ["farmer's walk", 'farmers-carry-dumbbell'],
    ['run', 'running'],
    ['treadmill', 'treadmill-running'],
    ['stairmaster', 'stair-climber'],
    ['jump', 'jump-rope'],
    ['Élliptical', 'elliptical'],
    ['plank', 'plank'],
  ]
  test.each(rows)('%j finds %s first', (query, slug) => {
    expect(first(query)).toBe(slug)
  })

  test('finds nothing for words no exercise has', () => {
    expect(searchCatalogue('zottman')).toEqual([])
    expect(searchCatalogue('bench kettlebell')).toEqual([])
  })
})

describe('ranking', () => {
  test('exact name, then names that begin with the query, then names with its words', () => {
    const found = slugs('squat')
    // Exact: every "Squat", the default first.
    expect(found.slice(0, 2)).toEqual(['squat-barbell', 'squat-smith-machine'])
    // Then words, by name: "Air squat" before "Front squat".
    expect(found.indexOf('air-squat')).toBeGreaterThan(1)
    expect(found.indexOf('air-squat')).toBeLessThan(found.indexOf('front-squat-barbell'))
    expect(found).toContain('bulgarian-split-squat-dumbbell')
    expect(found).not.toContain('leg-press-machine')
  })

  test('a prefix of the name beats words in another order', () => {
    const found = slugs('press')
    // "Press" begins no name; "Bench press" has it as a word, "Pallof press" too.
    expect(found).toContain('bench-press-barbell')
    const prefixed = slugs('leg')
    expect(prefixed.slice(0, 2)).toEqual(['leg-extension-machine', 'leg-press-machine'])
    expect(prefixed.indexOf('lying-leg-curl-machine')).toBeGreaterThan(prefixed.indexOf('leg-press-machine'))
  })

  test('a name match beats an alias match', () => {
    // "Crossover" is only an alias; "fly" is a name word of Chest fly and an alias too.
    expect(slugs('crossover')).toEqual(['chest-fly-cable'])
    const fly = slugs('fly')
    expect(fly.slice(0, 3)).toEqual(['chest-fly-dumbbell', 'chest-fly-cable', 'chest-fly-machine'])
  })

  test('a muscle finds its exercises after any name or alias match', () => {
    const chest = slugs('chest')
    expect(chest[0]).toBe('chest-fly-dumbbell')
    expect(chest).toContain('bench-press-barbell')
    expect(chest.indexOf('bench-press-barbell')).toBeGreaterThan(chest.indexOf('chest-press-machine'))
    expect(chest).not.toContain('squat-barbell')
    expect(slugs('dumbbell chest')).toContain('bench-press-dumbbell')
    expect(slugs('dumbbell chest')).not.toContain('bench-press-barbell')
  })
})

describe('options', () => {
  test('limit cuts the ranked list', () => {
    expect(slugs('bench press', 2)).toEqual(['bench-press-barbell', 'bench-press-dumbbell'])
    expect(slugs('curl', 0)).toEqual([])
    expect(slugs('curl').length).toBeGreaterThan(5)
  })

  test('an empty query lists every exercise by name, the default of a name first', () => {
    const all = searchCatalogue('')
    expect(all).toHaveLength(catalogueExercises.length)
    const names = all.map((e) => e.name)
    expect(names).toEqual(names.toSorted((a, b) => a.localeCompare(b, 'en')))
    expect(all.filter((e) => e.name === 'Bench press').map(catalogueName)).toEqual([
      'Bench press (barbell)',
      'Bench press (dumbbell)',
      'Bench press (smith machine)',
    ])
    expect(searchCatalogue('   ', { limit: 3 }).map((e) => e.slug)).toEqual(all.slice(0, 3).map((e) => e.slug))
  })
})

test('a muscle or an equipment narrows the search, with or without words', () => {
  const chest = searchCatalogue('', { muscle: 'chest' })
  expect(chest.length).toBeGreaterThan(3)
  expect(chest.every((e) => e.primaryMuscle === 'chest')).toBe(true)
  const dumbbellPress = searchCatalogue('press', { equipment: 'dumbbell' })
  expect(dumbbellPress.length).toBeGreaterThan(0)
  expect(dumbbellPress.every((e) => e.equipment === 'dumbbell')).toBe(true)
  expect(searchCatalogue('bench', { muscle: 'chest', equipment: 'kettlebell' })).toEqual([])
})

test('every popular exercise is in the catalogue', () => {
  for (const slug of popularSlugs) expect(catalogueExercise(slug), slug).toBeDefined()
})

test('a user’s own name fits a query as the catalogue’s do', () => {
  expect(nameMatches('bench', 'Bench press (dumbbell)')).toBe(true)
  expect(nameMatches('db bench', 'Bench press (dumbbell)')).toBe(true)
  expect(nameMatches('pullup', 'Pull-ups')).toBe(true)
  expect(nameMatches('press', 'Leg curl')).toBe(false)
  expect(nameMatches('', 'Leg curl')).toBe(true)
})
