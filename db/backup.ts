/**
 * Online backups, taken while the app keeps running.
 * SQLite: `VACUUM INTO`, a consistent snapshot (copying the live file would
 * lose the -wal contents), then opened and checked with `PRAGMA integrity_check`.
 * PostgreSQL: `pg_dump --format=custom` (one consistent snapshot, restored
 * with `pg_restore`), then read back with `pg_restore --list`.
 */
import { execFile } from 'node:child_process'
import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { promisify } from 'node:util'
import SQLite from 'better-sqlite3'

export interface BackupResult {
  path: string
  bytes: number
  integrity: 'ok'
}

export async function backupDatabase(
  source: SQLite.Database,
  target: string,
): Promise<BackupResult> {
  const path = resolve(target)
  if (existsSync(path)) throw new Error(`backup target ${path} already exists; choose a new file`)
  mkdirSync(dirname(path), { recursive: true })
  source.prepare('VACUUM INTO ?').run(path)
  const copy = new SQLite(path, { readonly: true })
  try {
    const rows = copy.pragma('integrity_check') as Array<{ integrity_check: string }>
    const verdict = rows.map((r) => r.integrity_check).join('; ')
    if (verdict !== 'ok') throw new Error(`backup ${path} failed integrity_check: ${verdict}`)
  } finally {
    copy.close()
  }
  return { path, bytes: statSync(path).size, integrity: 'ok' }
}

const run = promisify(execFile)

/** The archive's table of contents lists this many entries at least: tables, data, constraints. */
export async function backupPostgres(url: string, target: string): Promise<BackupResult> {
  const path = resolve(target)
  if (existsSync(path)) throw new Error(`backup target ${path} already exists; choose a new file`)
  mkdirSync(dirname(path), { recursive: true })
  // The password goes by the environment, not the command line other users can read.
  const parsed = new URL(url)
  const env = parsed.password
    ? { ...process.env, PGPASSWORD: decodeURIComponent(parsed.password) }
    : process.env
  parsed.password = ''
  try {
    await run(
      'pg_dump',
      ['--format=custom', '--no-owner', `--file=${path}`, `--dbname=${parsed.toString()}`],
      { env },
    )
    const { stdout } = await run('pg_restore', ['--list', path], { maxBuffer: 64 * 1024 * 1024 })
    if (!/TABLE DATA public audit_log /.test(stdout))
      throw new Error(`backup ${path} holds no audit_log data: the dump is incomplete`)
  } catch (error) {
    rmSync(path, { force: true })
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT'
    throw new Error(
      missing
        ? "pg_dump and pg_restore are needed for a PostgreSQL backup: install the postgresql-client package of the server's version"
        : `backup failed: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    )
  }
  return { path, bytes: statSync(path).size, integrity: 'ok' }
}
