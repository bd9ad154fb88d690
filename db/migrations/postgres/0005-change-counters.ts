/**
 * 0005 — change counters for what the wave planner reads, PostgreSQL form.
 *
 * The same counters and trigger names as on SQLite; each trigger is a row
 * trigger (SQLite's only kind), so a statement that changes n rows adds n,
 * as there. `change_counters_bump()` adds one to the counter its trigger
 * names (TG_ARGV[0]). The assessments triggers count only rows that are, or
 * were, submitted or verified (a WHEN clause, as on SQLite).
 *
 * Frozen in time: the table and trigger names below are the schema, not app code.
 */
import { sql, type Kysely } from 'kysely'

const SOURCES = ['facilities', 'provinces', 'assessments', 'scores'] as const

const COUNTED = `('submitted', 'verified')`

const WHEN = {
  insert: `NEW.status IN ${COUNTED}`,
  update: `OLD.status IN ${COUNTED} OR NEW.status IN ${COUNTED}`,
  delete: `OLD.status IN ${COUNTED}`,
}

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE TABLE change_counters (
    name text PRIMARY KEY,
    value bigint NOT NULL CHECK (value >= 0)
  )`.execute(db)
  for (const name of SOURCES) {
    await sql`INSERT INTO change_counters (name, value) VALUES (${name}, 0)`.execute(db)
  }
  await sql`CREATE FUNCTION change_counters_bump() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      UPDATE change_counters SET value = value + 1 WHERE name = TG_ARGV[0];
      RETURN NULL;
    END $$`.execute(db)
  for (const table of ['facilities', 'provinces', 'scores'] as const) {
    for (const event of ['INSERT', 'UPDATE', 'DELETE'] as const) {
      await sql`CREATE TRIGGER ${sql.raw(`${table}_count_${event.toLowerCase()}`)}
        AFTER ${sql.raw(event)} ON ${sql.raw(table)}
        FOR EACH ROW EXECUTE FUNCTION change_counters_bump(${sql.raw(`'${table}'`)})`.execute(db)
    }
  }
  for (const event of ['insert', 'update', 'delete'] as const) {
    await sql`CREATE TRIGGER ${sql.raw(`assessments_count_${event}`)}
      AFTER ${sql.raw(event.toUpperCase())} ON assessments
      FOR EACH ROW WHEN (${sql.raw(WHEN[event])})
      EXECUTE FUNCTION change_counters_bump('assessments')`.execute(db)
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['assessments', 'scores', 'provinces', 'facilities'] as const) {
    for (const event of ['delete', 'update', 'insert'] as const) {
      await sql`DROP TRIGGER IF EXISTS ${sql.raw(`${table}_count_${event}`)} ON ${sql.raw(table)}`.execute(
        db,
      )
    }
  }
  await sql`DROP FUNCTION IF EXISTS change_counters_bump()`.execute(db)
  await sql`DROP TABLE IF EXISTS change_counters`.execute(db)
}
