/**
 * PGlite persists its IndexedDB file system after every protocol message the worker runs for a
 * tab (several per statement), reads and the statements of an open transaction included, and
 * each time Emscripten's IDBFS walks every file of the data directory and every key of the
 * store to find what changed: about 20 ms in Chromium here, 40 to 60 times in a page's first
 * seconds. This makes `syncToFs` persist only outside a transaction block, and only when a file
 * of the database was written, created, renamed, truncated or removed since it last persisted.
 * A commit still reaches IndexedDB before its COMMIT returns (sync/SPEC.md B9); a read, or a
 * statement inside a transaction, costs no walk.
 */
import type { PGlite } from '@electric-sql/pglite'

/** The Emscripten FS calls through which every change to a file passes. */
const MUTATORS = [
  'write',
  'msync',
  'truncate',
  'ftruncate',
  'mknod',
  'mkdir',
  'symlink',
  'rename',
  'unlink',
  'rmdir',
  'utime',
  'chmod',
] as const

type EmscriptenFs = Record<(typeof MUTATORS)[number], (...args: unknown[]) => unknown>

/** Returns whether the database has unpersisted file changes (for tests). */
export function persistOnlyWhenWritten(pg: PGlite): { dirty(): boolean } {
  const fs = pg.Module.FS as unknown as EmscriptenFs
  // Dirty at first: the template a new device starts from was written before these hooks.
  let dirty = true
  for (const name of MUTATORS) {
    const original = fs[name]
    if (typeof original !== 'function') throw new Error(`PGlite's file system has no ${name}(): persistOnlyWhenWritten needs updating`)
    fs[name] = function (this: unknown, ...args: unknown[]) {
      dirty = true
      return original.apply(this, args)
    }
  }
  const persist = pg.syncToFs.bind(pg)
  pg.syncToFs = async () => {
    // Inside a transaction nothing is committed yet: its files persist with its COMMIT.
    if (!dirty || pg.isInTransaction()) return
    // Cleared before the walk: a write during it marks the next one.
    dirty = false
    try {
      await persist()
    } catch (error) {
      dirty = true
      throw error
    }
  }
  return { dirty: () => dirty }
}
