/**
 * The worker and its wrapper in Node: `self` is stubbed with a scope whose messages go to a fake
 * `Worker` that `parseInWorker` creates, so the module worker runs here as in a browser, minus the
 * thread. Checks the messages (progress, then done or error) and that a large file with non-ASCII
 * text arrives intact.
 */
import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest'
import { ImportFileError, type ParsedImport } from './model'
import { parseImport } from './parse'
import { parseInWorker } from './parse-in-worker'
import type { ParseMessage, ParseProgress, ParseRequest } from './parse.worker'
import { fiveYearStrongHistory } from './testing/generate'

let workerListener: ((event: MessageEvent<ParseRequest>) => void) | undefined
const created: FakeWorker[] = []
/** The worker parseInWorker made last: the stubbed scope posts to it. */
const current = () => created.at(-1)

class FakeWorker {
  onmessage: ((event: MessageEvent<ParseMessage>) => void) | null = null
  onerror: ((event: ErrorEvent) => void) | null = null
  terminated = false
  readonly script: string
  constructor(url: URL, options: { type: string }) {
    this.script = `${url.pathname.split('/').at(-1)} ${options.type}`
    created.push(this)
  }
  postMessage(data: ParseRequest) {
    workerListener!({ data } as MessageEvent<ParseRequest>)
  }
  terminate() {
    this.terminated = true
  }
}

beforeAll(async () => {
  vi.stubGlobal('Worker', FakeWorker)
  vi.stubGlobal('self', {
    postMessage: (message: ParseMessage) => current()!.onmessage?.({ data: structuredClone(message) } as MessageEvent<ParseMessage>),
    addEventListener: (_type: 'message', listener: (event: MessageEvent<ParseRequest>) => void) => {
      workerListener = listener
    },
  })
  await import('./parse.worker')
})
afterAll(() => {
  vi.unstubAllGlobals()
})

function fileOf(text: string, name: string): File {
  return new File([text], name, { type: 'text/csv' })
}

describe('parseInWorker', () => {
  test('a 60,000-row file with non-ASCII names: progress as rows are read, then the same import as parseImport', async () => {
    const generated = fiveYearStrongHistory(3, 60_000, 'semicolon', 'lb')
    // Non-ASCII text all through the file, where a byte-chunked reader would split characters.
    const text = generated.text.replaceAll('Leg Press', 'Presse à cuisses 脚').replaceAll('Felt good', 'Très bien — ça va')
    const progress: ParseProgress[] = []
    const parsed = await parseInWorker(fileOf(text, 'strong.csv'), { fileName: 'strong.csv' }, (p) => progress.push(p))
    expect(current()!.script).toBe('parse.worker.ts module')
    expect(current()!.terminated).toBe(true)
    expect(parsed).toEqual<ParsedImport>(parseImport(text))
    expect(parsed.problems).toEqual([])
    expect(JSON.stringify(parsed)).toContain('Presse à cuisses 脚')
    expect(JSON.stringify(parsed)).not.toContain('\ufffd')
    const totalBytes = new TextEncoder().encode(text).length
    expect(progress.length).toBeGreaterThan(20)
    expect(progress.every((p) => p.totalBytes === totalBytes)).toBe(true)
    expect(progress.at(-1)).toEqual({ rows: parsed.rows, bytes: totalBytes, totalBytes })
    for (let i = 1; i < progress.length; i++) {
      expect(progress[i]!.rows).toBeGreaterThanOrEqual(progress[i - 1]!.rows)
      expect(progress[i]!.bytes).toBeGreaterThanOrEqual(progress[i - 1]!.bytes)
    }
  })

  test('a file of no format rejects with the ImportFileError parseImport gives', async () => {
    const text = readFileSync(new URL('./fixtures/not-an-export.csv', import.meta.url), 'utf8')
    const rejection = parseInWorker(fileOf(text, 'not-an-export.csv'), { fileName: 'not-an-export.csv' }, () => {})
    await expect(rejection).rejects.toBeInstanceOf(ImportFileError)
    await expect(rejection).rejects.toThrow(/^"not-an-export\.csv" is not an export Cadence can read/)
    expect(current()!.terminated).toBe(true)
  })
})
