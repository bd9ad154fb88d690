/**
 * 0010 — accounts for a real deployment.
 *
 * - `users` is rebuilt (SQLite cannot change NOT NULL or add table CHECKs in
 *   place): `password_hash` becomes nullable (an invited user has none until
 *   they open their link), with contact fields, a folded `search_key`, a
 *   `version` for optimistic concurrency, and the TOTP second factor
 *   (`totp_last_step` refuses a code used once already, RFC 6238 §5.2).
 * - `account_tokens`: one-time invitation and reset links, stored as the
 *   SHA-256 of their 256-bit token.
 * - `recovery_codes`: the second factor's single-use recovery codes, hashed.
 * - `sessions.stage`: a session that has passed the password but not yet the
 *   second factor (or must enrol one) opens no page.
 * - `login_attempts.factor`: wrong second-factor codes are counted like
 *   wrong passwords, apart from them.
 * - `deployment`: whether this database was prepared as a demo or for
 *   production; demo data is never loaded into a production database.
 *
 * Frozen in time: imports nothing from the app; the folding below is a copy.
 */
import { sql, type Kysely } from 'kysely'

/** Frozen copy of db/text.ts foldSearchKey as it was at this migration. */
function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[đĐ]/g, 'd')
    .replace(/[’‘`´]/g, "'")
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim()
}

const SCOPE_CHECK = sql.raw(`CHECK (
      (role IN ('director', 'staff') AND facility_id IS NOT NULL AND province_code IS NULL) OR
      (role = 'province_reviewer' AND province_code IS NOT NULL AND facility_id IS NULL) OR
      (role IN ('ministry_reviewer', 'admin') AND facility_id IS NULL AND province_code IS NULL)
    )`)

const ROLE_CHECK = sql.raw(
  `CHECK (role IN ('director', 'staff', 'province_reviewer', 'ministry_reviewer', 'admin'))`,
)

/**
 * The SQLite table-rebuild procedure (https://sqlite.org/lang_altertable.html,
 * "other kinds of table schema changes"): foreign keys off, copy into a new
 * table, drop, rename, check, foreign keys back on.
 */
async function rebuildUsers(
  db: Kysely<unknown>,
  create: ReturnType<typeof sql>,
  copy: ReturnType<typeof sql>,
): Promise<void> {
  await sql`PRAGMA foreign_keys = OFF`.execute(db)
  try {
    await sql`BEGIN IMMEDIATE`.execute(db)
    try {
      await create.execute(db)
      await copy.execute(db)
      await sql`DROP TABLE users`.execute(db)
      await sql`ALTER TABLE users_next RENAME TO users`.execute(db)
      const broken = await sql`PRAGMA foreign_key_check`.execute(db)
      if (broken.rows.length > 0) throw new Error('users rebuild broke a foreign key')
      await sql`COMMIT`.execute(db)
    } catch (error) {
      await sql`ROLLBACK`.execute(db)
      throw error
    }
  } finally {
    await sql`PRAGMA foreign_keys = ON`.execute(db)
  }
}

export async function up(db: Kysely<unknown>): Promise<void> {
  await rebuildUsers(
    db,
    sql`CREATE TABLE users_next (
      id INTEGER PRIMARY KEY,
      login TEXT NOT NULL UNIQUE CHECK (login = lower(login)),
      display_name TEXT NOT NULL CHECK (length(display_name) > 0),
      role TEXT NOT NULL ${ROLE_CHECK},
      facility_id INTEGER REFERENCES facilities(id),
      province_code TEXT REFERENCES provinces(code),
      -- NULL until the user sets a password through their invitation link.
      password_hash TEXT,
      disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
      email TEXT CHECK (email IS NULL OR (length(email) BETWEEN 3 AND 254 AND email LIKE '%_@_%')),
      phone TEXT CHECK (phone IS NULL OR length(phone) BETWEEN 1 AND 32),
      search_key TEXT NOT NULL,
      password_changed_at TEXT,
      totp_secret TEXT,
      totp_enrolled_at TEXT,
      -- The last TOTP time step accepted: a code is never accepted twice.
      totp_last_step INTEGER,
      version INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      ${SCOPE_CHECK},
      CHECK ((totp_secret IS NULL) = (totp_enrolled_at IS NULL))
    ) STRICT`,
    sql`INSERT INTO users_next (id, login, display_name, role, facility_id, province_code,
        password_hash, disabled, email, phone, search_key, password_changed_at, created_at, updated_at)
      SELECT id, login, display_name, role, facility_id, province_code,
        password_hash, disabled, NULL, NULL, lower(login || ' ' || display_name), NULL,
        created_at, updated_at
      FROM users`,
  )
  const users = await sql<{
    id: number
    login: string
    display_name: string
  }>`SELECT id, login, display_name FROM users`.execute(db)
  for (const u of users.rows) {
    await sql`UPDATE users SET search_key = ${fold(`${u.login} ${u.display_name}`)} WHERE id = ${u.id}`.execute(
      db,
    )
  }
  await sql`CREATE INDEX users_role ON users (role, disabled)`.execute(db)
  await sql`CREATE INDEX users_facility ON users (facility_id)`.execute(db)
  // The administrator's user page reads the audit rows about one user.
  await sql`CREATE INDEX audit_log_entity ON audit_log (entity_type, entity_id)`.execute(db)

  await sql`CREATE TABLE account_tokens (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    kind TEXT NOT NULL CHECK (kind IN ('invitation', 'reset')),
    token_hash TEXT NOT NULL UNIQUE CHECK (length(token_hash) = 64),
    created_by INTEGER REFERENCES users(id),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL CHECK (expires_at > created_at),
    used_at TEXT,
    revoked_at TEXT,
    CHECK (used_at IS NULL OR revoked_at IS NULL)
  ) STRICT`.execute(db)
  await sql`CREATE INDEX account_tokens_user ON account_tokens (user_id)`.execute(db)

  await sql`CREATE TABLE recovery_codes (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    code_hash TEXT NOT NULL UNIQUE CHECK (length(code_hash) = 64),
    created_at TEXT NOT NULL,
    used_at TEXT
  ) STRICT`.execute(db)
  await sql`CREATE INDEX recovery_codes_user ON recovery_codes (user_id)`.execute(db)

  await sql`ALTER TABLE sessions ADD COLUMN stage TEXT NOT NULL DEFAULT 'full'
    CHECK (stage IN ('full', 'second_factor', 'enrol'))`.execute(db)
  await sql`ALTER TABLE login_attempts ADD COLUMN factor TEXT NOT NULL DEFAULT 'password'
    CHECK (factor IN ('password', 'second_factor'))`.execute(db)

  await sql`CREATE TABLE deployment (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    mode TEXT NOT NULL CHECK (mode IN ('demo', 'production')),
    recorded_at TEXT NOT NULL
  ) STRICT`.execute(db)
  // Before this migration nothing but the demo seed could create an account,
  // so a database that has users was prepared as a demo.
  await sql`INSERT INTO deployment (id, mode, recorded_at)
    SELECT 1, 'demo', strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE EXISTS (SELECT 1 FROM users)`.execute(
    db,
  )
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE IF EXISTS deployment`.execute(db)
  await sql`ALTER TABLE login_attempts DROP COLUMN factor`.execute(db)
  await sql`ALTER TABLE sessions DROP COLUMN stage`.execute(db)
  await sql`DROP TABLE IF EXISTS recovery_codes`.execute(db)
  await sql`DROP TABLE IF EXISTS account_tokens`.execute(db)
  await sql`DROP INDEX IF EXISTS users_role`.execute(db)
  await sql`DROP INDEX IF EXISTS users_facility`.execute(db)
  await sql`DROP INDEX IF EXISTS audit_log_entity`.execute(db)
  await rebuildUsers(
    db,
    sql`CREATE TABLE users_next (
      id INTEGER PRIMARY KEY,
      login TEXT NOT NULL UNIQUE CHECK (login = lower(login)),
      display_name TEXT NOT NULL,
      role TEXT NOT NULL ${ROLE_CHECK},
      facility_id INTEGER REFERENCES facilities(id),
      province_code TEXT REFERENCES provinces(code),
      password_hash TEXT NOT NULL,
      disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      ${SCOPE_CHECK}
    ) STRICT`,
    // An invited user without a password gets a hash nothing verifies against.
    sql`INSERT INTO users_next (id, login, display_name, role, facility_id, province_code,
        password_hash, disabled, created_at, updated_at)
      SELECT id, login, display_name, role, facility_id, province_code,
        COALESCE(password_hash, '!'), disabled, created_at, updated_at
      FROM users`,
  )
}
