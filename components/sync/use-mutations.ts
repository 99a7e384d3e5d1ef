'use client'

import { useState, type FormEvent } from 'react'
import type { NoticeMessage } from '@/components/ui/notice'
import { MutationError } from '@/domain/errors'
import type { MutatorArgs, MutatorName } from '@/domain/mutators'
import { useSync } from './sync-provider'

/** What to tell the user when a mutation is refused on this device. */
export function refusal(error: unknown): string {
  if (error instanceof MutationError) return error.message.replace(/^Invalid arguments for \w+: /, '')
  return 'Could not save on this device.'
}

/**
 * Runs mutations on the device database for a page and keeps the outcome of the last one as a
 * message for a `Notice`: `run` says `done` when it worked and why not when it was refused;
 * `submit` turns a form into a mutation and clears the form when it worked.
 */
export function useMutations() {
  const sync = useSync()
  const [message, setMessage] = useState<NoticeMessage>()

  async function run<N extends MutatorName>(name: N, args: MutatorArgs<N>, done?: string, options?: { queueIfNotFound?: boolean }) {
    if (!sync) return false
    try {
      await sync.client.mutate(name, args, options)
      setMessage(done ? { ok: true, text: done } : undefined)
      return true
    } catch (e) {
      setMessage({ ok: false, text: refusal(e) })
      return false
    }
  }

  const submit = (fn: (data: FormData) => Promise<boolean>) => async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    const form = event.currentTarget
    if (await fn(new FormData(form))) form.reset()
  }

  return { run, submit, message, setMessage }
}
