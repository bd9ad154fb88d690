/**
 * Opening the SQLite database. Every connection gets the same pragmas:
 * WAL (readers never block the writer), synchronous=FULL (WAL with NORMAL can
 * roll back the last commits after a power loss; acknowledged data must stay),
 * a busy timeout, and foreign keys (off by default in SQLite).
 */
import { mkdirSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import SQLite from 'better-sqlite3'
import {
  Kysely,
  SqliteDialect,
  SqliteDriver,
  type DatabaseConnection,
  type Driver,
  type SqliteDatabase,
} from 'kysely'
import { LruMap } from '../app/utils/lru-map.ts'
import type { Database } from './schema.ts'

export const DEFAULT_DATABASE_PATH = 'data/sansang.sqlite'

export interface OpenDatabase {
  db: Kysely<Database>
  sqlite: SQLite.Database
  path: string
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
 * Kysely's SQLite driver, except that it skips the ROLLBACK after SQLite has
 * already rolled the transaction back itself. SQLite does that when COMMIT
 * fails with SQLITE_FULL or SQLITE_IOERR; Kysely's ROLLBACK then failed ("no
 * transaction is active") and its error replaced the real one, so a full
 * disk looked like a bug (500) instead of storage (503).
 */
class KeepErrorSqliteDriver extends SqliteDriver {
  constructor(private readonly sqlite: SQLite.Database) {
    super({ database: reusingStatements(sqlite) })
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
  return { db, sqlite, path }
}
