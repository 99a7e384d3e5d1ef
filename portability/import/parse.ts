/**
 * Reading an import file: find its format from the header row, then feed every record to that
 * format's reader (`formats/`), one at a time (`createImportReader`), so nothing here needs the
 * whole file at once; the browser runs the same `parseImport` in a worker (`parse.worker.ts`).
 * Records come from papaparse (quoted fields with commas, line breaks and doubled quotes), with
 * the delimiter taken from the header line.
 *
 * Row numbers are record numbers, the header being 1: a quoted note spanning three lines is one
 * record, so a number can be one less than a text editor's line number but matches the row a
 * spreadsheet shows. Blank records are counted but not read.
 */
import Papa from 'papaparse'
import { cadence } from './formats/cadence'
import { fitnotes } from './formats/fitnotes'
import { clip, Columns, Row, SkipRow, type FormatDefinition, type FormatReader, type ReaderContext } from './formats/reading'
import { hevy } from './formats/hevy'
import { strong } from './formats/strong'
import { stronglifts } from './formats/stronglifts'
import { ImportFileError, type ParsedImport, type ParseOptions, type RowProblem } from './model'

/** Every format, in the order headers are tried (each header matches at most one). */
export const formatDefinitions: readonly FormatDefinition[] = [cadence, strong, hevy, fitnotes, stronglifts]

const bom = '\ufeff'

export function stripBom(text: string): string {
  return text.startsWith(bom) ? text.slice(1) : text
}

function subject(options: ParseOptions): string {
  return options.fileName ? `"${options.fileName}"` : 'The file'
}

/**
 * Checks the start of a file (BOM stripped) and finds its delimiter: the one of `,` `;` tab the
 * header line holds most of (headers of these formats never quote a delimiter). Throws
 * ImportFileError for an empty file or one that is not text.
 */
export function sniff(sample: string, options: ParseOptions = {}): { delimiter: string } {
  if (sample.trim() === '') throw new ImportFileError(`${subject(options)} is empty: there is nothing to import.`)
  // A spreadsheet (.xlsx, .numbers and .ods are ZIP archives), a PDF, or a gzip file.
  if (/^(?:PK\u0003\u0004|%PDF-|\u001f\u008b|\u001f\ufffd)/.test(sample)) {
    throw new ImportFileError(
      `${subject(options)} is not a text file (a spreadsheet or an archive, perhaps): export CSV from the other app and choose that file.`,
    )
  }
  // UTF-16 (Excel's "Unicode text") read as UTF-8: every ASCII character followed or led by a NUL.
  const nulls = sample.match(/\u0000/g)?.length ?? 0
  if (nulls > sample.length / 4) {
    throw new ImportFileError(`${subject(options)} is saved as UTF-16 text: save it as CSV (UTF-8) and choose that file.`)
  }
  const controls = sample.match(/[\u0000-\u0008\u000e-\u001f\ufffd]/g)?.length ?? 0
  if (nulls > 0 || controls > sample.length / 20) {
    throw new ImportFileError(
      `${subject(options)} is not a text file (a spreadsheet or an archive, perhaps): export CSV from the other app and choose that file.`,
    )
  }
  const headerLine = sample.trimStart().split(/\r?\n|\r/, 1)[0] ?? ''
  const count = (d: string) => headerLine.split(d).length - 1
  const delimiter = [',', ';', '\t'].reduce((best, d) => (count(d) > count(best) ? d : best), ',')
  return { delimiter }
}

function recognize(
  fields: readonly string[],
  options: ParseOptions,
  delimiter: string,
): { definition: FormatDefinition; columns: Columns } {
  const columns = new Columns(fields.map((f, i) => (i === 0 ? stripBom(f) : f)))
  const definition = formatDefinitions.find((d) => d.missing(columns).length === 0)
  if (definition) return { definition, columns }
  const starts = clip(fields.join(delimiter), 80)
  // A header with several of a format's columns is that format with a column renamed or lost:
  // say which, rather than that the file is unknown.
  const near = formatDefinitions
    .map((d) => ({ d, score: d.signature.filter((n) => columns.has(n)).length }))
    .sort((a, b) => b.score - a.score)[0]
  if (near && near.score >= 3) {
    throw new ImportFileError(
      `${subject(options)} looks like a ${near.d.name} export, but its header lacks ${near.d.missing(columns).join(', ')}. It starts: "${starts}"`,
    )
  }
  throw new ImportFileError(
    `${subject(options)} is not an export Cadence can read: its first row should be the header of a Strong, Hevy, FitNotes or StrongLifts export, or of Cadence's own CSV (for example Strong's starts "Date,Workout Name,Duration,Exercise Name,…"). It starts: "${starts}"`,
  )
}

function isBlank(fields: readonly string[]): boolean {
  return fields.every((f) => f.trim() === '')
}

/** What papaparse says about a record it could not split cleanly. */
type RecordError = { code?: string; message: string }

export type ImportReader = {
  /** Feed the next record (the header first), with the errors papaparse had reading it. */
  record(fields: readonly string[], errors?: readonly RecordError[]): void
  /** Data rows fed so far. */
  readonly rows: number
  /** The import; throws ImportFileError when there was no header or no data row. */
  finish(): ParsedImport
}

/** A reader for one file: recognizes the format at the first non-blank record, then reads every row after it. */
export function createImportReader(options: ParseOptions, delimiter: string): ImportReader {
  let recordNumber = 0
  let rows = 0
  let columns: Columns | undefined
  let reader: FormatReader | undefined
  let formatName = ''
  let definition: FormatDefinition | undefined
  // Rows that end in an extra empty field (a delimiter after the last column) are read when the
  // file's first two data rows both have that length; otherwise a row longer than the header is
  // one whose columns moved (a decimal comma, a comma in an unquoted note) and is refused. The
  // first data row waits for the second so that it can be judged the same way.
  let trailingLength: number | undefined
  let held: { number: number; fields: readonly string[] } | undefined
  const problems: RowProblem[] = []
  const context: ReaderContext = { options, delimiter, problem: (row, message) => problems.push({ row, message }) }
  const longerThanHeader = (fields: readonly string[]) =>
    columns !== undefined && fields.length > columns.names.length && fields.slice(columns.names.length).every((f) => f.trim() === '')

  function read(number: number, fields: readonly string[]) {
    if (!reader || !columns) return
    if (
      fields.length > Math.max(columns.names.length, trailingLength ?? 0) ||
      fields.slice(columns.names.length).some((f) => f.trim() !== '')
    ) {
      problems.push({
        row: number,
        message: `The row has ${fields.length} fields but the header has ${columns.names.length} (a ${delimiter === '\t' ? 'tab' : `"${delimiter}"`} in an unquoted note?)`,
      })
      return
    }
    const names = columns.names
    if (fields.length === names.length && fields.every((f, i) => Columns.key(f) === Columns.key(names[i]!))) {
      problems.push({ row: number, message: 'The header again: two exports joined into one file? The row is not a set' })
      return
    }
    try {
      reader.read(new Row(number, fields, columns))
    } catch (error) {
      if (!(error instanceof SkipRow)) throw error
      problems.push({ row: number, message: error.message })
    }
  }

  function release(next?: readonly string[]) {
    if (!held) return
    const first = held
    held = undefined
    if (longerThanHeader(first.fields) && (next === undefined || next.length === first.fields.length)) trailingLength = first.fields.length
    read(first.number, first.fields)
  }

  return {
    record(fields, errors = []) {
      recordNumber++
      if (isBlank(fields)) return
      if (!reader || !columns) {
        ;({ definition, columns } = recognize(fields, options, delimiter))
        formatName = definition.name
        reader = definition.create(columns, context)
        return
      }
      rows++
      if (errors.length > 0) {
        const unclosed = errors.some((e) => e.code === 'MissingQuotes')
        problems.push({
          row: recordNumber,
          message: unclosed
            ? 'A quoted field here is never closed, so the rest of the file was read as one field'
            : `The quotes in this row are malformed (${errors[0]?.message ?? 'unreadable'})`,
        })
        return
      }
      if (rows === 1) {
        held = { number: recordNumber, fields }
        return
      }
      release(fields)
      read(recordNumber, fields)
    },
    get rows() {
      return rows
    },
    finish() {
      release()
      if (!reader || !definition) throw new ImportFileError(`${subject(options)} is empty: there is nothing to import.`)
      if (rows === 0)
        throw new ImportFileError(`${subject(options)} has a ${formatName} header but no rows after it: there is nothing to import.`)
      return {
        format: definition.format,
        formatLabel: reader.formatLabel,
        weightUnit: reader.weightUnit,
        needsUnits: reader.needsUnits,
        rows,
        workouts: reader.finish(),
        problems: problems.sort((a, b) => a.row - b.row),
      }
    },
  }
}

/**
 * An import file's bytes as text: UTF-8 (with or without a BOM), UTF-16 with its BOM (Excel's
 * "Unicode text"), or, when the bytes are not UTF-8, Windows-1252, which is what a spreadsheet
 * on a Western Windows machine saves as "CSV": a file saved there must not turn every "é" into
 * U+FFFD. A BOM is dropped.
 */
export function decodeImportFile(bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes)
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes)
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    return new TextDecoder('windows-1252').decode(bytes)
  }
}

/** How far `parseImport` is: data rows read, and characters of the text behind them. */
export type TextProgress = { rows: number; characters: number }

/**
 * Parse a whole import file held as text; `onProgress`, when given, is called every
 * `progressEvery` data rows. Throws ImportFileError when it is no format Cadence reads.
 */
export function parseImport(
  text: string,
  options: ParseOptions = {},
  onProgress?: (progress: TextProgress) => void,
  progressEvery = 2000,
): ParsedImport {
  const body = stripBom(text)
  const { delimiter } = sniff(body.slice(0, 64 * 1024), options)
  const reader = createImportReader(options, delimiter)
  let failure: unknown
  let reported = 0
  Papa.parse<string[]>(body, {
    delimiter,
    step(results, parser) {
      try {
        reader.record(results.data, results.errors)
      } catch (error) {
        failure = error
        parser.abort()
        return
      }
      if (onProgress && reader.rows - reported >= progressEvery) {
        reported = reader.rows
        onProgress({ rows: reader.rows, characters: results.meta.cursor })
      }
    },
  })
  if (failure !== undefined) throw failure
  return reader.finish()
}
