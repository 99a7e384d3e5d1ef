/**
 * Libraries, who may read or edit them, and invitations.
 *
 * A library has exactly one owner. Others are members with a role: `viewer` reads, `editor`
 * also changes activities. A published library is readable by everyone (public catalogue).
 *
 * Sync: library scope (one scope per library a user may read).
 */
import { sql } from 'drizzle-orm'
import { boolean, check, index, pgTable, primaryKey, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core'
import { users } from './auth'
import { createdAt, id, instant, updatedAt } from './columns'
import { syncScope } from './sync-scope'

export const memberRoles = ['viewer', 'editor'] as const
export type MemberRole = (typeof memberRoles)[number]

export const libraries = pgTable(
  'libraries',
  {
    id: id(),
    ownerId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    name: text().notNull(),
    description: text().notNull().default(''),
    /** The user's default library, made at sign-up; exactly one per user. */
    isDefault: boolean().notNull().default(false),
    publishedAt: instant(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index().on(t.ownerId),
    index('libraries_published_idx')
      .on(t.publishedAt)
      .where(sql`${t.publishedAt} is not null`),
    // One default library per owner.
    uniqueIndex('libraries_one_default_per_owner')
      .on(t.ownerId)
      .where(sql`${t.isDefault}`),
    check('libraries_name_not_blank', sql`length(trim(${t.name})) > 0`),
  ],
)
syncScope(libraries, 'library', libraries.id)

export const libraryMembers = pgTable(
  'library_members',
  {
    libraryId: uuid()
      .notNull()
      .references(() => libraries.id, { onDelete: 'cascade' }),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    role: text({ enum: memberRoles }).notNull(),
    grantedBy: uuid().references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.libraryId, t.userId] }),
    index().on(t.userId),
    check('library_members_role_valid', sql`${t.role} in ('viewer', 'editor')`),
  ],
)
syncScope(libraryMembers, 'library', libraryMembers.libraryId)

export const libraryInvites = pgTable(
  'library_invites',
  {
    id: id(),
    libraryId: uuid()
      .notNull()
      .references(() => libraries.id, { onDelete: 'cascade' }),
    email: text().notNull(),
    role: text({ enum: memberRoles }).notNull(),
    invitedBy: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    expiresAt: instant().notNull(),
    acceptedAt: instant(),
    revokedAt: instant(),
    createdAt: createdAt(),
  },
  (t) => [index().on(t.libraryId), index().on(t.email), check('library_invites_role_valid', sql`${t.role} in ('viewer', 'editor')`)],
)
syncScope(libraryInvites, 'library', libraryInvites.libraryId)
