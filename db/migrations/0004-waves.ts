/**
 * 0004 — rollout waves. Two indexes, no table changes:
 * - `scores_model_basis_stamp` covers (model, basis, assessment, computed_at):
 *   the planner reads every score's `computed_at` to know whether its parsed
 *   copy is current, and `computed_at` sits after the ~14 kB `result_json`
 *   in the row, so reading it from the table walks the overflow pages;
 * - `assessments_round_status_cover` lets the planner pick a round's
 *   submitted and verified assessments without reading their rows (each
 *   carries its answers, several kB);
 * - `ranking_runs_created` lists saved runs newest first.
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
