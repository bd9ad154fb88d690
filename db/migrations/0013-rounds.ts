/**
 * 0013 — rounds an administrator runs, and deadline extensions.
 *
 * `rounds.gate_settings` holds the round's choice for the configurable gates
 * of its scoring model, as a JSON object gate id → on (true) or off (false);
 * `{}` keeps every gate as the model sets it. Which gates may be named is the
 * model's business (`configurable`), so the app checks it when the round is
 * saved and the engine again when it scores. `rounds.version` is the
 * optimistic-concurrency counter of the rounds page: every edit is
 * `WHERE version = ?`.
 *
 * `round_extensions`: a reviewer gives one facility a later closing date in
 * one round, with a reason. Rows are never deleted nor rewritten except to
 * end them: a change ends the row (`ended_how = 'changed'`) and inserts its
 * successor, a withdrawal ends it (`'withdrawn'`). At most one row per round
 * and facility is in force (the partial unique index), and a new date is
 * never before the round's own closing date (checked by the app when it
 * grants; the round's date may move later).
 *
 * Frozen in time: plain SQL, no app imports.
 */
import { sql, type Kysely } from 'kysely'

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE rounds ADD COLUMN gate_settings TEXT NOT NULL DEFAULT '{}'
    CHECK (json_valid(gate_settings) AND json_type(gate_settings) = 'object')`.execute(db)
  await sql`ALTER TABLE rounds ADD COLUMN version INTEGER NOT NULL DEFAULT 1
    CHECK (version >= 1)`.execute(db)
  await sql`CREATE TABLE round_extensions (
    id INTEGER PRIMARY KEY,
    round_id INTEGER NOT NULL REFERENCES rounds(id),
    facility_id INTEGER NOT NULL REFERENCES facilities(id),
    closes_on TEXT NOT NULL CHECK (closes_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    reason TEXT NOT NULL CHECK (length(reason) BETWEEN 1 AND 1000),
    granted_by INTEGER NOT NULL REFERENCES users(id),
    granted_at TEXT NOT NULL,
    ended_at TEXT,
    ended_by INTEGER REFERENCES users(id),
    ended_how TEXT CHECK (ended_how IN ('changed', 'withdrawn')),
    CHECK ((ended_at IS NULL) = (ended_by IS NULL) AND (ended_at IS NULL) = (ended_how IS NULL))
  ) STRICT`.execute(db)
  await sql`CREATE UNIQUE INDEX round_extensions_in_force
    ON round_extensions (round_id, facility_id) WHERE ended_at IS NULL`.execute(db)
  await sql`CREATE INDEX round_extensions_facility ON round_extensions (facility_id, round_id, id)`.execute(
    db,
  )
  await sql`CREATE TRIGGER round_extensions_no_delete BEFORE DELETE ON round_extensions
    BEGIN SELECT RAISE(ABORT, 'round_extensions are kept: end them instead'); END`.execute(db)
  // Only the end of a row in force may be written; what was granted stays as it was.
  await sql`CREATE TRIGGER round_extensions_end_only BEFORE UPDATE ON round_extensions
    WHEN OLD.ended_at IS NOT NULL
      OR NEW.round_id IS NOT OLD.round_id OR NEW.facility_id IS NOT OLD.facility_id
      OR NEW.closes_on IS NOT OLD.closes_on OR NEW.reason IS NOT OLD.reason
      OR NEW.granted_by IS NOT OLD.granted_by OR NEW.granted_at IS NOT OLD.granted_at
    BEGIN SELECT RAISE(ABORT, 'round_extensions: only the end of a row in force may be written'); END`.execute(
    db,
  )
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TRIGGER IF EXISTS round_extensions_end_only`.execute(db)
  await sql`DROP TRIGGER IF EXISTS round_extensions_no_delete`.execute(db)
  await sql`DROP TABLE IF EXISTS round_extensions`.execute(db)
  await sql`ALTER TABLE rounds DROP COLUMN version`.execute(db)
  await sql`ALTER TABLE rounds DROP COLUMN gate_settings`.execute(db)
}
