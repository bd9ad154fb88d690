/**
 * 0023 — robustness jobs any application process can answer for (issue #18).
 *
 * A job runs in the worker thread of the process that accepted it, but its
 * state lives here, so the planner page and its progress polls may land on
 * any process behind a load balancer. The accepting process writes each
 * change (queued → running → progress → done or failed) and `updated_at_ms`
 * with it; a job still open whose process has stopped writing for longer
 * than the app's stale limit is reported failed. `result_json` holds the
 * finished figures (RobustnessResult); finished jobs are deleted an hour
 * after they end. A user's saved run keeps its own copy of the figures.
 *
 * Frozen in time: plain SQL, no app imports.
 */
import { sql, type Kysely } from 'kysely'

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE TABLE robustness_jobs (
    id TEXT PRIMARY KEY CHECK (length(id) = 36),
    user_id INTEGER NOT NULL REFERENCES users(id),
    plan_key TEXT NOT NULL CHECK (length(plan_key) = 64),
    status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed')),
    done INTEGER NOT NULL CHECK (done >= 0),
    total INTEGER NOT NULL CHECK (total > 0 AND done <= total),
    seed INTEGER NOT NULL,
    alpha REAL NOT NULL CHECK (alpha > 0),
    result_json TEXT CHECK (result_json IS NULL OR json_valid(result_json)),
    error TEXT,
    created_at_ms INTEGER NOT NULL,
    updated_at_ms INTEGER NOT NULL,
    finished_at_ms INTEGER,
    CHECK ((status = 'done') = (result_json IS NOT NULL)),
    CHECK ((status IN ('done', 'failed')) = (finished_at_ms IS NOT NULL))
  ) STRICT`.execute(db)
  await sql`CREATE INDEX robustness_jobs_by_user ON robustness_jobs (user_id, status)`.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE IF EXISTS robustness_jobs`.execute(db)
}
