'use client'

import { useRef, useState, type FormEvent } from 'react'
import type { NoticeMessage } from '@/components/ui/notice'
import type { MutatorArgs, MutatorName } from '@/domain/mutators'
import { placeErrors } from './field-errors'
import { useDevice } from './sync-provider'

type RunOptions = {
  /** What the notice says when the mutation worked (nothing when omitted). */
  done?: string
  /** Queue it even when the device cannot see its inputs (SPEC B10). */
  queueIfNotFound?: boolean
}

/**
 * The one way a view writes: runs mutations on this tab's device and keeps the outcome of the
 * last one. `run` returns whether it worked; its refusal becomes the notice's `message`.
 * `submit(form, fn)` turns a form into a mutation: a refusal's issues go beside the fields they
 * name (inputs named by argument path, read with `fieldError(form, name)`), the rest to the
 * notice, and the form is cleared when it worked. `invalid` shows problems found before any
 * mutation ran (a field the page could not read).
 */
export function useMutations() {
  const device = useDevice()
  const [message, setMessage] = useState<NoticeMessage>()
  const [fields, setFields] = useState<{ form: string; errors: Record<string, string> }>()
  const lastError = useRef<unknown>(undefined)

  async function run<N extends MutatorName>(name: N, args: MutatorArgs<N>, options: RunOptions = {}): Promise<boolean> {
    if (!device) return false
    lastError.current = undefined
    try {
      await device.mutate(name, args, { queueIfNotFound: options.queueIfNotFound })
      setMessage(options.done ? { ok: true, text: options.done } : undefined)
      setFields(undefined)
      return true
    } catch (error) {
      lastError.current = error
      setMessage({ ok: false, text: placeErrors(error, []).rest ?? '' })
      setFields(undefined)
      return false
    }
  }

  const submit = (form: string, fn: (data: FormData) => Promise<boolean>) => async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    const element = event.currentTarget
    // Only a refusal of this submit is placed on the form, not one left from an earlier run.
    lastError.current = undefined
    if (await fn(new FormData(element))) return element.reset()
    if (lastError.current === undefined) return
    const names = [...element.elements].flatMap((e) => ('name' in e && typeof e.name === 'string' && e.name ? [e.name] : []))
    const placed = placeErrors(lastError.current, names)
    setFields({ form, errors: placed.fields })
    setMessage(placed.rest ? { ok: false, text: placed.rest } : undefined)
  }

  /** Problems the page found itself, by field name of `form`, each in words. */
  function invalid(form: string, errors: Record<string, string>) {
    setFields({ form, errors })
    setMessage(undefined)
  }

  const fieldError = (form: string, name: string): string | undefined => (fields?.form === form ? fields.errors[name] : undefined)

  return { run, submit, invalid, fieldError, message, setMessage }
}
