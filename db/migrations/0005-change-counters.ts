/**
 * 0005 — change counters for what the wave planner reads.
 *
 * `change_counters` holds one counter per source of the planner's inputs;
 * triggers add one on every change, whoever writes (app, seed, a script on
 * another connection). The planner reads the counters before its lists and
 * reuses the lists it read while they are unchanged: a national page then
 * skips reading and joining 13,000 facilities, assessments and scores when a
 * reviewer only changes parameters.
 *
 * `assessments` counts only changes to assessments that are, or were,
 * submitted or verified (the planner reads no other): autosaves of drafts
 * happen every few seconds in a busy round and would otherwise make every
 * kept list stale.
 *
 * Frozen in time: the table and trigger names below are the schema, not app code.
 */
import { sql, type Kysely } from 'kysely'

const SOURCES = ['facilities', 'provinces', 'assessments', 'scores'] as const

const bump = (name: (typeof SOURCES)[number]) =>
  sql.raw(`UPDATE change_counters SET value = value + 1 WHERE name = '${name}';`)

const COUNTED = `('submitted', 'verified')`

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE TABLE change_counters (
    name TEXT PRIMARY KEY,
    value INTEGER NOT NULL CHECK (value >= 0)
  ) STRICT, WITHOUT ROWID`.execute(db)
  for (const name of SOURCES) {
    await sql`INSERT INTO change_counters (name, value) VALUES (${name}, 0)`.execute(db)
  }
  for (const table of ['facilities', 'provinces', 'scores'] as const) {
    for (const event of ['INSERT', 'UPDATE', 'DELETE'] as const) {
      await sql`CREATE TRIGGER ${sql.raw(`${table}_count_${event.toLowerCase()}`)}
        AFTER ${sql.raw(event)} ON ${sql.raw(table)}
        BEGIN ${bump(table)} END`.execute(db)
    }
  }
  await sql`CREATE TRIGGER assessments_count_insert AFTER INSERT ON assessments
    WHEN NEW.status IN ${sql.raw(COUNTED)}
    BEGIN ${bump('assessments')} END`.execute(db)
  await sql`CREATE TRIGGER assessments_count_update AFTER UPDATE ON assessments
    WHEN OLD.status IN ${sql.raw(COUNTED)} OR NEW.status IN ${sql.raw(COUNTED)}
    BEGIN ${bump('assessments')} END`.execute(db)
  await sql`CREATE TRIGGER assessments_count_delete AFTER DELETE ON assessments
    WHEN OLD.status IN ${sql.raw(COUNTED)}
    BEGIN ${bump('assessments')} END`.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['assessments', 'scores', 'provinces', 'facilities'] as const) {
    for (const event of ['delete', 'update', 'insert'] as const) {
      await sql`DROP TRIGGER IF EXISTS ${sql.raw(`${table}_count_${event}`)}`.execute(db)
    }
  }
  await sql`DROP TABLE IF EXISTS change_counters`.execute(db)
}
