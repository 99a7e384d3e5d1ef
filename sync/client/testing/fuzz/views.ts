/** What a device holds, as the generators choose from it. */
import { sql } from 'drizzle-orm'
import { rows } from '@/db/rows'
import type { AttributeType } from '@/db/schema'
import type { Db } from '@/db/types'

export type View = {
  libraries: { id: string; ownerId: string; isDefault: boolean }[]
  activities: { id: string; libraryId: string; deleted: boolean }[]
  entries: { id: string; activityId: string }[]
  tags: { id: string; name: string }[]
  members: { libraryId: string; userId: string; role: string }[]
  /** The user's photos on its entries (M5), in each entry's order. */
  photos: { entryId: string; mediaId: string; sha256: string; thumbSha256: string | null; uploaded: boolean }[]
}

export async function viewOf(db: Db): Promise<View> {
  const [row] = await rows<{ v: View }>(
    db,
    sql`select jsonb_build_object(
      'libraries', (select coalesce(jsonb_agg(jsonb_build_object('id', id, 'ownerId', owner_id, 'isDefault', is_default) order by id), '[]') from libraries),
      'activities', (select coalesce(jsonb_agg(jsonb_build_object('id', id, 'libraryId', library_id, 'deleted', deleted_at is not null) order by id), '[]') from activities),
      'entries', (select coalesce(jsonb_agg(jsonb_build_object('id', id, 'activityId', activity_id) order by id), '[]') from entries),
      'tags', (select coalesce(jsonb_agg(jsonb_build_object('id', id, 'name', name) order by id), '[]') from tags),
      'members', (select coalesce(jsonb_agg(jsonb_build_object('libraryId', library_id, 'userId', user_id, 'role', role) order by library_id, user_id), '[]') from library_members),
      'photos', (select coalesce(jsonb_agg(jsonb_build_object('entryId', l.entry_id, 'mediaId', l.media_id, 'sha256', m.sha256, 'thumbSha256', m.thumb_sha256, 'uploaded', m.uploaded_at is not null) order by l.entry_id, l.ordinal, l.media_id), '[]') from entry_media l join media m on m.id = l.media_id)
    ) as v`,
  )
  return row!.v
}

export type AttributeView = {
  id: string
  name: string
  type: AttributeType
  required: boolean
  retired: boolean
  options: { id: string; label: string; retired: boolean }[]
}

export async function attributesOf(db: Db, activityId: string): Promise<AttributeView[]> {
  return rows<AttributeView>(
    db,
    sql`select a.id::text as id, a.name, a.type, a.required, a.retired_at is not null as retired,
               coalesce((select jsonb_agg(jsonb_build_object('id', o.id, 'label', o.label, 'retired', o.retired_at is not null) order by o.ordinal)
                           from attribute_options o where o.attribute_id = a.id), '[]'::jsonb) as options
          from attributes a where a.activity_id = ${activityId}::uuid order by a.ordinal`,
  )
}
