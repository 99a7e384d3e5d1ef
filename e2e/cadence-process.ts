/**
 * A Cadence server of a spec's own: the production entry (`scripts/serve.mjs`, what `npm run
 * serve` runs) on the build the browser tests use, on a free port with its own data directory
 * (or `DATABASE_URL`) and settings, driven over plain HTTP with no browser. Requests go through
 * `node:http` so a test chooses the connection (keep-alive agents, the local address a request
 * comes from, a body sent in halves).
 */
import { spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { Agent, request as httpRequest, type ClientRequest, type IncomingHttpHeaders } from 'node:http'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export type Exit = { code: number | null; signal: NodeJS.Signals | null; at: number }

export type Cadence = {
  port: number
  url: string
  dataDir: string
  /** Everything the process printed so far, stdout and stderr. */
  output(): string
  exited: Promise<Exit>
  /** Sends `signal` and returns when it was sent. */
  signal(signal: NodeJS.Signals): number
  /** Ends the process if it still runs, and removes its data directory. */
  dispose(): Promise<void>
}

async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise((resolve) => server.close(resolve))
  return port
}

/** Starts `scripts/serve.mjs` and resolves once it serves on a database that is ready. */
export async function startCadence(env: Record<string, string> = {}): Promise<Cadence> {
  const port = await freePort()
  const dataDir = await mkdtemp(join(tmpdir(), 'cadence-process-'))
  const base: Record<string, string | undefined> = { ...process.env }
  delete base.DATABASE_URL
  const child = spawn('node', ['scripts/serve.mjs'], {
    env: {
      ...base,
      NODE_ENV: 'production',
      PORT: String(port),
      CADENCE_URL: `http://localhost:${port}`,
      CADENCE_DATA_DIR: dataDir,
      ...env,
    },
  })
  let output = ''
  child.stdout.on('data', (d) => (output += d))
  child.stderr.on('data', (d) => (output += d))
  const exited = new Promise<Exit>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal, at: Date.now() })))
  const cadence: Cadence = {
    port,
    url: `http://localhost:${port}`,
    dataDir,
    output: () => output,
    exited,
    signal(signal) {
      child.kill(signal)
      return Date.now()
    },
    async dispose() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL')
        await exited
      }
      await rm(dataDir, { recursive: true, force: true })
    },
  }
  const deadline = Date.now() + 60_000
  while (!(output.includes('Cadence: serving') && output.includes('Cadence: database ready'))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await cadence.dispose()
      throw new Error(`the server did not start:\n${output}`)
    }
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  return cadence
}

export type Answer = { status: number; headers: IncomingHttpHeaders; body: string }

export type SendOptions = {
  method?: string
  headers?: Record<string, string>
  body?: string
  agent?: Agent
  /** The address the request leaves from (any of 127.0.0.0/8 reaches the server). */
  localAddress?: string
}

/** Starts a request and returns it unsent (write a body, then `end`) with its answer to come. */
export function open(cadence: Cadence, path: string, options: SendOptions = {}): { request: ClientRequest; answer: Promise<Answer> } {
  const request = httpRequest({
    host: '127.0.0.1',
    port: cadence.port,
    path,
    method: options.method ?? 'GET',
    headers: { origin: cadence.url, ...options.headers },
    agent: options.agent ?? false,
    localAddress: options.localAddress,
  })
  const answer = new Promise<Answer>((resolve, reject) => {
    request.on('response', (response) => {
      let body = ''
      response.setEncoding('utf8')
      response.on('data', (chunk: string) => (body += chunk))
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }))
      response.on('error', reject)
    })
    request.on('error', reject)
  })
  return { request, answer }
}

/** One whole request. */
export function send(cadence: Cadence, path: string, options: SendOptions = {}): Promise<Answer> {
  const { request, answer } = open(cadence, path, options)
  request.end(options.body)
  return answer
}

export const json = (body: unknown, headers: Record<string, string> = {}) => ({
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(body),
})

let accounts = 0
/** A unique email for this run. */
export function newEmail(name: string): string {
  accounts += 1
  return `${name}-${Date.now()}-${accounts}@example.com`
}

export const PASSWORD = 'correct horse battery'

/** Signs up through the auth endpoint and returns the session cookie. */
export async function signUp(cadence: Cadence, email: string, options: SendOptions = {}): Promise<string> {
  const answer = await send(cadence, '/api/auth/sign-up/email', {
    method: 'POST',
    ...options,
    ...json({ email, password: PASSWORD, name: 'Ann' }, options.headers),
  })
  if (answer.status !== 200) throw new Error(`sign-up answered ${answer.status}: ${answer.body}`)
  const cookies = [answer.headers['set-cookie'] ?? []].flat()
  return cookies.map((c) => c.split(';')[0]).join('; ')
}
