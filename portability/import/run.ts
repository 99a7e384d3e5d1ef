/**
 * Runs a built import's steps as mutations on this device, one after another, reporting progress.
 * Each step commits locally and is queued for the server, so an import interrupted by a closed tab
 * keeps what it wrote; running the same file again skips the workouts already written (their keys
 * are on the device) and writes the rest.
 */
import type { ImportStep } from './plan'

export type ImportProgress = { done: number; total: number; workouts: number }

export type Mutate = (step: ImportStep) => Promise<unknown>

/** Refused step: which one, and the refusal's words. */
export class ImportStepError extends Error {
  override name = 'ImportStepError'
  constructor(
    readonly step: ImportStep,
    readonly index: number,
    cause: unknown,
  ) {
    super(`Step ${index + 1} (${step.name}) was refused: ${cause instanceof Error ? cause.message : String(cause)}`, { cause })
  }
}

export async function runImport(steps: readonly ImportStep[], mutate: Mutate, onProgress?: (p: ImportProgress) => void): Promise<void> {
  let workouts = 0
  for (const [index, step] of steps.entries()) {
    try {
      await mutate(step)
    } catch (error) {
      throw new ImportStepError(step, index, error)
    }
    if (step.name === 'importWorkouts') workouts += step.args.workouts.length
    onProgress?.({ done: index + 1, total: steps.length, workouts })
    // Let the page paint between steps: a five-year file is hundreds of them.
    await new Promise((resolve) => setTimeout(resolve, 0))
  }
}
