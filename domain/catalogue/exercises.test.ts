/**
 * The catalogue's data keeps the promises the rest of the app relies on: stable, unique slugs;
 * names a list can show without two alike; attributes for every measure that the library's
 * presets would give; aliases that do not contradict their entry's equipment; defaults that are
 * the barbell for the big lifts.
 */
import { describe, expect, test } from 'vitest'
import { attributeTypes } from '@/db/schema/activities'
import { catalogueEquipment, catalogueExercise, catalogueExercises, catalogueName, measureAttributes, measures, muscles } from './exercises'
import { indexedEquipment } from './match'

describe('the data', () => {
  test('has at least 100 exercises, each with a unique kebab-case slug', () => {
    expect(catalogueExercises.length).toBeGreaterThanOrEqual(100)
    const slugs = catalogueExercises.map((e) => e.slug)
    expect(new Set(slugs).size).toBe(slugs.length)
    for (const slug of slugs) expect(slug).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/)
  })

  test('every shown name is unique, so the same name with two equipments is told apart', () => {
    const shown = catalogueExercises.map(catalogueName)
    const repeated = shown.filter((n, i) => shown.indexOf(n) !== i)
    expect(repeated).toEqual([])
  })

  test('every entry uses a known equipment, muscle and measure, and a non-blank name and aliases', () => {
    for (const e of catalogueExercises) {
      expect(catalogueEquipment).toContain(e.equipment)
      expect(muscles).toContain(e.primaryMuscle)
      expect(measures).toContain(e.measure)
      expect(e.name.trim()).toBe(e.name)
      expect(e.name).not.toBe('')
      for (const alias of e.aliases) expect(alias.trim()).not.toBe('')
    }
  })

  test('covers the big lifts with their usual equipments, and cardio', () => {
    const has = (slug: string) => expect(catalogueExercise(slug), slug).toBeDefined()
    for (const slug of [
      'bench-press-barbell',
      'bench-press-dumbbell',
      'incline-bench-press-barbell',
      'squat-barbell',
      'front-squat-barbell',
      'deadlift-barbell',
      'romanian-deadlift-barbell',
      'overhead-press-barbell',
      'bent-over-row-barbell',
      'pull-up',
      'chin-up',
      'dip',
      'lat-pulldown-cable',
      'leg-press-machine',
      'lunge-dumbbell',
      'hip-thrust-barbell',
      'biceps-curl-dumbbell',
      'triceps-pushdown-cable',
      'lateral-raise-dumbbell',
      'face-pull-cable',
      'standing-calf-raise-machine',
      'plank',
      'crunch',
      'hanging-leg-raise',
      'farmers-carry-dumbbell',
      'kettlebell-swing',
      'running',
      'cycling',
      'rowing-machine',
      'elliptical',
      'swimming',
      'walking',
      'stair-climber',
      'jump-rope',
    ])
      has(slug)
    expect(catalogueExercise('no-such-exercise')).toBeUndefined()
  })

  test('the first entry of a name is its default: the barbell for the big lifts', () => {
    const firstOf = (name: string) => catalogueExercises.find((e) => e.name === name)?.equipment
    for (const name of ['Bench press', 'Incline bench press', 'Squat', 'Deadlift', 'Romanian deadlift', 'Overhead press', 'Bent-over row'])
      expect(firstOf(name), name).toBe('barbell')
    expect(firstOf('Lat pulldown')).toBe('cable')
    expect(firstOf('Biceps curl')).toBe('barbell')
  })

  test('a name or alias that names equipment names its own entry’s ("Cable crunch" is a cable exercise)', () => {
    const bySlug = new Map(catalogueExercises.map((e) => [e.slug, e]))
    const wrong = indexedEquipment().filter((i) => i.names.some((n) => n !== bySlug.get(i.slug)?.equipment))
    expect(wrong).toEqual([])
    // The check can fail: some indexed texts do name equipment.
    expect(indexedEquipment().filter((i) => i.names.length > 0).length).toBeGreaterThan(5)
  })
})

describe('catalogueName', () => {
  test('adds the equipment only when the name has several', () => {
    const shown = (slug: string) => catalogueName(catalogueExercise(slug)!)
    expect(shown('bench-press-barbell')).toBe('Bench press (barbell)')
    expect(shown('bench-press-dumbbell')).toBe('Bench press (dumbbell)')
    expect(shown('squat-smith-machine')).toBe('Squat (smith machine)')
    expect(shown('plank')).toBe('Plank')
    expect(shown('kettlebell-swing')).toBe('Kettlebell swing')
    expect(shown('close-grip-bench-press-barbell')).toBe('Close-grip bench press')
  })
})

describe('measureAttributes', () => {
  test('every measure gives at least one attribute, of a known type, with unique names', () => {
    for (const m of measures) {
      const attrs = measureAttributes[m]
      expect(attrs.length, m).toBeGreaterThan(0)
      for (const a of attrs) expect(attributeTypes).toContain(a.type)
      expect(new Set(attrs.map((a) => a.name)).size).toBe(attrs.length)
    }
  })

  test('are the library presets: Weight mass, Reps integer, Distance distance, Time duration', () => {
    const pairs = (m: keyof typeof measureAttributes) => measureAttributes[m].map((a) => [a.name, a.type])
    expect(pairs('weight_reps')).toEqual([
      ['Weight', 'mass'],
      ['Reps', 'integer'],
    ])
    expect(pairs('reps')).toEqual([['Reps', 'integer']])
    expect(pairs('time')).toEqual([['Time', 'duration']])
    expect(pairs('distance_time')).toEqual([
      ['Distance', 'distance'],
      ['Time', 'duration'],
    ])
    expect(pairs('weight_distance')).toEqual([
      ['Weight', 'mass'],
      ['Distance', 'distance'],
    ])
  })

  test('every measure is used by some exercise', () => {
    for (const m of measures)
      expect(
        catalogueExercises.some((e) => e.measure === m),
        m,
      ).toBe(true)
  })
})
