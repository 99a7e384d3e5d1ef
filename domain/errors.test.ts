/** A refusal's issues in words, as forms and the status bar show them. */
import { expect, test } from 'vitest'
import { createLibrary } from './mutators/libraries'
import { parseArgs } from './mutators/define'
import { MutationError, describeIssue, invalidArgs } from './errors'

test('an issue reads as a sentence naming its field', () => {
  expect(describeIssue({ path: ['name'], message: 'must not be blank' })).toBe('Name must not be blank')
  expect(describeIssue({ path: ['massUnit'], message: 'must be kg or lb' })).toBe('Mass unit must be kg or lb')
  // Positions count from 1, as people count.
  expect(describeIssue({ path: ['attributes', 2, 'name'], message: 'must not be blank' })).toBe('Attributes 3 name must not be blank')
  // A message that is a sentence of its own (zod's defaults) follows a colon; one with no path stands alone.
  expect(describeIssue({ path: ['kind'], message: 'Invalid option' })).toBe('Kind: Invalid option')
  expect(describeIssue({ path: [], message: 'expected an object' })).toBe('Expected an object')
})

test('invalid arguments become a refusal that keeps every issue with its path', () => {
  let refusal: unknown
  try {
    parseArgs(createLibrary, { id: 'nope', name: ' ' })
  } catch (error) {
    refusal = error
  }
  expect(refusal).toBeInstanceOf(MutationError)
  const { code, issues, message } = refusal as MutationError
  expect(code).toBe('invalid_args')
  expect(issues).toEqual([
    { path: ['id'], message: 'must be a UUID' },
    { path: ['name'], message: 'must not be blank' },
  ])
  expect(message).toBe('Id must be a UUID. Name must not be blank')
  expect(invalidArgs(issues).message).toBe(message)
})
