/**
 * 0018 — draft scores no longer move the planner's `scores` counter,
 * PostgreSQL form: the `scores_count_*` triggers count a row only while its
 * assessment is submitted or verified. The test reads another table, which
 * PostgreSQL's WHEN cannot, so it is in the trigger's function.
 *
 * Frozen in time: the trigger names and statuses below are the schema, not app code.
 */
import { sql, type Kysely } from 'kysely'

const COUNTED = `('submitted', 'verified')`
const EVENTS = ['insert', 'update', 'delete'] as const

const statusOf = (row: 'NEW' | 'OLD') =>
  `(SELECT status FROM assessments WHERE id = ${row}.assessment_id)`

function condition(event: (typeof EVENTS)[number]): string {
  if (event === 'insert') return `${statusOf('NEW')} IN ${COUNTED}`
  if (event === 'delete') return `${statusOf('OLD')} IN ${COUNTED}`
  return `${statusOf('OLD')} IN ${COUNTED} OR ${statusOf('NEW')} IN ${COUNTED}`
}

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const event of EVENTS) {
    const name = sql.raw(`scores_count_${event}`)
    await sql`DROP TRIGGER ${name} ON scores`.execute(db)
    await sql`CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS ${sql.lit(`BEGIN
        IF ${condition(event)} THEN
          UPDATE change_counters SET value = value + 1 WHERE name = 'scores';
        END IF;
        RETURN NULL;
      END`)}`.execute(db)
    await sql`CREATE TRIGGER ${name} AFTER ${sql.raw(event.toUpperCase())} ON scores
      FOR EACH ROW EXECUTE FUNCTION ${name}()`.execute(db)
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const event of EVENTS) {
    const name = sql.raw(`scores_count_${event}`)
    await sql`DROP TRIGGER ${name} ON scores`.execute(db)
    await sql`DROP FUNCTION ${name}()`.execute(db)
    await sql`CREATE TRIGGER ${name} AFTER ${sql.raw(event.toUpperCase())} ON scores
      FOR EACH ROW EXECUTE FUNCTION change_counters_bump('scores')`.execute(db)
  }
}
