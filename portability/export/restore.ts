/**
 * Restoring an archive (`archive.ts`) into another account: the mutations that recreate its data
 * there with fresh ids, to run one after another as the target user (on the device, so a restore
 * made offline syncs later like anything else logged).
 *
 * Order: settings; libraries (the archive's default library becomes the target's default one,
 * renamed to match; the others are created); activities and their templates, replayed in the
 * order they happened (an activity is created with its first template version, and each later
 * version is one `setTemplate`, so version numbers and structures come out the same); rest
 * between sets; tags; imports; entries, oldest first, one `logEntry` per tree (an imported one
 * through `importWorkouts` in batches, keeping its import, file rows and key), each with its tags; then
 * what would have refused an entry had it come first: required and retired attributes and retired
 * choices (`setAttributes`), and deleted activities (`deleteActivity`, a template before its
 * children).
 *
 * Not reproduced, and why (`canonicalize` leaves exactly these out when comparing archives):
 * - ids: every row gets a fresh one (the target may be on the same server as the source);
 * - created and updated times, and when something was retired, deleted, imported or undone (a
 *   mutation stamps its own time; the facts themselves are kept); when an entry was performed is kept;
 * - copy provenance (`originId`, `copiedFromId`, `sourceOwnerId`, `copiedAt`) and `createdBy`:
 *   a restored activity is new and its own origin, so "previous" and records no longer join two
 *   of the user's activities that were copies of one another, nor a restored one with copies
 *   made in other accounts;
 * - publication: a restored library is private until its owner publishes it again; members and
 *   invitations are not in the archive at all (they are other people's accounts);
 * - the account's name and email (the target keeps its own);
 * - goals and photos: no mutation writes them yet (the archive holds them; photos as metadata only).
 */
import { checkArgsShape, MAX_ARGS_NODES } from '@/domain/mutators/define'
import { MAX_IMPORT_BATCH_NODES, MAX_IMPORT_WORKOUTS } from '@/domain/mutators/imports'
import { MAX_ENTRY_DEPTH, MAX_ENTRY_NODES, type EntryInput } from '@/domain/mutators/entries'
import type { MutatorArgs, MutatorName } from '@/domain/mutators'
import { ArchiveError, type Archive, type ArchiveActivity, type ArchiveData, type ArchiveEntry } from './archive'

export type RestoreMutation = { [N in MutatorName]: { name: N; args: MutatorArgs<N> } }[MutatorName]
/**
 * The account restored into, which should be fresh: its default library takes the archive's
 * default library's name and activities, and a tag name it already has would refuse that
 * `createTag` (and so the restore) part-way. The mutations run as `userId`.
 */
export type RestoreTarget = { userId: string; defaultLibraryId: string }

const mutation = <N extends MutatorName>(name: N, args: MutatorArgs<N>) => ({ name, args }) as RestoreMutation

/** Appends `value` to the list at `key`. */
function add<K, V>(map: Map<K, V[]>, key: K, value: V) {
  const list = map.get(key)
  if (list) list.push(value)
  else map.set(key, [value])
}

/** The archive's activities with their library, in archive order. */
const allActivities = (data: ArchiveData) => data.libraries.flatMap((l) => l.activities.map((a) => ({ activity: a, libraryId: l.id })))

/**
 * Activity creations and template versions in the order they happened, each after what it
 * needs (a template's children exist before it; a version follows the one before): a creation
 * takes its first version's structure, every later version is a `setTemplate`.
 */
function templateSteps(list: ArchiveActivity[]) {
  type Step = { activity: ArchiveActivity; version: number; at: string; order: number; needs: string[] }
  const steps: Step[] = []
  for (const [order, a] of list.entries()) {
    const versions = a.kind === 'sequence' ? [...a.templateVersions].sort((x, y) => x.version - y.version) : []
    steps.push({ activity: a, version: 1, at: a.createdAt, order, needs: (versions[0]?.structure ?? []).map((s) => s.childId) })
    for (const v of versions.slice(1)) {
      steps.push({ activity: a, version: v.version, at: v.createdAt, order, needs: [a.id, ...v.structure.map((s) => s.childId)] })
    }
  }
  const created = new Set<string>()
  const done = new Set<string>()
  const out: Step[] = []
  const key = (s: Step) => `${s.activity.id}:${s.version}`
  const previous = (s: Step) => `${s.activity.id}:${s.version - 1}`
  const ready = (s: Step) => !done.has(key(s)) && (s.version === 1 || done.has(previous(s))) && s.needs.every((n) => created.has(n))
  while (out.length < steps.length) {
    const [next] = steps.filter(ready).sort((x, y) => Date.parse(x.at) - Date.parse(y.at) || x.version - y.version || x.order - y.order)
    if (!next) throw new ArchiveError('This archive is damaged: its templates refer to activities it does not hold, or contain each other.')
    out.push(next)
    done.add(key(next))
    created.add(next.activity.id)
  }
  return out
}

/** The mutations that recreate `archive`'s data as `target`, with ids from `newId`. */
export function restoreMutations(archive: Archive, target: RestoreTarget, newId: () => string): RestoreMutation[] {
  const { data } = archive
  const out: RestoreMutation[] = []
  const ids = new Map<string, string>()
  const fresh = (old: string) => {
    let next = ids.get(old)
    if (!next) ids.set(old, (next = newId()))
    return next
  }
  const mapped = (old: string) => {
    const next = ids.get(old)
    if (!next) throw new ArchiveError(`This archive is damaged: ${old} is referred to but not in it.`)
    return next
  }

  if (data.settings) {
    const { massUnit, distanceUnit, weekStartsOn, storageWindowDays, equipment, keepPhotoLocation } = data.settings
    out.push(
      mutation('updateSettings', {
        massUnit,
        distanceUnit,
        weekStartsOn,
        storageWindowDays,
        equipment,
        ...(typeof keepPhotoLocation === 'boolean' ? { keepPhotoLocation } : {}),
      }),
    )
  }

  const defaults = data.libraries.filter((l) => l.isDefault)
  if (defaults.length > 1) throw new ArchiveError('This archive is damaged: it holds more than one default library.')
  for (const library of data.libraries) {
    if (library.isDefault) {
      ids.set(library.id, target.defaultLibraryId)
      out.push(mutation('renameLibrary', { libraryId: target.defaultLibraryId, name: library.name, description: library.description }))
    } else {
      out.push(mutation('createLibrary', { id: fresh(library.id), name: library.name, description: library.description }))
    }
  }

  const located = allActivities(data)
  const libraryOf = new Map(located.map(({ activity, libraryId }) => [activity.id, libraryId]))
  const activityList = located.map((l) => l.activity)
  const itemsOf = (structure: { childId: string; repeat: number }[]) =>
    structure.map((s) => ({ id: newId(), childId: mapped(s.childId), repeat: s.repeat }))
  for (const step of templateSteps(activityList)) {
    const a = step.activity
    const structure = a.templateVersions.find((v) => v.version === step.version)?.structure ?? a.items
    if (step.version > 1) {
      out.push(mutation('setTemplate', { activityId: mapped(a.id), items: itemsOf(structure) }))
      continue
    }
    const id = fresh(a.id)
    const attributes = a.attributes.map((t) => ({
      id: fresh(t.id),
      name: t.name,
      type: t.type,
      ...(t.type === 'choice' ? { options: t.options.map((o) => ({ id: fresh(o.id), label: o.label })) } : {}),
    }))
    out.push(
      mutation('createActivity', {
        id,
        libraryId: mapped(libraryOf.get(a.id)!),
        name: a.name,
        kind: a.kind,
        description: a.description,
        attributes,
        ...(a.kind === 'sequence' ? { items: itemsOf(structure) } : {}),
      }),
    )
  }
  for (const a of activityList) {
    // The template as it is now, if its last version's structure is the same but its items are other rows.
    const last = [...a.templateVersions].sort((x, y) => y.version - x.version)[0]
    if (
      a.kind === 'sequence' &&
      last &&
      JSON.stringify(last.structure) !== JSON.stringify(a.items.map((i) => ({ childId: i.childId, repeat: i.repeat })))
    ) {
      out.push(mutation('setTemplate', { activityId: mapped(a.id), items: itemsOf(a.items) }))
    }
    if (a.restSeconds !== null) out.push(mutation('setActivityRest', { activityId: mapped(a.id), restSeconds: a.restSeconds }))
  }

  for (const tag of data.tags) {
    out.push(mutation('createTag', { id: fresh(tag.id), name: tag.name, ...(tag.color ? { color: tag.color } : {}) }))
  }

  const versionOf = new Map(activityList.map((a) => [a.id, a.templateVersion]))
  const choices = new Set(activityList.flatMap((a) => a.attributes.filter((t) => t.type === 'choice').map((t) => t.id)))
  const tagsOf = new Map<string, string[]>()
  for (const t of data.entryTags) add(tagsOf, t.entryId, t.tagId)
  // Imported entries keep their import, file rows and workout keys: re-importing the same file
  // into the restored account skips them, and the import can still be undone.
  const undone = new Set(data.imports.filter((i) => i.undoneAt !== null).map((i) => i.id))
  for (const i of data.imports) {
    out.push(mutation('startImport', { id: fresh(i.id), source: i.source, fileName: i.fileName, fileRows: i.fileRows }))
    if (undone.has(i.id)) out.push(mutation('undoImport', { importId: mapped(i.id) }))
  }
  type Batch = {
    importId: string
    workouts: MutatorArgs<'importWorkouts'>['workouts']
    nodes: number
    values: number
    tags: RestoreMutation[]
  }
  let batch: Batch | undefined
  const flush = () => {
    if (!batch) return
    out.push(mutation('importWorkouts', { importId: mapped(batch.importId), workouts: batch.workouts }), ...batch.tags)
    batch = undefined
  }
  const roots = [...data.entries].sort((a, b) => Date.parse(a.performedAt) - Date.parse(b.performedAt))
  for (const root of roots) {
    const size = countNodes(root)
    if (size > MAX_ENTRY_NODES) {
      throw new ArchiveError(`The entry of ${root.performedAt} holds ${size} entries; Cadence logs at most ${MAX_ENTRY_NODES} in one.`)
    }
    const entry = { ...entryInput(root, root.performedAt, fresh, mapped, versionOf, choices, 1), performedAt: root.performedAt }
    const tagged: RestoreMutation[] = []
    const walk = (e: ArchiveEntry) => {
      for (const tagId of tagsOf.get(e.id) ?? []) tagged.push(mutation('tagEntry', { entryId: mapped(e.id), tagId: mapped(tagId) }))
      e.children.forEach(walk)
    }
    walk(root)
    const rows = importRowsOf(root)
    if (rows && root.importId && root.importKey && !undone.has(root.importId)) {
      if (!data.imports.some((i) => i.id === root.importId))
        throw new ArchiveError(`This archive is damaged: import ${root.importId} is not in it.`)
      const workout = { key: root.importKey, entry, rows }
      const values = valueCount(workout)
      if (
        batch &&
        (batch.importId !== root.importId ||
          batch.workouts.length >= MAX_IMPORT_WORKOUTS ||
          batch.nodes + size > MAX_IMPORT_BATCH_NODES ||
          batch.values + values > MAX_ARGS_NODES / 2)
      ) {
        flush()
      }
      batch ??= { importId: root.importId, workouts: [], nodes: 0, values: 0, tags: [] }
      batch.workouts.push(workout)
      batch.nodes += size
      batch.values += values
      batch.tags.push(...tagged)
      continue
    }
    flush()
    const log = mutation('logEntry', { entry })
    checkArgsShape(log.args)
    out.push(log, ...tagged)
  }
  flush()

  // Last, what would have refused an entry logged before it: required and retired attributes, retired choices.
  const marked = (t: ArchiveActivity['attributes'][number]) =>
    t.required || t.retiredAt !== null || t.options.some((o) => o.retiredAt !== null)
  for (const a of activityList) {
    if (!a.attributes.some(marked)) continue
    out.push(
      mutation('setAttributes', {
        activityId: mapped(a.id),
        attributes: a.attributes.map((t) => ({
          id: mapped(t.id),
          name: t.name,
          type: t.type,
          required: t.required,
          retired: t.retiredAt !== null,
          ...(t.type === 'choice'
            ? { options: t.options.map((o) => ({ id: mapped(o.id), label: o.label, retired: o.retiredAt !== null })) }
            : {}),
        })),
      }),
    )
  }
  for (const a of deletionOrder(activityList)) out.push(mutation('deleteActivity', { activityId: mapped(a.id) }))
  return out
}

/** Every node's file row in tree order (a node before its children), or null when a node has none. */
function importRowsOf(root: ArchiveEntry): number[] | null {
  const rows: number[] = []
  const walk = (e: ArchiveEntry): boolean => e.importRow !== null && rows.push(e.importRow) > 0 && e.children.every(walk)
  return walk(root) ? rows : null
}

/** How many values `checkArgsShape` counts in `value` (its limit is for one mutation's arguments). */
function valueCount(value: unknown): number {
  if (value === null || typeof value !== 'object') return 1
  return 1 + (Array.isArray(value) ? value : Object.values(value)).reduce((n: number, v) => n + valueCount(v), 0)
}

function countNodes(e: ArchiveEntry): number {
  return 1 + e.children.reduce((n, c) => n + countNodes(c), 0)
}

/** An archived entry tree as `logEntry` takes it; fields equal to what the mutation would fill in are left out, so large trees stay small. */
function entryInput(
  e: ArchiveEntry,
  rootTime: string,
  fresh: (id: string) => string,
  mapped: (id: string) => string,
  versionOf: Map<string, number>,
  choices: Set<string>,
  depth: number,
): EntryInput {
  if (depth > MAX_ENTRY_DEPTH) throw new ArchiveError(`An entry of ${rootTime} is nested deeper than Cadence allows (${MAX_ENTRY_DEPTH}).`)
  const values = Object.fromEntries(
    e.values.map((v) => [mapped(v.attributeId), choices.has(v.attributeId) && typeof v.value === 'string' ? mapped(v.value) : v.value]),
  )
  return {
    id: fresh(e.id),
    activityId: mapped(e.activityId),
    ...(Date.parse(e.performedAt) === Date.parse(rootTime) ? {} : { performedAt: e.performedAt }),
    ...(e.notes ? { notes: e.notes } : {}),
    ...(e.templateVersion === versionOf.get(e.activityId) ? {} : { templateVersion: e.templateVersion }),
    ...(Object.keys(values).length > 0 ? { values } : {}),
    ...(e.setType === 'normal' ? {} : { setType: e.setType }),
    ...(e.children.length > 0
      ? { children: e.children.map((c) => entryInput(c, rootTime, fresh, mapped, versionOf, choices, depth + 1)) }
      : {}),
  }
}

/**
 * The deleted activities in an order `deleteActivity` accepts: a template before the activities
 * in it (a child of a live template cannot be deleted, and a deleted one has no live parent).
 */
function deletionOrder(list: ArchiveActivity[]): ArchiveActivity[] {
  const deleted = list.filter((a) => a.deletedAt !== null)
  const parentsOf = new Map<string, string[]>()
  for (const a of deleted) for (const i of a.items) add(parentsOf, i.childId, a.id)
  const out: ArchiveActivity[] = []
  const done = new Set<string>()
  while (out.length < deleted.length) {
    const next = deleted.find((a) => !done.has(a.id) && (parentsOf.get(a.id) ?? []).every((p) => done.has(p) || p === a.id))
    if (!next) throw new ArchiveError('This archive is damaged: its deleted templates contain each other.')
    out.push(next)
    done.add(next.id)
  }
  return out
}

// Comparing -----------------------------------------------------------------------------------

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** The text of a value with every id blanked: what sorts rows whose order their ids would otherwise decide. */
const signature = (value: unknown) => JSON.stringify(value, (_, v: unknown) => (typeof v === 'string' && uuidPattern.test(v) ? '#' : v))
const bySignature = <T>(list: T[], first: (t: T) => string = () => '') =>
  list
    .map((t) => ({ t, key: `${first(t)}\u0000${signature(t)}` }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map(({ t }) => t)

/**
 * An archive's data as a restore can reproduce it, for comparing two archives: what a restore
 * cannot keep (see the module's doc) is left out or reduced to a flag (`retired`, `deleted`),
 * each entry carries its tags' names, rows are in an order that does not depend on ids, and
 * every id is replaced by its number in order of first appearance (`#1`, `#2`, …) in a walk of
 * the result with keys sorted.
 */
export function canonicalize(archive: Archive): unknown {
  const { data } = archive
  const tagName = new Map(data.tags.map((t) => [t.id, t.name]))
  const tagsOf = new Map<string, string[]>()
  for (const t of data.entryTags) add(tagsOf, t.entryId, tagName.get(t.tagId) ?? t.tagId)
  const entry = (e: ArchiveEntry): unknown => ({
    id: e.id,
    activityId: e.activityId,
    performedAt: new Date(e.performedAt).toISOString(),
    notes: e.notes,
    setType: e.setType,
    templateVersion: e.templateVersion,
    values: e.values,
    tags: [...(tagsOf.get(e.id) ?? [])].sort(),
    importId: e.importId,
    importRow: e.importRow,
    importKey: e.importKey,
    children: e.children.map(entry),
  })
  const shaped = {
    settings: data.settings && { ...data.settings, updatedAt: undefined },
    libraries: bySignature(
      data.libraries.map((l) => ({
        id: l.id,
        name: l.name,
        description: l.description,
        isDefault: l.isDefault,
        activities: bySignature(
          l.activities.map((a) => ({
            id: a.id,
            name: a.name,
            description: a.description,
            kind: a.kind,
            templateVersion: a.templateVersion,
            restSeconds: a.restSeconds,
            deleted: a.deletedAt !== null,
            attributes: a.attributes.map((t) => ({
              id: t.id,
              name: t.name,
              type: t.type,
              unit: t.unit,
              ordinal: t.ordinal,
              required: t.required,
              retired: t.retiredAt !== null,
              options: t.options.map((o) => ({ id: o.id, label: o.label, ordinal: o.ordinal, retired: o.retiredAt !== null })),
            })),
            items: a.items.map((i) => ({ id: i.id, childId: i.childId, ordinal: i.ordinal, repeat: i.repeat })),
            templateVersions: a.templateVersions.map((v) => ({ id: v.id, version: v.version, structure: v.structure })),
          })),
        ),
      })),
      (l) => (l.isDefault ? '0' : '1'),
    ),
    tags: bySignature(
      data.tags.map((t) => ({ id: t.id, name: t.name, color: t.color })),
      (t) => t.name,
    ),
    entries: bySignature(data.entries.map(entry), (e) => (e as { performedAt: string }).performedAt),
    imports: bySignature(
      data.imports.map((i) => ({ id: i.id, source: i.source, fileName: i.fileName, fileRows: i.fileRows, undone: i.undoneAt !== null })),
    ),
  }
  const numbers = new Map<string, string>()
  const renumber = (value: unknown): unknown => {
    if (typeof value === 'string' && uuidPattern.test(value)) {
      if (!numbers.has(value)) numbers.set(value, `#${numbers.size + 1}`)
      return numbers.get(value)
    }
    if (Array.isArray(value)) return value.map(renumber)
    if (value === null || typeof value !== 'object') return value
    const out: Record<string, unknown> = {}
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key]
      if (v !== undefined) out[key] = renumber(v)
    }
    return out
  }
  return renumber(shaped)
}
