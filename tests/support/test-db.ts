/**
 * Test databases, as in production. SQLite: real files in WAL mode; a
 * migrated and seeded template is built once and every test file gets its
 * own copy. PostgreSQL (the `integration-pg` project): a template database
 * on the test server, and every test file gets its own clone of it
 * (`CREATE DATABASE … TEMPLATE`). Either way files never see each other's
 * writes.
 */
import { copyFileSync, existsSync, mkdirSync, rmSync } from 'node:fs'
import { join, resolve } from 'node:path'
import pg from 'pg'
import {
  openConfigured,
  openDatabase,
  openPostgres,
  type DatabaseSettings,
  type DialectName,
  type OpenedDatabase,
} from '../../db/client.ts'
import { migrateToLatest } from '../../db/migrate.ts'
import { seedAll } from '../../db/seed-all.ts'
import { hashPassword } from '../../app/utils/password.server.ts'
import { databaseUrl } from './postgres-server.ts'

export const TMP_DIR = resolve('tests/.tmp')
export const TEMPLATE_PATH = join(TMP_DIR, 'template.sqlite')
const SEEDED_AT = '2026-11-01T00:00:00.000Z'

/** Which database this run's tests use: the integration-pg project sets postgres. */
export const TEST_DIALECT: DialectName =
  process.env.SANSANG_TEST_DIALECT === 'postgres' ? 'postgres' : 'sqlite'

/** The test server (set by the integration-pg project's global setup). */
export function testPostgresServer(): string {
  const url = process.env.SANSANG_TEST_POSTGRES
  if (!url) throw new Error('no PostgreSQL test server: the global setup did not run')
  return url
}

/** Every database the tests make on the server starts so; a named server is swept of them after. */
export const POSTGRES_TEST_PREFIX = 'sansang_test_'
const POSTGRES_TEMPLATE = `${POSTGRES_TEST_PREFIX}template`

/** Builds the seeded template database (demo data included). */
export async function buildTemplateDatabase(path = TEMPLATE_PATH): Promise<void> {
  mkdirSync(TMP_DIR, { recursive: true })
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true })
  const { db, sqlite } = openDatabase(path)
  await migrateToLatest(db)
  await seedAll(db, { demo: true, hashPassword, now: SEEDED_AT })
  // Fold the WAL into the main file so a plain copy of the closed file is complete.
  sqlite.pragma('wal_checkpoint(TRUNCATE)')
  await db.destroy()
}

async function onServer<T>(serverUrl: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: serverUrl })
  await client.connect()
  try {
    return await work(client)
  } finally {
    await client.end()
  }
}

/**
 * The same template on the PostgreSQL test server; `database` names another
 * database to build it in (the autosave bench's own copy).
 */
export async function buildPostgresTemplate(
  serverUrl: string,
  database = POSTGRES_TEMPLATE,
): Promise<void> {
  await onServer(serverUrl, async (client) => {
    await client.query(`DROP DATABASE IF EXISTS ${database}`)
    await client.query(`CREATE DATABASE ${database}`)
  })
  const { db } = openPostgres(databaseUrl(serverUrl, database), { poolSize: 1 })
  try {
    await migrateToLatest(db)
    await seedAll(db, { demo: true, hashPassword, now: SEEDED_AT })
  } finally {
    // A template takes clones only while nobody is connected to it.
    await db.destroy()
  }
}

let clones = 0

/** Drops every test database on the server (a named server outlives the run). */
export async function dropPostgresTestDatabases(serverUrl: string): Promise<void> {
  await onServer(serverUrl, async (client) => {
    const { rows } = await client.query<{ datname: string }>(
      `SELECT datname FROM pg_database WHERE starts_with(datname, $1)`,
      [POSTGRES_TEST_PREFIX],
    )
    for (const { datname } of rows) await client.query(`DROP DATABASE ${datname} WITH (FORCE)`)
  })
}

/** A new database cloned from the template; returns its URL. */
export async function clonePostgresTemplate(name: string): Promise<string> {
  const serverUrl = testPostgresServer()
  const database = `${POSTGRES_TEST_PREFIX}${name.toLowerCase().replace(/[^a-z0-9]+/g, '_')}_${process.pid}_${clones++}_${Date.now()}`
  await onServer(serverUrl, (client) =>
    client.query(`CREATE DATABASE ${database} TEMPLATE ${POSTGRES_TEMPLATE}`),
  )
  return databaseUrl(serverUrl, database)
}

/** A fresh copy of the template under a unique name; returns its path. */
export function copyTemplateDatabase(name: string): string {
  if (!existsSync(TEMPLATE_PATH))
    throw new Error('template database missing: globalSetup did not run')
  const path = join(TMP_DIR, `${name}-${process.pid}-${Date.now()}.sqlite`)
  copyFileSync(TEMPLATE_PATH, path)
  return path
}

/**
 * A private seeded database for this run's dialect, as the app's settings:
 * DATABASE_PATH always names a unique path (evidence folders hang off it),
 * DATABASE_URL is set on PostgreSQL.
 */
export async function freshTestDatabase(name: string): Promise<DatabaseSettings> {
  if (TEST_DIALECT === 'sqlite') return { DATABASE_PATH: copyTemplateDatabase(name) }
  return {
    DATABASE_URL: await clonePostgresTemplate(name),
    DATABASE_PATH: join(TMP_DIR, `${name}-${process.pid}-${Date.now()}.pg`),
  }
}

/** The database this test file's app uses (set up by tests/setup/integration-env.ts). */
export function openTestDatabase(): OpenedDatabase {
  const path = process.env.DATABASE_PATH
  if (!path) throw new Error('DATABASE_PATH unset: tests/setup/integration-env.ts did not run')
  return openConfigured({ DATABASE_URL: process.env.DATABASE_URL, DATABASE_PATH: path })
}
