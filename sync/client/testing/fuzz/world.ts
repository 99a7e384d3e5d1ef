/** The state of one seed's run: its users and devices, what they did, and its trace. */
import type { Db } from '@/db/types'
import type { MutatorArgs, MutatorName } from '@/domain/mutators'
import type { SyncClient } from '../../client'
import type { MemoryBlobStore } from '../../media/blob-store'
import type { DevicePhotos } from '../../media/photos'
import type { UploadQueue } from '../../media/uploads'
import type { ScriptedFetch } from '../network'
import type { FaultyNetwork } from './network'
import { Rng } from './rng'
import type { SimServer } from './server'

export type User = { id: string; name: string; email: string; token: string; libraryId: string }

export type Queued = { name: MutatorName; args: Record<string, unknown>; step: number }

export type Device = {
  name: string
  user: User
  id: string
  db: Db
  net: FaultyNetwork
  wire: ScriptedFetch
  client: SyncClient
  /** Its photos (M6, M10-M12) and upload queue (M7), over its blob cache and the same wire. */
  photos: DevicePhotos
  uploads: UploadQueue
  blobs: MemoryBlobStore
  /** Its blob cache's budget, small enough that eviction happens (M11). */
  budget: number
  /** The blob its page downloaded last, which its cache keeps even over budget (M11), if nothing was attached since. */
  shown?: string
  /** Its own session's token (A7: the fuzz ends it and brings it back). */
  token: string
  /** What this device queued, by mutation id. */
  queued: Map<number, Queued>
  /**
   * Queued mutations a server restore lost for good (B15): the server had settled them, the
   * backup had not, and the device had already dropped them from its outbox.
   */
  lost: Set<number>
}

export type AnyMutation = { [N in MutatorName]: { name: N; args: MutatorArgs<N> } }[MutatorName]

export class SimError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'SimError'
  }
}

/** What a seed did, for coverage over many seeds. */
export type SeedReport = {
  seed: number
  steps: number
  counts: Record<string, number>
  /** Milliseconds spent setting up, in the random steps, syncing until quiet, and checking. */
  timings: Record<string, number>
  /** What happened, step by step (what a failure prints). */
  trace: string[]
}

export type RunOptions = {
  /** Random steps per seed, [min, max]. */
  steps?: [number, number]
  /** A seed taking longer than this fails (and the pool should be rebuilt). */
  timeoutMs?: number
}

export class World {
  readonly rng: Rng
  readonly trace: string[] = []
  readonly counts: Record<string, number> = {}
  users: User[] = []
  devices: Device[] = []
  step = 0
  /** Runs SQL on the server's database (statements of several, as a backup and a restore need). */
  serverExec: (text: string) => Promise<unknown> = async () => undefined
  /** Whether the server's database has a backup to be restored from (`fuzz_backup`). */
  backedUp = false
  /** Ids the simulation has made, valid or not any more, for stale and foreign references. */
  readonly known = {
    tags: [] as { id: string; userId: string }[],
    entries: [] as { id: string; userId: string }[],
    activities: [] as { id: string; libraryId: string }[],
    libraries: [] as { id: string; ownerId: string }[],
    media: [] as { id: string; userId: string; entryId: string }[],
  }
  /** Every photo blob a device made, by hash: what the server and the caches must hold under it. */
  readonly blobs = new Map<string, Uint8Array>()
  /** The photos made, by user, for attaching the same bytes again (content addressing, M8). */
  readonly photoBytes: { userId: string; image: string; thumbnail: string }[] = []
  /** How many times a server restore forgot a stored blob, by hash (B15). */
  readonly forgottenBlobs = new Map<string, number>()
  /** How many times a restore forgot that a user holds a blob (M8), by `user:hash` (its next upload is stored again). */
  readonly forgottenHolders = new Map<string, number>()

  constructor(
    readonly seed: number,
    readonly server: SimServer,
  ) {
    this.rng = new Rng(seed)
  }

  count(what: string, n = 1) {
    this.counts[what] = (this.counts[what] ?? 0) + n
  }

  log(line: string) {
    this.trace.push(`${String(this.step).padStart(2, ' ')} ${shortIds(line)}`)
  }

  fail(problem: string): never {
    throw new SimError(`seed ${this.seed}: ${problem}\n--- trace (step, device, what) ---\n${this.trace.join('\n')}`)
  }
}

export const shortIds = (text: string) => text.replace(/([0-9a-f]{6})[0-9a-f]{2}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '$1')

export function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}${error.cause ? ` (cause: ${describeError(error.cause)})` : ''}`
  return String(error)
}

export function describeMutation(m: { name: string; args: unknown }): string {
  const text = JSON.stringify(m.args)
  return `${m.name} ${text.length > 150 ? `${text.slice(0, 150)}…` : text}`
}
