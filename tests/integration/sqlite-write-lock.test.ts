/**
 * Two processes writing to one SQLite file with transactions that read and
 * then write (issue #18). With SQLite's default DEFERRED begin, the second
 * to write fails with SQLITE_BUSY_SNAPSHOT whenever the other committed after
 * its read — busy_timeout cannot help — so some of these transactions failed
 * and the counter came out short. The app's driver begins them IMMEDIATE:
 * every transaction waits its turn and none is lost. A transaction opened
 * read only still begins DEFERRED and keeps no writer waiting.
 */
import { fork, type ChildProcess } from 'node:child_process'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import SQLite from 'better-sqlite3'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openTestDatabase } from '../support/test-db.ts'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const TSX = pathToFileURL(join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href
const WORKER = join(ROOT, 'tests/support/read-then-write-worker.ts')
/** Enough rounds that the two processes interleave many times over. */
const TRANSACTIONS_EACH = 300

const opened = openTestDatabase()
const workers: ChildProcess[] = []

type Report = { ready: true } | { done: true; failures: string[] }

function nextMessage(child: ChildProcess): Promise<Report> {
  return new Promise((resolve, reject) => {
    child.once('message', (message) => resolve(message as Report))
    child.once('exit', (code) => reject(new Error(`worker exited with ${code}`)))
  })
}

beforeAll(async () => {
  if (opened.dialect !== 'sqlite') throw new Error('this test is about SQLite files')
  await sql`CREATE TABLE race_counter (value INTEGER NOT NULL)`.execute(opened.db)
  await sql`INSERT INTO race_counter (value) VALUES (0)`.execute(opened.db)
})

afterAll(async () => {
  for (const worker of workers) if (worker.exitCode === null) worker.kill()
  await opened.db.destroy()
})

describe('how a transaction begins on SQLite', () => {
  it('takes the write lock at BEGIN, unless it was opened read only', async () => {
    if (opened.dialect !== 'sqlite') throw new Error('this test is about SQLite files')
    // Another connection to the file that does not wait for a lock: it fails at once when one is held.
    const other = new SQLite(opened.path)
    other.pragma('busy_timeout = 0')
    const writeElsewhere = () => other.prepare('UPDATE race_counter SET value = value').run()
    try {
      await opened.db.transaction().execute(async (trx) => {
        await sql`SELECT value FROM race_counter`.execute(trx)
        expect(writeElsewhere).toThrow(/database is locked/)
      })
      await opened.db
        .transaction()
        .setAccessMode('read only')
        .execute(async (trx) => {
          await sql`SELECT value FROM race_counter`.execute(trx)
          expect(writeElsewhere).not.toThrow()
        })
    } finally {
      other.close()
    }
  })
})

describe('two processes on one SQLite file', () => {
  it('run read-then-write transactions side by side without SQLITE_BUSY_SNAPSHOT', async () => {
    if (opened.dialect !== 'sqlite') throw new Error('this test is about SQLite files')
    for (let i = 0; i < 2; i += 1) {
      workers.push(
        fork(WORKER, [opened.path, String(TRANSACTIONS_EACH)], {
          execArgv: ['--import', TSX],
          cwd: ROOT,
          stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
        }),
      )
    }
    // Both open and waiting, then both started at once.
    expect(await Promise.all(workers.map(nextMessage))).toEqual([{ ready: true }, { ready: true }])
    const reports = workers.map(nextMessage)
    for (const worker of workers) worker.send('start')
    const done = await Promise.all(reports)
    expect(done.flatMap((report) => ('failures' in report ? report.failures : []))).toEqual([])
    const { rows } = await sql<{ value: number }>`SELECT value FROM race_counter`.execute(opened.db)
    expect(rows[0]?.value).toBe(2 * TRANSACTIONS_EACH)
  })
})
