/**
 * One seeded database and one production server for all browser tests,
 * started from the built app exactly as `npm start` serves it.
 */
import { existsSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { spawnServer, type ServerProcess } from '../support/server-process.ts'
import { buildTemplateDatabase, TMP_DIR } from '../support/test-db.ts'

/**
 * Port and database are chosen per run and handed to the test workers
 * through the environment, so two runs on one machine never share them.
 */
const DB_PATH = process.env.E2E_DB_PATH ?? join(TMP_DIR, `e2e-${process.pid}.sqlite`)

let server: ServerProcess | undefined

export async function setup(): Promise<void> {
  if (!existsSync('build/server/index.js')) throw new Error('no build: run `npm run build` first')
  process.env.E2E_DB_PATH = DB_PATH
  rmSync(`${DB_PATH}.evidence`, { recursive: true, force: true })
  await buildTemplateDatabase(DB_PATH)
  server = await spawnServer({ dbPath: DB_PATH, output: true })
  process.env.E2E_PORT = String(server.port)
}

export async function teardown(): Promise<void> {
  if (server) {
    server.child.kill('SIGTERM')
    await server.exited
  }
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${DB_PATH}${suffix}`, { force: true })
  rmSync(`${DB_PATH}.evidence`, { recursive: true, force: true })
}
