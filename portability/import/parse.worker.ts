/**
 * The import parser off the main thread: a module worker that reads a `File` and runs
 * `parseImport` on it, posting progress as rows are read, so a five-year history does not freeze
 * the page. Started by `parse-in-worker.ts`.
 *
 * The file is read whole (a few MB for years of sets) rather than streamed through papaparse's
 * FileStreamer, which decodes each byte chunk on its own and so turns a multi-byte character
 * split by a chunk boundary into U+FFFD (mholt/PapaParse#751, #1132): exercise names and notes in
 * any language but English would be corrupted at random. Its bytes are decoded as
 * `npm run import:preview` decodes them (`decodeImportFile`: UTF-8, UTF-16 with a BOM, else
 * Windows-1252), so a file a Western Windows spreadsheet saved reads the same in the app.
 *
 * Messages: one `ParseRequest` in; `progress` messages, then `done` or `error`, out.
 */
import { ImportFileError, type ParsedImport, type ParseOptions } from './model'
import { decodeImportFile, parseImport } from './parse'

export type ParseRequest = { file: File; options: ParseOptions }

/** `bytes` is how far the reader is, in the file's bytes (scaled from characters, so close, not exact, for non-ASCII text). */
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

async function parseFile({ file, options }: ParseRequest): Promise<ParsedImport> {
  const totalBytes = file.size
  scope.postMessage({ type: 'progress', rows: 0, bytes: 0, totalBytes })
  const text = decodeImportFile(new Uint8Array(await file.arrayBuffer()))
  const parsed = parseImport(text, options, ({ rows, characters }) =>
    scope.postMessage({ type: 'progress', rows, bytes: Math.round((characters / Math.max(1, text.length)) * totalBytes), totalBytes }),
  )
  scope.postMessage({ type: 'progress', rows: parsed.rows, bytes: totalBytes, totalBytes })
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
