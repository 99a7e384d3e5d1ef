'use client'

import Link from 'next/link'
import { useSearchParams } from 'next/navigation'
import { useLocalQuery } from '@/components/sync/use-local-query'
import { useMutations } from '@/components/sync/use-mutations'
import { Button } from '@/components/ui/button'
import { InlineForm } from '@/components/ui/inline-form'
import { Notice } from '@/components/ui/notice'
import { Page } from '@/components/ui/page'
import { NamedOptions, SelectField } from '@/components/ui/select'
import { TextField } from '@/components/ui/text-field'
import { activityInfo, libraryActivities, templateItems } from '@/db/queries/local'
import type { AttributeType } from '@/db/schema'
import type { Db } from '@/db/types'
import { newId } from '@/domain/ids'
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

async function load(db: Db, activityId: string) {
  const activity = await activityInfo(db, activityId)
  if (!activity) return null
  if (activity.kind !== 'sequence') return { activity, items: [], candidates: [] }
  const items = await templateItems(db, activityId)
  const candidates = (await libraryActivities(db, activity.libraryId)).filter((a) => a.id !== activity.id)
  return { activity, items, candidates }
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
  const data = useLocalQuery(['activity-editor', activityId], (db) => load(db, activityId))
  const { run, submit, invalid, fieldError, message } = useMutations()

  if (data.isPending) return <p className="text-zinc-600 dark:text-zinc-400">Loading…</p>
  if (!data.data) return <NoSuchActivity />
  const { activity, items, candidates } = data.data
  return (
    <Page id="editor" title={`Edit ${activity.name}`} gap="gap-6">
      <Notice message={message} />
      <InlineForm
        aria-label="Rename"
        onSubmit={submit('rename', (d) =>
          renamed(d, activity.name, (name) => run('renameActivity', { activityId: activity.id, name }, { done: 'Renamed.' })),
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
              onSubmit={submit('add-item', (d) => {
                const child = candidates.find((c) => c.id === d.get('item.childId'))
                return run(
                  'addTemplateItem',
                  {
                    activityId: activity.id,
                    item: { id: newId(), childId: String(d.get('item.childId')), repeat: Number(d.get('item.repeat') || 1) },
                  },
                  { done: `${child?.name ?? 'The exercise'} added to the template.` },
                )
              })}
            >
              <SelectField label="Exercise" grow name="item.childId" required>
                <NamedOptions items={candidates} />
              </SelectField>
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
              <Button type="submit">Add to template</Button>
            </InlineForm>
          )}
        </section>
      ) : null}
    </Page>
  )
}
