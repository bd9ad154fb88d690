/**
 * 0020 — the rollout after the ranking: waves, their facilities, milestones.
 *
 * `waves`: a saved ranking run adopted as an official cohort (name, target
 * go-live date, budget in VND, who adopted it and when). One wave per run;
 * from then on the run is immutable (no UPDATE, no DELETE), so the list a
 * wave was adopted from can always be shown as it was. Waves and their
 * members are never rewritten or deleted.
 *
 * `wave_members`: the run's selected facilities with the cost the run gave
 * each (VND), copied at adoption so the budget sums never re-read the JSON.
 *
 * `milestones`: a facility's steps to go-live (plan approved … EMR
 * declaration published), each with its date, a note and an optional
 * evidence reference (document number or link). A director proposes, a
 * reviewer confirms or returns it with a comment. A proposal may change only
 * once, to its review; a confirmed or returned row is never written again
 * and no row is deleted (a returned step is proposed again as a new row).
 * At most one row per facility and kind is proposed or confirmed.
 *
 * `facilities.emr_status` is written by the app from the confirmed rows in
 * the transaction that confirms; the `facilities` change counter (0005) then
 * tells the wave planner its kept lists are stale.
 *
 * Frozen in time: plain SQL, no app imports; the kinds below are the schema.
 */
import { sql, type Kysely } from 'kysely'

const KINDS = `('plan_approved', 'contract_signed', 'infrastructure_ready', 'signatures_issued',
  'systems_connected', 'pilot_live', 'full_live', 'paper_ended', 'declaration_published')`

const DATE = (column: string) =>
  sql.raw(`CHECK (${column} GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]')`)

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE TABLE waves (
    id INTEGER PRIMARY KEY,
    run_id INTEGER NOT NULL UNIQUE REFERENCES ranking_runs(id),
    name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    target_go_live TEXT NOT NULL ${DATE('target_go_live')},
    budget_vnd INTEGER NOT NULL CHECK (budget_vnd >= 0),
    adopted_by INTEGER NOT NULL REFERENCES users(id),
    adopted_at TEXT NOT NULL
  ) STRICT`.execute(db)
  await sql`CREATE TABLE wave_members (
    wave_id INTEGER NOT NULL REFERENCES waves(id),
    facility_id INTEGER NOT NULL REFERENCES facilities(id),
    cost_vnd INTEGER NOT NULL CHECK (cost_vnd >= 0),
    PRIMARY KEY (wave_id, facility_id)
  ) STRICT, WITHOUT ROWID`.execute(db)
  await sql`CREATE INDEX wave_members_facility ON wave_members (facility_id, wave_id)`.execute(db)
  await sql`CREATE TABLE milestones (
    id INTEGER PRIMARY KEY,
    facility_id INTEGER NOT NULL REFERENCES facilities(id),
    kind TEXT NOT NULL CHECK (kind IN ${sql.raw(KINDS)}),
    occurred_on TEXT NOT NULL ${DATE('occurred_on')},
    note TEXT NOT NULL CHECK (length(note) <= 2000),
    evidence_ref TEXT CHECK (evidence_ref IS NULL OR length(evidence_ref) BETWEEN 1 AND 500),
    status TEXT NOT NULL CHECK (status IN ('proposed', 'confirmed', 'returned')),
    proposed_by INTEGER NOT NULL REFERENCES users(id),
    proposed_at TEXT NOT NULL,
    reviewed_by INTEGER REFERENCES users(id),
    reviewed_at TEXT,
    review_comment TEXT CHECK (review_comment IS NULL OR length(review_comment) <= 2000),
    CHECK ((status = 'proposed') = (reviewed_at IS NULL) AND (reviewed_at IS NULL) = (reviewed_by IS NULL)),
    CHECK (status <> 'returned' OR length(review_comment) >= 1)
  ) STRICT`.execute(db)
  await sql`CREATE UNIQUE INDEX milestones_one_standing
    ON milestones (facility_id, kind) WHERE status IN ('proposed', 'confirmed')`.execute(db)
  await sql`CREATE INDEX milestones_status ON milestones (status, facility_id)`.execute(db)
  await sql`CREATE INDEX milestones_kind_date ON milestones (kind, status, occurred_on)`.execute(db)

  // An adopted run is the wave's record: it stays exactly as it was adopted.
  await sql`CREATE TRIGGER ranking_runs_adopted_no_update BEFORE UPDATE ON ranking_runs
    WHEN EXISTS (SELECT 1 FROM waves WHERE run_id = OLD.id)
    BEGIN SELECT RAISE(ABORT, 'ranking_runs: an adopted run is immutable'); END`.execute(db)
  await sql`CREATE TRIGGER ranking_runs_adopted_no_delete BEFORE DELETE ON ranking_runs
    WHEN EXISTS (SELECT 1 FROM waves WHERE run_id = OLD.id)
    BEGIN SELECT RAISE(ABORT, 'ranking_runs: an adopted run is immutable'); END`.execute(db)
  for (const table of ['waves', 'wave_members'] as const) {
    for (const event of ['UPDATE', 'DELETE'] as const) {
      await sql`CREATE TRIGGER ${sql.raw(`${table}_no_${event.toLowerCase()}`)}
        BEFORE ${sql.raw(event)} ON ${sql.raw(table)}
        BEGIN SELECT RAISE(ABORT, ${sql.raw(`'${table} are kept as adopted'`)}); END`.execute(db)
    }
  }
  await sql`CREATE TRIGGER milestones_no_delete BEFORE DELETE ON milestones
    BEGIN SELECT RAISE(ABORT, 'milestones are kept'); END`.execute(db)
  // Only a proposal's review may be written, once; the proposal itself stays as proposed.
  await sql`CREATE TRIGGER milestones_review_only BEFORE UPDATE ON milestones
    WHEN OLD.status <> 'proposed'
      OR NEW.facility_id IS NOT OLD.facility_id OR NEW.kind IS NOT OLD.kind
      OR NEW.occurred_on IS NOT OLD.occurred_on OR NEW.note IS NOT OLD.note
      OR NEW.evidence_ref IS NOT OLD.evidence_ref
      OR NEW.proposed_by IS NOT OLD.proposed_by OR NEW.proposed_at IS NOT OLD.proposed_at
    BEGIN SELECT RAISE(ABORT, 'milestones: only the review of a proposal may be written'); END`.execute(
    db,
  )
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const name of [
    'milestones_review_only',
    'milestones_no_delete',
    'wave_members_no_delete',
    'wave_members_no_update',
    'waves_no_delete',
    'waves_no_update',
    'ranking_runs_adopted_no_delete',
    'ranking_runs_adopted_no_update',
  ]) {
    await sql`DROP TRIGGER IF EXISTS ${sql.raw(name)}`.execute(db)
  }
  await sql`DROP TABLE IF EXISTS milestones`.execute(db)
  await sql`DROP TABLE IF EXISTS wave_members`.execute(db)
  await sql`DROP TABLE IF EXISTS waves`.execute(db)
}
