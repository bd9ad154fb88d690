/**
 * 0001 — the initial schema. Frozen in time: never edit after it has landed;
 * change the schema with a new migration. Plain SQL keeps CHECK constraints
 * and triggers readable, and imports nothing from the app.
 */
import { sql, type Kysely } from 'kysely'

const statements = [
  sql`CREATE TABLE provinces (
    code TEXT PRIMARY KEY CHECK (length(code) = 2),
    name TEXT NOT NULL,
    name_en TEXT NOT NULL,
    full_name TEXT NOT NULL,
    full_name_en TEXT NOT NULL,
    search_key TEXT NOT NULL
  ) STRICT`,
  sql`CREATE TABLE facilities (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    province_code TEXT NOT NULL REFERENCES provinces(code),
    tier TEXT NOT NULL CHECK (tier IN ('central', 'provincial', 'basic')),
    ownership TEXT NOT NULL CHECK (ownership IN ('public', 'private')),
    beds INTEGER NOT NULL CHECK (beds >= 0),
    autonomy_group INTEGER CHECK (autonomy_group BETWEEN 1 AND 4),
    emr_status TEXT NOT NULL CHECK (emr_status IN ('none', 'in_progress', 'live')),
    search_key TEXT NOT NULL,
    created_at TEXT NOT NULL
  ) STRICT`,
  sql`CREATE INDEX facilities_province ON facilities (province_code, tier)`,
  sql`CREATE INDEX facilities_search ON facilities (search_key)`,
  sql`CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    login TEXT NOT NULL UNIQUE CHECK (login = lower(login)),
    display_name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('director', 'staff', 'province_reviewer', 'ministry_reviewer', 'admin')),
    facility_id INTEGER REFERENCES facilities(id),
    province_code TEXT REFERENCES provinces(code),
    password_hash TEXT NOT NULL,
    disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    -- A role's scope is part of the row, so a director can never lack a facility.
    CHECK (
      (role IN ('director', 'staff') AND facility_id IS NOT NULL AND province_code IS NULL) OR
      (role = 'province_reviewer' AND province_code IS NOT NULL AND facility_id IS NULL) OR
      (role IN ('ministry_reviewer', 'admin') AND facility_id IS NULL AND province_code IS NULL)
    )
  ) STRICT`,
  sql`CREATE TABLE sessions (
    id_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    created_at TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    revoked_at TEXT,
    ip TEXT,
    user_agent TEXT
  ) STRICT`,
  sql`CREATE INDEX sessions_user ON sessions (user_id)`,
  sql`CREATE TABLE login_attempts (
    id INTEGER PRIMARY KEY,
    login TEXT NOT NULL,
    ip TEXT NOT NULL,
    succeeded INTEGER NOT NULL CHECK (succeeded IN (0, 1)),
    created_at TEXT NOT NULL
  ) STRICT`,
  sql`CREATE INDEX login_attempts_login ON login_attempts (login, created_at)`,
  sql`CREATE INDEX login_attempts_ip ON login_attempts (ip, created_at)`,
  sql`CREATE TABLE questionnaires (
    id INTEGER PRIMARY KEY,
    version TEXT NOT NULL UNIQUE,
    json TEXT NOT NULL CHECK (json_valid(json)),
    sha256 TEXT NOT NULL,
    created_at TEXT NOT NULL
  ) STRICT`,
  sql`CREATE TABLE scoring_models (
    id INTEGER PRIMARY KEY,
    model_id TEXT NOT NULL,
    version TEXT NOT NULL,
    json TEXT NOT NULL CHECK (json_valid(json)),
    sha256 TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (model_id, version)
  ) STRICT`,
  sql`CREATE TABLE rounds (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    opens_on TEXT NOT NULL,
    closes_on TEXT NOT NULL CHECK (closes_on >= opens_on),
    questionnaire_id INTEGER NOT NULL REFERENCES questionnaires(id),
    scoring_model_id INTEGER NOT NULL REFERENCES scoring_models(id),
    created_at TEXT NOT NULL
  ) STRICT`,
  sql`CREATE TABLE assessments (
    id INTEGER PRIMARY KEY,
    facility_id INTEGER NOT NULL REFERENCES facilities(id),
    round_id INTEGER NOT NULL REFERENCES rounds(id),
    status TEXT NOT NULL CHECK (status IN ('draft', 'submitted', 'returned', 'verified')),
    version INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
    answers TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(answers)),
    current_page INTEGER NOT NULL DEFAULT 0 CHECK (current_page >= 0),
    submission_id TEXT UNIQUE,
    submitted_at TEXT,
    submitted_by INTEGER REFERENCES users(id),
    verified_at TEXT,
    verified_by INTEGER REFERENCES users(id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by INTEGER REFERENCES users(id),
    UNIQUE (facility_id, round_id)
  ) STRICT`,
  sql`CREATE INDEX assessments_round_status ON assessments (round_id, status)`,
  sql`CREATE TABLE assessment_changes (
    id INTEGER PRIMARY KEY,
    assessment_id INTEGER NOT NULL REFERENCES assessments(id),
    question TEXT NOT NULL,
    old_value TEXT,
    new_value TEXT,
    user_id INTEGER NOT NULL REFERENCES users(id),
    changed_at TEXT NOT NULL
  ) STRICT`,
  sql`CREATE INDEX assessment_changes_assessment ON assessment_changes (assessment_id, changed_at)`,
  sql`CREATE TABLE scores (
    id INTEGER PRIMARY KEY,
    assessment_id INTEGER NOT NULL REFERENCES assessments(id),
    scoring_model_id INTEGER NOT NULL REFERENCES scoring_models(id),
    basis TEXT NOT NULL CHECK (basis IN ('declared', 'verified')),
    composite_bp INTEGER NOT NULL CHECK (composite_bp BETWEEN 0 AND 10000),
    level TEXT NOT NULL,
    completeness REAL NOT NULL CHECK (completeness BETWEEN 0 AND 1),
    result_json TEXT NOT NULL CHECK (json_valid(result_json)),
    computed_at TEXT NOT NULL,
    UNIQUE (assessment_id, scoring_model_id, basis)
  ) STRICT`,
  sql`CREATE TABLE review_comments (
    id INTEGER PRIMARY KEY,
    assessment_id INTEGER NOT NULL REFERENCES assessments(id),
    question TEXT,
    author_id INTEGER NOT NULL REFERENCES users(id),
    body TEXT NOT NULL CHECK (length(body) > 0),
    created_at TEXT NOT NULL,
    resolved_at TEXT
  ) STRICT`,
  sql`CREATE INDEX review_comments_assessment ON review_comments (assessment_id)`,
  sql`CREATE TABLE ranking_runs (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    round_id INTEGER NOT NULL REFERENCES rounds(id),
    scoring_model_id INTEGER NOT NULL REFERENCES scoring_models(id),
    params_json TEXT NOT NULL CHECK (json_valid(params_json)),
    input_hash TEXT NOT NULL,
    seed INTEGER NOT NULL,
    result_json TEXT NOT NULL CHECK (json_valid(result_json)),
    created_by INTEGER NOT NULL REFERENCES users(id),
    created_at TEXT NOT NULL
  ) STRICT`,
  sql`CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    actor_id INTEGER REFERENCES users(id),
    action TEXT NOT NULL,
    entity_type TEXT NOT NULL,
    entity_id TEXT,
    facility_id INTEGER REFERENCES facilities(id),
    detail_json TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(detail_json)),
    ip TEXT,
    request_id TEXT
  ) STRICT`,
  sql`CREATE INDEX audit_log_at ON audit_log (at)`,
  sql`CREATE INDEX audit_log_facility ON audit_log (facility_id, at)`,
  // The audit log is append-only: nothing acknowledged is ever rewritten.
  sql`CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
    BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END`,
  sql`CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
    BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END`,
]

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await statement.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'audit_log',
    'ranking_runs',
    'review_comments',
    'scores',
    'assessment_changes',
    'assessments',
    'rounds',
    'scoring_models',
    'questionnaires',
    'login_attempts',
    'sessions',
    'users',
    'facilities',
    'provinces',
  ]) {
    await sql`DROP TABLE IF EXISTS ${sql.table(table)}`.execute(db)
  }
}
