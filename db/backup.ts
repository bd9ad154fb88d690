/**
 * Online backup with `VACUUM INTO`: a consistent snapshot taken while the
 * app keeps running (copying the live file would lose the -wal contents).
 * The copy is then opened and checked with `PRAGMA integrity_check`.
 */
import { existsSync, mkdirSync, statSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
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
