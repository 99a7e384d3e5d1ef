/** How a device's held requests are answered, and how an operation's end is judged. */
import { MutationError } from '@/domain/errors'
import { TransportError } from '../../transport'
import { remember } from './generators'
import { fates, type Fate } from './network'
import { describeError, describeMutation, type AnyMutation, type Device, type World } from './world'

/**
 * Queues `m` on the device and returns its id; a local refusal is fine (B1: undefined), anything
 * else is a bug.
 */
export async function queue(w: World, d: Device, m: AnyMutation): Promise<number | undefined> {
  remember(w, d.user, m)
  try {
    const id = await d.client.mutate(m.name, m.args as never)
    record(w, d, id, m)
    return id
  } catch (error) {
    if (!(error instanceof MutationError)) w.fail(`${d.name} mutate ${m.name} threw ${describeError(error)}`)
    w.count('refusedLocally')
    // B1: a write no push could carry is refused when it is made.
    if (/too large|bytes/i.test(error.message)) w.count('refusedTooLarge')
    w.log(`${d.name} refused ${describeMutation(m)}: ${error.code}`)
    return undefined
  }
}

/** Notes a mutation the device queued under `id`, for the final check of its result. */
export function record(w: World, d: Device, id: number, m: AnyMutation) {
  d.queued.set(id, { name: m.name, args: m.args as Record<string, unknown>, step: w.step })
  w.count('queued')
  w.log(`${d.name} #${id} ${describeMutation(m)}`)
}

/**
 * Answers `d`'s held requests (each with a random fate, or delivered when `faults` is off) until
 * every one of `ops` has settled. With several requests held, a random one goes first.
 */
export async function serve(w: World, d: Device, ops: Promise<unknown>[], faults: boolean) {
  let done = false
  const settled = Promise.allSettled(ops).then(() => {
    done = true
  })
  for (;;) {
    if (d.wire.held.length > 0) {
      await answer(w, d, w.rng.int(0, d.wire.held.length - 1), faults)
      continue
    }
    if (done) return
    await Promise.race([settled, d.wire.waitFor(1)])
  }
}

async function answer(w: World, d: Device, i: number, faults: boolean) {
  const held = d.wire.held[i]!
  const fate: Fate = faults ? w.rng.weighted(fates[held.kind]) : 'deliver'
  w.count(`${held.kind}:${fate}`)
  if (i > 0) w.count('reordered')
  if (fate !== 'deliver' || i > 0)
    w.log(
      `  ${d.name} ${held.kind === 'media' ? `media ${held.method}` : held.kind}${i > 0 ? ` (held #${i} first)` : ''} → ${fate}${d.net.online ? '' : ' (offline)'}`,
    )
  switch (fate) {
    case 'deliver':
      return d.wire.deliver(i)
    case 'dropRequest':
      return d.wire.dropRequest(i)
    case 'dropResponse':
      return d.wire.dropResponse(i)
    case 'duplicate':
      return d.wire.duplicate(i)
    case 'crash':
      d.net.crashAfter = w.rng.int(0, 2)
      return d.wire.deliver(i)
    case 'cut':
      d.net.cutAfter = w.rng.int(0, 4)
      return d.wire.deliver(i)
  }
}

export type Outcome<T> = { ok: true; value: T } | { ok: false; error: unknown }

export function outcome<T>(p: Promise<T>): Promise<Outcome<T>> {
  return p.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  )
}

/** Checks an operation's end: a network fault is fine, anything else is a bug. */
export function judge<T>(w: World, d: Device, label: string, result: Outcome<T>, { mustSucceed = false } = {}): T | undefined {
  if (result.ok) return result.value
  if (result.error instanceof TransportError && !mustSucceed) {
    w.log(`  ${d.name} ${label} failed: ${result.error.message}`)
    return undefined
  }
  w.fail(`${d.name} ${label} threw ${describeError(result.error)}`)
}

export async function attempt<T>(w: World, d: Device, label: string, op: () => Promise<T>, faults = true): Promise<T | undefined> {
  const p = op()
  const result = outcome(p)
  await serve(w, d, [p], faults)
  return judge(w, d, label, await result, { mustSucceed: !faults && d.net.online })
}
