/**
 * 0023 — robustness jobs any application process can answer for (issue
 * #18), PostgreSQL form. Times are epoch milliseconds (bigint), the seed
 * bigint as the planner's; `result_json` is only decoded by the app: jsonb.
 *
 * Frozen in time: plain SQL, no app imports.
 */
import { sql, type Kysely } from 'kysely'

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE TABLE robustness_jobs (
    id text PRIMARY KEY CHECK (length(id) = 36),
    user_id integer NOT NULL REFERENCES users(id),
    plan_key text NOT NULL CHECK (length(plan_key) = 64),
    status text NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed')),
    done integer NOT NULL CHECK (done >= 0),
    total integer NOT NULL CHECK (total > 0 AND done <= total),
    seed bigint NOT NULL,
    alpha double precision NOT NULL CHECK (alpha > 0),
    result_json jsonb,
    error text,
    created_at_ms bigint NOT NULL,
    updated_at_ms bigint NOT NULL,
    finished_at_ms bigint,
    CHECK ((status = 'done') = (result_json IS NOT NULL)),
    CHECK ((status IN ('done', 'failed')) = (finished_at_ms IS NOT NULL))
  )`.execute(db)
  await sql`CREATE INDEX robustness_jobs_by_user ON robustness_jobs (user_id, status)`.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE IF EXISTS robustness_jobs`.execute(db)
}
