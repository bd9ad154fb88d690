/**
 * One seeded database and one production server for all browser tests,
 * started from the built app exactly as `npm start` serves it.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { buildTemplateDatabase, TMP_DIR } from '../support/test-db.ts'

export const E2E_PORT = 3217
export const E2E_DB_PATH = join(TMP_DIR, 'e2e.sqlite')
const DB_PATH = E2E_DB_PATH

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
  rmSync(`${DB_PATH}.evidence`, { recursive: true, force: true })
  await buildTemplateDatabase(DB_PATH)
  server = spawn(process.execPath, ['--import', 'tsx', 'app/server.ts'], {
    env: {
      ...process.env,
      NODE_ENV: 'production',
      PORT: String(E2E_PORT),
      DATABASE_PATH: DB_PATH,
      EVIDENCE_DIR: `${DB_PATH}.evidence`,
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  })
  await waitForHealth(`http://127.0.0.1:${E2E_PORT}/healthz`, 30_000)
}

export async function teardown(): Promise<void> {
  server?.kill('SIGTERM')
}
