/**
 * The word folding search and matching share: the cases a name from a file or a query puts to it.
 */
import { expect, test } from 'vitest'
import { singular, takeEquipment, words } from './words'

test('case, accents, apostrophes and punctuation do not count; "&" is "and"', () => {
  expect(words("Farmer's Walk")).toEqual(['farmer', 'walk'])
  expect(words('  Pull-Up / Chin-Up ')).toEqual(['pull', 'up', 'chin', 'up'])
  expect(words('Développé Couché')).toEqual(['developpe', 'couche'])
  expect(words('Clean & Jerk')).toEqual(['clean', 'and', 'jerk'])
  expect(words('')).toEqual([])
})

test('plurals fold to one word, and words that only end in s stay', () => {
  expect(['presses', 'crunches', 'flies', 'lunges', 'raises', 'ups', 'dips'].map(singular)).toEqual([
    'press',
    'crunch',
    'fly',
    'lunge',
    'raise',
    'up',
    'dip',
  ])
  expect(['press', 'abs', 'us', 'axis', 'plus'].map(singular)).toEqual(['press', 'ab', 'us', 'axis', 'plus'])
})

test('gym abbreviations are spelled out', () => {
  expect(words('DB OHP')).toEqual(['dumbbell', 'overhead', 'press'])
  expect(words('BB RDL')).toEqual(['barbell', 'romanian', 'deadlift'])
  expect(words('KB swings')).toEqual(['kettlebell', 'swing'])
  expect(words('Cable Flyes')).toEqual(['cable', 'fly'])
})

test('equipment is taken out wherever it is written, the longest phrase first', () => {
  expect(takeEquipment(words('Smith Machine Squat'))).toEqual({ rest: ['squat'], equipment: ['smith machine'] })
  expect(takeEquipment(words('Leg Extension Machine'))).toEqual({ rest: ['leg', 'extension'], equipment: ['machine'] })
  expect(takeEquipment(words('EZ-Bar Curl'))).toEqual({ rest: ['curl'], equipment: ['ez bar'] })
  expect(takeEquipment(words('Hex Bar Deadlift'))).toEqual({ rest: ['deadlift'], equipment: ['trap bar'] })
  expect(takeEquipment(words('Dumbbell Press (Barbell)'))).toEqual({ rest: ['press'], equipment: ['dumbbell', 'barbell'] })
  expect(takeEquipment(words('T-Bar Row'))).toEqual({ rest: ['t', 'bar', 'row'], equipment: [] })
})
