'use client'

import { useQuery } from '@tanstack/react-query'
import Link from 'next/link'
import { useState } from 'react'
import { useLocalQuery } from '@/components/sync/use-local-query'
import { useMutations } from '@/components/sync/use-mutations'
import { Button } from '@/components/ui/button'
import { Card } from '@/components/ui/card'
import { InlineForm } from '@/components/ui/inline-form'
import { Notice } from '@/components/ui/notice'
import { Page } from '@/components/ui/page'
import { SelectField } from '@/components/ui/select'
import { TextField } from '@/components/ui/text-field'
import type { CatalogueLibrary } from '@/db/queries/libraries'
import { defaultLibrary, libraryActivities, ownedLibraries, sharedLibraries } from '@/db/queries/local'
import type { Db } from '@/db/types'
import { newId } from '@/domain/ids'
import { Invitations } from './invitations'

async function load(db: Db, userId: string) {
  const shared = await sharedLibraries(db, userId)
  const owned = await ownedLibraries(db, userId)
  return {
    owned: await Promise.all(owned.map(async (l) => ({ ...l, activityCount: (await libraryActivities(db, l.id)).length }))),
    shared: await Promise.all(shared.map(async (l) => ({ ...l, activities: await libraryActivities(db, l.id) }))),
    mine: await defaultLibrary(db, userId),
  }
}

/**
 * A library's activities, each with a button that copies it into the user's own library (when
 * there is one). A catalogue activity may not be on this device yet: its copy is queued for the
 * server to make, and its button names the activity.
 */
function CopyableActivities({
  label,
  activities,
  mine,
  run,
  fromCatalogue = false,
}: {
  label?: string
  activities: readonly { id: string; name: string }[]
  mine: { id: string } | null | undefined
  run: ReturnType<typeof useMutations>['run']
  fromCatalogue?: boolean
}) {
  return (
    <ul aria-label={label} className="flex flex-col gap-1 text-sm">
      {activities.map((a) => (
        <li key={a.id} className="flex items-center justify-between gap-2">
          <span>{a.name}</span>
          {mine ? (
            <Button
              variant="ghost"
              aria-label={fromCatalogue ? `Add ${a.name} to my library` : undefined}
              onClick={() =>
                void run(
                  'addActivityToLibrary',
                  { id: newId(), sourceActivityId: a.id, libraryId: mine.id },
                  fromCatalogue
                    ? {
                        done: `A copy of ${a.name} will be in your library once the server makes it; changes to the original will not affect it.`,
                        queueIfNotFound: true,
                      }
                    : { done: `A copy of ${a.name} is in your library; changes to the original will not affect it.` },
                )
              }
            >
              Add to my library
            </Button>
          ) : null}
        </li>
      ))}
    </ul>
  )
}

type Invite = Awaited<ReturnType<typeof ownedLibraries>>[number]['invites'][number]

/**
 * The invitations of a library still waiting for an answer (SPEC S4). An accepted one is the
 * member it made, listed above; a declined one is gone; so each person has one line.
 */
function WaitingInvites({ library, invites }: { library: string; invites: readonly Invite[] }) {
  // When the page opened: an invitation that expires while it is open is told on the next visit.
  const [now] = useState(() => Date.now())
  const waiting = invites.filter((i) => !i.acceptedAt)
  if (waiting.length === 0) return null
  return (
    <ul aria-label={`Invitations to ${library}`} className="flex flex-col gap-1 text-sm text-zinc-600 dark:text-zinc-400">
      {waiting.map((i) => (
        <li key={i.id}>
          Invited {i.email} ({i.role === 'editor' ? 'can edit' : 'can view'}) ·{' '}
          {new Date(i.expiresAt).getTime() <= now ? 'expired: share again to renew it' : 'waiting for them to accept'}
        </li>
      ))}
    </ul>
  )
}

/** Where a library's activities are shown and added to: the library page, at this library. */
const openHref = (library: { id: string; isDefault?: boolean }) => (library.isDefault ? '/' : `/?library=${library.id}`)

const linkButton =
  'inline-flex min-h-11 items-center justify-center rounded-lg border border-zinc-300 bg-white px-4 text-sm font-medium text-zinc-900 hover:bg-zinc-100 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-accent dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100 dark:hover:bg-zinc-800'

/**
 * A rename form's submit: the new name, or nothing sent when the name is the one shown, so an
 * untouched form never puts this device's name over another device's rename (SPEC B14).
 */
async function renamed(data: FormData, shown: string, rename: (name: string) => Promise<boolean>): Promise<boolean> {
  const name = String(data.get('name') ?? '')
  return name.trim() === shown ? true : rename(name)
}

/** Own libraries (open, rename, delete) and sharing, libraries shared with the user, and the public catalogue. */
export function LibrariesView() {
  const data = useLocalQuery(['libraries'], load)
  const catalogue = useQuery({
    queryKey: ['catalogue'],
    queryFn: async (): Promise<CatalogueLibrary[]> => {
      const response = await fetch('/api/catalogue', { cache: 'no-store' })
      if (!response.ok) throw new Error('The catalogue could not be loaded.')
      return ((await response.json()) as { libraries: CatalogueLibrary[] }).libraries
    },
    staleTime: 60_000,
    retry: false,
  })
  const { run, submit, fieldError, message } = useMutations()

  if (!data.data) return <p className="text-zinc-600 dark:text-zinc-400">Loading libraries…</p>
  const { owned, shared, mine } = data.data
  return (
    <Page id="libraries" title="Libraries" gap="gap-6">
      <Notice message={message} />

      <Invitations run={run} />

      <section aria-labelledby="owned-heading" className="flex flex-col gap-3">
        <h2 id="owned-heading" className="text-lg font-semibold">
          Yours
        </h2>
        {owned.map((l) => (
          <Card key={l.id} aria-label={l.name} gap="gap-3">
            <div className="flex flex-wrap items-center justify-between gap-2">
              <h3 className="font-medium">
                {l.name}
                {l.publishedAt ? <span className="ml-2 text-xs text-emerald-700 dark:text-emerald-400">Public</span> : null}
                <span className="ml-2 text-xs font-normal text-zinc-600 dark:text-zinc-400">
                  {l.activityCount === 1 ? '1 activity' : `${l.activityCount} activities`}
                  {l.isDefault ? ' · your default library' : ''}
                </span>
              </h3>
              <span className="flex flex-wrap gap-2">
                <Link href={openHref(l)} aria-label={`Open ${l.name}`} className={linkButton}>
                  Open
                </Link>
                <Button
                  variant="secondary"
                  onClick={() =>
                    void run(
                      l.publishedAt ? 'unpublishLibrary' : 'publishLibrary',
                      { libraryId: l.id },
                      { done: l.publishedAt ? `${l.name} is private again.` : `${l.name} is in the public catalogue.` },
                    )
                  }
                >
                  {l.publishedAt ? 'Unpublish' : 'Publish'}
                </Button>
                {l.isDefault ? null : (
                  <Button
                    variant="secondary"
                    className="text-red-700! dark:text-red-400!"
                    aria-label={`Delete ${l.name}`}
                    onClick={() => {
                      const what =
                        l.activityCount === 0 ? '' : ` and its ${l.activityCount === 1 ? 'activity' : `${l.activityCount} activities`}`
                      if (!window.confirm(`Delete ${l.name}${what}? This cannot be undone.`)) return
                      void run('deleteLibrary', { libraryId: l.id }, { done: `${l.name} deleted.` })
                    }}
                  >
                    Delete
                  </Button>
                )}
              </span>
            </div>
            <InlineForm
              aria-label={`Rename ${l.name}`}
              onSubmit={submit(`rename-${l.id}`, (d) =>
                renamed(d, l.name, (name) => run('renameLibrary', { libraryId: l.id, name }, { done: `Renamed to ${name.trim()}.` })),
              )}
            >
              <div className="flex-1">
                <TextField
                  label={`Name of ${l.name}`}
                  name="name"
                  defaultValue={l.name}
                  key={l.name}
                  required
                  maxLength={200}
                  error={fieldError(`rename-${l.id}`, 'name')}
                />
              </div>
              <Button type="submit" variant="secondary">
                Rename
              </Button>
            </InlineForm>
            {l.members.length > 0 ? (
              <ul aria-label={`Members of ${l.name}`} className="flex flex-col gap-1 text-sm">
                {l.members.map((m, i) => (
                  <li key={m.userId} className="flex items-center justify-between gap-2">
                    <span>
                      Member {i + 1} · {m.role === 'editor' ? 'can edit' : 'can view'} · since {new Date(m.createdAt).toLocaleDateString()}
                    </span>
                    <Button
                      variant="ghost"
                      onClick={() =>
                        void run('revokeMember', { libraryId: l.id, userId: m.userId }, { done: `Access to ${l.name} revoked.` })
                      }
                    >
                      Revoke
                    </Button>
                  </li>
                ))}
              </ul>
            ) : null}
            <WaitingInvites library={l.name} invites={l.invites} />
            <InlineForm
              aria-label={`Share ${l.name}`}
              onSubmit={submit(`share-${l.id}`, (d) =>
                run(
                  'shareLibrary',
                  {
                    inviteId: newId(),
                    libraryId: l.id,
                    email: String(d.get('email') ?? ''),
                    role: d.get('role') === 'editor' ? 'editor' : 'viewer',
                  },
                  {
                    done: `Invitation saved. Cadence sends no email: ask them to sign in (or sign up) with that address and accept it.`,
                  },
                ),
              )}
            >
              <div className="flex-1">
                <TextField
                  label={`Share ${l.name} with (email)`}
                  name="email"
                  type="email"
                  required
                  error={fieldError(`share-${l.id}`, 'email')}
                />
              </div>
              <SelectField label="Role" name="role" defaultValue="viewer">
                <option value="viewer">Can view</option>
                <option value="editor">Can edit</option>
              </SelectField>
              <Button type="submit">Share</Button>
            </InlineForm>
          </Card>
        ))}
        <InlineForm
          aria-label="Create a library"
          onSubmit={submit('create-library', (d) =>
            run('createLibrary', { id: newId(), name: String(d.get('name') ?? '') }, { done: 'Library created.' }),
          )}
        >
          <div className="flex-1">
            <TextField label="New library" name="name" required maxLength={200} error={fieldError('create-library', 'name')} />
          </div>
          <Button type="submit">Create</Button>
        </InlineForm>
      </section>

      <section aria-labelledby="shared-heading" className="flex flex-col gap-3">
        <h2 id="shared-heading" className="text-lg font-semibold">
          Shared with you
        </h2>
        {shared.length === 0 ? <p className="text-sm text-zinc-600 dark:text-zinc-400">Nobody has shared a library with you yet.</p> : null}
        {shared.map((l) => (
          <Card key={l.id} aria-label={l.name}>
            <div className="flex flex-wrap items-center justify-between gap-2">
              <h3 className="font-medium">
                {l.name} <span className="text-xs text-zinc-500">{l.role === 'editor' ? 'you can edit' : 'view only'}</span>
              </h3>
              <Link href={openHref(l)} aria-label={`Open ${l.name}`} className={linkButton}>
                Open
              </Link>
            </div>
            <CopyableActivities label={`Activities in ${l.name}`} activities={l.activities} mine={mine} run={run} />
            {l.role === 'editor' ? (
              <InlineForm
                aria-label={`Add an activity to ${l.name}`}
                onSubmit={submit(`add-activity-${l.id}`, (d) =>
                  run('createActivity', {
                    id: newId(),
                    libraryId: l.id,
                    name: String(d.get('name') ?? ''),
                    kind: 'scalar',
                    attributes: [
                      { id: newId(), name: 'Weight', type: 'mass' },
                      { id: newId(), name: 'Reps', type: 'integer' },
                    ],
                  }),
                )}
              >
                <div className="flex-1">
                  <TextField
                    label={`New activity in ${l.name}`}
                    name="name"
                    required
                    maxLength={200}
                    error={fieldError(`add-activity-${l.id}`, 'name')}
                  />
                </div>
                <Button type="submit">Add</Button>
              </InlineForm>
            ) : null}
          </Card>
        ))}
      </section>

      <section aria-labelledby="catalogue-heading" className="flex flex-col gap-3">
        <h2 id="catalogue-heading" className="text-lg font-semibold">
          Public catalogue
        </h2>
        {catalogue.isPending ? <p className="text-sm text-zinc-600 dark:text-zinc-400">Loading the catalogue…</p> : null}
        {catalogue.isError ? (
          <p className="text-sm text-zinc-600 dark:text-zinc-400">The catalogue needs a connection; your own libraries work offline.</p>
        ) : null}
        {catalogue.data?.length === 0 ? <p className="text-sm text-zinc-600 dark:text-zinc-400">Nothing has been published yet.</p> : null}
        {catalogue.data?.map((l) => (
          <Card key={l.id} aria-label={`Catalogue: ${l.name}`}>
            <h3 className="font-medium">{l.name}</h3>
            <CopyableActivities activities={l.activities} mine={mine} run={run} fromCatalogue />
          </Card>
        ))}
      </section>
    </Page>
  )
}
