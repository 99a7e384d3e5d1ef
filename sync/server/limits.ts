import 'server-only'

/**
 * What one server process allows its sync requests (SPEC A8, A9; README "Limits"). The
 * database's own bounds on every transaction are in `db/postgres.ts` (`POSTGRES_TIMEOUTS`).
 */
export const SYNC_LIMITS = {
  /**
   * Snapshots streaming at once for one user, and in all. A snapshot holds no connection while
   * its reader is slow (SPEC N2), but each page it reads takes one, and the start of each scans
   * the whole scope: four leave six of the pool's ten connections to everyone else even when
   * they all read at once; two let a user set up a second device while the first still loads.
   */
  snapshotsPerUser: 2,
  snapshotsInAll: 4,
  /** Rows a snapshot reads and sends at a time (SPEC N2). */
  snapshotPageRows: 1000,
  /**
   * A snapshot whose reader takes nothing for this long is ended: a reader that stops keeps its
   * place among the snapshots above until then. The device retries a cut snapshot whole.
   */
  snapshotStallMs: 30_000,
  /**
   * A snapshot still streaming after this long is ended, however fast its reader: the largest
   * account measured (225,000 rows, bench M5) streams in about 20 s.
   */
  snapshotDeadlineMs: 10 * 60_000,
  /**
   * How long a pull (beyond the wait it asked for) or the opening of a snapshot may take before
   * it is answered 503 with `Retry-After`: a request queued behind a busy database gets an
   * answer, and the device retries.
   */
  requestDeadlineMs: 15_000,
  /** The `Retry-After` of a refused snapshot or a missed deadline, in seconds. */
  retryAfterSeconds: 5,
  /**
   * Photo uploads being read and stored at once (SPEC M8), in all and for one account; more are
   * answered 429 with `Retry-After`. Each holds at most `MAX_MEDIA_BYTES` (8 MiB) and its copy
   * for the driver until stored: about 130 MiB in all. One account's slow uploads leave six
   * places to everyone else.
   */
  mediaUploadsAtOnce: 8,
  mediaUploadsPerUser: 2,
  /** Photo reads (GET) from the database at once, per process: each takes a connection and up to 8 MiB. */
  mediaReadsAtOnce: 16,
  /**
   * How long a photo's body may take to arrive (SPEC M8; 408 past it). 8 MiB in 240 s is about
   * 280 kbit/s, a slow phone's uplink; a prepared photo (about 1.5 MiB) needs a fifth of that.
   * It ends below Node's own `requestTimeout` (300 s), so the answer is this server's JSON.
   */
  mediaBodyDeadlineMs: 240_000,
  /** A photo's body that sends nothing for this long is ended (408): a stalled client lets go of its place. */
  mediaBodyStallMs: 30_000,
}

export type SyncLimits = typeof SYNC_LIMITS

/**
 * Counts the snapshots a server process streams, per user and in all (SPEC A8). Per process:
 * instances behind a load balancer each keep their own count.
 */
export class SnapshotGate {
  private total = 0
  private readonly byUser = new Map<string, number>()

  /**
   * A place for one more snapshot of `userId`, or null when the user or the process already
   * streams as many as `limits` allow. The returned function gives the place back; calling it
   * again does nothing.
   */
  enter(userId: string, limits: Pick<SyncLimits, 'snapshotsPerUser' | 'snapshotsInAll'>): (() => void) | null {
    const mine = this.byUser.get(userId) ?? 0
    if (mine >= limits.snapshotsPerUser || this.total >= limits.snapshotsInAll) return null
    this.total += 1
    this.byUser.set(userId, mine + 1)
    let left = false
    return () => {
      if (left) return
      left = true
      this.total -= 1
      const remaining = (this.byUser.get(userId) ?? 1) - 1
      if (remaining > 0) this.byUser.set(userId, remaining)
      else this.byUser.delete(userId)
    }
  }

  /** Snapshots streaming now, in all and for `userId`. */
  running(userId?: string): number {
    return userId === undefined ? this.total : (this.byUser.get(userId) ?? 0)
  }
}

/**
 * `work`'s result, or a {@link DeadlineMissed} once `ms` have passed (SPEC A9). What the work
 * started goes on (a statement cannot be taken back from the driver's queue; the database's
 * own timeouts bound it), and `late`, when given, runs once it has settled, to let go of what
 * it holds.
 */
export async function withinDeadline<T>(ms: number, work: Promise<T>, late?: () => void): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const missed = new Promise<typeof DEADLINE>((resolve) => (timer = setTimeout(() => resolve(DEADLINE), ms)))
  try {
    const first = await Promise.race([work, missed])
    if (first !== DEADLINE) return first as T
    void work.then(late, late).catch(() => undefined)
    throw new DeadlineMissed(ms)
  } finally {
    clearTimeout(timer)
  }
}

const DEADLINE = Symbol('deadline')

export class DeadlineMissed extends Error {
  constructor(readonly ms: number) {
    super(`The server could not answer within ${ms} ms; nothing was lost. Retry shortly.`)
    this.name = 'DeadlineMissed'
  }
}
