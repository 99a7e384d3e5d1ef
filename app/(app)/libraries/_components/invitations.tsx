'use client'

import { useQuery, useQueryClient } from '@tanstack/react-query'
import { useEffect } from 'react'
import { useDevice } from '@/components/sync/sync-provider'
import { useLocalQuery } from '@/components/sync/use-local-query'
import type { useMutations } from '@/components/sync/use-mutations'
import { Button } from '@/components/ui/button'
import { Card } from '@/components/ui/card'
import { answeredInvitations, type WaitingInvitation } from '@/db/queries/invitations'

const roleWords = (role: WaitingInvitation['role']) => (role === 'editor' ? 'can edit' : 'can view')

/**
 * Libraries others invited this account to, each accepted or declined here (sync/SPEC.md S4).
 * The list is the server's (no device holds another person's library before the yes); the answer
 * is a mutation, queued like any other and judged by the server, so it also works offline.
 */
export function Invitations({ run }: { run: ReturnType<typeof useMutations>['run'] }) {
  const queryClient = useQueryClient()
  // The answer is written on the device: the buttons wait for it to open.
  const device = useDevice()
  const invitations = useQuery({
    queryKey: ['invitations'],
    queryFn: async (): Promise<WaitingInvitation[]> => {
      const response = await fetch('/api/invitations', { cache: 'no-store' })
      if (!response.ok) throw new Error('The invitations could not be loaded.')
      return ((await response.json()) as { invitations: WaitingInvitation[] }).invitations
    },
    retry: false,
  })
  const answered = useLocalQuery(['invitation-answers'], (db) => answeredInvitations(db))
  // An answer leaves the outbox once the server has it: the server's list then changed too.
  const answeredKey = answered.data?.join(',')
  useEffect(() => {
    if (answeredKey !== undefined) void queryClient.invalidateQueries({ queryKey: ['invitations'] })
  }, [answeredKey, queryClient])

  const waiting = (invitations.data ?? []).filter((i) => !answered.data?.includes(i.id))
  if (waiting.length === 0) return null
  return (
    <section aria-labelledby="invitations-heading" className="flex flex-col gap-3">
      <h2 id="invitations-heading" className="text-lg font-semibold">
        Invitations
      </h2>
      {waiting.map((i) => (
        <Card key={i.id} aria-label={`Invitation to ${i.libraryName}`} gap="gap-3">
          <p>
            {i.invitedBy} invites you to <span className="font-medium">{i.libraryName}</span> ({roleWords(i.role)}).
          </p>
          <div className="flex flex-wrap gap-2">
            <Button
              disabled={!device}
              onClick={() =>
                void run(
                  'acceptInvitation',
                  { inviteId: i.id },
                  { queueIfNotFound: true, done: `You accepted: ${i.libraryName} appears under “Shared with you” once the server has it.` },
                )
              }
            >
              Accept
            </Button>
            <Button
              variant="secondary"
              disabled={!device}
              onClick={() =>
                void run('declineInvitation', { inviteId: i.id }, { queueIfNotFound: true, done: `You declined ${i.libraryName}.` })
              }
            >
              Decline
            </Button>
          </div>
        </Card>
      ))}
    </section>
  )
}
