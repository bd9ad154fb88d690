/**
 * 0014 — questionnaire and scoring-model versions are immutable.
 *
 * Every score, round and saved ranking run names the version that produced
 * it, so a stored version must mean the same thing forever: no UPDATE of a
 * questionnaire or scoring-model row is accepted (a change is a new version),
 * and a version a round uses — or one that scored an assessment — cannot be
 * deleted. A version nothing uses may still be deleted (an upload made by
 * mistake, before any round chose it).
 *
 * Each row already stores the SHA-256 of its content (`sha256`, 0001); new
 * rows must carry one of the right shape.
 *
 * Frozen in time: plain SQL, no app imports.
 */
import { sql, type Kysely } from 'kysely'

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE TRIGGER questionnaires_no_update BEFORE UPDATE ON questionnaires
    BEGIN SELECT RAISE(ABORT, 'questionnaire versions are immutable: upload a new version'); END`.execute(
    db,
  )
  await sql`CREATE TRIGGER questionnaires_no_delete_in_use BEFORE DELETE ON questionnaires
    WHEN EXISTS (SELECT 1 FROM rounds WHERE rounds.questionnaire_id = OLD.id)
    BEGIN SELECT RAISE(ABORT, 'questionnaire version is used by a round'); END`.execute(db)
  await sql`CREATE TRIGGER questionnaires_hash_shape BEFORE INSERT ON questionnaires
    WHEN NOT (length(NEW.sha256) = 64 AND NEW.sha256 NOT GLOB '*[^0-9a-f]*')
    BEGIN SELECT RAISE(ABORT, 'questionnaire sha256 must be 64 lowercase hex digits'); END`.execute(
    db,
  )
  await sql`CREATE TRIGGER scoring_models_no_update BEFORE UPDATE ON scoring_models
    BEGIN SELECT RAISE(ABORT, 'scoring model versions are immutable: upload a new version'); END`.execute(
    db,
  )
  await sql`CREATE TRIGGER scoring_models_no_delete_in_use BEFORE DELETE ON scoring_models
    WHEN EXISTS (SELECT 1 FROM rounds WHERE rounds.scoring_model_id = OLD.id)
      OR EXISTS (SELECT 1 FROM scores WHERE scores.scoring_model_id = OLD.id)
    BEGIN SELECT RAISE(ABORT, 'scoring model version is used by a round or has scores'); END`.execute(
    db,
  )
  await sql`CREATE TRIGGER scoring_models_hash_shape BEFORE INSERT ON scoring_models
    WHEN NOT (length(NEW.sha256) = 64 AND NEW.sha256 NOT GLOB '*[^0-9a-f]*')
    BEGIN SELECT RAISE(ABORT, 'scoring model sha256 must be 64 lowercase hex digits'); END`.execute(
    db,
  )
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const name of [
    'scoring_models_hash_shape',
    'scoring_models_no_delete_in_use',
    'scoring_models_no_update',
    'questionnaires_hash_shape',
    'questionnaires_no_delete_in_use',
    'questionnaires_no_update',
  ]) {
    await sql`DROP TRIGGER IF EXISTS ${sql.id(name)}`.execute(db)
  }
}
