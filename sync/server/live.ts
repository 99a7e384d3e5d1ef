import 'server-only'

/** Subscribes to a Postgres notification channel; returns how to unsubscribe. */
export type Listen = (channel: string, onNotify: () => void) => Promise<() => Promise<void>>

/**
 * Wakes waiting long-polls of this process when any server process commits a change (SPEC L5,
 * R4). One LISTEN per process, however many devices wait; each waiter costs one closure.
 *
 * A waiter remembers the generation it last saw, so a commit between its query and its wait is
 * not missed: `wait` returns at once when the generation has moved on.
 */
export class ChangeNotifier {
  private generationValue = 0
  private readonly waiters = new Set<() => void>()
  private readonly draining = new AbortController()
  private stop: (() => Promise<void>) | undefined

  static async start(listen: Listen): Promise<ChangeNotifier> {
    const notifier = new ChangeNotifier()
    notifier.stop = await listen('cadence_log', () => notifier.notify())
    return notifier
  }

  get generation(): number {
    return this.generationValue
  }

  get waiting(): number {
    return this.waiters.size
  }

  notify(): void {
    this.generationValue += 1
    this.wakeAll()
  }

  /**
   * Aborted once the process is stopping (SPEC A11). A long-poll passes it along with its own
   * request's signal, so that it ends its wait and answers at once, as when its client leaves.
   */
  get stopping(): AbortSignal {
    return this.draining.signal
  }

  /** The process is stopping: wakes every waiter, and no later wait waits (SPEC A11). */
  drain(): void {
    this.draining.abort()
    this.wakeAll()
  }

  private wakeAll(): void {
    const woken = [...this.waiters]
    this.waiters.clear()
    for (const wake of woken) wake()
  }

  /** Resolves when the generation passes `seen`, after `ms`, when `signal` aborts, or once draining. */
  wait(seen: number, ms: number, signal?: AbortSignal): Promise<void> {
    if (this.generationValue !== seen || ms <= 0 || signal?.aborted || this.draining.signal.aborted) return Promise.resolve()
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer)
        this.waiters.delete(done)
        signal?.removeEventListener('abort', done)
        resolve()
      }
      const timer = setTimeout(done, ms)
      this.waiters.add(done)
      signal?.addEventListener('abort', done, { once: true })
    })
  }

  async close(): Promise<void> {
    this.notify()
    await this.stop?.()
  }
}
