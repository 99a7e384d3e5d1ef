/**
 * `parseImport` for a `File` in the browser, in a worker (`parse.worker.ts`) so the page stays
 * responsive: resolves with the parsed import, calls `onProgress` as rows are read, and rejects
 * with an ImportFileError whose message says what is wrong with the file.
 */
import { ImportFileError, type ParsedImport, type ParseOptions } from './model'
import type { ParseMessage, ParseProgress, ParseRequest } from './parse.worker'

export type { ParseProgress }

export function parseInWorker(file: File, options: ParseOptions, onProgress: (progress: ParseProgress) => void): Promise<ParsedImport> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./parse.worker.ts', import.meta.url), { type: 'module' })
    worker.onmessage = (event: MessageEvent<ParseMessage>) => {
      const message = event.data
      if (message.type === 'progress') {
        onProgress({ rows: message.rows, bytes: message.bytes, totalBytes: message.totalBytes })
        return
      }
      worker.terminate()
      if (message.type === 'done') resolve(message.parsed)
      else reject(new ImportFileError(message.message))
    }
    worker.onerror = (event) => {
      worker.terminate()
      reject(
        new ImportFileError(
          `${options.fileName ? `"${options.fileName}"` : 'The file'} could not be read: ${event.message || 'the reader stopped'}`,
        ),
      )
    }
    worker.postMessage({ file, options } satisfies ParseRequest)
  })
}
