/** The notifier's drain (SPEC A11), with no database: `listen` is a stub that never fires. */
import { expect, test } from 'vitest'
import { ChangeNotifier } from './live'

test('[A11] draining wakes every parked long-poll at once and no later wait waits', async () => {
  const notifier = await ChangeNotifier.start(async () => async () => {})
  const started = Date.now()
  const parked = [notifier.wait(notifier.generation, 30_000), notifier.wait(notifier.generation, 30_000)]
  expect(notifier.waiting).toBe(2)
  notifier.drain()
  await Promise.all(parked)
  await notifier.wait(notifier.generation, 30_000)
  expect(Date.now() - started).toBeLessThan(1_000)
  expect(notifier.waiting).toBe(0)
  expect(notifier.stopping.aborted).toBe(true)
  await notifier.close()
})
