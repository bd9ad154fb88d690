/**
 * The production server as its own process (what `npm run serve` starts) on
 * a port the OS picked: for the browser tests, and for tests that kill it or
 * start it from elsewhere (on a copy of the seeded template database).
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { copyFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { clonePostgresTemplate, TEMPLATE_PATH, TEST_DIALECT, TMP_DIR } from './test-db.ts'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
/** The production server's entry, written by `npm run build` (app/server-start.ts). */
export const SERVER_ENTRY = join(ROOT, 'build/server-start.js')

/** A port nobody listens on now: the OS picks it, we release it for the server. */
export async function freePort(): Promise<number> {
  const probe = createServer()
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r))
  const address = probe.address()
  await new Promise((r) => probe.close(r))
  if (address === null || typeof address === 'string') throw new Error('no port')
  return address.port
}

async function waitForHealth(url: string, exited: Promise<unknown>): Promise<void> {
  let gone = false
  void exited.then(() => (gone = true))
  // Starting (tsx, the build, the database) takes a few seconds alone and much
  // longer on a busy machine: the limit only ends a start that hangs.
  const deadline = Date.now() + 120_000
  while (Date.now() < deadline && !gone) {
    try {
      if ((await fetch(url)).ok) return
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 200))
  }
  throw new Error(gone ? 'the server process exited before answering' : `no answer from ${url}`)
}

export interface ServerProcess {
  origin: string
  port: number
  dbPath: string
  /** The PostgreSQL database it runs on (the integration-pg project); undefined on SQLite. */
  databaseUrl: string | undefined
  child: ChildProcess
  /** Resolves when the process has exited (listened for from the start). */
  exited: Promise<unknown>
  /** SIGKILL, unless it already ended. */
  kill(): void
}

/** Starts the built server on `dbPath` and waits until /healthz answers. */
export async function spawnServer(options: {
  dbPath: string
  /** A PostgreSQL database instead of the file (evidence files still go beside `dbPath`). */
  databaseUrl?: string
  cwd?: string
  /** Show the server's output (the browser tests do); silent otherwise. */
  output?: boolean
  /** Options for Node itself, before the entry (the autosave bench's `--cpu-prof`). */
  nodeArgs?: string[]
}): Promise<ServerProcess> {
  const { dbPath, databaseUrl } = options
  const port = await freePort()
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'production',
    PORT: String(port),
    DATABASE_PATH: dbPath,
    EVIDENCE_DIR: `${dbPath}.evidence`,
  }
  // Only the database named here: never one inherited from the test's own environment.
  delete env.DATABASE_URL
  if (databaseUrl !== undefined) env.DATABASE_URL = databaseUrl
  // The compiled server, as `npm run serve` starts it, with Node itself (no
  // wrapper process a SIGKILL would leave running). Absolute paths: nothing
  // depends on the working directory.
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), SERVER_ENTRY], {
    cwd: options.cwd ?? ROOT,
    env,
    stdio: options.output ? ['ignore', 'inherit', 'inherit'] : 'ignore',
  })
  // Listen for the exit now: after a SIGKILL it can come before anyone awaits it.
  const exited = new Promise((r) => child.once('exit', r))
  const origin = `http://127.0.0.1:${port}`
  const kill = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  }
  try {
    await waitForHealth(`${origin}/healthz`, exited)
  } catch (error) {
    kill()
    throw error
  }
  return { origin, port, dbPath, databaseUrl, child, exited, kill }
}

/** The server on a private copy of the seeded template database (of the suite's dialect). */
export async function startServerProcess(
  name: string,
  options: { cwd?: string } = {},
): Promise<ServerProcess> {
  const dbPath = join(TMP_DIR, `it-${name}-${process.pid}.sqlite`)
  if (TEST_DIALECT === 'postgres') {
    const databaseUrl = await clonePostgresTemplate(name)
    return spawnServer({ dbPath, databaseUrl, cwd: options.cwd })
  }
  copyFileSync(TEMPLATE_PATH, dbPath)
  return spawnServer({ dbPath, cwd: options.cwd })
}
