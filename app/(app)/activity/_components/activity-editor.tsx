'use client'

import Link from 'next/link'
import { useRouter, useSearchParams } from 'next/navigation'
import { useState } from 'react'
import { ExercisePicker } from '@/components/exercise-picker'
import { useLocalQuery } from '@/components/sync/use-local-query'
import { useMutations } from '@/components/sync/use-mutations'
import { Button } from '@/components/ui/button'
import { InlineForm } from '@/components/ui/inline-form'
import { Notice } from '@/components/ui/notice'
import { Page } from '@/components/ui/page'
import { NamedOptions, SelectField } from '@/components/ui/select'
import { TextField } from '@/components/ui/text-field'
import { activityInfo, libraryActivities, ownedLibraries, templateItems } from '@/db/queries/local'
import type { AttributeType } from '@/db/schema'
import type { Db } from '@/db/types'
import { sameName, suggestedNames } from '@/domain/duplicate-names'
import { newId } from '@/domain/ids'
import { idSchema } from '@/domain/mutators/define'
import { DEFAULT_REST_SECONDS, parseRestText, restText } from '@/domain/rest'
import { formatDuration } from '@/domain/units'
import { NoSuchActivity } from '../../_components/no-such-activity'

const typeLabels: Partial<Record<AttributeType, string>> = {
  mass: 'Weight',
  integer: 'Whole number',
  number: 'Number',
  duration: 'Time',
  distance: 'Distance',
  text: 'Text',
  boolean: 'Yes / no',
}

/**
 * The activity, or null when there is none to edit: an id that is not a UUID (never sent to the
 * database, which would refuse it), one not on this device, or one deleted (hidden from its
 * library). With it, the user's other libraries it can be copied or moved to.
 */
async function load(db: Db, userId: string, activityId: string) {
  if (!idSchema.safeParse(activityId).success) return null
  const activity = await activityInfo(db, activityId)
  if (!activity) return null
  const siblings = await libraryActivities(db, activity.libraryId)
  if (!siblings.some((a) => a.id === activity.id)) return null
  const owned = await ownedLibraries(db, userId)
  const library = owned.find((l) => l.id === activity.libraryId)
  const place = { libraryHref: library?.isDefault ? '/' : `/?library=${activity.libraryId}`, libraryName: library?.name }
  const targets = owned.filter((l) => l.id !== activity.libraryId).map((l) => ({ id: l.id, name: l.name, isDefault: l.isDefault }))
  if (activity.kind !== 'sequence') return { activity, items: [], candidates: [], siblings, targets, ...place }
  const items = await templateItems(db, activityId)
  const candidates = siblings.filter((a) => a.id !== activity.id)
  return { activity, items, candidates, siblings, targets, ...place }
}

/**
 * A rename form's submit: the new name, or nothing sent when the name is the one shown, so an
 * untouched form never puts this device's copy over another device's rename (SPEC B14).
 */
async function renamed(data: FormData, shown: string, rename: (name: string) => Promise<boolean>): Promise<boolean> {
  const name = String(data.get('name') ?? '')
  return name.trim() === shown ? true : rename(name)
}

/**
 * The rest form's submit: the rest typed (empty is the default), or nothing sent when it is the
 * rest shown, so an untouched form never puts this device's value over another's (SPEC B14).
 * Text that is not a time is refused beside the field; the bounds are the mutation's.
 */
async function restSaved(
  data: FormData,
  shown: number | null,
  refuse: (message: string) => void,
  save: (restSeconds: number | null) => Promise<boolean>,
): Promise<boolean> {
  const typed = parseRestText(String(data.get('restSeconds') ?? ''))
  if (typed instanceof Error) {
    refuse(typed.message)
    return false
  }
  return typed === shown ? true : save(typed)
}

/**
 * The activity editor: rename; an exercise's rest between sets (what the workout's rest timer
 * starts); attributes appended, renamed or retired (never removed, re-typed or re-ordered, and
 * it says why); a workout's template built and rebuilt: add an exercise with its sets, move one
 * up or down, remove one. Each template change makes a new template version,
 * so the guided workout knows when "last time" followed a different plan.
 */
export function ActivityEditor() {
  const activityId = useSearchParams().get('id') ?? ''
  const router = useRouter()
  const data = useLocalQuery(['activity-editor', activityId], (db, userId) => load(db, userId, activityId))
  const { run, submit, invalid, fieldError, message } = useMutations()
  const [target, setTarget] = useState('')
  // The template item's exercise, picked by search; and the name a rename was warned about.
  const [child, setChild] = useState('')
  const [renameWarned, setRenameWarned] = useState('')

  if (data.isPending) return <p className="text-zinc-600 dark:text-zinc-400">Loading…</p>
  if (!data.data) return <NoSuchActivity />
  const { activity, items, candidates, siblings, targets, libraryHref, libraryName } = data.data
  const chosen = targets.find((l) => l.id === target) ?? targets[0]
  return (
    <Page id="editor" title={`Edit ${activity.name}`} gap="gap-6">
      <Notice message={message} />
      <InlineForm
        aria-label="Rename"
        onSubmit={submit('rename', (d) =>
          renamed(d, activity.name, async (name) => {
            // A name another activity of the library has is warned about once, with names that tell the two apart.
            const clash = sameName(name, siblings, activity.id)
            if (clash && renameWarned !== name.trim()) {
              setRenameWarned(name.trim())
              const names = suggestedNames(name, siblings)
                .slice(0, 2)
                .map((n) => `“${n}”`)
              invalid('rename', {
                name: `“${clash.name}” is already in this library. Rename again to keep two of that name, or tell them apart: ${names.join(' or ')}.`,
              })
              return false
            }
            return run('renameActivity', { activityId: activity.id, name }, { done: 'Renamed.' })
          }),
        )}
      >
        <div className="flex-1">
          <TextField
            label="Name"
            name="name"
            defaultValue={activity.name}
            key={activity.name}
            required
            maxLength={200}
            error={fieldError('rename', 'name')}
          />
        </div>
        <Button type="submit">Rename</Button>
      </InlineForm>

      {activity.kind === 'scalar' ? (
        <InlineForm
          aria-label="Rest between sets"
          onSubmit={submit('rest', (d) =>
            restSaved(
              d,
              activity.restSeconds,
              (text) => invalid('rest', { restSeconds: text }),
              (restSeconds) =>
                run(
                  'setActivityRest',
                  { activityId: activity.id, restSeconds },
                  {
                    done:
                      restSeconds === null
                        ? `Rest set back to the default, ${formatDuration(DEFAULT_REST_SECONDS)}.`
                        : `Rest between sets: ${formatDuration(restSeconds)}.`,
                  },
                ),
            ),
          )}
        >
          <div className="flex-1">
            <TextField
              label="Rest between sets (m:ss)"
              name="restSeconds"
              defaultValue={restText(activity.restSeconds)}
              key={String(activity.restSeconds)}
              placeholder={`${formatDuration(DEFAULT_REST_SECONDS)} (default)`}
              autoComplete="off"
              error={fieldError('rest', 'restSeconds')}
            />
          </div>
          <Button type="submit">Save rest</Button>
        </InlineForm>
      ) : null}

      <section aria-labelledby="attributes-heading" className="flex flex-col gap-3">
        <h2 id="attributes-heading" className="text-lg font-semibold">
          What you record
        </h2>
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          Fields can be added and renamed, but not removed, re-typed or re-ordered: entries you already logged use them. Retire a field to
          hide it from new entries; old entries keep showing it.
        </p>
        <ul aria-label="Fields" className="flex flex-col gap-2">
          {activity.attributes.map((a) => (
            <li key={a.id} className="flex flex-wrap items-end gap-2 rounded-lg border border-zinc-200 p-3 dark:border-zinc-800">
              <form
                className="flex flex-1 items-end gap-2"
                aria-label={`Rename field ${a.name}`}
                onSubmit={submit(`rename-${a.id}`, (d) =>
                  renamed(d, a.name, (name) => run('renameAttribute', { attributeId: a.id, name }, { done: 'Field renamed.' })),
                )}
              >
                <div className="flex-1">
                  <TextField
                    label={`${typeLabels[a.type] ?? a.type}${a.retired ? ' · retired' : ''}`}
                    name="name"
                    defaultValue={a.name}
                    key={a.name}
                    required
                    maxLength={200}
                    error={fieldError(`rename-${a.id}`, 'name')}
                  />
                </div>
                <Button type="submit" variant="secondary">
                  Rename
                </Button>
              </form>
              <Button
                variant="ghost"
                onClick={() =>
                  void run(
                    'retireAttribute',
                    { attributeId: a.id, retired: !a.retired },
                    {
                      done: a.retired
                        ? `${a.name} is back for new entries.`
                        : `${a.name} is retired: hidden for new entries, kept on old ones.`,
                    },
                  )
                }
              >
                {a.retired ? `Restore ${a.name}` : `Retire ${a.name}`}
              </Button>
            </li>
          ))}
        </ul>
        <InlineForm
          aria-label="Add a field"
          onSubmit={submit('add-field', (d) =>
            run(
              'appendAttribute',
              {
                activityId: activity.id,
                attribute: {
                  id: newId(),
                  name: String(d.get('attribute.name') ?? ''),
                  type: String(d.get('attribute.type')) as AttributeType,
                },
              },
              { done: 'Field added.' },
            ),
          )}
        >
          <div className="flex-1">
            <TextField label="New field" name="attribute.name" required maxLength={200} error={fieldError('add-field', 'attribute.name')} />
          </div>
          <SelectField label="Kind" name="attribute.type" defaultValue="integer">
            {Object.entries(typeLabels).map(([type, label]) => (
              <option key={type} value={type}>
                {label}
              </option>
            ))}
          </SelectField>
          <Button type="submit">Add field</Button>
        </InlineForm>
      </section>

      {activity.kind === 'sequence' ? (
        <section aria-labelledby="template-heading" className="flex flex-col gap-3">
          <h2 id="template-heading" className="text-lg font-semibold">
            Template <span className="text-sm font-normal text-zinc-500">version {activity.templateVersion}</span>
          </h2>
          <p className="text-sm text-zinc-600 dark:text-zinc-400">
            Changing the template starts a new version. Workouts you already logged keep the plan they followed; the next workout says the
            plan changed instead of comparing set by set.
          </p>
          {items.length === 0 ? <p className="text-sm text-zinc-600 dark:text-zinc-400">No exercises yet.</p> : null}
          <ol aria-label="Template" className="flex flex-col gap-2">
            {items.map((item, index) => {
              const label = `${item.name} (${index + 1} of ${items.length})`
              return (
                <li key={item.id} className="flex flex-wrap items-center gap-2 rounded-lg border border-zinc-200 p-2 dark:border-zinc-800">
                  <span className="flex-1">
                    {item.name} × {item.repeat}
                  </span>
                  <Button
                    variant="ghost"
                    aria-label={`Move ${label} up`}
                    disabled={index === 0}
                    onClick={() =>
                      void run(
                        'moveTemplateItem',
                        { activityId: activity.id, itemId: item.id, position: index - 1 },
                        { done: `${item.name} moved up.` },
                      )
                    }
                  >
                    Up
                  </Button>
                  <Button
                    variant="ghost"
                    aria-label={`Move ${label} down`}
                    disabled={index === items.length - 1}
                    onClick={() =>
                      void run(
                        'moveTemplateItem',
                        { activityId: activity.id, itemId: item.id, position: index + 1 },
                        { done: `${item.name} moved down.` },
                      )
                    }
                  >
                    Down
                  </Button>
                  <Button
                    variant="ghost"
                    aria-label={`Remove ${label}`}
                    onClick={() =>
                      void run(
                        'removeTemplateItem',
                        { activityId: activity.id, itemId: item.id },
                        { done: `${item.name} removed from the template.` },
                      )
                    }
                  >
                    Remove
                  </Button>
                </li>
              )
            })}
          </ol>
          {candidates.length === 0 ? (
            <p className="text-sm text-zinc-600 dark:text-zinc-400">
              Add an exercise to your{' '}
              <Link href="/" className="underline">
                library
              </Link>{' '}
              first; a template is built from it.
            </p>
          ) : (
            <InlineForm
              aria-label="Add to the template"
              onSubmit={submit('add-item', async (d) => {
                const picked = candidates.find((c) => c.id === d.get('item.childId'))
                const ok = await run(
                  'addTemplateItem',
                  {
                    activityId: activity.id,
                    item: { id: newId(), childId: String(d.get('item.childId')), repeat: Number(d.get('item.repeat') || 1) },
                  },
                  { done: `${picked?.name ?? 'The exercise'} added to the template.` },
                )
                if (ok) setChild('')
                return ok
              })}
            >
              <input type="hidden" name="item.childId" value={child} />
              <ExercisePicker
                label="Exercise"
                items={candidates}
                selectedId={child}
                listWhenEmpty={candidates.length <= 8}
                library={{ id: activity.libraryId, activities: siblings }}
                onPick={setChild}
              />
              <TextField
                label="Sets"
                name="item.repeat"
                type="number"
                inputMode="numeric"
                min={1}
                max={50}
                defaultValue={3}
                required
                error={fieldError('add-item', 'item.repeat')}
              />
              <Button type="submit" disabled={!child}>
                Add to template
              </Button>
            </InlineForm>
          )}
        </section>
      ) : null}

      <section aria-labelledby="library-heading" className="flex flex-col gap-3">
        <h2 id="library-heading" className="text-lg font-semibold">
          Library
        </h2>
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          {libraryName ? `In ${libraryName}. ` : null}A copy is a new activity of its own: later changes to either leave the other alone. A
          move copies it there and deletes it here; what you logged with it stays in your history and its progress carries on.
        </p>
        {chosen ? (
          <form
            aria-label="Copy or move to another library"
            className="flex flex-col gap-2 sm:flex-row sm:items-end"
            onSubmit={(e) => e.preventDefault()}
          >
            <SelectField label="To library" grow name="libraryId" value={chosen.id} onChange={(e) => setTarget(e.target.value)}>
              <NamedOptions items={targets} />
            </SelectField>
            <Button
              type="button"
              variant="secondary"
              onClick={() =>
                void run(
                  'addActivityToLibrary',
                  { id: newId(), sourceActivityId: activity.id, libraryId: chosen.id },
                  { done: `A copy of ${activity.name} is in ${chosen.name}.` },
                )
              }
            >
              Copy
            </Button>
            <Button
              type="button"
              variant="secondary"
              onClick={async () => {
                const id = newId()
                if (
                  await run(
                    'moveActivity',
                    { id, activityId: activity.id, libraryId: chosen.id },
                    { done: `${activity.name} moved to ${chosen.name}.` },
                  )
                ) {
                  router.replace(`/activity?id=${id}`)
                }
              }}
            >
              Move
            </Button>
          </form>
        ) : (
          <p className="text-sm text-zinc-600 dark:text-zinc-400">
            To copy or move it, first create another library on the{' '}
            <Link href="/libraries" className="underline">
              Libraries
            </Link>{' '}
            page.
          </p>
        )}
        <div>
          <Button
            variant="secondary"
            className="text-red-700! dark:text-red-400!"
            onClick={async () => {
              if (!window.confirm(`Delete ${activity.name}? It leaves its library; what you logged with it stays in your history.`)) return
              if (await run('deleteActivity', { activityId: activity.id })) router.push(libraryHref)
            }}
          >
            Delete {activity.name}
          </Button>
        </div>
      </section>
    </Page>
  )
}
