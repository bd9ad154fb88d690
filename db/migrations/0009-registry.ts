/**
 * 0009 — the facility registry.
 *
 * `facilities` gains the optional contact fields of the registry file
 * (address, phone) and `closed_at`: a facility is never deleted (assessments,
 * scores and runs point at it), an administrator closes it instead.
 *
 * `facility_changes` is each facility's history: one row per field an import
 * changed (old → new, with the file's SHA-256), one row when an import created
 * the facility, and one per closing or reopening (with the reason). It is
 * append-only, like the audit log; `user_id` is null for the command line.
 *
 * Frozen in time: plain SQL, no app imports.
 */
import { sql, type Kysely } from 'kysely'

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE facilities ADD COLUMN address TEXT
    CHECK (address IS NULL OR length(address) BETWEEN 1 AND 500)`.execute(db)
  await sql`ALTER TABLE facilities ADD COLUMN phone TEXT
    CHECK (phone IS NULL OR length(phone) BETWEEN 1 AND 40)`.execute(db)
  await sql`ALTER TABLE facilities ADD COLUMN closed_at TEXT`.execute(db)
  await sql`CREATE TABLE facility_changes (
    id INTEGER PRIMARY KEY,
    facility_id INTEGER NOT NULL REFERENCES facilities(id),
    kind TEXT NOT NULL CHECK (kind IN ('created', 'updated', 'closed', 'reopened')),
    field TEXT CHECK ((kind = 'updated') = (field IS NOT NULL)),
    old_value TEXT,
    new_value TEXT,
    reason TEXT CHECK (
      (kind IN ('closed', 'reopened')) = (reason IS NOT NULL) AND
      (reason IS NULL OR length(reason) BETWEEN 1 AND 500)
    ),
    file_sha256 TEXT CHECK (file_sha256 IS NULL OR length(file_sha256) = 64),
    user_id INTEGER REFERENCES users(id),
    changed_at TEXT NOT NULL
  ) STRICT`.execute(db)
  await sql`CREATE INDEX facility_changes_facility ON facility_changes (facility_id, id)`.execute(
    db,
  )
  await sql`CREATE TRIGGER facility_changes_no_update BEFORE UPDATE ON facility_changes
    BEGIN SELECT RAISE(ABORT, 'facility_changes is append-only'); END`.execute(db)
  await sql`CREATE TRIGGER facility_changes_no_delete BEFORE DELETE ON facility_changes
    BEGIN SELECT RAISE(ABORT, 'facility_changes is append-only'); END`.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TRIGGER IF EXISTS facility_changes_no_delete`.execute(db)
  await sql`DROP TRIGGER IF EXISTS facility_changes_no_update`.execute(db)
  await sql`DROP TABLE IF EXISTS facility_changes`.execute(db)
  await sql`ALTER TABLE facilities DROP COLUMN closed_at`.execute(db)
  await sql`ALTER TABLE facilities DROP COLUMN phone`.execute(db)
  await sql`ALTER TABLE facilities DROP COLUMN address`.execute(db)
}
