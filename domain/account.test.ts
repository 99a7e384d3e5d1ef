import { expect, test } from 'vitest'
import { fieldErrors, signInSchema, signUpSchema } from './account'

test('sign-up input errors name the field and say what to do', () => {
  const result = signUpSchema.safeParse({ name: ' ', email: 'ann@', password: 'short' })
  expect(result.success).toBe(false)
  expect(fieldErrors(result.error!)).toEqual({
    name: 'Enter your name.',
    email: 'Enter a valid email address, like you@example.com.',
    password: 'Use at least 8 characters for your password.',
  })
})

test('valid sign-up and sign-in input passes, with the name trimmed', () => {
  expect(signUpSchema.parse({ name: ' Ann ', email: 'ann@example.com', password: 'long enough' }).name).toBe('Ann')
  expect(signInSchema.safeParse({ email: 'ann@example.com', password: '' }).success).toBe(false)
})
