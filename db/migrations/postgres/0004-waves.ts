/**
 * 0004 — the rollout waves' indexes, PostgreSQL form (the same three).
 * Frozen in time.
 */
import { sql, type Kysely } from 'kysely'

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE INDEX scores_model_basis_stamp ON scores (scoring_model_id, basis, assessment_id, computed_at)`.execute(
    db,
  )
  await sql`CREATE INDEX assessments_round_status_cover ON assessments (round_id, status, facility_id, version)`.execute(
    db,
  )
  await sql`CREATE INDEX ranking_runs_created ON ranking_runs (created_at)`.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX IF EXISTS ranking_runs_created`.execute(db)
  await sql`DROP INDEX IF EXISTS assessments_round_status_cover`.execute(db)
  await sql`DROP INDEX IF EXISTS scores_model_basis_stamp`.execute(db)
}
