/**
 * Starts `instance.ts` (one Cadence server as its own Node process) for a test: on a database URL,
 * on a free port, killed with the test process however it ends. Used by the tests that need a
 * real server process on PostgreSQL (`multi-instance.pg.test.ts`, `hostile-process.pg.test.ts`).
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { once } from 'node:events'
import { join } from 'node:path'
import { createInterface } from 'node:readline'

const SCRIPT = join(import.meta.dirname, 'instance.ts')
const ROOT = join(import.meta.dirname, '..', '..', '..')
/** `CADENCE_URL` of every instance: the one public origin a load balancer would serve. */
export const PUBLIC_ORIGIN = 'http://localhost:3000'
export const SECRET = randomBytes(32).toString('base64url')

export type Instance = { name: string; url: string; stats(): Promise<{ waiting: number; generation: number }>; stop(): Promise<void> }

const children = new Set<ChildProcess>()
// However the worker ends, no instance outlives it (they also exit when their stdin closes).
process.once('exit', () => {
  for (const child of children) child.kill('SIGKILL')
})

/** Starts `testing/instance.ts` on `databaseUrl` on a free port; resolves once it listens. */
export async function startInstance(
  name: string,
  databaseUrl: string,
  secret = SECRET,
  env: Record<string, string> = {},
): Promise<Instance> {
  const { NODE_OPTIONS: _options, ...inherited } = process.env
  const child = spawn(process.execPath, ['--conditions=react-server', '--import', 'tsx', SCRIPT], {
    cwd: ROOT,
    env: {
      ...inherited,
      NODE_ENV: 'production',
      DATABASE_URL: databaseUrl,
      BETTER_AUTH_SECRET: secret,
      CADENCE_URL: PUBLIC_ORIGIN,
      CADENCE_AUTH_RATE_LIMIT: 'off',
      ...env,
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  })
  children.add(child)
  child.once('exit', () => children.delete(child))
  let stderr = ''
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString()
    process.stderr.write(`[${name}] ${chunk.toString()}`)
  })
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not listen within 30 s:\n${stderr}`)), 30_000)
    createInterface({ input: child.stdout }).once('line', (line) => {
      clearTimeout(timer)
      resolve((JSON.parse(line) as { port: number }).port)
    })
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`${name} exited (${code}) before it listened:\n${stderr}`))
    })
  })
  const url = `http://127.0.0.1:${port}`
  return {
    name,
    url,
    stats: async () => (await fetch(`${url}/test/stats`)).json() as Promise<{ waiting: number; generation: number }>,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return
      const exited = once(child, 'exit')
      child.stdin.end()
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000)
      await exited
      clearTimeout(timer)
    },
  }
}
