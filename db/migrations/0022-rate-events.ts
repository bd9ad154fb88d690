/**
 * 0022 — rate limits every application process shares (issue #18).
 *
 * The export, saved-run and API limits were sliding windows in one
 * process's memory; behind a load balancer each process counted alone, so
 * N processes allowed N times the limit. A window is now the rows of one
 * (bucket, key) newer than the window's start: `bucket` names the limit
 * (`waves`, `api`, `api-refusals`, `api-bare`), `key` whom it counts (a user id, a token
 * id, a client address), `at_ms` when (epoch milliseconds). Expired rows are
 * deleted by the next event of their bucket, so the table stays small.
 *
 * Frozen in time: plain SQL, no app imports.
 */
import { sql, type Kysely } from 'kysely'

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE TABLE rate_events (
    id INTEGER PRIMARY KEY,
    bucket TEXT NOT NULL CHECK (length(bucket) BETWEEN 1 AND 40),
    key TEXT NOT NULL CHECK (length(key) BETWEEN 1 AND 200),
    at_ms INTEGER NOT NULL CHECK (at_ms >= 0)
  ) STRICT`.execute(db)
  await sql`CREATE INDEX rate_events_window ON rate_events (bucket, key, at_ms)`.execute(db)
  await sql`CREATE INDEX rate_events_expiry ON rate_events (bucket, at_ms)`.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE IF EXISTS rate_events`.execute(db)
}
