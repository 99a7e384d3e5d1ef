/**
 * Activities and their schemas: the templates a user logs.
 *
 * - `kind` is `scalar` (one set of attribute values) or `sequence` (an ordered template of child
 *   activities, any depth, held in `sequenceItems`).
 * - Duplicate-on-add: a copy records `copiedFromId` (the activity it was copied from),
 *   `originId` (the first activity of the copy chain, used for qualitative equality),
 *   `sourceOwnerId` and `copiedAt`. None of these is a foreign key: the original may be edited or
 *   deleted and the copy must not notice.
 * - Attribute schemas are append-only: `ordinal` and `type` never change once set; attributes are
 *   renamed or retired, never removed (enforced by the mutations and, on the server, by a trigger).
 * - Each edit of a sequence template bumps `templateVersion` and stores the new structure in
 *   `templateVersions`, so an entry can say which version it followed.
 * - `restSeconds` is the rest the workout screen's timer starts after a set of the activity (or,
 *   for a superset block, after a round); null is the app's default (`domain/rest.ts`).
 *
 * Sync: library scope. Every table here carries `libraryId`, so a row's scope is read off the
 * row itself (a cascade deletes children after their parent is gone, when a join would find
 * nothing).
 */
import { sql } from 'drizzle-orm'
import { boolean, check, index, integer, jsonb, pgTable, text, unique, uuid } from 'drizzle-orm/pg-core'
import { createdAt, id, instant, updatedAt } from './columns'
import { libraries } from './libraries'
import { users } from './auth'
import { syncScope } from './sync-scope'

export const activityKinds = ['scalar', 'sequence'] as const
export type ActivityKind = (typeof activityKinds)[number]

export const attributeTypes = ['number', 'integer', 'duration', 'distance', 'mass', 'text', 'choice', 'boolean'] as const
export type AttributeType = (typeof attributeTypes)[number]

/** Canonical storage unit per attribute type; values are always stored in these. */
export const canonicalUnits = {
  number: null,
  integer: null,
  duration: 's',
  distance: 'm',
  mass: 'kg',
  text: null,
  choice: null,
  boolean: null,
} as const satisfies Record<AttributeType, string | null>

export const activities = pgTable(
  'activities',
  {
    id: id(),
    libraryId: uuid()
      .notNull()
      .references(() => libraries.id, { onDelete: 'cascade' }),
    createdBy: uuid().references(() => users.id, { onDelete: 'set null' }),
    name: text().notNull(),
    description: text().notNull().default(''),
    kind: text({ enum: activityKinds }).notNull(),
    templateVersion: integer().notNull().default(1),
    copiedFromId: uuid(),
    originId: uuid().notNull(),
    sourceOwnerId: uuid(),
    copiedAt: instant(),
    deletedAt: instant(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    /**
     * Whole seconds of rest after a set; null is the app's default. Nullable, and null is the
     * only way the default is stored: a row image from before the column (the change log and a
     * device's undo log keep them) is applied with `jsonb_populate_record`, which fills a missing
     * key with null, never with a column default, so a not-null column would refuse it.
     */
    restSeconds: integer(),
  },
  (t) => [
    index().on(t.libraryId),
    index().on(t.originId),
    check('activities_kind_valid', sql`${t.kind} in ('scalar', 'sequence')`),
    check('activities_name_not_blank', sql`length(trim(${t.name})) > 0`),
    check('activities_template_version_positive', sql`${t.templateVersion} >= 1`),
    check('activities_copy_provenance_complete', sql`(${t.copiedFromId} is null) = (${t.copiedAt} is null)`),
    check('activities_rest_seconds_range', sql`${t.restSeconds} is null or ${t.restSeconds} between 0 and 3600`),
  ],
)
syncScope(activities, 'library', activities.libraryId)

export const attributes = pgTable(
  'attributes',
  {
    id: id(),
    activityId: uuid()
      .notNull()
      .references(() => activities.id, { onDelete: 'cascade' }),
    /** Denormalised from the activity: the row's sync scope, known even while it is being deleted. */
    libraryId: uuid().notNull(),
    name: text().notNull(),
    type: text({ enum: attributeTypes }).notNull(),
    /** Canonical storage unit (kg, m, s) or null for unitless types. */
    unit: text(),
    ordinal: integer().notNull(),
    required: boolean().notNull().default(false),
    retiredAt: instant(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    unique('attributes_activity_ordinal_unique').on(t.activityId, t.ordinal),
    index().on(t.libraryId),
    check('attributes_ordinal_nonnegative', sql`${t.ordinal} >= 0`),
    check('attributes_type_valid', sql`${t.type} in ('number', 'integer', 'duration', 'distance', 'mass', 'text', 'choice', 'boolean')`),
    check(
      'attributes_unit_matches_type',
      sql`${t.unit} is not distinct from (case ${t.type} when 'duration' then 's' when 'distance' then 'm' when 'mass' then 'kg' else null end)`,
    ),
    check('attributes_name_not_blank', sql`length(trim(${t.name})) > 0`),
  ],
)
syncScope(attributes, 'library', attributes.libraryId)

export const attributeOptions = pgTable(
  'attribute_options',
  {
    id: id(),
    attributeId: uuid()
      .notNull()
      .references(() => attributes.id, { onDelete: 'cascade' }),
    libraryId: uuid().notNull(),
    label: text().notNull(),
    ordinal: integer().notNull(),
    retiredAt: instant(),
    createdAt: createdAt(),
  },
  (t) => [
    unique('attribute_options_attribute_ordinal_unique').on(t.attributeId, t.ordinal),
    index().on(t.libraryId),
    check('attribute_options_ordinal_nonnegative', sql`${t.ordinal} >= 0`),
    check('attribute_options_label_not_blank', sql`length(trim(${t.label})) > 0`),
  ],
)
syncScope(attributeOptions, 'library', attributeOptions.libraryId)

export const sequenceItems = pgTable(
  'sequence_items',
  {
    id: id(),
    parentId: uuid()
      .notNull()
      .references(() => activities.id, { onDelete: 'cascade' }),
    // Children live in the parent's library and activities are only soft-deleted, so a child is
    // hard-deleted only with its whole library; cascading then spares the delete any dependence
    // on row order (RESTRICT and NO ACTION both fired before the parent's cascade removed the item).
    childId: uuid()
      .notNull()
      .references(() => activities.id, { onDelete: 'cascade' }),
    libraryId: uuid().notNull(),
    /** Position among siblings; reorders rewrite it, so it is indexed but not unique. */
    ordinal: integer().notNull(),
    /** How many times the child repeats at this position (e.g. 5 sets). */
    repeat: integer().notNull().default(1),
    createdAt: createdAt(),
  },
  (t) => [
    index().on(t.parentId, t.ordinal),
    index().on(t.libraryId),
    index().on(t.childId),
    check('sequence_items_not_self', sql`${t.parentId} <> ${t.childId}`),
    check('sequence_items_repeat_positive', sql`${t.repeat} >= 1`),
    check('sequence_items_ordinal_nonnegative', sql`${t.ordinal} >= 0`),
  ],
)
syncScope(sequenceItems, 'library', sequenceItems.libraryId)

/** A frozen copy of a sequence's children at one template version. */
export type TemplateStructure = { childId: string; repeat: number }[]

export const templateVersions = pgTable(
  'template_versions',
  {
    id: id(),
    activityId: uuid()
      .notNull()
      .references(() => activities.id, { onDelete: 'cascade' }),
    libraryId: uuid().notNull(),
    version: integer().notNull(),
    structure: jsonb().$type<TemplateStructure>().notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    unique('template_versions_activity_version_unique').on(t.activityId, t.version),
    index().on(t.libraryId),
    check('template_versions_version_positive', sql`${t.version} >= 1`),
  ],
)
syncScope(templateVersions, 'library', templateVersions.libraryId)
