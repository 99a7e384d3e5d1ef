/**
 * `npm run import:preview`, run as a user runs it: a child process (tsx) per case, asserting on
 * its exit code, stdout and stderr.
 */
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, test } from 'vitest'
import { parseImport } from './parse'
import { summarize } from './summary'

const root = fileURLToPath(new URL('../../', import.meta.url))
const tsx = fileURLToPath(new URL('../../node_modules/tsx/dist/cli.mjs', import.meta.url))
const fixtures = 'portability/import/fixtures'

function preview(...args: string[]) {
  const result = spawnSync(process.execPath, [tsx, 'scripts/import-preview.ts', ...args], { cwd: root, encoding: 'utf8' })
  return { code: result.status, stdout: result.stdout, stderr: result.stderr }
}

// Each case starts tsx (about a second), so the cases are few and the timeouts generous.
describe('npm run import:preview', { timeout: 60_000 }, () => {
  test('prints the summary of a file as JSON', () => {
    const { code, stdout, stderr } = preview(`${fixtures}/strong-comma.csv`)
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' })
    const summary = JSON.parse(stdout)
    expect(summary).toMatchObject({ format: 'strong', weightUnit: 'kg', needsUnits: true, rows: 15, workouts: 2, exercises: 5, sets: 9 })
    expect(summary.problems.map((p: { row: number }) => p.row)).toEqual([10, 11, 13, 14, 16])
    const text = readFileSync(`${root}${fixtures}/strong-comma.csv`, 'utf8')
    expect(summary).toEqual(summarize(parseImport(text, { fileName: 'strong-comma.csv' })))
  })

  test('--units says what a file without units is in', () => {
    for (const args of [['--units', 'lb'], ['--units=lb']]) {
      const { code, stdout } = preview(`${fixtures}/strong-comma.csv`, ...args)
      expect(code).toBe(0)
      expect(JSON.parse(stdout)).toMatchObject({ weightUnit: 'lb', needsUnits: false })
    }
  })

  test('a file that is missing, a directory or no format: exit 1 and one line why', () => {
    expect(preview(`${fixtures}/no-such-file.csv`)).toEqual({
      code: 1,
      stdout: '',
      stderr: `Cannot read ${fixtures}/no-such-file.csv: no such file\n`,
    })
    expect(preview(fixtures)).toEqual({ code: 1, stdout: '', stderr: `Cannot read ${fixtures}: it is a directory\n` })
    const other = preview(`${fixtures}/not-an-export.csv`)
    expect(other.code).toBe(1)
    expect(other.stdout).toBe('')
    expect(other.stderr).toMatch(/^"not-an-export\.csv" is not an export Cadence can read: .*It starts: "Name,Email,Phone"\n$/)
  })

  test('bad arguments: exit 2 with the usage', { timeout: 90_000 }, () => {
    const cases: [string[], RegExp][] = [
      [[], /^No file given\n/],
      [[`${fixtures}/strong-comma.csv`, '--units', 'stone'], /^--units must be kg or lb, not "stone"\n/],
      [[`${fixtures}/strong-comma.csv`, '--units'], /^--units must be kg or lb, not ""\n/],
      [['a.csv', 'b.csv'], /^One file at a time/],
      [['--verbose', 'a.csv'], /^Unknown option --verbose\n/],
    ]
    for (const [args, reason] of cases) {
      const { code, stdout, stderr } = preview(...args)
      expect({ args, code, stdout }).toEqual({ args, code: 2, stdout: '' })
      expect(stderr).toMatch(reason)
      expect(stderr).toContain('Usage: npm run import:preview -- FILE [--units kg|lb]')
    }
  })
})
