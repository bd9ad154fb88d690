/**
 * 0019 — API tokens for the Ministry's other systems (issue #19).
 *
 * A service account is one row: a name, the scopes it may read, a province
 * (or NULL for the whole country), an expiry, and the SHA-256 of its token
 * (a random 256-bit value, so a plain hash is enough; the token itself is
 * shown once and never stored). Revoked rows stay, for the audit trail.
 *
 * Frozen in time: imports nothing from the app.
 */
import { sql, type Kysely } from 'kysely'

/** facilities:read, assessments:read, scores:read, waves:read. */
const SCOPE_COUNT = 4

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE TABLE api_tokens (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    -- A JSON array of distinct scope names (SQLite allows no subquery in a
    -- CHECK, so each name is checked by the app's schema when written and read).
    scopes TEXT NOT NULL CHECK (
      json_valid(scopes) AND json_type(scopes) = 'array'
      AND json_array_length(scopes) BETWEEN 1 AND ${sql.raw(String(SCOPE_COUNT))}
    ),
    -- NULL: national; otherwise the only province the token reads.
    province_code TEXT REFERENCES provinces(code),
    token_hash TEXT NOT NULL UNIQUE CHECK (length(token_hash) = 64),
    created_by INTEGER NOT NULL REFERENCES users(id),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL CHECK (expires_at > created_at),
    revoked_at TEXT CHECK (revoked_at IS NULL OR revoked_at >= created_at),
    revoked_by INTEGER REFERENCES users(id),
    last_used_at TEXT,
    CHECK ((revoked_at IS NULL) = (revoked_by IS NULL))
  ) STRICT`.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE IF EXISTS api_tokens`.execute(db)
}
