/**
 * Test worlds for the shared mutations: a database (server or device schema, PGlite or
 * PostgreSQL), users with their default libraries, and a way to run a mutation as someone.
 */
import { eq } from 'drizzle-orm'
import { provisionUser } from '@/db/queries/libraries'
import { libraries, users } from '@/db/schema'
import type { Db } from '@/db/types'
import { applyMutation, type MutationOutcome } from '../apply'
import { newId } from '../ids'
import type { MutatorArgs, MutatorName } from '../mutators'
import type { MutationContext } from '../mutators/define'
import type { AttributeInput } from '../mutators/attributes'

export type Backend = { db: Db; runtime: MutationContext['runtime']; close(): Promise<void> }

export type World = Backend & {
  user(name: string): Promise<{ id: string; libraryId: string }>
  run<N extends MutatorName>(userId: string, name: N, args: MutatorArgs<N>): Promise<MutationOutcome>
  /** Runs a mutation that must apply; fails the test with the refusal otherwise. */
  ok<N extends MutatorName>(userId: string, name: N, args: MutatorArgs<N>): Promise<void>
}

export function world(backend: Backend): World {
  const { db, runtime } = backend
  return {
    ...backend,
    async user(name) {
      const id = newId()
      await db.insert(users).values({ id, name, email: `${name.toLowerCase()}-${id}@example.com` })
      await provisionUser(db, id, name)
      const [library] = await db.select().from(libraries).where(eq(libraries.ownerId, id))
      return { id, libraryId: library!.id }
    },
    run: (userId, name, args) => applyMutation(db, { userId, name, args, runtime }),
    async ok(userId, name, args) {
      const outcome = await applyMutation(db, { userId, name, args, runtime })
      if (outcome.status !== 'applied') throw new Error(`${name} was rejected: ${outcome.code}: ${outcome.message}`)
    },
  }
}

/** Arguments for a scalar strength exercise with weight, reps and a choice of grip. */
export function strengthActivity(
  libraryId: string,
  name = 'Back squat',
): {
  ids: Record<'id' | 'weight' | 'reps' | 'grip' | 'wide' | 'narrow', string>
  args: MutatorArgs<'createActivity'> & { attributes: AttributeInput[] }
} {
  const ids = { id: newId(), weight: newId(), reps: newId(), grip: newId(), wide: newId(), narrow: newId() }
  return {
    ids,
    args: {
      id: ids.id,
      libraryId,
      name,
      kind: 'scalar' as const,
      attributes: [
        { id: ids.weight, name: 'Weight', type: 'mass' as const },
        { id: ids.reps, name: 'Reps', type: 'integer' as const, required: true },
        {
          id: ids.grip,
          name: 'Grip',
          type: 'choice' as const,
          options: [
            { id: ids.wide, label: 'Wide' },
            { id: ids.narrow, label: 'Narrow' },
          ],
        },
      ],
    },
  }
}

/** Creates an activity with a fresh id in `owner`'s default library, as `owner`; returns the id. */
export async function createActivity(
  w: World,
  owner: { id: string; libraryId: string },
  fields: Omit<MutatorArgs<'createActivity'>, 'id' | 'libraryId'>,
): Promise<string> {
  const id = newId()
  await w.ok(owner.id, 'createActivity', { id, libraryId: owner.libraryId, ...fields })
  return id
}

/**
 * A strength exercise "Squat" and a sequence `name` of it done `repeat` times, both created by
 * `owner` in their default library; returns the sequence's id and the exercise.
 */
export async function strengthSequence(w: World, owner: { id: string; libraryId: string }, name: string, repeat: number) {
  const child = strengthActivity(owner.libraryId, 'Squat')
  await w.ok(owner.id, 'createActivity', child.args)
  const id = await createActivity(w, owner, {
    name,
    kind: 'sequence',
    attributes: [],
    items: [{ id: newId(), childId: child.ids.id, repeat }],
  })
  return { id, child }
}
