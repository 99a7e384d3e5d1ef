import { z } from 'zod'

export const MIN_PASSWORD_LENGTH = 8
export const MAX_PASSWORD_LENGTH = 128

export const signUpSchema = z.object({
  name: z.string().trim().min(1, 'Enter your name.').max(100, 'Use at most 100 characters for your name.'),
  email: z.email('Enter a valid email address, like you@example.com.'),
  password: z
    .string()
    .min(MIN_PASSWORD_LENGTH, `Use at least ${MIN_PASSWORD_LENGTH} characters for your password.`)
    .max(MAX_PASSWORD_LENGTH, `Use at most ${MAX_PASSWORD_LENGTH} characters for your password.`),
})
export type SignUpInput = z.infer<typeof signUpSchema>

export const signInSchema = z.object({
  email: z.email('Enter a valid email address, like you@example.com.'),
  password: z.string().min(1, 'Enter your password.'),
})
export type SignInInput = z.infer<typeof signInSchema>

export type FieldErrors<T> = Partial<Record<keyof T | 'form', string>>

/** First message per field, for a form to show beside each input. */
export function fieldErrors<T>(error: z.ZodError<T>): FieldErrors<T> {
  const out: Record<string, string> = {}
  for (const issue of error.issues) {
    const key = String(issue.path[0] ?? 'form')
    out[key] ??= issue.message
  }
  return out as FieldErrors<T>
}

/**
 * What to tell a person for an error code from the auth server. A wrong password and an unknown
 * email read the same, so the form never reveals whether an account exists.
 */
export function authErrorMessage(code: string | undefined, fallback: string | undefined): FieldErrors<SignUpInput> {
  switch (code) {
    case 'USER_ALREADY_EXISTS':
    case 'USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL':
      return { email: 'An account with this email already exists. Sign in instead, or use another email.' }
    case 'INVALID_EMAIL':
      return { email: 'Enter a valid email address, like you@example.com.' }
    case 'VALIDATION_ERROR':
      if (fallback && /email/i.test(fallback)) return { email: 'Enter a valid email address, like you@example.com.' }
      if (fallback && /password/i.test(fallback)) return { password: fallback }
      return { form: fallback ?? 'Some of the details are not valid.' }
    case 'PASSWORD_TOO_SHORT':
      return { password: `Use at least ${MIN_PASSWORD_LENGTH} characters for your password.` }
    case 'PASSWORD_TOO_LONG':
      return { password: `Use at most ${MAX_PASSWORD_LENGTH} characters for your password.` }
    case 'INVALID_EMAIL_OR_PASSWORD':
    case 'INVALID_PASSWORD':
    case 'USER_NOT_FOUND':
      return { form: 'That email and password do not match an account.' }
    case 'TOO_MANY_REQUESTS':
      return { form: 'Too many attempts. Wait a minute and try again.' }
    default:
      return { form: fallback ? `Could not complete: ${fallback}` : 'Could not reach the server. Check your connection and try again.' }
  }
}
