/**
 * 0003 — the reviewer's journey.
 *
 * - `verified_values`: a reviewer corrects an answer only by recording a
 *   verified value beside the declared one (never by overwriting it); the
 *   latest row per question wins, earlier ones stay as history.
 * - `score_domains`: each stored score's domain scores as integer basis
 *   points, so the facilities table can sort and the compare page can take
 *   medians by domain in SQL without parsing `scores.result_json`. Triggers
 *   keep it in step with `scores` whoever writes a score (app, seed, tests).
 * - Indexes for the audit page's filters.
 *
 * Frozen in time.
 */
import { sql, type Kysely } from 'kysely'

/** The domain rows of one score, read from its result JSON (`domains[].id`, `.score` 0..1). */
const domainRowsOf = (ref: 'NEW') =>
  sql.raw(`
  INSERT INTO score_domains (score_id, domain_id, score_bp)
  SELECT ${ref}.id, json_extract(d.value, '$.id'),
         CAST(round(10000 * json_extract(d.value, '$.score')) AS INTEGER)
  FROM json_each(${ref}.result_json, '$.domains') AS d
  WHERE json_extract(d.value, '$.id') IS NOT NULL
    AND json_extract(d.value, '$.score') IS NOT NULL;`)

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE TABLE verified_values (
    id INTEGER PRIMARY KEY,
    assessment_id INTEGER NOT NULL REFERENCES assessments(id),
    question TEXT NOT NULL CHECK (length(question) > 0),
    value_json TEXT NOT NULL CHECK (json_valid(value_json)),
    reason TEXT NOT NULL CHECK (length(trim(reason)) > 0),
    reviewer_id INTEGER NOT NULL REFERENCES users(id),
    created_at TEXT NOT NULL
  ) STRICT`.execute(db)
  await sql`CREATE INDEX verified_values_assessment ON verified_values (assessment_id, question, id)`.execute(
    db,
  )

  await sql`CREATE TABLE score_domains (
    score_id INTEGER NOT NULL REFERENCES scores(id) ON DELETE CASCADE,
    domain_id TEXT NOT NULL,
    score_bp INTEGER NOT NULL CHECK (score_bp BETWEEN 0 AND 10000),
    PRIMARY KEY (score_id, domain_id)
  ) STRICT, WITHOUT ROWID`.execute(db)
  await sql`CREATE INDEX score_domains_sort ON score_domains (domain_id, score_bp, score_id)`.execute(
    db,
  )
  await sql`INSERT INTO score_domains (score_id, domain_id, score_bp)
    SELECT s.id, json_extract(d.value, '$.id'),
           CAST(round(10000 * json_extract(d.value, '$.score')) AS INTEGER)
    FROM scores AS s, json_each(s.result_json, '$.domains') AS d
    WHERE json_extract(d.value, '$.id') IS NOT NULL
      AND json_extract(d.value, '$.score') IS NOT NULL`.execute(db)
  await sql`CREATE TRIGGER scores_domains_insert AFTER INSERT ON scores
    BEGIN ${domainRowsOf('NEW')} END`.execute(db)
  await sql`CREATE TRIGGER scores_domains_update AFTER UPDATE OF result_json ON scores
    BEGIN
      DELETE FROM score_domains WHERE score_id = OLD.id;
      ${domainRowsOf('NEW')}
    END`.execute(db)
  await sql`CREATE TRIGGER scores_domains_delete AFTER DELETE ON scores
    BEGIN DELETE FROM score_domains WHERE score_id = OLD.id; END`.execute(db)

  // The facilities table sorts and filters through these joins.
  await sql`CREATE INDEX scores_assessment_basis ON scores (assessment_id, basis)`.execute(db)
  // The audit page filters by actor, action or facility, newest first.
  await sql`CREATE INDEX audit_log_actor ON audit_log (actor_id, id)`.execute(db)
  await sql`CREATE INDEX audit_log_action ON audit_log (action, id)`.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX IF EXISTS audit_log_action`.execute(db)
  await sql`DROP INDEX IF EXISTS audit_log_actor`.execute(db)
  await sql`DROP INDEX IF EXISTS scores_assessment_basis`.execute(db)
  await sql`DROP TRIGGER IF EXISTS scores_domains_delete`.execute(db)
  await sql`DROP TRIGGER IF EXISTS scores_domains_update`.execute(db)
  await sql`DROP TRIGGER IF EXISTS scores_domains_insert`.execute(db)
  await sql`DROP TABLE IF EXISTS score_domains`.execute(db)
  await sql`DROP TABLE IF EXISTS verified_values`.execute(db)
}
