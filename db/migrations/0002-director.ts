/**
 * 0002 — the director's journey: evidence files (stored outside the
 * database, with a checksum) and the assessment version each answer change
 * produced, so a stale save can be told exactly what changed since.
 * Frozen in time.
 */
import { sql, type Kysely } from 'kysely'

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE TABLE evidence_files (
    id INTEGER PRIMARY KEY,
    assessment_id INTEGER NOT NULL REFERENCES assessments(id),
    question TEXT NOT NULL,
    file_name TEXT NOT NULL,
    mime_type TEXT NOT NULL CHECK (mime_type IN ('application/pdf', 'image/png', 'image/jpeg')),
    size_bytes INTEGER NOT NULL CHECK (size_bytes > 0),
    sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
    storage_path TEXT NOT NULL,
    uploaded_by INTEGER NOT NULL REFERENCES users(id),
    uploaded_at TEXT NOT NULL,
    removed_at TEXT,
    removed_by INTEGER REFERENCES users(id)
  ) STRICT`.execute(db)
  await sql`CREATE INDEX evidence_files_assessment ON evidence_files (assessment_id, question)`.execute(
    db,
  )
  await sql`ALTER TABLE assessment_changes ADD COLUMN version INTEGER`.execute(db)
  await sql`CREATE INDEX assessment_changes_version ON assessment_changes (assessment_id, version)`.execute(
    db,
  )
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX IF EXISTS assessment_changes_version`.execute(db)
  await sql`ALTER TABLE assessment_changes DROP COLUMN version`.execute(db)
  await sql`DROP TABLE IF EXISTS evidence_files`.execute(db)
}
