/**
 * 0021 — the national roadmap (#21).
 *
 * remedial_cost_tables: versioned cost tables of remedial actions, one action
 * per improvable item, each with its cost in VND and its source (or
 * "estimate") in `json`. A version is immutable, like a scoring model (0014):
 * an administrator's change is a new version, so a saved scenario always
 * reads the costs it was computed with; a version a scenario used cannot be
 * deleted. `created_by` is null for the shipped table.
 *
 * roadmap_scenarios: saved roadmap scenarios, like ranking_runs: the
 * parameters (periods, budgets, capacities, quotas, minimum level, the cost
 * table), the hash of the inputs and the result, so a scenario is reproduced
 * and compared byte for byte. Scenarios are never edited: saving again is a
 * new row, and each save writes an audit entry.
 *
 * Frozen in time: plain SQL, no app imports.
 */
import { sql, type Kysely } from 'kysely'

const statements = [
  sql`CREATE TABLE remedial_cost_tables (
    id INTEGER PRIMARY KEY,
    version TEXT NOT NULL UNIQUE CHECK (length(version) BETWEEN 1 AND 40),
    json TEXT NOT NULL CHECK (json_valid(json)),
    sha256 TEXT NOT NULL CHECK (length(sha256) = 64 AND sha256 NOT GLOB '*[^0-9a-f]*'),
    created_by INTEGER REFERENCES users(id),
    created_at TEXT NOT NULL
  ) STRICT`,
  sql`CREATE TABLE roadmap_scenarios (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    round_id INTEGER NOT NULL REFERENCES rounds(id),
    scoring_model_id INTEGER NOT NULL REFERENCES scoring_models(id),
    cost_table_id INTEGER NOT NULL REFERENCES remedial_cost_tables(id),
    params_json TEXT NOT NULL CHECK (json_valid(params_json)),
    input_hash TEXT NOT NULL,
    result_json TEXT NOT NULL CHECK (json_valid(result_json)),
    created_by INTEGER NOT NULL REFERENCES users(id),
    created_at TEXT NOT NULL
  ) STRICT`,
  sql`CREATE INDEX roadmap_scenarios_round_created ON roadmap_scenarios (round_id, created_at)`,
  sql`CREATE TRIGGER remedial_cost_tables_no_update BEFORE UPDATE ON remedial_cost_tables
    BEGIN SELECT RAISE(ABORT, 'cost table versions are immutable: save a new version'); END`,
  sql`CREATE TRIGGER remedial_cost_tables_no_delete_in_use BEFORE DELETE ON remedial_cost_tables
    WHEN EXISTS (SELECT 1 FROM roadmap_scenarios WHERE cost_table_id = OLD.id)
    BEGIN SELECT RAISE(ABORT, 'cost table version is used by a saved scenario'); END`,
  sql`CREATE TRIGGER roadmap_scenarios_no_update BEFORE UPDATE ON roadmap_scenarios
    BEGIN SELECT RAISE(ABORT, 'saved scenarios are immutable: save a new one'); END`,
]

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await statement.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE IF EXISTS roadmap_scenarios`.execute(db)
  await sql`DROP TABLE IF EXISTS remedial_cost_tables`.execute(db)
}
