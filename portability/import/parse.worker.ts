/**
 * The import parser off the main thread: a module worker that streams a `File` through papaparse
 * in chunks into the same reader `parseImport` uses (`createImportReader`), posting progress as it
 * goes, so a five-year history does not freeze the page. Started by `parse-in-worker.ts`.
 *
 * Messages: one `ParseRequest` in; `progress` messages, then `done` or `error`, out.
 */
import Papa from 'papaparse'
import { ImportFileError, type ParsedImport, type ParseOptions } from './model'
import { createImportReader, sniff, stripBom } from './parse'

export type ParseRequest = { file: File; options: ParseOptions }

/** `bytes` is how far the reader is in the file, counted in characters: exact for ASCII, close otherwise. */
export type ParseProgress = { rows: number; bytes: number; totalBytes: number }

export type ParseMessage =
  ({ type: 'progress' } & ParseProgress) | { type: 'done'; parsed: ParsedImport } | { type: 'error'; message: string }

// The project's TypeScript library is the DOM's, not the worker's; this is all of the worker
// scope this file uses.
type WorkerScope = {
  postMessage(message: ParseMessage): void
  addEventListener(type: 'message', listener: (event: MessageEvent<ParseRequest>) => void): void
}
const scope = self as unknown as WorkerScope

const progressEveryRows = 2000

async function parseFile({ file, options }: ParseRequest): Promise<ParsedImport> {
  const { delimiter } = sniff(stripBom(await file.slice(0, 64 * 1024).text()), options)
  const reader = createImportReader(options, delimiter)
  await new Promise<void>((resolve, reject) => {
    Papa.parse<string[], File>(file, {
      delimiter,
      chunkSize: 1024 * 1024,
      step(results, parser) {
        try {
          reader.record(results.data, results.errors)
        } catch (error) {
          parser.abort()
          reject(error)
          return
        }
        if (reader.rows % progressEveryRows === 0) {
          scope.postMessage({ type: 'progress', rows: reader.rows, bytes: Math.min(results.meta.cursor, file.size), totalBytes: file.size })
        }
      },
      complete: () => resolve(),
      error: (error) => reject(error),
    })
  })
  const parsed = reader.finish()
  scope.postMessage({ type: 'progress', rows: parsed.rows, bytes: file.size, totalBytes: file.size })
  return parsed
}

scope.addEventListener('message', (event) => {
  parseFile(event.data).then(
    (parsed) => scope.postMessage({ type: 'done', parsed }),
    (error: unknown) => {
      const name = event.data.options.fileName ? `"${event.data.options.fileName}"` : 'The file'
      const message =
        error instanceof ImportFileError
          ? error.message
          : `${name} could not be read: ${error instanceof Error ? error.message : String(error)}`
      scope.postMessage({ type: 'error', message })
    },
  )
})
