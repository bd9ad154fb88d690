/**
 * 0014 — questionnaire and scoring-model versions are immutable, PostgreSQL
 * form: the same trigger names and messages. SQLite's WHEN clauses that read
 * other tables become IF tests in the functions (PostgreSQL's WHEN allows no
 * subquery); `NOT GLOB '*[^0-9a-f]*'` is `~ '^[0-9a-f]*$'`.
 *
 * Frozen in time: plain SQL, no app imports.
 */
import { sql, type Kysely } from 'kysely'

interface Guard {
  name: string
  table: 'questionnaires' | 'scoring_models'
  event: 'INSERT' | 'UPDATE' | 'DELETE'
  /** When the write is refused (PL/pgSQL); absent: always. */
  when?: string
  message: string
}

const HASH_SHAPE = `NOT (length(NEW.sha256) = 64 AND NEW.sha256 ~ '^[0-9a-f]*$')`

const GUARDS: Guard[] = [
  {
    name: 'questionnaires_no_update',
    table: 'questionnaires',
    event: 'UPDATE',
    message: 'questionnaire versions are immutable: upload a new version',
  },
  {
    name: 'questionnaires_no_delete_in_use',
    table: 'questionnaires',
    event: 'DELETE',
    when: 'EXISTS (SELECT 1 FROM rounds WHERE rounds.questionnaire_id = OLD.id)',
    message: 'questionnaire version is used by a round',
  },
  {
    name: 'questionnaires_hash_shape',
    table: 'questionnaires',
    event: 'INSERT',
    when: HASH_SHAPE,
    message: 'questionnaire sha256 must be 64 lowercase hex digits',
  },
  {
    name: 'scoring_models_no_update',
    table: 'scoring_models',
    event: 'UPDATE',
    message: 'scoring model versions are immutable: upload a new version',
  },
  {
    name: 'scoring_models_no_delete_in_use',
    table: 'scoring_models',
    event: 'DELETE',
    when: `EXISTS (SELECT 1 FROM rounds WHERE rounds.scoring_model_id = OLD.id)
      OR EXISTS (SELECT 1 FROM scores WHERE scores.scoring_model_id = OLD.id)`,
    message: 'scoring model version is used by a round or has scores',
  },
  {
    name: 'scoring_models_hash_shape',
    table: 'scoring_models',
    event: 'INSERT',
    when: HASH_SHAPE,
    message: 'scoring model sha256 must be 64 lowercase hex digits',
  },
]

function body(guard: Guard): string {
  const proceed = guard.event === 'DELETE' ? 'OLD' : 'NEW'
  const raise = `RAISE EXCEPTION '${guard.message}';`
  return guard.when === undefined
    ? `BEGIN ${raise} END`
    : `BEGIN IF ${guard.when} THEN ${raise} END IF; RETURN ${proceed}; END`
}

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const guard of GUARDS) {
    await sql`CREATE FUNCTION ${sql.id(guard.name)}() RETURNS trigger LANGUAGE plpgsql
      AS ${sql.lit(body(guard))}`.execute(db)
    await sql`CREATE TRIGGER ${sql.id(guard.name)} BEFORE ${sql.raw(guard.event)}
      ON ${sql.id(guard.table)} FOR EACH ROW EXECUTE FUNCTION ${sql.id(guard.name)}()`.execute(db)
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const guard of [...GUARDS].reverse()) {
    await sql`DROP TRIGGER IF EXISTS ${sql.id(guard.name)} ON ${sql.id(guard.table)}`.execute(db)
    await sql`DROP FUNCTION IF EXISTS ${sql.id(guard.name)}()`.execute(db)
  }
}
