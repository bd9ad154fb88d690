/**
 * Opening the database: SQLite (the embedded default, a file) or PostgreSQL
 * when DATABASE_URL is set. Every SQLite connection gets the same pragmas:
 * WAL (readers never block the writer), synchronous=FULL (WAL with NORMAL can
 * roll back the last commits after a power loss; acknowledged data must stay),
 * a busy timeout, and foreign keys (off by default in SQLite).
 */
import { mkdirSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import SQLite from 'better-sqlite3'
import {
  CompiledQuery,
  Kysely,
  PostgresAdapter,
  PostgresDialect,
  SqliteDialect,
  SqliteDriver,
  type DatabaseConnection,
  type Driver,
  type SqliteDatabase,
  type TransactionSettings,
} from 'kysely'
import pg from 'pg'
import { LruMap } from '../app/utils/lru-map.ts'
import type { Database } from './schema.ts'

export const DEFAULT_DATABASE_PATH = 'data/sansang.sqlite'

export type DialectName = 'sqlite' | 'postgres'

export interface OpenDatabase {
  dialect: 'sqlite'
  db: Kysely<Database>
  sqlite: SQLite.Database
  path: string
  /** What messages name: the file. */
  where: string
}

export interface OpenPostgresDatabase {
  dialect: 'postgres'
  db: Kysely<Database>
  pool: pg.Pool
  url: string
  /** What messages name: the URL without its password. */
  where: string
}

export type OpenedDatabase = OpenDatabase | OpenPostgresDatabase

/** Where the app's data lives, from the environment: a URL wins over the file. */
export interface DatabaseSettings {
  DATABASE_URL?: string | undefined
  DATABASE_PATH: string
}

export function openSqlite(path: string, options: { readonly?: boolean } = {}): SQLite.Database {
  if (path !== ':memory:') mkdirSync(dirname(resolve(path)), { recursive: true })
  const sqlite = new SQLite(path, { readonly: options.readonly ?? false })
  if (!options.readonly) sqlite.pragma('journal_mode = WAL')
  sqlite.pragma('synchronous = FULL')
  sqlite.pragma('busy_timeout = 5000')
  sqlite.pragma('foreign_keys = ON')
  return sqlite
}

/**
 * Kysely's SQLite driver, with two changes:
 * - A transaction begins IMMEDIATE (takes the write lock at BEGIN) unless
 *   it was opened `setAccessMode('read only')`. Kysely's plain `begin` is
 *   DEFERRED: in WAL mode a transaction that reads and then writes fails at
 *   its first write with SQLITE_BUSY_SNAPSHOT when another process (a second
 *   server, the admin CLI) committed after its read, and busy_timeout does
 *   not help, since waiting cannot make its snapshot current again. Taking
 *   the lock first makes the second writer wait (busy_timeout) at BEGIN, before
 *   it has read anything, and then read what the first one committed.
 * - It skips the ROLLBACK after SQLite has already rolled the transaction
 *   back itself. SQLite does that when COMMIT fails with SQLITE_FULL or
 *   SQLITE_IOERR; Kysely's ROLLBACK then failed ("no transaction is active")
 *   and its error replaced the real one, so a full disk looked like a bug
 *   (500) instead of storage (503).
 */
class KeepErrorSqliteDriver extends SqliteDriver {
  constructor(private readonly sqlite: SQLite.Database) {
    super({ database: reusingStatements(sqlite) })
  }

  override async beginTransaction(
    connection: DatabaseConnection,
    settings?: TransactionSettings,
  ): Promise<void> {
    const mode = settings?.accessMode === 'read only' ? 'deferred' : 'immediate'
    await connection.executeQuery(CompiledQuery.raw(`begin ${mode}`))
  }

  override async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    if (this.sqlite.inTransaction) await super.rollbackTransaction(connection)
  }
}

/**
 * How many prepared statements a connection keeps. The app's queries are a
 * few hundred distinct SQL texts (values are parameters); lists of varying
 * length (`IN (?, ?, …)`) add more, and the least recently used go first.
 */
export const STATEMENT_CACHE_SIZE = 500

/**
 * The database as Kysely sees it, except that `prepare` reuses the statement
 * already prepared for the same SQL. Kysely prepares every query anew, and
 * SQLite's parse and plan was about half of a simple query's time here
 * (122 → 66 µs for a select by key). Kysely runs one query at a time on
 * the connection, so a kept statement is never in use twice; should one
 * still be busy (an iterator not yet finished), the query gets a fresh one
 * rather than reset it. SQLite re-plans a kept statement by itself after a
 * schema change (a migration).
 */
function reusingStatements(sqlite: SQLite.Database): SqliteDatabase {
  const kept = new LruMap<string, SQLite.Statement>(STATEMENT_CACHE_SIZE)
  return {
    close: () => sqlite.close(),
    prepare(sql) {
      const statement = kept.get(sql)
      if (statement !== undefined && !statement.busy) return statement
      const fresh = sqlite.prepare(sql)
      if (statement === undefined) kept.set(sql, fresh)
      return fresh
    },
  }
}

class KeepErrorSqliteDialect extends SqliteDialect {
  constructor(private readonly sqlite: SQLite.Database) {
    super({ database: sqlite })
  }

  override createDriver(): Driver {
    return new KeepErrorSqliteDriver(this.sqlite)
  }
}

export function openDatabase(path: string = DEFAULT_DATABASE_PATH): OpenDatabase {
  const sqlite = openSqlite(path)
  const db = new Kysely<Database>({ dialect: new KeepErrorSqliteDialect(sqlite) })
  return { dialect: 'sqlite', db, sqlite, path, where: path }
}

/** int8 as a JS number: counts, sums and VND amounts, all far below 2^53. */
function parseInt8(text: string): number {
  const value = Number(text)
  if (!Number.isSafeInteger(value)) throw new Error(`integer ${text} is beyond 2^53`)
  return value
}

/**
 * How PostgreSQL's values arrive, so the app sees what SQLite gives it:
 * bigint and numeric (counts, sums, averages) as numbers rather than strings,
 * and json as its stored text, decoded once in the model layer like SQLite's.
 */
const POSTGRES_TYPES: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (format !== 'binary') {
      if (oid === pg.types.builtins.INT8) return parseInt8
      if (oid === pg.types.builtins.NUMERIC) return Number
      if (oid === pg.types.builtins.JSON || oid === pg.types.builtins.JSONB)
        return (text: string) => text
    }
    return pg.types.getTypeParser(oid, format ?? 'text')
  }) as pg.CustomTypesConfig['getTypeParser'],
}

/** The URL as messages may show it: without the password. */
export function redactedUrl(url: string): string {
  try {
    const parsed = new URL(url)
    if (parsed.password) parsed.password = '***'
    return parsed.toString()
  } catch {
    return 'DATABASE_URL'
  }
}

/** How many connections one process keeps to PostgreSQL. */
export const POSTGRES_POOL_SIZE = 10

export function openPostgres(
  url: string,
  options: { poolSize?: number } = {},
): OpenPostgresDatabase {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? POSTGRES_POOL_SIZE,
    types: POSTGRES_TYPES,
    // Every session in UTC, like the ISO times the app writes.
    options: '-c TimeZone=UTC',
  })
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) })
  return { dialect: 'postgres', db, pool, url, where: redactedUrl(url) }
}

/** The database the environment names: PostgreSQL at DATABASE_URL, otherwise the SQLite file. */
export function openConfigured(settings: DatabaseSettings): OpenedDatabase {
  return settings.DATABASE_URL
    ? openPostgres(settings.DATABASE_URL)
    : openDatabase(settings.DATABASE_PATH)
}

/** What messages call the configured database. */
export function configuredWhere(settings: DatabaseSettings): string {
  return settings.DATABASE_URL ? redactedUrl(settings.DATABASE_URL) : settings.DATABASE_PATH
}

/**
 * Which database a handle (or a transaction of it) talks to: the one place
 * a query asks before it takes a dialect's own form.
 */
export function dialectOf(db: Kysely<never> | Kysely<Database>): DialectName {
  return (db as Kysely<Database>).getExecutor().adapter instanceof PostgresAdapter
    ? 'postgres'
    : 'sqlite'
}
