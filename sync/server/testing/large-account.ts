/**
 * A large account in a second or two: an activity made through the push path, then `workouts`
 * entries with one value each written by SQL (the capture triggers on, as any write), so a
 * snapshot of the user holds about twice `workouts` rows, in two tables, one with a composite key.
 */
import { sql } from 'drizzle-orm'
import { rows } from '@/db/rows'
import { strengthActivity } from '@/domain/testing/world'
import type { TestUser } from './harness'

export async function largeAccount(user: TestUser, workouts: number): Promise<{ rows: number }> {
  const device = user.device()
  const squat = strengthActivity(user.libraryId)
  const made = await device.mutate('createActivity', squat.args)
  if (made.status !== 'applied') throw new Error(`createActivity was ${made.status}`)
  const db = device.service.db
  await db.execute(sql`
    with made as (
      insert into entries (id, user_id, activity_id, performed_at)
      select gen_random_uuid(), ${user.id}, ${squat.ids.id}, now() - g * interval '1 minute' from generate_series(1, ${workouts}) g
      returning id
    )
    insert into entry_values (entry_id, attribute_id, user_id, num) select id, ${squat.ids.reps}, ${user.id}, 5 from made`)
  const [count] = await rows<{ n: number }>(
    db,
    sql`select ((select count(*) from entries where user_id = ${user.id}) + (select count(*) from entry_values where user_id = ${user.id}))::int as n`,
  )
  return { rows: count?.n ?? 0 }
}
