/**
 * Is this error the storage failing (disk full, a read-only or failing
 * database file or evidence folder) rather than a bug? Such failures are
 * answered as `storage_unavailable` (503) on JSON endpoints, so the browser
 * keeps the changes and says so, and are described in plain words at
 * start-up. No imports: db/cli.ts and app/server.ts use it outside the build.
 */

export type StorageFailure = 'full' | 'read_only' | 'io' | 'cannot_open' | 'unreachable'

/** better-sqlite3 codes (extended codes start with the primary one, e.g. SQLITE_IOERR_FSYNC). */
const SQLITE_PREFIXES: Array<[string, StorageFailure]> = [
  ['SQLITE_FULL', 'full'],
  ['SQLITE_READONLY', 'read_only'],
  ['SQLITE_IOERR', 'io'],
  ['SQLITE_CANTOPEN', 'cannot_open'],
]

/** Node's file-system and network errors, and PostgreSQL's SQLSTATEs. */
const EXACT_CODES: Record<string, StorageFailure> = {
  ENOSPC: 'full',
  EDQUOT: 'full',
  EROFS: 'read_only',
  EACCES: 'read_only',
  EPERM: 'read_only',
  EIO: 'io',
  '53100': 'full', // disk_full
  '25006': 'read_only', // read_only_sql_transaction
  '58030': 'io', // io_error
  // The PostgreSQL server cannot be reached or takes no more connections.
  ECONNREFUSED: 'unreachable',
  ECONNRESET: 'unreachable',
  ENOTFOUND: 'unreachable',
  EHOSTUNREACH: 'unreachable',
  ETIMEDOUT: 'unreachable',
  '08000': 'unreachable', // connection_exception
  '08001': 'unreachable', // sqlclient_unable_to_establish_sqlconnection
  '08003': 'unreachable', // connection_does_not_exist
  '08006': 'unreachable', // connection_failure
  '53300': 'unreachable', // too_many_connections
  '57P01': 'unreachable', // admin_shutdown
  '57P03': 'unreachable', // cannot_connect_now (starting up, in recovery)
}

function codeOf(error: unknown): string | null {
  if (typeof error !== 'object' || error === null || !('code' in error)) return null
  return typeof error.code === 'string' ? error.code : null
}

/** The kind of storage failure, looking through `cause` chains; null for anything else. */
export function storageFailureOf(error: unknown): StorageFailure | null {
  let current = error
  for (let depth = 0; depth < 5 && current !== undefined && current !== null; depth++) {
    const code = codeOf(current)
    if (code !== null) {
      const exact = EXACT_CODES[code]
      if (exact) return exact
      const prefixed = SQLITE_PREFIXES.find(([prefix]) => code.startsWith(prefix))
      if (prefixed) return prefixed[1]
    }
    current = current instanceof Error ? current.cause : undefined
  }
  return null
}

const ADVICE: Record<StorageFailure, string> = {
  full: 'the disk is full: free space on the disk that holds it',
  read_only:
    'it is read-only: check that the file, its folder and its -wal and -shm files are writable by this user and that the disk is not mounted read-only',
  io: 'the disk reports input/output errors: check the disk before trusting this file',
  cannot_open:
    'check the path and its permissions; a read-only folder or disk shows as this too, since SQLite must create its -wal and -shm files beside the database',
  unreachable:
    'the database server does not answer: check DATABASE_URL, that PostgreSQL runs and accepts connections from here, and its max_connections',
}

/** One paragraph for an operator, naming the file, the cause and what to do. */
export function describeStorageFailure(
  failure: StorageFailure,
  path: string,
  error: unknown,
): string {
  const detail = error instanceof Error ? error.message : String(error)
  const cannot =
    failure === 'cannot_open' || failure === 'unreachable'
      ? 'cannot be opened'
      : 'cannot be written'
  return `the database ${path} ${cannot}: ${ADVICE[failure]} (${codeOf(error) ?? 'error'}: ${detail})`
}
