/**
 * What importing a file would bring in, without writing anything: the detected format, the
 * counts, every exercise name and every row that could not be read.
 *
 *   npm run import:preview -- FILE [--units kg|lb]
 *
 * Prints the summary as JSON on stdout. `--units` is the unit of a file that names none (Strong's
 * comma export); without it such a file is read as kg and `needsUnits` is true. Exits 1 with the
 * reason on stderr when the file cannot be read or is no format Cadence reads, 2 on bad arguments.
 * The file may be UTF-8, UTF-16 with a BOM or Windows-1252 (`decodeImportFile`).
 */
import { readFileSync } from 'node:fs'
import { basename } from 'node:path'
import { ImportFileError, type WeightUnit } from '@/portability/import/model'
import { decodeImportFile, parseImport } from '@/portability/import/parse'
import { summarize } from '@/portability/import/summary'

const usage = 'Usage: npm run import:preview -- FILE [--units kg|lb]'

function fail(code: 1 | 2, message: string): never {
  process.stderr.write(`${message}\n`)
  process.exit(code)
}

function readArgs(args: readonly string[]): { file: string; units?: WeightUnit } {
  let file: string | undefined
  let units: string | undefined
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!
    if (arg === '--units') units = args[++i] ?? ''
    else if (arg.startsWith('--units=')) units = arg.slice('--units='.length)
    else if (arg === '--help' || arg === '-h') fail(2, usage)
    else if (arg.startsWith('-')) fail(2, `Unknown option ${arg}\n${usage}`)
    else if (file === undefined) file = arg
    else fail(2, `One file at a time (got ${file} and ${arg})\n${usage}`)
  }
  if (file === undefined) fail(2, `No file given\n${usage}`)
  if (units !== undefined && units !== 'kg' && units !== 'lb') fail(2, `--units must be kg or lb, not "${units}"\n${usage}`)
  return { file, ...(units !== undefined && { units }) }
}

function main() {
  const { file, units } = readArgs(process.argv.slice(2))
  let text: string
  try {
    text = decodeImportFile(readFileSync(file))
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    const reason =
      code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' ? 'permission denied' : String(error)
    fail(1, `Cannot read ${file}: ${reason}`)
  }
  try {
    const parsed = parseImport(text, { fileName: basename(file), ...(units && { units }) })
    process.stdout.write(`${JSON.stringify(summarize(parsed), null, 2)}\n`)
  } catch (error) {
    if (error instanceof ImportFileError) fail(1, error.message)
    // A bug of the importer's, not the file's: still one line, and the file's name to report it with.
    fail(1, `${basename(file)} could not be read: ${error instanceof Error ? error.message : String(error)}`)
  }
}

main()
