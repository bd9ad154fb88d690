/**
 * One seeded database and one production server for all browser tests,
 * started from the built app exactly as `npm start` serves it.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { buildTemplateDatabase, TMP_DIR } from '../support/test-db.ts'

/**
 * Port and database are chosen per run and handed to the test workers
 * through the environment, so two runs on one machine never share them.
 */
const DB_PATH = process.env.E2E_DB_PATH ?? join(TMP_DIR, `e2e-${process.pid}.sqlite`)
const PORT = Number(process.env.E2E_PORT ?? 3200 + (process.pid % 700))

let server: ChildProcess | undefined

async function waitForHealth(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url)).ok) return
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200))
  }
  throw new Error(`server did not answer ${url} within ${timeoutMs} ms`)
}

export async function setup(): Promise<void> {
  if (!existsSync('build/server/index.js')) throw new Error('no build: run `npm run build` first')
  process.env.E2E_DB_PATH = DB_PATH
  process.env.E2E_PORT = String(PORT)
  rmSync(`${DB_PATH}.evidence`, { recursive: true, force: true })
  await buildTemplateDatabase(DB_PATH)
  server = spawn(process.execPath, ['--import', 'tsx', 'app/server.ts'], {
    env: {
      ...process.env,
      NODE_ENV: 'production',
      PORT: String(PORT),
      DATABASE_PATH: DB_PATH,
      EVIDENCE_DIR: `${DB_PATH}.evidence`,
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  })
  await waitForHealth(`http://127.0.0.1:${PORT}/healthz`, 30_000)
}

export async function teardown(): Promise<void> {
  server?.kill('SIGTERM')
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${DB_PATH}${suffix}`, { force: true })
  rmSync(`${DB_PATH}.evidence`, { recursive: true, force: true })
}
