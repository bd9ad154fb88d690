/**
 * Test databases: real SQLite files in WAL mode, as in production. A
 * migrated and seeded template is built once; every test file gets its own
 * copy, so files never see each other's writes.
 */
import { copyFileSync, existsSync, mkdirSync, rmSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { openDatabase } from '../../db/client.ts'
import { migrateToLatest } from '../../db/migrate.ts'
import { seedAll } from '../../db/seed-all.ts'
import { hashPassword } from '../../app/utils/password.server.ts'

export const TMP_DIR = resolve('tests/.tmp')
export const TEMPLATE_PATH = join(TMP_DIR, 'template.sqlite')

/** Builds the seeded template database (demo data included). */
export async function buildTemplateDatabase(path = TEMPLATE_PATH): Promise<void> {
  mkdirSync(TMP_DIR, { recursive: true })
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true })
  const { db, sqlite } = openDatabase(path)
  await migrateToLatest(db)
  await seedAll(db, { demo: true, hashPassword, now: '2026-11-01T00:00:00.000Z' })
  // Fold the WAL into the main file so a plain copy of the closed file is complete.
  sqlite.pragma('wal_checkpoint(TRUNCATE)')
  await db.destroy()
}

/** A fresh copy of the template under a unique name; returns its path. */
export function copyTemplateDatabase(name: string): string {
  if (!existsSync(TEMPLATE_PATH))
    throw new Error('template database missing: globalSetup did not run')
  const path = join(TMP_DIR, `${name}-${process.pid}-${Date.now()}.sqlite`)
  copyFileSync(TEMPLATE_PATH, path)
  return path
}
