/**
 * When storage fails: a full disk used to give a plain-text 500 the save
 * queue could not read while /healthz said ok, and a read-only database
 * crashed the server at start. Now JSON endpoints answer the contract's 503
 * `storage_unavailable`, /healthz checks that the database takes a commit,
 * and the start stops with one clear sentence.
 *
 * The disks are real: a small tmpfs filled with a file, and one remounted
 * read-only before the start. Mounting needs root (CI runs as root, like the
 * browser tests' apt-get); without it, the read-only start is checked with
 * file modes and the full disk is left to the unit tests of the mapping.
 */
import { spawn, spawnSync } from 'node:child_process'
import { chmodSync, copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import SQLite from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ApiErrorSchema } from '../../app/utils/api-contract.ts'
import { TestClient } from '../support/http.ts'
import { SERVER_ENTRY, spawnServer, type ServerProcess } from '../support/server-process.ts'
import { TEMPLATE_PATH, TMP_DIR } from '../support/test-db.ts'

const SLOW = 120_000
const isRoot = process.getuid?.() === 0

/** A tmpfs of `megabytes` at a fresh folder; returns it. */
function mountTmpfs(name: string, megabytes: number): string {
  const dir = join(TMP_DIR, `it-${name}-${process.pid}`)
  mkdirSync(dir, { recursive: true })
  const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${megabytes}m`, 'tmpfs', dir])
  if (mounted.status !== 0) throw new Error(`mount failed: ${String(mounted.stderr)}`)
  return dir
}

/** Read-only from now on (only while no file on it is open for writing). */
function remountReadOnly(dir: string) {
  const r = spawnSync('mount', ['-o', 'remount,ro', dir])
  if (r.status !== 0) throw new Error(`remount failed: ${String(r.stderr)}`)
}

function unmount(dir: string) {
  spawnSync('umount', [dir])
  rmSync(dir, { recursive: true, force: true })
}

/** Starts the built server and collects its output until it exits (or is killed after 60 s). */
function startAndWaitForExit(dbPath: string) {
  return new Promise<{ code: number | null; output: string }>((resolve) => {
    const child = spawn(process.execPath, [SERVER_ENTRY], {
      env: {
        ...process.env,
        NODE_ENV: 'production',
        // Never reached when the check works; a free-looking port if it does not.
        PORT: String(40_000 + (process.pid % 20_000)),
        DATABASE_PATH: dbPath,
        EVIDENCE_DIR: `${dbPath}.evidence`,
      },
    })
    let output = ''
    child.stdout.on('data', (c: Buffer) => (output += c.toString()))
    child.stderr.on('data', (c: Buffer) => (output += c.toString()))
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000)
    child.on('exit', (code) => {
      clearTimeout(timer)
      resolve({ code, output })
    })
  })
}

function roundId(dbPath: string): number {
  const db = new SQLite(dbPath, { readonly: true })
  try {
    return (
      db.prepare('SELECT id FROM rounds ORDER BY opens_on DESC LIMIT 1').get() as { id: number }
    ).id
  } finally {
    db.close()
  }
}

describe.skipIf(!isRoot)('a full disk under a running server', () => {
  let dir: string
  let server: ServerProcess
  let director: TestClient
  let round: number
  const save = () =>
    director.request('/assessment/save', {
      json: { roundId: round, baseVersion: 0, changes: { it_staff_fte: 3 }, currentPage: 1 },
    })

  beforeAll(async () => {
    dir = mountTmpfs('storage-full', 24)
    const dbPath = join(dir, 'sansang.sqlite')
    copyFileSync(TEMPLATE_PATH, dbPath)
    round = roundId(dbPath)
    server = await spawnServer({ dbPath })
    director = new TestClient(server.origin)
    expect((await director.signIn('giamdoc.nghean')).status).toBe(302)
  }, SLOW)

  afterAll(async () => {
    server.kill()
    await server.exited
    unmount(dir)
  }, SLOW)

  it('answers 503 storage_unavailable in the contract, and /healthz says so', async () => {
    // Fill the disk: the write stops at ENOSPC with every free block taken.
    try {
      writeFileSync(join(dir, 'filler'), Buffer.alloc(64 * 1024 * 1024))
    } catch (error) {
      expect((error as { code?: string }).code).toBe('ENOSPC')
    }
    const response = await save()
    expect(response.status).toBe(503)
    const body = ApiErrorSchema.parse(await response.json())
    expect(body.error.code).toBe('storage_unavailable')
    expect(body.error.message).toContain('chúng vẫn được giữ trên máy này')
    const health = await fetch(`${server.origin}/healthz`)
    expect(health.status).toBe(503)
    expect(await health.json()).toEqual({ status: 'error', database: 'full' })
  })

  it('stores the same save once there is room again (nothing was half-written)', async () => {
    rmSync(join(dir, 'filler'))
    expect((await fetch(`${server.origin}/healthz`)).status).toBe(200)
    const response = await save()
    expect(response.status).toBe(200)
    expect(((await response.json()) as { version: number }).version).toBe(2)
  })
})

describe('start-up with a database that cannot be used', () => {
  it(
    'stops with one clear sentence, not a stack trace, when the database is read-only',
    async () => {
      const dir = isRoot
        ? mountTmpfs('storage-ro', 24)
        : join(TMP_DIR, `it-storage-ro-${process.pid}`)
      mkdirSync(dir, { recursive: true })
      const dbPath = join(dir, 'sansang.sqlite')
      copyFileSync(TEMPLATE_PATH, dbPath)
      if (isRoot) remountReadOnly(dir)
      else {
        chmodSync(dbPath, 0o444)
        chmodSync(dir, 0o555)
      }
      try {
        const { code, output } = await startAndWaitForExit(dbPath)
        expect(code).toBe(1)
        // Without its -shm file SQLite cannot even open a WAL database there.
        expect(output).toMatch(
          new RegExp(`Sẵn Sàng cannot start: the database ${dbPath} cannot be (opened|written)`),
        )
        expect(output).toMatch(/read-only/)
        expect(output).not.toMatch(/^\s+at /m)
      } finally {
        if (isRoot) unmount(dir)
        else {
          chmodSync(dir, 0o755)
          rmSync(dir, { recursive: true, force: true })
        }
      }
    },
    SLOW,
  )

  it(
    'says what is wrong with a file that is not a database',
    async () => {
      const dbPath = join(TMP_DIR, `it-storage-notdb-${process.pid}.sqlite`)
      writeFileSync(dbPath, 'this is not a database, just text '.repeat(200))
      try {
        const { code, output } = await startAndWaitForExit(dbPath)
        expect(code).toBe(1)
        expect(output).toContain(`Sẵn Sàng cannot start: the database ${dbPath} cannot be used`)
        expect(output).toContain('file is not a database')
        expect(output).not.toMatch(/^\s+at /m)
      } finally {
        rmSync(dbPath, { force: true })
      }
    },
    SLOW,
  )
})
