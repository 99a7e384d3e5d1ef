import { expect, test } from 'vitest'
import { catalogueExercise } from './catalogue/exercises'
import { catalogueSuggestion, distinctLabels, sameName, suggestedNames } from './duplicate-names'

const library = [
  { id: 'a', name: 'Bench press', description: '' },
  { id: 'b', name: 'Squat', description: 'Barbell · quads' },
]

test('a name is the same whatever its case, punctuation or plural', () => {
  expect(sameName('bench-press', library)?.id).toBe('a')
  expect(sameName('  BENCH PRESSES ', library)?.id).toBe('a')
  expect(sameName('Bench press (dumbbell)', library)).toBeUndefined()
  expect(sameName('Front squat', library)).toBeUndefined()
  expect(sameName('', library)).toBeUndefined()
})

test('the activity being renamed does not clash with itself', () => {
  expect(sameName('Bench Press', library, 'a')).toBeUndefined()
  expect(sameName('squat', library, 'a')?.id).toBe('b')
})

test('a taken name is offered with the equipment the catalogue has it with, never a taken one', () => {
  const suggestions = suggestedNames('Bench press', [...library, { id: 'c', name: 'Bench press (barbell)' }])
  expect(suggestions).toContain('Bench press (dumbbell)')
  expect(suggestions).not.toContain('Bench press (barbell)')
  expect(suggestedNames('bench-presses', library)[0]).toBe('Bench press (barbell)')
})

test('a taken name the catalogue does not know is numbered', () => {
  expect(
    suggestedNames(
      'Squat',
      [
        { id: 'x', name: 'My lift' },
        { id: 'y', name: 'My lift 2' },
      ],
      'none',
    ),
  ).toEqual(['Squat 2'])
  expect(
    suggestedNames('My lift', [
      { id: 'x', name: 'My lift' },
      { id: 'y', name: 'My lift 2' },
    ]),
  ).toEqual(['My lift 3'])
})

test('a catalogue exercise whose name is taken is offered with its own equipment', () => {
  const plank = catalogueExercise('plank')!
  expect(catalogueSuggestion(plank, 'Plank', [{ id: 'p', name: 'plank' }])).toBe('Plank (bodyweight)')
})

test('two activities of one name are told apart by their descriptions, else by their place', () => {
  const labels = distinctLabels([
    { id: '1', name: 'Bench press', description: 'Barbell · chest' },
    { id: '2', name: 'bench press', description: 'Dumbbell · chest' },
    { id: '3', name: 'Row', description: '' },
    { id: '4', name: 'Row', description: '' },
    { id: '5', name: 'Plank', description: 'Bodyweight · core' },
  ])
  expect(labels.get('1')).toBe('Bench press — Barbell · chest')
  expect(labels.get('2')).toBe('bench press — Dumbbell · chest')
  expect(labels.get('3')).toBe('Row (1)')
  expect(labels.get('4')).toBe('Row (2)')
  expect(labels.get('5')).toBe('Plank')
})
